#include "emulator/services/apigateway/media_types.h"

#include <boost/beast/core/string.hpp>

namespace fogbank::apigw {

namespace {

std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    return text;
}

// "Text/HTML; charset=utf-8" -> "Text/HTML"
std::string_view essence(std::string_view contentType) {
    return trim(contentType.substr(0, contentType.find(';')));
}

bool matchesOne(std::string_view pattern, std::string_view type) {
    using boost::beast::iequals;
    pattern = essence(pattern);
    if (pattern == "*/*") return !type.empty();
    const auto slash = pattern.find('/');
    const auto typeSlash = type.find('/');
    if (slash == std::string_view::npos || typeSlash == std::string_view::npos)
        return iequals(pattern, type);
    if (!iequals(pattern.substr(0, slash), type.substr(0, typeSlash))) return false;
    const auto sub = pattern.substr(slash + 1);
    return sub == "*" || iequals(sub, type.substr(typeSlash + 1));
}

bool validUtf8(std::string_view bytes) {
    std::size_t i = 0;
    while (i < bytes.size()) {
        const auto c = static_cast<unsigned char>(bytes[i]);
        const int extra = c < 0x80           ? 0
                          : (c >> 5) == 0x6  ? 1
                          : (c >> 4) == 0xE  ? 2
                          : (c >> 3) == 0x1E ? 3
                                             : -1;
        if (extra < 0 || bytes.size() - i <= static_cast<std::size_t>(extra)) return false;
        for (int k = 1; k <= extra; ++k)
            if ((static_cast<unsigned char>(bytes[i + k]) >> 6) != 0x2) return false;
        i += static_cast<std::size_t>(extra) + 1;
    }
    return true;
}

}  // namespace

bool matchesMediaType(const std::vector<std::string>& patterns, std::string_view contentType) {
    const auto type = essence(contentType);
    if (type.empty()) return false;
    for (const auto& pattern : patterns)
        if (matchesOne(pattern, type)) return true;
    return false;
}

bool acceptMatches(const std::vector<std::string>& patterns, std::string_view accept) {
    while (!accept.empty()) {
        const auto comma = accept.find(',');
        const auto item = accept.substr(0, comma);
        if (matchesMediaType(patterns, item)) return true;
        if (comma == std::string_view::npos) break;
        accept.remove_prefix(comma + 1);
    }
    return false;
}

bool isTextBody(std::string_view contentType, std::string_view body) {
    using boost::beast::iequals;
    const auto type = essence(contentType);
    if (type.empty()) return validUtf8(body);
    const auto slash = type.find('/');
    if (slash == std::string_view::npos) return false;
    const auto major = type.substr(0, slash), minor = type.substr(slash + 1);
    if (iequals(major, "text")) return true;
    const auto endsWith = [&](std::string_view suffix) {
        return minor.size() >= suffix.size() &&
               iequals(minor.substr(minor.size() - suffix.size()), suffix);
    };
    return iequals(minor, "json") || iequals(minor, "xml") || iequals(minor, "javascript") ||
           endsWith("+json") || endsWith("+xml");
}

}  // namespace fogbank::apigw
