#include "emulator/services/s3/aws_chunked_decoder.h"

#include <algorithm>
#include <cctype>

namespace fogbank::s3 {

namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

}  // namespace

std::optional<DecodedChunks> decodeAwsChunked(std::string_view body, std::string& error) {
    DecodedChunks out;
    for (;;) {
        const auto lineEnd = body.find("\r\n");
        if (lineEnd == std::string_view::npos) {
            error = "a chunk header is not terminated by CRLF";
            return std::nullopt;
        }
        std::string_view sizeText = trim(body.substr(0, body.find_first_of(";\r")));
        std::size_t size = 0;
        if (sizeText.empty() || sizeText.size() > 15) {
            error = "a chunk size is missing or too long";
            return std::nullopt;
        }
        for (char c : sizeText) {
            const int v = std::isdigit(static_cast<unsigned char>(c))
                              ? c - '0'
                              : (std::isxdigit(static_cast<unsigned char>(c))
                                     ? std::tolower(static_cast<unsigned char>(c)) - 'a' + 10
                                     : -1);
            if (v < 0) {
                error = "a chunk size is not hexadecimal: " + std::string(sizeText);
                return std::nullopt;
            }
            size = size * 16 + static_cast<std::size_t>(v);
        }
        body.remove_prefix(lineEnd + 2);
        if (size == 0) break;
        if (body.size() < size + 2 || body.substr(size, 2) != "\r\n") {
            error = "a chunk is shorter than its declared size of " + std::to_string(size);
            return std::nullopt;
        }
        out.payload.append(body.substr(0, size));
        body.remove_prefix(size + 2);
    }
    // Trailers, one per line, until an empty line or the end.
    while (!body.empty()) {
        auto lineEnd = body.find("\r\n");
        std::string_view line = body.substr(0, lineEnd);
        body.remove_prefix(lineEnd == std::string_view::npos ? body.size() : lineEnd + 2);
        line = trim(line);
        if (line.empty()) continue;
        const auto colon = line.find(':');
        if (colon == std::string_view::npos) {
            error = "a trailer has no colon: " + std::string(line.substr(0, 80));
            return std::nullopt;
        }
        std::string name(trim(line.substr(0, colon)));
        std::transform(name.begin(), name.end(), name.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        out.trailers[name] = std::string(trim(line.substr(colon + 1)));
    }
    return out;
}

}  // namespace fogbank::s3
