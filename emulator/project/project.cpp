#include "emulator/project/project.h"

#include "emulator/project/resource_catalog.h"

#include <vector>

namespace fogbank {

namespace {

std::string formatWhat(const SourceLocation& where, const std::string& message) {
    std::string out = where.file.string();
    if (where.line > 0) {
        out += ":" + std::to_string(where.line) + ":" + std::to_string(where.column);
    }
    return out + ": " + message;
}

std::vector<std::string_view> splitColons(std::string_view text) {
    std::vector<std::string_view> parts;
    for (;;) {
        const auto colon = text.find(':');
        parts.push_back(text.substr(0, colon));
        if (colon == std::string_view::npos) return parts;
        text.remove_prefix(colon + 1);
    }
}

}  // namespace

TemplateError::TemplateError(SourceLocation where, const std::string& message)
    : std::runtime_error(formatWhat(where, message)), where_(std::move(where)), message_(message) {}

RuntimeFamily FunctionSpec::family() const {
    if (runtime.starts_with("nodejs")) return RuntimeFamily::Node;
    if (runtime.starts_with("python3")) return RuntimeFamily::Python;
    if (runtime.starts_with("provided")) return RuntimeFamily::Provided;
    return RuntimeFamily::Unsupported;
}

const FunctionSpec* Project::findFunction(std::string_view nameOrArn) const {
    const auto byName = [this](std::string_view name) -> const FunctionSpec* {
        for (const auto& fn : functions) {
            if (fn.functionName == name) return &fn;
        }
        for (const auto& fn : functions) {
            if (fn.logicalId == name) return &fn;
        }
        return nullptr;
    };
    if (const FunctionSpec* fn = byName(nameOrArn)) return fn;

    // The forms Lambda's API accepts: a full ARN, a partial "ACCOUNT:function:NAME", or
    // "NAME:QUALIFIER"; each may carry a version or alias qualifier, which the emulator ignores.
    const auto parts = splitColons(nameOrArn);
    if (parts.size() >= 7 && parts.size() <= 8 && parts[0] == "arn" && parts[2] == "lambda" &&
        parts[5] == "function") {
        if (parts[3] != region || parts[4] != accountId) return nullptr;
        return byName(parts[6]);
    }
    if (parts.size() >= 3 && parts.size() <= 4 && parts[1] == "function") {
        if (parts[0] != accountId) return nullptr;
        return byName(parts[2]);
    }
    if (parts.size() == 2 && !parts[1].empty()) return byName(parts[0]);
    return nullptr;
}

std::string Project::functionArn(const FunctionSpec& fn) const {
    return "arn:aws:lambda:" + region + ":" + accountId + ":function:" + fn.functionName;
}

std::string Project::queueUrl(const QueueSpec& queue) const {
    return detail::sqsQueueUrl(edgeUrl, accountId, queue.queueName);
}

std::string Project::queueArn(const QueueSpec& queue) const {
    return "arn:aws:sqs:" + region + ":" + accountId + ":" + queue.queueName;
}

std::string Project::bucketArn(const BucketSpec& bucket) const {
    return "arn:aws:s3:::" + bucket.bucketName;
}

}  // namespace fogbank
