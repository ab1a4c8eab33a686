// The queues themselves: what SendMessage, ReceiveMessage, DeleteMessage and the rest do, whoever
// asks (the wire protocols in SqsApi, the event source mappings). Every change is written through
// to QueueStore before the caller hears of it.
//
// Runs on the engine's thread only. Long polls and visibility windows are Asio timers: a receive
// waiting on an empty queue costs nothing until a send, a visibility expiry or its own timeout
// wakes it.
#pragma once

#include "emulator/services/sqs/queue.h"
#include "emulator/services/sqs/queue_store.h"
#include "emulator/services/sqs/queue_snapshot.h"

#include <boost/asio/any_io_executor.hpp>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace fogbank::sqs {

struct SendInput {
    std::string body;
    std::optional<int> delaySeconds;
    nlohmann::json attributes = nlohmann::json::object();  // MessageAttributes
    std::string groupId;
    std::string dedupId;
    std::string traceHeader;
};

struct SendResult {
    std::string messageId;
    std::string md5OfBody;
    std::string md5OfAttributes;
    std::string sequenceNumber;  // FIFO only
};

class MessageBroker {
  public:
    // Loads what `store` holds. `region` and `account` name the queues' ARNs.
    MessageBroker(boost::asio::any_io_executor executor, std::unique_ptr<QueueStore> store,
                  std::string region, std::string account);
    ~MessageBroker();

    const std::string& region() const { return region_; }
    std::string queueArn(const std::string& name) const;

    // Creates the queue, or returns false when one with the same attributes exists (SQS's
    // idempotent CreateQueue); throws QueueAlreadyExists when its attributes differ, unless
    // `replaceAttributes` (queues from the template: the template wins).
    bool createQueue(const std::string& name, std::map<std::string, std::string> attributes,
                     std::map<std::string, std::string> tags, bool replaceAttributes = false);
    bool hasQueue(const std::string& name) const;
    std::vector<std::string> queueNames(const std::string& prefix) const;
    void deleteQueue(const std::string& name);
    void purgeQueue(const std::string& name);
    // The attributes asked for ("All" for every one), computed ones included.
    std::map<std::string, std::string> attributes(const std::string& name,
                                                  const std::vector<std::string>& names);
    void setAttributes(const std::string& name, const std::map<std::string, std::string>& values);
    std::map<std::string, std::string> tags(const std::string& name) const;
    void tag(const std::string& name, const std::map<std::string, std::string>& tags);
    void untag(const std::string& name, const std::vector<std::string>& keys);
    // Queues whose RedrivePolicy targets `name`.
    std::vector<std::string> deadLetterSources(const std::string& name) const;

    SendResult send(const std::string& name, SendInput input);
    // Answers `done` (always later, from the executor) with up to maxMessages deliveries; waits
    // when there are none and the wait is above zero. `alive` false drops a waiting caller.
    void receive(const std::string& name, ReceiveOptions options, std::function<bool()> alive,
                 ReceiveDone done);
    void deleteMessage(const std::string& name, const std::string& receiptHandle);
    void changeVisibility(const std::string& name, const std::string& receiptHandle, int seconds);

    // For a browser: every queue with its counts (URLs left empty: the broker knows no port), and
    // up to `max` messages of one, in arrival order, whatever their state. Neither changes a
    // message's visibility, receive count or receipt.
    std::vector<QueueSummary> summaries();
    std::vector<PeekedMessage> peek(const std::string& name, int max);
    // Deletes a message by its MessageId, whatever its state; false when the queue has none.
    bool deleteById(const std::string& name, const std::string& messageId);
    // StartMessageMoveTask done at once: every message of the dead-letter queue `name` goes back
    // to the one queue whose RedrivePolicy names it, as a new arrival there. Returns how many
    // moved. Throws SqsError when no queue, or more than one, uses `name` as its DLQ: the broker
    // does not remember which source a dead-lettered message came from.
    int redrive(const std::string& name);

    // Answers every waiting receive with nothing and stops every timer.
    void shutdown();

  private:
    Queue& find(const std::string& name);
    const Queue& find(const std::string& name) const;
    std::vector<Delivery> take(Queue& queue, const ReceiveOptions& options);
    void deadLetter(Queue& queue, Message message, const std::string& target);
    void dropExpired(Queue& queue, std::int64_t now);
    void serveWaiters(Queue& queue);
    void armWake(Queue& queue);
    void finish(const std::shared_ptr<Waiter>& waiter, std::vector<Delivery> deliveries);
    // Decodes a receipt handle of this queue: the message's seq and receive nonce.
    std::pair<std::int64_t, std::string> decodeReceipt(const Queue& queue,
                                                       const std::string& handle) const;

    boost::asio::any_io_executor executor_;
    std::unique_ptr<QueueStore> store_;
    std::string region_;
    std::string account_;
    std::map<std::string, std::unique_ptr<Queue>> queues_;
    std::int64_t nextSequence_ = 0;  // FIFO SequenceNumber
};

}  // namespace fogbank::sqs
