#include "emulator/services/sqs/message_broker.h"

#include "emulator/crypto/digest.h"
#include "emulator/net/base64.h"
#include "emulator/services/sqs/message_md5.h"
#include "emulator/services/sqs/sqs_error.h"
#include "emulator/trace/ids.h"

#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <set>

namespace fogbank::sqs {

namespace asio = boost::asio;

namespace {

constexpr std::int64_t kDedupWindowMs = 5 * 60 * 1000;
constexpr int kMaxWaitSeconds = 20;

std::string queueNameOfArn(const std::string& arn) {
    auto colon = arn.rfind(':');
    return colon == std::string::npos ? arn : arn.substr(colon + 1);
}

// The computed attributes GetQueueAttributes answers besides the stored ones.
const std::set<std::string>& computedNames() {
    static const std::set<std::string> names = {"ApproximateNumberOfMessages",
                                                "ApproximateNumberOfMessagesNotVisible",
                                                "ApproximateNumberOfMessagesDelayed",
                                                "CreatedTimestamp",
                                                "LastModifiedTimestamp",
                                                "QueueArn"};
    return names;
}

}  // namespace

MessageBroker::MessageBroker(asio::any_io_executor executor, std::unique_ptr<QueueStore> store,
                             std::string region, std::string account)
    : executor_(std::move(executor)),
      store_(std::move(store)),
      region_(std::move(region)),
      account_(std::move(account)) {
    for (auto& stored : store_->load()) {
        auto queue = std::make_unique<Queue>(executor_);
        queue->name = stored.name;
        queue->fifo = stored.name.ends_with(".fifo");
        queue->attributes = std::move(stored.attributes);
        queue->tags = std::move(stored.tags);
        queue->createdMs = stored.createdMs;
        queue->modifiedMs = stored.modifiedMs;
        for (auto& message : stored.messages) {
            if (!message.sequenceNumber.empty())
                nextSequence_ =
                    std::max<std::int64_t>(nextSequence_, std::stoll(message.sequenceNumber));
            queue->messages.emplace(message.seq, std::move(message));
        }
        queue->dedup = std::move(stored.dedup);
        for (const auto& [id, entry] : queue->dedup)
            if (!entry.sequenceNumber.empty())
                nextSequence_ =
                    std::max<std::int64_t>(nextSequence_, std::stoll(entry.sequenceNumber));
        queues_.emplace(queue->name, std::move(queue));
    }
}

MessageBroker::~MessageBroker() = default;

std::string MessageBroker::queueArn(const std::string& name) const {
    return "arn:aws:sqs:" + region_ + ":" + account_ + ":" + name;
}

Queue& MessageBroker::find(const std::string& name) {
    auto it = queues_.find(name);
    if (it == queues_.end()) throw queueDoesNotExist(name);
    return *it->second;
}

const Queue& MessageBroker::find(const std::string& name) const {
    auto it = queues_.find(name);
    if (it == queues_.end()) throw queueDoesNotExist(name);
    return *it->second;
}

bool MessageBroker::createQueue(const std::string& name,
                                std::map<std::string, std::string> requested,
                                std::map<std::string, std::string> tags, bool replaceAttributes) {
    const bool fifo = name.ends_with(".fifo");
    auto fifoFlag = requested.find("FifoQueue");
    if (fifo && (fifoFlag == requested.end() || fifoFlag->second != "true") && !replaceAttributes)
        throw invalidParameter(
            "The name of a FIFO queue can only include alphanumeric characters, hyphens, or "
            "underscores, must end with .fifo suffix and FifoQueue must be true (queue \"" +
            name + "\").");
    validateQueueName(name, fifo);
    auto attributes = defaultAttributes(fifo);
    for (const auto& [key, value] : requested)
        attributes[key] = validateAttribute(key, value, fifo, true);

    if (auto it = queues_.find(name); it != queues_.end()) {
        Queue& existing = *it->second;
        if (existing.attributes == attributes) return false;
        if (!replaceAttributes) {
            for (const auto& [key, value] : requested) {
                auto have = existing.attributes.find(key);
                if (have == existing.attributes.end() || have->second != attributes[key])
                    throw SqsError("QueueNameExists", "QueueAlreadyExists",
                                   "A queue already exists with the same name and a different "
                                   "value for attribute " +
                                       key);
            }
            return false;
        }
        existing.attributes = std::move(attributes);
        existing.modifiedMs = nowMs();
        store_->saveQueue(existing);
        return false;
    }
    auto queue = std::make_unique<Queue>(executor_);
    queue->name = name;
    queue->fifo = fifo;
    queue->attributes = std::move(attributes);
    queue->tags = std::move(tags);
    queue->createdMs = queue->modifiedMs = nowMs();
    store_->saveQueue(*queue);
    queues_.emplace(name, std::move(queue));
    return true;
}

bool MessageBroker::hasQueue(const std::string& name) const {
    return queues_.contains(name);
}

std::vector<std::string> MessageBroker::queueNames(const std::string& prefix) const {
    std::vector<std::string> names;
    for (const auto& [name, queue] : queues_)
        if (name.starts_with(prefix)) names.push_back(name);
    return names;
}

void MessageBroker::deleteQueue(const std::string& name) {
    Queue& queue = find(name);
    store_->deleteQueue(name);
    queue.wakeTimer.cancel();
    for (auto& waiter : std::vector(queue.waiters.begin(), queue.waiters.end())) finish(waiter, {});
    queues_.erase(name);
}

void MessageBroker::purgeQueue(const std::string& name) {
    Queue& queue = find(name);
    store_->purge(name);
    queue.messages.clear();
}

std::map<std::string, std::string> MessageBroker::attributes(
    const std::string& name, const std::vector<std::string>& names) {
    Queue& queue = find(name);
    const auto now = nowMs();
    dropExpired(queue, now);
    std::map<std::string, std::string> all = queue.attributes;
    int visible = 0, notVisible = 0, delayed = 0;
    for (const auto& [seq, m] : queue.messages) {
        if (m.visibleAtMs <= now)
            ++visible;
        else if (m.receiveCount > 0)
            ++notVisible;
        else
            ++delayed;
    }
    all["ApproximateNumberOfMessages"] = std::to_string(visible);
    all["ApproximateNumberOfMessagesNotVisible"] = std::to_string(notVisible);
    all["ApproximateNumberOfMessagesDelayed"] = std::to_string(delayed);
    all["CreatedTimestamp"] = std::to_string(queue.createdMs / 1000);
    all["LastModifiedTimestamp"] = std::to_string(queue.modifiedMs / 1000);
    all["QueueArn"] = queueArn(name);
    if (std::find(names.begin(), names.end(), "All") != names.end()) return all;
    std::map<std::string, std::string> picked;
    for (const auto& wanted : names) {
        if (auto it = all.find(wanted); it != all.end()) {
            picked.insert(*it);
        } else if (!computedNames().contains(wanted)) {
            // Known but unset (Policy, RedrivePolicy) is answered by omission, as SQS does.
            static const std::set<std::string> settable = {"Policy",
                                                           "RedrivePolicy",
                                                           "RedriveAllowPolicy",
                                                           "KmsMasterKeyId",
                                                           "KmsDataKeyReusePeriodSeconds",
                                                           "ContentBasedDeduplication",
                                                           "FifoQueue",
                                                           "DeduplicationScope",
                                                           "FifoThroughputLimit"};
            if (!settable.contains(wanted)) throw invalidAttributeName(wanted);
        }
    }
    return picked;
}

void MessageBroker::setAttributes(const std::string& name,
                                  const std::map<std::string, std::string>& values) {
    Queue& queue = find(name);
    auto updated = queue.attributes;
    for (const auto& [key, value] : values) {
        if (key == "FifoQueue" && value == updated[key]) continue;  // unchanged is allowed
        const auto stored = validateAttribute(key, value, queue.fifo, false);
        if (stored.empty())
            updated.erase(key);
        else
            updated[key] = stored;
    }
    queue.attributes = std::move(updated);
    queue.modifiedMs = nowMs();
    store_->saveQueue(queue);
    serveWaiters(queue);
}

std::map<std::string, std::string> MessageBroker::tags(const std::string& name) const {
    return find(name).tags;
}

void MessageBroker::tag(const std::string& name, const std::map<std::string, std::string>& tags) {
    Queue& queue = find(name);
    for (const auto& [key, value] : tags) queue.tags[key] = value;
    store_->saveQueue(queue);
}

void MessageBroker::untag(const std::string& name, const std::vector<std::string>& keys) {
    Queue& queue = find(name);
    for (const auto& key : keys) queue.tags.erase(key);
    store_->saveQueue(queue);
}

std::vector<std::string> MessageBroker::deadLetterSources(const std::string& name) const {
    find(name);
    std::vector<std::string> sources;
    for (const auto& [source, queue] : queues_) {
        auto policy = queue->redrivePolicy();
        if (policy.is_object() && queueNameOfArn(policy.value("deadLetterTargetArn", "")) == name)
            sources.push_back(source);
    }
    return sources;
}

SendResult MessageBroker::send(const std::string& name, SendInput input) {
    Queue& queue = find(name);
    const auto now = nowMs();
    if (input.body.empty()) throw missingParameter("MessageBody");
    // XML 1.0's characters, which SQS allows in a body; control characters would break the
    // query protocol's responses.
    for (unsigned char c : input.body)
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
            throw SqsError("InvalidMessageContents", "InvalidMessageContents",
                           "Invalid binary character '#x" + std::to_string(c) +
                               "' was found in the message body, the set of allowed characters "
                               "is #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | "
                               "#x10000 to #x10FFFF");
    const auto maxSize = static_cast<std::size_t>(queue.intAttribute("MaximumMessageSize"));
    if (input.body.size() > maxSize)
        throw invalidParameter(
            "One or more parameters are invalid. Reason: Message must be "
            "shorter than " +
            std::to_string(maxSize) + " bytes.");
    for (const auto& [key, value] : input.attributes.items()) {
        const std::string type = value.value("DataType", "");
        if (type.empty())
            throw invalidParameter("The message attribute '" + key +
                                   "' must contain non-empty message attribute type.");
        const bool binary = type.starts_with("Binary");
        if (!type.starts_with("String") && !type.starts_with("Number") && !binary)
            throw invalidParameter("The type of message attribute '" + key +
                                   "' is invalid: " + type + " (String, Number or Binary).");
        if (!value.contains(binary ? "BinaryValue" : "StringValue"))
            throw invalidParameter("The message attribute '" + key +
                                   "' must contain non-empty message attribute value for "
                                   "message attribute type '" +
                                   type + "'.");
    }
    if (queue.fifo) {
        if (input.groupId.empty()) throw missingParameter("MessageGroupId");
        if (input.delaySeconds && *input.delaySeconds != 0)
            throw invalidParameter("Value " + std::to_string(*input.delaySeconds) +
                                   " for parameter DelaySeconds is invalid. Reason: The request "
                                   "include parameter that is not valid for this queue type.");
        if (input.dedupId.empty()) {
            if (!queue.contentBasedDeduplication())
                throw invalidParameter(
                    "The queue should either have ContentBasedDeduplication enabled or "
                    "MessageDeduplicationId provided explicitly");
            input.dedupId = sha256Hex(input.body);
        }
    } else if (!input.groupId.empty() || !input.dedupId.empty()) {
        throw invalidParameter(
            "Value for parameter " +
            std::string(input.groupId.empty() ? "MessageDeduplicationId" : "MessageGroupId") +
            " is invalid. Reason: The request include parameter that is not "
            "valid for this queue type.");
    }
    const int delay = input.delaySeconds.value_or(queue.intAttribute("DelaySeconds"));
    if (delay < 0 || delay > 900)
        throw invalidParameter("Value " + std::to_string(delay) +
                               " for parameter DelaySeconds is invalid. Reason: must be from 0 "
                               "to 900.");

    Message m;
    m.body = std::move(input.body);
    m.md5OfBody = md5Hex(m.body);
    m.attributes = std::move(input.attributes);
    m.md5OfAttributes = md5OfMessageAttributes(m.attributes);

    if (queue.fifo) {
        if (auto it = queue.dedup.find(input.dedupId);
            it != queue.dedup.end() && it->second.expiresMs > now) {
            // Accepted and answered as the first one was, but not queued again.
            return {it->second.messageId, m.md5OfBody, m.md5OfAttributes,
                    it->second.sequenceNumber};
        }
    }
    m.id = newRequestId();
    m.senderId = account_;
    m.traceHeader = std::move(input.traceHeader);
    m.sentMs = now;
    m.visibleAtMs = now + delay * 1000LL;
    m.groupId = std::move(input.groupId);
    m.dedupId = std::move(input.dedupId);
    if (queue.fifo) {
        // SQS's sequence numbers are 128-bit decimals that only grow; 20 digits keep ours sorted.
        const auto n = ++nextSequence_;
        m.sequenceNumber = std::to_string(n);
        m.sequenceNumber.insert(0, 20 - std::min<std::size_t>(20, m.sequenceNumber.size()), '0');
    }
    {
        auto t = store_->transaction();
        store_->insertMessage(name, m);
        if (queue.fifo) {
            Dedup entry{now + kDedupWindowMs, m.id, m.sequenceNumber};
            store_->saveDedup(name, m.dedupId, entry);
            queue.dedup[m.dedupId] = entry;
        }
        t.commit();
    }
    SendResult result{m.id, m.md5OfBody, m.md5OfAttributes, m.sequenceNumber};
    queue.messages.emplace(m.seq, std::move(m));
    serveWaiters(queue);
    return result;
}

void MessageBroker::dropExpired(Queue& queue, std::int64_t now) {
    const std::int64_t retentionMs = queue.intAttribute("MessageRetentionPeriod") * 1000LL;
    // Every receive comes through here, so it must not walk the whole queue (a receive on
    // 100,000 messages took 27 ms that way). Seqs are global and handed out at send time, dead
    // letters keep theirs, so SentTimestamp rises with seq: the expired are a prefix.
    while (!queue.messages.empty() && queue.messages.begin()->second.sentMs + retentionMs <= now) {
        store_->deleteMessage(queue.messages.begin()->first);
        queue.messages.erase(queue.messages.begin());
    }
    for (auto it = queue.dedup.begin(); it != queue.dedup.end();)
        it = it->second.expiresMs <= now ? queue.dedup.erase(it) : std::next(it);
}

void MessageBroker::deadLetter(Queue& queue, Message message, const std::string& target) {
    auto it = queues_.find(target);
    if (it == queues_.end()) return;
    Queue& dlq = *it->second;
    // The message keeps its id, body and SentTimestamp; its receive history starts again.
    message.receiveCount = 0;
    message.firstReceiveMs = 0;
    message.receipt.clear();
    message.visibleAtMs = nowMs();
    store_->moveMessage(message, target);
    spdlog::info("sqs: message {} moved from {} to its dead-letter queue {}", message.id,
                 queue.name, target);
    dlq.messages.emplace(message.seq, std::move(message));
    asio::post(executor_, [this, target] {
        if (auto found = queues_.find(target); found != queues_.end()) serveWaiters(*found->second);
    });
}

std::vector<Delivery> MessageBroker::take(Queue& queue, const ReceiveOptions& options) {
    const auto now = nowMs();
    dropExpired(queue, now);
    const int visibility =
        options.visibilitySeconds.value_or(queue.intAttribute("VisibilityTimeout"));
    const auto policy = queue.redrivePolicy();
    int maxReceives = 0;
    std::string deadLetterQueue;
    if (policy.is_object()) {
        maxReceives = policy.value("maxReceiveCount", 0);
        deadLetterQueue = queueNameOfArn(policy.value("deadLetterTargetArn", ""));
        if (!queues_.contains(deadLetterQueue)) maxReceives = 0;
    }
    // A FIFO group with a message in flight yields nothing more until that one is settled; one
    // receive may take several messages of a group, in order.
    std::set<std::string> blocked;
    if (queue.fifo)
        for (const auto& [seq, m] : queue.messages)
            if (m.inFlight(now)) blocked.insert(m.groupId);

    std::vector<Delivery> out;
    auto t = store_->transaction();
    for (auto it = queue.messages.begin();
         it != queue.messages.end() && static_cast<int>(out.size()) < options.maxMessages;) {
        Message& m = it->second;
        if (queue.fifo && blocked.contains(m.groupId)) {
            ++it;
            continue;
        }
        if (m.visibleAtMs > now) {
            if (queue.fifo) blocked.insert(m.groupId);
            ++it;
            continue;
        }
        if (maxReceives > 0 && m.receiveCount >= maxReceives) {
            Message moved = std::move(m);
            it = queue.messages.erase(it);
            deadLetter(queue, std::move(moved), deadLetterQueue);
            continue;
        }
        ++m.receiveCount;
        if (m.firstReceiveMs == 0) m.firstReceiveMs = now;
        m.visibleAtMs = now + visibility * 1000LL;
        m.receipt = randomHex(16);
        store_->updateMessage(m);
        out.push_back(
            {m, base64Encode(queue.name + " " + std::to_string(m.seq) + " " + m.receipt)});
        ++it;
    }
    t.commit();
    return out;
}

void MessageBroker::receive(const std::string& name, ReceiveOptions options,
                            std::function<bool()> alive, ReceiveDone done) {
    Queue& queue = find(name);
    if (options.maxMessages < 1 || options.maxMessages > 10)
        throw invalidParameter("Value " + std::to_string(options.maxMessages) +
                               " for parameter MaxNumberOfMessages is invalid. Reason: Must be "
                               "between 1 and 10, if provided.");
    const int wait =
        options.waitSeconds.value_or(queue.intAttribute("ReceiveMessageWaitTimeSeconds"));
    if (wait < 0 || wait > kMaxWaitSeconds)
        throw invalidParameter("Value " + std::to_string(wait) +
                               " for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 "
                               "and <= 20, if provided.");
    if (options.visibilitySeconds &&
        (*options.visibilitySeconds < 0 || *options.visibilitySeconds > 43200))
        throw invalidParameter("Value " + std::to_string(*options.visibilitySeconds) +
                               " for parameter VisibilityTimeout is invalid. Reason: Must be "
                               "from 0 to 43200.");
    // Waiters already queued go first, so that a long poll is not overtaken by a short one.
    serveWaiters(queue);
    std::vector<Delivery> got =
        queue.waiters.empty() ? take(queue, options) : std::vector<Delivery>{};
    if (!got.empty() || wait == 0) {
        asio::post(executor_, [done = std::move(done), got = std::move(got)]() mutable {
            done(std::move(got));
        });
        return;
    }
    auto waiter = std::make_shared<Waiter>(executor_);
    waiter->options = options;
    waiter->alive = std::move(alive);
    waiter->done = std::move(done);
    waiter->timer.expires_after(std::chrono::seconds(wait));
    waiter->timer.async_wait(
        [this, weak = std::weak_ptr<Waiter>(waiter)](const boost::system::error_code& error) {
            auto w = weak.lock();
            if (error || !w || w->finished) return;
            finish(w, {});
        });
    queue.waiters.push_back(waiter);
    armWake(queue);
}

void MessageBroker::finish(const std::shared_ptr<Waiter>& waiter,
                           std::vector<Delivery> deliveries) {
    if (waiter->finished) return;
    waiter->finished = true;
    waiter->timer.cancel();
    for (auto& [name, queue] : queues_) queue->waiters.remove(waiter);
    asio::post(executor_, [waiter, deliveries = std::move(deliveries)]() mutable {
        waiter->done(std::move(deliveries));
    });
}

void MessageBroker::serveWaiters(Queue& queue) {
    while (!queue.waiters.empty()) {
        auto waiter = queue.waiters.front();
        if (waiter->alive && !waiter->alive()) {
            finish(waiter, {});
            continue;
        }
        auto got = take(queue, waiter->options);
        if (got.empty()) break;
        finish(waiter, std::move(got));
    }
    armWake(queue);
}

void MessageBroker::armWake(Queue& queue) {
    if (queue.waiters.empty()) {
        queue.wakeTimer.cancel();
        return;
    }
    const auto now = nowMs();
    std::int64_t next = 0;
    for (const auto& [seq, m] : queue.messages)
        if (m.visibleAtMs > now && (next == 0 || m.visibleAtMs < next)) next = m.visibleAtMs;
    queue.wakeTimer.cancel();
    if (next == 0) return;
    queue.wakeTimer.expires_after(std::chrono::milliseconds(next - now));
    queue.wakeTimer.async_wait([this, name = queue.name](const boost::system::error_code& error) {
        if (error) return;
        if (auto it = queues_.find(name); it != queues_.end()) serveWaiters(*it->second);
    });
}

std::pair<std::int64_t, std::string> MessageBroker::decodeReceipt(const Queue& queue,
                                                                  const std::string& handle) const {
    auto decoded = base64Decode(handle);
    if (!decoded) throw receiptHandleIsInvalid(handle);
    const auto first = decoded->find(' ');
    const auto second = decoded->find(' ', first == std::string::npos ? 0 : first + 1);
    if (first == std::string::npos || second == std::string::npos ||
        decoded->substr(0, first) != queue.name)
        throw receiptHandleIsInvalid(handle);
    try {
        return {std::stoll(decoded->substr(first + 1, second - first - 1)),
                decoded->substr(second + 1)};
    } catch (const std::exception&) {
        throw receiptHandleIsInvalid(handle);
    }
}

void MessageBroker::deleteMessage(const std::string& name, const std::string& handle) {
    Queue& queue = find(name);
    const auto [seq, nonce] = decodeReceipt(queue, handle);
    auto it = queue.messages.find(seq);
    // A handle of an already deleted message, or one received again since, deletes nothing and
    // still succeeds: SQS's documented behaviour.
    if (it == queue.messages.end() || it->second.receipt != nonce) return;
    store_->deleteMessage(seq);
    queue.messages.erase(it);
    if (queue.fifo) serveWaiters(queue);
}

void MessageBroker::changeVisibility(const std::string& name, const std::string& handle,
                                     int seconds) {
    Queue& queue = find(name);
    if (seconds < 0 || seconds > 43200)
        throw invalidParameter("Value " + std::to_string(seconds) +
                               " for parameter VisibilityTimeout is invalid. Reason: Must be "
                               "from 0 to 43200.");
    const auto [seq, nonce] = decodeReceipt(queue, handle);
    auto it = queue.messages.find(seq);
    const auto now = nowMs();
    if (it == queue.messages.end() || it->second.receipt != nonce || !it->second.inFlight(now))
        throw SqsError("MessageNotInflight", "AWS.SimpleQueueService.MessageNotInflight",
                       "Message does not exist or is not available for visibility timeout "
                       "change.");
    it->second.visibleAtMs = now + seconds * 1000LL;
    store_->updateMessage(it->second);
    serveWaiters(queue);
}

std::vector<QueueSummary> MessageBroker::summaries() {
    const auto now = nowMs();
    std::vector<QueueSummary> out;
    for (auto& [name, queue] : queues_) {
        dropExpired(*queue, now);
        QueueSummary s;
        s.name = name;
        s.arn = queueArn(name);
        s.fifo = queue->fifo;
        if (auto policy = queue->redrivePolicy(); policy.is_object()) {
            s.deadLetterTarget = queueNameOfArn(policy.value("deadLetterTargetArn", ""));
            s.maxReceiveCount = policy.value("maxReceiveCount", 0);
        }
        s.deadLetterSources = deadLetterSources(name);
        for (const auto& [seq, m] : queue->messages) {
            if (m.visibleAtMs <= now)
                ++s.visible;
            else if (m.receiveCount > 0)
                ++s.inFlight;
            else
                ++s.delayed;
        }
        out.push_back(std::move(s));
    }
    return out;
}

std::vector<PeekedMessage> MessageBroker::peek(const std::string& name, int max) {
    Queue& queue = find(name);
    const auto now = nowMs();
    dropExpired(queue, now);
    std::vector<PeekedMessage> out;
    for (const auto& [seq, m] : queue.messages) {
        if (static_cast<int>(out.size()) >= max) break;
        PeekedMessage p;
        p.id = m.id;
        p.body = m.body;
        p.attributes = m.attributes;
        p.sentMs = m.sentMs;
        p.receiveCount = m.receiveCount;
        p.groupId = m.groupId;
        p.dedupId = m.dedupId;
        p.state = m.visibleAtMs <= now ? MessageState::Visible
                  : m.receiveCount > 0 ? MessageState::InFlight
                                       : MessageState::Delayed;
        out.push_back(std::move(p));
    }
    return out;
}

bool MessageBroker::deleteById(const std::string& name, const std::string& messageId) {
    Queue& queue = find(name);
    auto it = std::find_if(queue.messages.begin(), queue.messages.end(),
                           [&](const auto& entry) { return entry.second.id == messageId; });
    if (it == queue.messages.end()) return false;
    store_->deleteMessage(it->first);
    queue.messages.erase(it);
    // A FIFO group blocked behind this message may move again.
    if (queue.fifo) serveWaiters(queue);
    return true;
}

int MessageBroker::redrive(const std::string& name) {
    Queue& dlq = find(name);
    const auto sources = deadLetterSources(name);
    if (sources.empty())
        throw invalidParameter("Queue " + name +
                               " is not the dead-letter queue of any queue: there is no source "
                               "to move its messages back to.");
    if (sources.size() > 1)
        throw invalidParameter("Queue " + name + " is the dead-letter queue of " +
                               std::to_string(sources.size()) +
                               " queues; Fogbank does not know which one each message came from.");
    Queue& source = find(sources.front());
    const auto now = nowMs();
    int moved = 0;
    {
        auto t = store_->transaction();
        for (auto& [seq, message] : dlq.messages) {
            // As after a dead-lettering: same id, body and SentTimestamp, receive history anew.
            message.receiveCount = 0;
            message.firstReceiveMs = 0;
            message.receipt.clear();
            message.visibleAtMs = now;
            store_->moveMessage(message, source.name);
            source.messages.emplace(seq, std::move(message));
            ++moved;
        }
        t.commit();
    }
    dlq.messages.clear();
    spdlog::info("sqs: {} message(s) moved from {} back to {}", moved, name, source.name);
    serveWaiters(source);
    return moved;
}

void MessageBroker::shutdown() {
    for (auto& [name, queue] : queues_) {
        queue->wakeTimer.cancel();
        for (auto& waiter : queue->waiters) {
            waiter->finished = true;
            waiter->timer.cancel();
        }
        queue->waiters.clear();
    }
}

}  // namespace fogbank::sqs
