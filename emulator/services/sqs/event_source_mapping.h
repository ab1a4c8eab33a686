// An SQS event source mapping: a function's `SQS` event in the template. Fogbank polls the queue
// as Lambda's pollers do (long polls, BatchSize, MaximumBatchingWindowInSeconds,
// ScalingConfig.MaximumConcurrency pollers), invokes the function with the SQS event, deletes what
// succeeded and leaves the rest to come back after the visibility timeout (and to reach the
// dead-letter queue). With ReportBatchItemFailures only the listed itemIdentifiers fail.
//
// Each invocation continues the trace of the SendMessage that queued its first record.
#pragma once

#include "emulator/project/project.h"
#include "emulator/runtime/invocation.h"
#include "emulator/services/sqs/message_broker.h"

#include <boost/asio/any_io_executor.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace fogbank::sqs {

struct MappingConfig {
    std::string function;  // as the engine finds it (FunctionName)
    std::string queue;     // queue name
    int batchSize = 10;
    int batchingWindowSeconds = 0;
    bool reportBatchItemFailures = false;
    bool enabled = true;
    int pollers = 2;  // ScalingConfig.MaximumConcurrency, capped: a laptop is not a fleet
};

// Reads a function's SQS event (properties as the template resolved them). nullopt with
// `problem` set when it cannot be used (Queue unresolved, BatchSize out of range, ...).
std::optional<MappingConfig> mappingFromEvent(const FunctionSpec& function,
                                              const EventSource& event, std::string& problem);

// The Lambda SQS event for a batch: {"Records":[{messageId, receiptHandle, body, ...}]}.
nlohmann::json sqsEvent(const std::vector<Delivery>& batch, const std::string& queueArn,
                        const std::string& region);

class EventSourceMapping {
  public:
    using Invoke = std::function<void(InvokeRequest, std::function<void(InvocationResult)>)>;
    EventSourceMapping(boost::asio::any_io_executor executor, MessageBroker& broker, Invoke invoke,
                       MappingConfig config);
    ~EventSourceMapping();
    EventSourceMapping(const EventSourceMapping&) = delete;
    EventSourceMapping& operator=(const EventSourceMapping&) = delete;

    void start();
    // Pollers stop; batches in flight are left to their visibility timeout.
    void stop();
    const MappingConfig& config() const { return config_; }

  private:
    void poll();
    void retryLater();
    void gather(std::vector<Delivery> batch);
    void invoke(std::vector<Delivery> batch);
    void settle(const std::vector<Delivery>& batch, const InvocationResult& result);

    boost::asio::any_io_executor executor_;
    MessageBroker& broker_;
    Invoke invoke_;
    MappingConfig config_;
    // Shared with every callback in flight: they do nothing once it is false.
    std::shared_ptr<bool> running_ = std::make_shared<bool>(false);
    bool missingQueueReported_ = false;
};

}  // namespace fogbank::sqs
