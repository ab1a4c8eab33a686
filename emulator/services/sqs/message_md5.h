// The digests SQS returns and the SDKs verify: MD5OfMessageBody is the body's MD5;
// MD5OfMessageAttributes follows AWS's documented encoding (names sorted; each name, data type and
// value length-prefixed as 4-byte big-endian, with a transport byte: 1 for String and Number,
// 2 for Binary).
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace fogbank::sqs {

// `attributes` is the JSON protocol's MessageAttributes map: name -> {DataType, StringValue |
// BinaryValue (base64)}. Empty string when there are none (SQS then omits the field).
std::string md5OfMessageAttributes(const nlohmann::json& attributes);

}  // namespace fogbank::sqs
