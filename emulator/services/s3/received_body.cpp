#include "emulator/services/s3/received_body.h"

#include "emulator/crypto/digest.h"
#include "emulator/services/s3/aws_chunked_decoder.h"
#include "emulator/services/s3/object_store.h"
#include "emulator/services/s3/s3_request.h"
#include "emulator/services/s3/s3_xml.h"

#include <boost/beast/core/file.hpp>

#include <optional>

namespace fogbank::s3 {

namespace {

const char* const kAlgorithms[] = {"crc32", "crc32c", "sha1", "sha256"};

bool awsChunked(const net::Request& request) {
    return header(request, "x-amz-content-sha256").starts_with("STREAMING-") ||
           header(request, "content-encoding").find("aws-chunked") != std::string::npos;
}

// The algorithm a checksum header, a promised trailer or the SDK's own header names.
std::string checksumAlgorithm(const net::Request& request, const std::string& fallback) {
    for (const char* algorithm : kAlgorithms)
        if (request.find(std::string("x-amz-checksum-") + algorithm) != request.end())
            return algorithm;
    const std::string trailer = lower(header(request, "x-amz-trailer"));
    if (trailer.starts_with("x-amz-checksum-") && ChecksumStream::create(trailer.substr(15)))
        return trailer.substr(15);
    const std::string sdk = lower(header(request, "x-amz-sdk-checksum-algorithm"));
    if (!sdk.empty() && !ChecksumStream::create(sdk))
        failWith(400, "InvalidRequest",
                 "Value for x-amz-sdk-checksum-algorithm header is invalid: " + sdk);
    return sdk.empty() ? fallback : sdk;
}

}  // namespace

ReceivedBody::ReceivedBody(ReceivedBody&& other) noexcept
    : size(other.size),
      md5(std::move(other.md5)),
      checksumAlgorithm(std::move(other.checksumAlgorithm)),
      checksum(std::move(other.checksum)),
      trailers(std::move(other.trailers)),
      store_(other.store_),
      blob_(std::exchange(other.blob_, {})) {}

ReceivedBody::~ReceivedBody() {
    if (!blob_.empty()) store_->discardBlob(blob_);
}

std::string ReceivedBody::keep() {
    return std::exchange(blob_, {});
}

ReceivedBody receiveBody(ObjectStore& store, const net::Request& request,
                         const std::shared_ptr<net::SpooledBody>& spooled,
                         const std::string& fallbackChecksum) {
    ReceivedBody out(store);
    out.checksumAlgorithm = checksumAlgorithm(request, fallbackChecksum);
    Md5Stream md5;
    auto sum = ChecksumStream::create(out.checksumAlgorithm);
    const bool chunked = awsChunked(request);
    // A plain spooled body already is the object's bytes: it only needs reading for its digests.
    std::optional<ObjectStore::BlobWriter> writer;
    if (!spooled || chunked) writer.emplace(store.newBlob());

    auto consume = [&](std::string_view bytes) {
        md5.update(bytes);
        if (sum) sum->update(bytes);
        if (writer) writer->write(bytes);
        out.size += static_cast<std::int64_t>(bytes.size());
    };
    std::optional<AwsChunkedDecoder> decoder;
    if (chunked) decoder.emplace(consume);
    auto feed = [&](std::string_view bytes) {
        if (!decoder) return consume(bytes);
        if (!decoder->feed(bytes))
            failWith(400, "IncompleteBody",
                     "The aws-chunked body could not be decoded: " + decoder->error());
    };

    if (spooled) {
        boost::beast::error_code ec;
        boost::beast::file file;
        file.open(spooled->path().c_str(), boost::beast::file_mode::scan, ec);
        if (ec) throw std::runtime_error("cannot read the spooled upload: " + ec.message());
        std::string buffer(1024 * 1024, '\0');
        for (;;) {
            const std::size_t n = file.read(buffer.data(), buffer.size(), ec);
            if (ec) throw std::runtime_error("cannot read the spooled upload: " + ec.message());
            if (n == 0) break;
            feed(std::string_view(buffer.data(), n));
        }
    } else {
        feed(request.body());
    }

    if (decoder) {
        if (!decoder->finish())
            failWith(400, "IncompleteBody",
                     "The aws-chunked body could not be decoded: " + decoder->error());
        out.trailers = decoder->trailers();
        const std::string declared = header(request, "x-amz-decoded-content-length");
        if (!declared.empty() && declared != std::to_string(out.size))
            failWith(400, "IncompleteBody",
                     "You did not provide the number of bytes specified by the "
                     "x-amz-decoded-content-length HTTP header (" +
                         declared + ", got " + std::to_string(out.size) + ")");
    }
    out.md5 = md5.hexFinal();
    if (sum) out.checksum = sum->base64Final();
    out.blob_ = writer ? writer->commit() : store.adoptBlob(spooled->path());
    return out;
}

}  // namespace fogbank::s3
