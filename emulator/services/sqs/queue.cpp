#include "emulator/services/sqs/queue.h"

#include "emulator/services/sqs/sqs_error.h"

#include <chrono>
#include <set>

namespace fogbank::sqs {

std::int64_t nowMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::map<std::string, std::string> systemAttributes(const Message& m) {
    std::map<std::string, std::string> a{
        {"ApproximateReceiveCount", std::to_string(m.receiveCount)},
        {"ApproximateFirstReceiveTimestamp", std::to_string(m.firstReceiveMs)},
        {"SentTimestamp", std::to_string(m.sentMs)},
        {"SenderId", m.senderId},
    };
    if (!m.traceHeader.empty()) a["AWSTraceHeader"] = m.traceHeader;
    if (!m.groupId.empty()) {
        a["MessageGroupId"] = m.groupId;
        a["MessageDeduplicationId"] = m.dedupId;
        a["SequenceNumber"] = m.sequenceNumber;
    }
    return a;
}

int Queue::intAttribute(const std::string& name) const {
    auto it = attributes.find(name);
    if (it == attributes.end()) return 0;
    try {
        return std::stoi(it->second);
    } catch (const std::exception&) {
        return 0;  // validateAttribute only stores numbers under numeric names
    }
}

bool Queue::contentBasedDeduplication() const {
    auto it = attributes.find("ContentBasedDeduplication");
    return it != attributes.end() && it->second == "true";
}

nlohmann::json Queue::redrivePolicy() const {
    auto it = attributes.find("RedrivePolicy");
    if (it == attributes.end() || it->second.empty()) return nullptr;
    auto policy = nlohmann::json::parse(it->second, nullptr, false);
    return policy.is_discarded() ? nlohmann::json(nullptr) : policy;
}

std::map<std::string, std::string> defaultAttributes(bool fifo) {
    std::map<std::string, std::string> a{
        {"VisibilityTimeout", "30"},
        {"DelaySeconds", "0"},
        {"MessageRetentionPeriod", "345600"},
        {"MaximumMessageSize", "262144"},
        {"ReceiveMessageWaitTimeSeconds", "0"},
        {"SqsManagedSseEnabled", "true"},
    };
    if (fifo) {
        a["FifoQueue"] = "true";
        a["ContentBasedDeduplication"] = "false";
        a["DeduplicationScope"] = "queue";
        a["FifoThroughputLimit"] = "perQueue";
    }
    return a;
}

namespace {

std::string checkedInt(const std::string& name, const std::string& value, long low, long high) {
    std::size_t used = 0;
    long number = 0;
    try {
        number = std::stol(value, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used == 0 || used != value.size() || number < low || number > high)
        throw invalidParameter("Invalid value for the parameter " + name + ": \"" + value +
                               "\" (an integer from " + std::to_string(low) + " to " +
                               std::to_string(high) + ").");
    return std::to_string(number);
}

std::string checkedBool(const std::string& name, const std::string& value) {
    if (value == "true" || value == "True" || value == "TRUE") return "true";
    if (value == "false" || value == "False" || value == "FALSE") return "false";
    throw invalidParameter("Invalid value for the parameter " + name + ": \"" + value +
                           "\" (true or false).");
}

}  // namespace

std::string validateAttribute(const std::string& name, const std::string& value, bool fifo,
                              bool creating) {
    if (name == "VisibilityTimeout") return checkedInt(name, value, 0, 43200);
    if (name == "DelaySeconds") return checkedInt(name, value, 0, 900);
    if (name == "MessageRetentionPeriod") return checkedInt(name, value, 60, 1209600);
    if (name == "MaximumMessageSize") return checkedInt(name, value, 1024, 262144);
    if (name == "ReceiveMessageWaitTimeSeconds") return checkedInt(name, value, 0, 20);
    if (name == "KmsDataKeyReusePeriodSeconds") return checkedInt(name, value, 60, 86400);
    if (name == "FifoQueue") {
        if (!creating)
            throw invalidParameter(
                "Invalid value for the parameter FifoQueue: it can only be "
                "set when the queue is created.");
        const std::string v = checkedBool(name, value);
        if ((v == "true") != fifo)
            throw invalidParameter(
                fifo ? "The name of a FIFO queue can only include alphanumeric characters, "
                       "hyphens, or underscores, must end with .fifo suffix and FifoQueue must "
                       "be true."
                     : "Can only set FifoQueue to true on a queue whose name ends with .fifo.");
        return v;
    }
    if (name == "ContentBasedDeduplication" || name == "SqsManagedSseEnabled") {
        if (name == "ContentBasedDeduplication" && !fifo) throw invalidAttributeName(name);
        return checkedBool(name, value);
    }
    if (name == "RedrivePolicy") {
        if (value.empty()) return value;  // clears it
        auto policy = nlohmann::json::parse(value, nullptr, false);
        if (!policy.is_object() || !policy.contains("deadLetterTargetArn") ||
            !policy.contains("maxReceiveCount"))
            throw invalidParameter(
                "Value " + value +
                " for parameter RedrivePolicy is invalid. Reason: Redrive policy is not a JSON "
                "object with deadLetterTargetArn and maxReceiveCount.");
        const auto& count = policy["maxReceiveCount"];
        long n = 0;
        try {
            n = count.is_number() ? count.get<long>() : std::stol(count.get<std::string>());
        } catch (const std::exception&) {
            n = 0;
        }
        if (n < 1 || n > 1000)
            throw invalidParameter("Value " + value +
                                   " for parameter RedrivePolicy is invalid. Reason: Invalid "
                                   "value for maxReceiveCount: must be from 1 to 1000.");
        policy["maxReceiveCount"] = n;
        return policy.dump();
    }
    if (name == "DeduplicationScope" || name == "FifoThroughputLimit") {
        if (!fifo) throw invalidAttributeName(name);
        return value;
    }
    static const std::set<std::string> kOpaque = {"Policy", "RedriveAllowPolicy", "KmsMasterKeyId"};
    if (kOpaque.contains(name)) return value;
    throw invalidAttributeName(name);
}

void validateQueueName(const std::string& name, bool fifo) {
    std::string base = name;
    if (fifo) {
        if (!name.ends_with(".fifo"))
            throw invalidParameter("The name of a FIFO queue must end with the .fifo suffix.");
        base = name.substr(0, name.size() - 5);
    }
    bool ok = !base.empty() && name.size() <= 80;
    for (char c : base)
        ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_');
    if (!ok)
        throw invalidParameter(
            "Can only include alphanumeric characters, hyphens, or "
            "underscores. 1 to 80 in length (queue name \"" +
            name + "\").");
}

}  // namespace fogbank::sqs
