// The SQS-compatible service: queues that lose nothing, on the edge port, in both of SQS's wire
// protocols (query/XML and JSON), and the event source mappings that feed queued messages to
// functions.
//
// This folder owns SQS's wire protocols, the queues and their messages (in memory and in
// <state dir>/queues.db), and polling queues for functions. It must never run a function itself
// (it hands invocations to the engine's invoker), never answer a SendMessage before the message is
// committed to SQLite, and never wait by sleeping or polling: long polls and visibility windows
// are Asio timers on the engine's thread.
#pragma once

#include "emulator/edge/edge_server.h"
#include "emulator/services/sqs/message_broker.h"

#include <nlohmann/json.hpp>

#include <string>

namespace fogbank::sqs {

class SqsApi {
  public:
    explicit SqsApi(MessageBroker& broker) : broker_(broker) {}

    // One request on the edge, in whichever protocol it came.
    void handle(net::Request&& request, ServiceCall call);

    struct Exchange;  // one request's protocol, ids and how to answer

  private:
    nlohmann::json dispatch(const std::string& action, const nlohmann::json& params,
                            const std::shared_ptr<Exchange>& exchange, ServiceCall& call);
    void receiveMessage(const nlohmann::json& params, const std::shared_ptr<Exchange>& exchange,
                        ServiceCall call);

    MessageBroker& broker_;
};

}  // namespace fogbank::sqs
