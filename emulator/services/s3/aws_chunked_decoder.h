// The aws-chunked content encoding that today's SDKs use for uploads
// (x-amz-content-sha256: STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER,
// ...): "<hex size>[;chunk-signature=...]\r\n<bytes>\r\n" until a zero-sized chunk, then trailing
// headers such as x-amz-checksum-crc32. Chunk signatures are not checked: Fogbank accepts any
// credentials.
//
// Decoded incrementally, because an upload arrives (and is spooled to disk) in pieces of any size
// and is never held in memory whole.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>

namespace fogbank::s3 {

class AwsChunkedDecoder {
  public:
    using Sink = std::function<void(std::string_view payload)>;
    explicit AwsChunkedDecoder(Sink sink) : sink_(std::move(sink)) {}

    // Feeds the next bytes of the encoded body; decoded payload goes to the sink. False, with
    // error() set, once the body is not well-formed aws-chunked.
    bool feed(std::string_view bytes);
    // After the last bytes: false when the body ended before its final chunk.
    bool finish();

    const std::string& error() const { return error_; }
    // Trailing headers, names lower-cased; complete after finish().
    const std::map<std::string, std::string>& trailers() const { return trailers_; }
    std::uint64_t decodedSize() const { return decoded_; }

  private:
    enum class State { SizeLine, Data, DataEnd, Trailers, Done, Failed };
    bool fail(std::string message);
    bool sizeLine(std::string_view line);
    bool trailerLine(std::string_view line);

    Sink sink_;
    State state_ = State::SizeLine;
    std::string line_;  // a header or trailer line split across feeds
    std::uint64_t remaining_ = 0;
    std::uint64_t decoded_ = 0;
    std::map<std::string, std::string> trailers_;
    std::string error_;
};

}  // namespace fogbank::s3
