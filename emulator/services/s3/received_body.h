// An upload's body (PutObject, UploadPart) read to its end and stored as a new blob: from memory,
// or from the file the edge spooled it to, aws-chunked decoded on the way, with its MD5 and the
// flexible checksum the request asks for computed in the same pass. A large body is never held in
// memory whole, and one that arrives plain is renamed into place rather than copied.
#pragma once

#include "emulator/net/http_server.h"

#include <cstdint>
#include <map>
#include <memory>
#include <string>

namespace fogbank::s3 {

class ObjectStore;

class ReceivedBody {
  public:
    ReceivedBody(ReceivedBody&& other) noexcept;
    ReceivedBody& operator=(ReceivedBody&&) = delete;
    // Discards the blob unless kept: a request that fails after its body arrived leaves nothing.
    ~ReceivedBody();

    // Hands the blob over to whatever now points at it.
    std::string keep();

    std::int64_t size = 0;
    std::string md5;                              // hex
    std::string checksumAlgorithm;                // "crc32", "crc32c", "sha1", "sha256", or empty
    std::string checksum;                         // base64, when an algorithm was asked for
    std::map<std::string, std::string> trailers;  // aws-chunked trailers, names lower-cased

  private:
    friend ReceivedBody receiveBody(ObjectStore&, const net::Request&,
                                    const std::shared_ptr<net::SpooledBody>&, const std::string&);
    explicit ReceivedBody(ObjectStore& store) : store_(&store) {}
    ObjectStore* store_;
    std::string blob_;
};

// `fallbackChecksum` is used when the request names no checksum algorithm itself (an upload's
// parts take the one CreateMultipartUpload chose). Throws S3Failure for a malformed aws-chunked
// body, a decoded length other than declared, or an unknown checksum algorithm.
ReceivedBody receiveBody(ObjectStore& store, const net::Request& request,
                         const std::shared_ptr<net::SpooledBody>& spooled,
                         const std::string& fallbackChecksum);

}  // namespace fogbank::s3
