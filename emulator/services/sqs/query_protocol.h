// The SQS query protocol (what awsCLI v2.9 and boto3 1.26 send): form-encoded
// Action=...&Version=2012-11-05 with flattened lists (Attribute.1.Name), answered in XML.
//
// Requests are turned into the JSON protocol's shape and results are written from it, so that the
// operations exist once and the two protocols are only codecs.
#pragma once

#include "emulator/services/sqs/sqs_error.h"

#include <nlohmann/json.hpp>

#include <string>
#include <utility>
#include <vector>

namespace fogbank::sqs {

struct QueryRequest {
    std::string action;
    nlohmann::json params = nlohmann::json::object();  // as the JSON protocol would send them
};

// From the form's name/value pairs.
QueryRequest parseQueryRequest(const std::vector<std::pair<std::string, std::string>>& form);
// <{Action}Response><{Action}Result>...</...><ResponseMetadata>...</...></...>
std::string queryResponse(const std::string& action, const nlohmann::json& result,
                          const std::string& requestId);
// <ErrorResponse><Error><Type>Sender</Type><Code>...</Code><Message>...</Message>...
std::string queryError(const SqsError& error, const std::string& requestId);

}  // namespace fogbank::sqs
