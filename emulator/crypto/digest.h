// Message digests the AWS wire protocols expose (S3 ETags, SQS MD5OfMessageBody, SQS
// content-based deduplication), from OpenSSL's
// libcrypto: never hand-rolled.
#pragma once

#include <string>
#include <string_view>

namespace fogbank {

// Lower-case hex MD5 of the bytes.
std::string md5Hex(std::string_view bytes);
// Lower-case hex SHA-256 of the bytes (SQS content-based deduplication ids).
std::string sha256Hex(std::string_view bytes);

}  // namespace fogbank
