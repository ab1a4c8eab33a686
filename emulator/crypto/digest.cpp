#include "emulator/crypto/digest.h"

#include <openssl/evp.h>

#include <stdexcept>

namespace fogbank {

namespace {

std::string digestHex(std::string_view bytes, const EVP_MD* md, const char* name) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    if (EVP_Digest(bytes.data(), bytes.size(), digest, &size, md, nullptr) != 1)
        throw std::runtime_error(std::string("OpenSSL could not compute a ") + name + " digest");
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    out.reserve(size * 2);
    for (unsigned int i = 0; i < size; ++i) {
        out += kHex[digest[i] >> 4];
        out += kHex[digest[i] & 0xf];
    }
    return out;
}

}  // namespace

std::string md5Hex(std::string_view bytes) {
    return digestHex(bytes, EVP_md5(), "MD5");
}

std::string sha256Hex(std::string_view bytes) {
    return digestHex(bytes, EVP_sha256(), "SHA-256");
}

}  // namespace fogbank
