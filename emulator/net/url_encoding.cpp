#include "emulator/net/url_encoding.h"

namespace fogbank::net {

namespace {

int hexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// Decodes `text`; stops at the first broken escape when `strict`, returning its position.
std::optional<std::size_t> decode(std::string_view text, bool plusIsSpace, bool strict,
                                  std::string& out) {
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '%') {
            const int high = i + 2 < text.size() ? hexValue(text[i + 1]) : -1;
            const int low = i + 2 < text.size() ? hexValue(text[i + 2]) : -1;
            if (high >= 0 && low >= 0) {
                out += static_cast<char>(high * 16 + low);
                i += 2;
                continue;
            }
            if (strict) return i;
        }
        out += c == '+' && plusIsSpace ? ' ' : c;
    }
    return std::nullopt;
}

}  // namespace

std::string percentDecode(std::string_view text, bool plusIsSpace) {
    std::string out;
    decode(text, plusIsSpace, false, out);
    return out;
}

std::optional<std::string> percentDecodeStrict(std::string_view text, bool plusIsSpace,
                                               std::size_t* badAt) {
    std::string out;
    if (auto bad = decode(text, plusIsSpace, true, out)) {
        if (badAt) *badAt = *bad;
        return std::nullopt;
    }
    return out;
}

std::string percentEncode(std::string_view text, bool keepSlash) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(text.size());
    for (unsigned char c : text) {
        const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                                (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' ||
                                c == '~';
        if (unreserved || (keepSlash && c == '/')) {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 0xf];
        }
    }
    return out;
}

}  // namespace fogbank::net
