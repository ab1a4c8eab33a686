// Message digests the AWS wire protocols expose (S3 ETags and checksums, SQS MD5OfMessageBody
// and content-based deduplication): from OpenSSL's libcrypto and Boost.CRC, never hand-rolled.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace fogbank {

// Lower-case hex MD5 of the bytes.
std::string md5Hex(std::string_view bytes);
// MD5 over bytes that arrive in pieces, so that a large file never has to sit in memory whole.
class Md5Stream {
  public:
    Md5Stream();
    ~Md5Stream();
    Md5Stream(const Md5Stream&) = delete;
    Md5Stream& operator=(const Md5Stream&) = delete;
    void update(std::string_view bytes);
    // Lower-case hex; call once.
    std::string hexFinal();

  private:
    struct Context;
    std::unique_ptr<Context> context_;
};

// The 16 raw bytes of the MD5 (Content-MD5 is their base64).
std::string md5Raw(std::string_view bytes);
// Lower-case hex SHA-256 of the bytes (SQS content-based deduplication ids).
std::string sha256Hex(std::string_view bytes);

// S3's flexible checksums, base64 as the x-amz-checksum-* headers carry them. `algorithm` is
// CRC32, CRC32C, SHA1 or SHA256 (any case); nullopt for anything else.
std::optional<std::string> checksumBase64(std::string_view algorithm, std::string_view bytes);

// The same checksums over bytes that arrive in pieces (an upload streamed to disk).
class ChecksumStream {
  public:
    // nullopt for an algorithm S3 does not know.
    static std::optional<ChecksumStream> create(std::string_view algorithm);
    ~ChecksumStream();
    ChecksumStream(ChecksumStream&&) noexcept;
    ChecksumStream& operator=(ChecksumStream&&) noexcept;
    void update(std::string_view bytes);
    // Base64, as the header carries it; call once.
    std::string base64Final();

  private:
    struct State;
    explicit ChecksumStream(std::unique_ptr<State> state);
    std::unique_ptr<State> state_;
};

}  // namespace fogbank
