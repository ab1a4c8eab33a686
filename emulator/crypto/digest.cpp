#include "emulator/crypto/digest.h"

#include "emulator/net/base64.h"

#include <boost/crc.hpp>
#include <openssl/evp.h>

#include <algorithm>
#include <stdexcept>
#include <variant>

namespace fogbank {

namespace {

std::string evpDigest(std::string_view bytes, const EVP_MD* md, const char* name) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    if (EVP_Digest(bytes.data(), bytes.size(), digest, &size, md, nullptr) != 1)
        throw std::runtime_error(std::string("OpenSSL could not compute a digest: ") + name);
    return std::string(reinterpret_cast<const char*>(digest), size);
}

// CRCs go on the wire big-endian, as 4 bytes.
std::string bigEndian(std::uint32_t value) {
    std::string out(4, '\0');
    for (int i = 0; i < 4; ++i) out[i] = static_cast<char>((value >> (24 - 8 * i)) & 0xff);
    return out;
}

}  // namespace

struct Md5Stream::Context {
    struct Free {
        void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
    };
    std::unique_ptr<EVP_MD_CTX, Free> ctx{EVP_MD_CTX_new()};
};

Md5Stream::Md5Stream() : context_(std::make_unique<Context>()) {
    if (!context_->ctx || EVP_DigestInit_ex(context_->ctx.get(), EVP_md5(), nullptr) != 1)
        throw std::runtime_error("OpenSSL could not start an MD5 digest");
}
Md5Stream::~Md5Stream() = default;

void Md5Stream::update(std::string_view bytes) {
    if (EVP_DigestUpdate(context_->ctx.get(), bytes.data(), bytes.size()) != 1)
        throw std::runtime_error("OpenSSL could not update an MD5 digest");
}

std::string md5Raw(std::string_view bytes) {
    return evpDigest(bytes, EVP_md5(), "MD5");
}

namespace {

std::string hex(const std::string& digest) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    out.reserve(digest.size() * 2);
    for (unsigned char c : digest) {
        out += kHex[c >> 4];
        out += kHex[c & 0xf];
    }
    return out;
}

}  // namespace

std::string md5Hex(std::string_view bytes) {
    return hex(md5Raw(bytes));
}

std::string sha256Hex(std::string_view bytes) {
    return hex(evpDigest(bytes, EVP_sha256(), "SHA-256"));
}

std::optional<std::string> checksumBase64(std::string_view algorithm, std::string_view bytes) {
    auto stream = ChecksumStream::create(algorithm);
    if (!stream) return std::nullopt;
    stream->update(bytes);
    return stream->base64Final();
}

struct ChecksumStream::State {
    using Crc32c = boost::crc_optimal<32, 0x1EDC6F41, 0xFFFFFFFF, 0xFFFFFFFF, true, true>;
    struct FreeMd {
        void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
    };
    std::variant<boost::crc_32_type, Crc32c, std::unique_ptr<EVP_MD_CTX, FreeMd>> sum;
};

std::optional<ChecksumStream> ChecksumStream::create(std::string_view algorithm) {
    std::string name(algorithm);
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    auto state = std::make_unique<State>();
    if (name == "CRC32") {
        state->sum.emplace<boost::crc_32_type>();
    } else if (name == "CRC32C") {
        state->sum.emplace<State::Crc32c>();
    } else if (name == "SHA1" || name == "SHA256") {
        auto& ctx = state->sum.emplace<2>(EVP_MD_CTX_new());
        if (!ctx ||
            EVP_DigestInit_ex(ctx.get(), name == "SHA1" ? EVP_sha1() : EVP_sha256(), nullptr) != 1)
            throw std::runtime_error("OpenSSL could not start a " + name + " digest");
    } else {
        return std::nullopt;
    }
    return ChecksumStream(std::move(state));
}

ChecksumStream::ChecksumStream(std::unique_ptr<State> state) : state_(std::move(state)) {}
ChecksumStream::~ChecksumStream() = default;
ChecksumStream::ChecksumStream(ChecksumStream&&) noexcept = default;
ChecksumStream& ChecksumStream::operator=(ChecksumStream&&) noexcept = default;

void ChecksumStream::update(std::string_view bytes) {
    std::visit(
        [&](auto& sum) {
            if constexpr (requires { sum.process_bytes(bytes.data(), bytes.size()); }) {
                sum.process_bytes(bytes.data(), bytes.size());
            } else if (EVP_DigestUpdate(sum.get(), bytes.data(), bytes.size()) != 1) {
                throw std::runtime_error("OpenSSL could not update a checksum");
            }
        },
        state_->sum);
}

std::string ChecksumStream::base64Final() {
    return std::visit(
        [](auto& sum) -> std::string {
            if constexpr (requires { sum.checksum(); }) {
                return base64Encode(bigEndian(sum.checksum()));
            } else {
                unsigned char digest[EVP_MAX_MD_SIZE];
                unsigned int size = 0;
                if (EVP_DigestFinal_ex(sum.get(), digest, &size) != 1)
                    throw std::runtime_error("OpenSSL could not finish a checksum");
                return base64Encode(std::string(reinterpret_cast<const char*>(digest), size));
            }
        },
        state_->sum);
}

std::string Md5Stream::hexFinal() {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    if (EVP_DigestFinal_ex(context_->ctx.get(), digest, &size) != 1)
        throw std::runtime_error("OpenSSL could not finish an MD5 digest");
    return hex(std::string(reinterpret_cast<const char*>(digest), size));
}

}  // namespace fogbank
