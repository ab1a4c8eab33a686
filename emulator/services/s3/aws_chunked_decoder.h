// The aws-chunked content encoding that today's SDKs use for uploads
// (x-amz-content-sha256: STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER,
// ...): "<hex size>[;chunk-signature=...]\r\n<bytes>\r\n" until a zero-sized chunk, then trailing
// headers such as x-amz-checksum-crc32. Chunk signatures are not checked: Fogbank accepts any
// credentials.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace fogbank::s3 {

struct DecodedChunks {
    std::string payload;
    std::map<std::string, std::string> trailers;  // names lower-cased
};

// nullopt with `error` set when the body is not well-formed aws-chunked.
std::optional<DecodedChunks> decodeAwsChunked(std::string_view body, std::string& error);

}  // namespace fogbank::s3
