#include "emulator/services/sqs/event_source_mapping.h"

#include "emulator/services/sqs/sqs_error.h"

#include <boost/asio/steady_timer.hpp>
#include <spdlog/spdlog.h>

#include <set>

namespace fogbank::sqs {

namespace asio = boost::asio;
using nlohmann::json;

namespace {

constexpr int kLongPollSeconds = 20;
constexpr int kMaxPollers = 10;

std::optional<int> intProperty(const json& properties, const char* name) {
    auto it = properties.find(name);
    if (it == properties.end() || it->is_null()) return std::nullopt;
    if (it->is_number_integer()) return it->get<int>();
    if (it->is_string()) {
        try {
            return std::stoi(it->get<std::string>());
        } catch (const std::exception&) {
        }
    }
    throw std::invalid_argument(std::string(name) + " must be an integer, not " + it->dump());
}

bool boolProperty(const json& properties, const char* name, bool fallback) {
    auto it = properties.find(name);
    if (it == properties.end() || it->is_null()) return fallback;
    if (it->is_boolean()) return it->get<bool>();
    if (it->is_string()) return it->get<std::string>() == "true";
    return fallback;
}

// Lambda's SQS record: message attributes in camelCase with the list members it always sends.
json recordAttributes(const json& attributes) {
    json out = json::object();
    for (const auto& [name, value] : attributes.items()) {
        json a{{"stringListValues", json::array()},
               {"binaryListValues", json::array()},
               {"dataType", value.value("DataType", "String")}};
        if (value.contains("BinaryValue"))
            a["binaryValue"] = value["BinaryValue"];
        else
            a["stringValue"] = value.value("StringValue", "");
        out[name] = std::move(a);
    }
    return out;
}

}  // namespace

std::optional<MappingConfig> mappingFromEvent(const FunctionSpec& function,
                                              const EventSource& event, std::string& problem) {
    const json& p = event.properties;
    MappingConfig config;
    config.function = function.functionName;
    auto queue = p.find("Queue");
    if (queue == p.end() || !queue->is_string() || queue->get<std::string>().empty()) {
        problem = "the SQS event " + event.name + " of " + function.logicalId +
                  " names no queue Fogbank can resolve (Queue: " +
                  (queue == p.end() ? std::string("missing") : queue->dump()) + ")";
        return std::nullopt;
    }
    // An ARN (GetAtt ... Arn) or a queue URL: the queue's name is the last part of either.
    const std::string ref = queue->get<std::string>();
    config.queue = ref.substr(ref.find_last_of(":/") + 1);
    try {
        config.batchSize = intProperty(p, "BatchSize").value_or(10);
        config.batchingWindowSeconds = intProperty(p, "MaximumBatchingWindowInSeconds").value_or(0);
        if (auto scaling = p.find("ScalingConfig"); scaling != p.end() && scaling->is_object())
            config.pollers = std::min(
                kMaxPollers, intProperty(*scaling, "MaximumConcurrency").value_or(config.pollers));
    } catch (const std::invalid_argument& e) {
        problem = "the SQS event " + event.name + " of " + function.logicalId + ": " + e.what();
        return std::nullopt;
    }
    // Lambda takes up to 10000, but a receive hands out 10 at most; batches beyond 10 are
    // gathered over the batching window.
    if (config.batchSize < 1 || config.batchSize > 10000) {
        problem = "the SQS event " + event.name + " of " + function.logicalId +
                  ": BatchSize must be from 1 to 10000, not " + std::to_string(config.batchSize);
        return std::nullopt;
    }
    if (config.batchingWindowSeconds < 0 || config.batchingWindowSeconds > 300) {
        problem = "the SQS event " + event.name + " of " + function.logicalId +
                  ": MaximumBatchingWindowInSeconds must be from 0 to 300";
        return std::nullopt;
    }
    config.pollers = std::max(1, config.pollers);
    config.enabled = boolProperty(p, "Enabled", true);
    if (auto types = p.find("FunctionResponseTypes"); types != p.end() && types->is_array())
        for (const auto& t : *types)
            if (t == "ReportBatchItemFailures") config.reportBatchItemFailures = true;
    return config;
}

json sqsEvent(const std::vector<Delivery>& batch, const std::string& queueArn,
              const std::string& region) {
    json records = json::array();
    for (const auto& d : batch) {
        const Message& m = d.message;
        json record{{"messageId", m.id},
                    {"receiptHandle", d.receiptHandle},
                    {"body", m.body},
                    {"attributes", systemAttributes(m)},
                    {"messageAttributes", recordAttributes(m.attributes)},
                    {"md5OfBody", m.md5OfBody},
                    {"eventSource", "aws:sqs"},
                    {"eventSourceARN", queueArn},
                    {"awsRegion", region}};
        if (!m.md5OfAttributes.empty()) record["md5OfMessageAttributes"] = m.md5OfAttributes;
        records.push_back(std::move(record));
    }
    return json{{"Records", std::move(records)}};
}

EventSourceMapping::EventSourceMapping(asio::any_io_executor executor, MessageBroker& broker,
                                       Invoke invoke, MappingConfig config)
    : executor_(std::move(executor)),
      broker_(broker),
      invoke_(std::move(invoke)),
      config_(std::move(config)) {}

EventSourceMapping::~EventSourceMapping() {
    stop();
}

void EventSourceMapping::start() {
    if (*running_ || !config_.enabled) return;
    *running_ = true;
    for (int i = 0; i < config_.pollers; ++i) poll();
}

void EventSourceMapping::stop() {
    *running_ = false;
    running_ = std::make_shared<bool>(false);
}

void EventSourceMapping::poll() {
    auto running = running_;
    if (!*running) return;
    ReceiveOptions options;
    options.maxMessages = std::min(10, config_.batchSize);
    options.waitSeconds = kLongPollSeconds;
    try {
        broker_.receive(
            config_.queue, options, [running] { return *running; },
            [this, running](std::vector<Delivery> got) {
                if (!*running) return;
                missingQueueReported_ = false;
                if (got.empty()) return poll();
                if (config_.batchingWindowSeconds > 0 &&
                    static_cast<int>(got.size()) < config_.batchSize)
                    return gather(std::move(got));
                invoke(std::move(got));
            });
    } catch (const SqsError& e) {
        // The queue was deleted (or never made); the mapping waits for it, as Lambda's does, and
        // says so once rather than every retry.
        if (!missingQueueReported_)
            spdlog::warn("sqs: {} cannot poll {}: {}", config_.function, config_.queue, e.what());
        missingQueueReported_ = true;
        retryLater();
    }
}

void EventSourceMapping::retryLater() {
    auto timer = std::make_shared<asio::steady_timer>(executor_, std::chrono::seconds(5));
    timer->async_wait([this, timer, running = running_](const boost::system::error_code& error) {
        if (!error && *running) poll();
    });
}

// Lambda waits up to the batching window for a fuller batch; so does this poller, then takes what
// came in the meantime.
void EventSourceMapping::gather(std::vector<Delivery> batch) {
    auto timer = std::make_shared<asio::steady_timer>(
        executor_, std::chrono::seconds(config_.batchingWindowSeconds));
    auto shared = std::make_shared<std::vector<Delivery>>(std::move(batch));
    timer->async_wait(
        [this, timer, shared, running = running_](const boost::system::error_code& error) {
            if (error || !*running) return;
            auto take = [this, shared, running](auto& self) -> void {
                const int missing = config_.batchSize - static_cast<int>(shared->size());
                if (missing <= 0) return invoke(std::move(*shared));
                ReceiveOptions options;
                options.maxMessages = std::min(10, missing);
                options.waitSeconds = 0;
                try {
                    broker_.receive(config_.queue, options, {},
                                    [this, shared, running, self](std::vector<Delivery> got) {
                                        if (!*running) return;
                                        const bool more = !got.empty();
                                        for (auto& d : got) shared->push_back(std::move(d));
                                        if (more) return self(self);
                                        invoke(std::move(*shared));
                                    });
                } catch (const SqsError& e) {
                    spdlog::warn("sqs: {} cannot poll {}: {}", config_.function, config_.queue,
                                 e.what());
                    invoke(std::move(*shared));
                }
            };
            take(take);
        });
}

void EventSourceMapping::invoke(std::vector<Delivery> batch) {
    InvokeRequest request;
    request.function = config_.function;
    request.trigger = Trigger::Sqs;
    // The first record's sender names the trace, as Lambda's AWSTraceHeader does.
    request.traceHeader = batch.front().message.traceHeader;
    request.payload = sqsEvent(batch, broker_.queueArn(config_.queue), broker_.region())
                          .dump(-1, ' ', false, json::error_handler_t::replace);
    auto shared = std::make_shared<std::vector<Delivery>>(std::move(batch));
    invoke_(std::move(request), [this, shared, running = running_](InvocationResult result) {
        if (!*running) return;
        try {
            settle(*shared, result);
        } catch (const std::exception& e) {
            spdlog::error("sqs: settling a batch of {} from {}: {}", config_.function,
                          config_.queue, e.what());
        }
        poll();
    });
}

void EventSourceMapping::settle(const std::vector<Delivery>& batch,
                                const InvocationResult& result) {
    if (!result.ok()) {
        spdlog::warn(
            "sqs: {} failed a batch of {} from {} ({}); the messages return after "
            "their visibility timeout",
            config_.function, batch.size(), config_.queue,
            result.errorType.empty() ? toString(result.status) : result.errorType);
        return;
    }
    std::set<std::string> failed;
    if (config_.reportBatchItemFailures) {
        const auto response = json::parse(result.payload, nullptr, false);
        const json* failures = nullptr;
        if (response.is_object() && response.contains("batchItemFailures"))
            failures = &response["batchItemFailures"];
        if (failures && !failures->is_null()) {
            std::set<std::string> ids;
            for (const auto& d : batch) ids.insert(d.message.id);
            bool valid = failures->is_array();
            if (valid)
                for (const auto& f : *failures) {
                    const json id = f.is_object() ? f.value("itemIdentifier", json()) : json();
                    if (!id.is_string() || !ids.contains(id.get<std::string>())) {
                        valid = false;
                        break;
                    }
                    failed.insert(id.get<std::string>());
                }
            // Lambda treats a malformed response as the whole batch failing.
            if (!valid) {
                spdlog::warn(
                    "sqs: {} returned batchItemFailures that name no message of the "
                    "batch; the whole batch fails",
                    config_.function);
                return;
            }
        }
    }
    for (const auto& d : batch) {
        if (failed.contains(d.message.id)) continue;
        try {
            broker_.deleteMessage(config_.queue, d.receiptHandle);
        } catch (const SqsError& e) {
            spdlog::warn("sqs: cannot delete {} from {} after {} handled it: {}", d.message.id,
                         config_.queue, config_.function, e.what());
        }
    }
}

}  // namespace fogbank::sqs
