// Everything SQS in one object for the engine to own: the store, the broker with the template's
// queues already made, the wire protocols, and an event source mapping per SQS event.
#pragma once

#include "emulator/project/project.h"
#include "emulator/services/sqs/event_source_mapping.h"
#include "emulator/services/sqs/message_broker.h"
#include "emulator/services/sqs/sqs_api.h"

#include <filesystem>
#include <memory>
#include <vector>

namespace fogbank::sqs {

class SqsService {
  public:
    // Opens <stateDir>/queues.db (throws SqliteError naming it), creates or updates the template's
    // queues (the template wins over what an earlier run stored) and prepares the mappings.
    SqsService(boost::asio::any_io_executor executor, const Project& project,
               const std::filesystem::path& stateDir, EventSourceMapping::Invoke invoke);
    ~SqsService();

    // Starts the mappings' pollers; run on the engine's thread.
    void start();
    void handle(net::Request&& request, ServiceCall call) { api_.handle(std::move(request), call); }
    // Stops pollers and long polls; run on the engine's thread before it stops.
    void shutdown();

    MessageBroker& broker() { return broker_; }

  private:
    MessageBroker broker_;
    SqsApi api_;
    std::vector<std::unique_ptr<EventSourceMapping>> mappings_;
};

// A template queue's properties as SQS attributes ("VisibilityTimeout" -> "30", RedrivePolicy as
// JSON text). Throws TemplateError naming the queue's line when a value cannot be used.
std::map<std::string, std::string> templateAttributes(const QueueSpec& queue);

}  // namespace fogbank::sqs
