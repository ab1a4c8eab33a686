#include "emulator/services/sqs/sqs_service.h"

#include "emulator/services/sqs/sqs_error.h"

#include <spdlog/spdlog.h>

namespace fogbank::sqs {

using nlohmann::json;

namespace {

std::string scalar(const json& value) {
    if (value.is_string()) return value.get<std::string>();
    if (value.is_boolean()) return value.get<bool>() ? "true" : "false";
    return value.dump();
}

std::map<std::string, std::string> templateTags(const QueueSpec& queue) {
    std::map<std::string, std::string> tags;
    auto it = queue.properties.find("Tags");
    if (it == queue.properties.end() || !it->is_array()) return tags;
    for (const auto& tag : *it)
        if (tag.is_object() && tag.contains("Key"))
            tags[scalar(tag["Key"])] = tag.contains("Value") ? scalar(tag["Value"]) : "";
    return tags;
}

}  // namespace

std::map<std::string, std::string> templateAttributes(const QueueSpec& queue) {
    static const char* kNames[] = {"VisibilityTimeout",
                                   "DelaySeconds",
                                   "MessageRetentionPeriod",
                                   "MaximumMessageSize",
                                   "ReceiveMessageWaitTimeSeconds",
                                   "FifoQueue",
                                   "ContentBasedDeduplication",
                                   "DeduplicationScope",
                                   "FifoThroughputLimit",
                                   "KmsMasterKeyId",
                                   "KmsDataKeyReusePeriodSeconds",
                                   "SqsManagedSseEnabled"};
    std::map<std::string, std::string> attributes;
    const json& p = queue.properties;
    for (const char* name : kNames)
        if (auto it = p.find(name); it != p.end() && !it->is_null()) attributes[name] = scalar(*it);
    if (auto it = p.find("RedrivePolicy"); it != p.end() && !it->is_null()) {
        json policy = it->is_string() ? json::parse(it->get<std::string>(), nullptr, false) : *it;
        if (!policy.is_object() || !policy.contains("deadLetterTargetArn") ||
            !policy["deadLetterTargetArn"].is_string())
            throw TemplateError(queue.where,
                                "the RedrivePolicy of queue " + queue.logicalId +
                                    " needs deadLetterTargetArn (an ARN Fogbank can resolve, "
                                    "e.g. !GetAtt DLQ.Arn) and maxReceiveCount");
        attributes["RedrivePolicy"] = policy.dump();
    }
    return attributes;
}

SqsService::SqsService(boost::asio::any_io_executor executor, const Project& project,
                       const std::filesystem::path& stateDir, EventSourceMapping::Invoke invoke)
    : broker_(executor, std::make_unique<QueueStore>(stateDir), project.region, project.accountId),
      api_(broker_) {
    for (const auto& queue : project.queues) {
        try {
            broker_.createQueue(queue.queueName, templateAttributes(queue), templateTags(queue),
                                true);
        } catch (const SqsError& e) {
            throw TemplateError(queue.where, "queue " + queue.logicalId + " (" + queue.queueName +
                                                 "): " + e.what());
        }
    }
    for (const auto& function : project.functions) {
        for (const auto& event : function.events) {
            if (event.type != "SQS") continue;
            std::string problem;
            auto config = mappingFromEvent(function, event, problem);
            if (!config) {
                spdlog::warn("{}:{}:{}: {}", event.where.file.string(), event.where.line,
                             event.where.column, problem);
                continue;
            }
            if (!broker_.hasQueue(config->queue))
                spdlog::warn(
                    "{}:{}:{}: the SQS event {} of {} polls queue {}, which does not "
                    "exist yet; it starts when the queue is created",
                    event.where.file.string(), event.where.line, event.where.column, event.name,
                    function.logicalId, config->queue);
            mappings_.push_back(std::make_unique<EventSourceMapping>(executor, broker_, invoke,
                                                                     std::move(*config)));
        }
    }
}

SqsService::~SqsService() = default;

void SqsService::start() {
    for (auto& mapping : mappings_) mapping->start();
}

void SqsService::shutdown() {
    for (auto& mapping : mappings_) mapping->stop();
    broker_.shutdown();
}

}  // namespace fogbank::sqs
