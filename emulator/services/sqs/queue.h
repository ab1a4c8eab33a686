// One queue and its messages as the broker holds them in memory (SQLite holds the same rows, see
// QueueStore), and the queue attributes SQS knows, with their defaults and limits.
#pragma once

#include <boost/asio/steady_timer.hpp>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace fogbank::sqs {

// Milliseconds since the epoch: SQS's timestamps, and what visibility windows are kept in, so that
// they mean the same thing after a restart.
std::int64_t nowMs();

struct Message {
    std::int64_t seq = 0;  // arrival order, the row's key
    std::string id;        // MessageId
    std::string body;
    nlohmann::json attributes = nlohmann::json::object();  // MessageAttributes, JSON protocol shape
    std::string md5OfBody;
    std::string md5OfAttributes;  // empty without attributes
    std::string senderId;
    std::string traceHeader;  // the SendMessage call's X-Amzn-Trace-Id (its span as Parent)
    std::int64_t sentMs = 0;
    std::int64_t visibleAtMs = 0;  // delayed or in flight until then
    int receiveCount = 0;
    std::int64_t firstReceiveMs = 0;
    std::string receipt;  // the nonce of the latest receive; older receipt handles are stale
    std::string groupId;  // FIFO only
    std::string dedupId;
    std::string sequenceNumber;

    bool inFlight(std::int64_t now) const { return receiveCount > 0 && visibleAtMs > now; }
};

// SentTimestamp, ApproximateReceiveCount, ... (and the FIFO ones), as ReceiveMessage's
// Attributes and an SQS event record's "attributes" name them.
std::map<std::string, std::string> systemAttributes(const Message& message);

// A message handed out by a receive: a copy, with the receipt handle that deletes it.
struct Delivery {
    Message message;
    std::string receiptHandle;
};

using ReceiveDone = std::function<void(std::vector<Delivery>)>;

struct ReceiveOptions {
    int maxMessages = 1;
    std::optional<int> waitSeconds;        // absent: the queue's ReceiveMessageWaitTimeSeconds
    std::optional<int> visibilitySeconds;  // absent: the queue's VisibilityTimeout
};

// A long poll waiting on an empty queue: an Asio timer, no thread, no loop.
struct Waiter {
    explicit Waiter(boost::asio::any_io_executor executor) : timer(std::move(executor)) {}
    ReceiveOptions options;
    std::function<bool()> alive;  // false once the caller has gone away: give it nothing
    ReceiveDone done;
    boost::asio::steady_timer timer;
    bool finished = false;
};

struct Dedup {
    std::int64_t expiresMs = 0;
    std::string messageId;
    std::string sequenceNumber;
};

struct Queue {
    explicit Queue(boost::asio::any_io_executor executor) : wakeTimer(std::move(executor)) {}

    std::string name;
    bool fifo = false;
    std::map<std::string, std::string> attributes;  // the settable ones, as strings
    std::map<std::string, std::string> tags;
    std::int64_t createdMs = 0;
    std::int64_t modifiedMs = 0;
    std::map<std::int64_t, Message> messages;  // by seq: arrival order
    std::map<std::string, Dedup> dedup;        // FIFO deduplication window
    std::list<std::shared_ptr<Waiter>> waiters;
    // Fires when the next delayed or in-flight message becomes visible, while someone waits.
    boost::asio::steady_timer wakeTimer;

    int intAttribute(const std::string& name) const;
    bool contentBasedDeduplication() const;
    // {deadLetterTargetArn, maxReceiveCount}, or null when the queue has none.
    nlohmann::json redrivePolicy() const;
};

// The attribute defaults a new queue gets (fifo adds FifoQueue and ContentBasedDeduplication).
std::map<std::string, std::string> defaultAttributes(bool fifo);
// Checks a name/value that CreateQueue or SetQueueAttributes sets; returns the value to store
// (normalised). Throws SqsError (InvalidAttributeName, InvalidParameterValue).
std::string validateAttribute(const std::string& name, const std::string& value, bool fifo,
                              bool creating);
// Checks a queue name (80 characters of [A-Za-z0-9_-], plus ".fifo" for FIFO queues).
void validateQueueName(const std::string& name, bool fifo);

}  // namespace fogbank::sqs
