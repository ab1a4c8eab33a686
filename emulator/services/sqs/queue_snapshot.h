// Copies of a queue and of its messages as a browser shows them: taken on the engine's thread,
// handed to any other thread, and never changing what a consumer of the queue sees.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace fogbank::sqs {

struct QueueSummary {
    std::string name;
    std::string url;
    std::string arn;
    bool fifo = false;
    std::string deadLetterTarget;  // the RedrivePolicy's queue name, empty without one
    int maxReceiveCount = 0;
    std::vector<std::string> deadLetterSources;  // queues whose RedrivePolicy names this one
    int visible = 0;
    int inFlight = 0;
    int delayed = 0;
};

enum class MessageState { Visible, InFlight, Delayed };

struct PeekedMessage {
    std::string id;
    std::string body;
    nlohmann::json attributes = nlohmann::json::object();  // MessageAttributes, JSON protocol shape
    std::int64_t sentMs = 0;
    int receiveCount = 0;
    std::string groupId;
    std::string dedupId;
    MessageState state = MessageState::Visible;
};

}  // namespace fogbank::sqs
