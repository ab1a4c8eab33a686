#include "emulator/services/sqs/json_protocol.h"

#include <nlohmann/json.hpp>

namespace fogbank::sqs {

std::string jsonAction(std::string_view target) {
    constexpr std::string_view kPrefix = "AmazonSQS.";
    if (!target.starts_with(kPrefix)) return {};
    return std::string(target.substr(kPrefix.size()));
}

std::string jsonErrorBody(const SqsError& error) {
    return nlohmann::json{{"__type", "com.amazonaws.sqs#" + error.jsonType()},
                          {"message", error.what()}}
        .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string queryErrorHeader(const SqsError& error) {
    return error.queryCode() + (error.senderFault() ? ";Sender" : ";Receiver");
}

}  // namespace fogbank::sqs
