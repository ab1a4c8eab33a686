#include "emulator/services/s3/s3_request.h"

#include "emulator/net/url_encoding.h"

#include <algorithm>
#include <cctype>
#include <ctime>
#include <string>

namespace fogbank::s3 {

namespace {}  // namespace

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

std::string header(const net::Request& request, std::string_view name) {
    auto it = request.find(name);
    return it == request.end() ? std::string() : std::string(it->value());
}

S3Request parseS3Request(const net::Request& request) {
    S3Request out;
    std::string_view target = request.target();
    const auto question = target.find('?');
    std::string_view path = target.substr(0, question);
    if (question != std::string_view::npos) {
        std::string_view query = target.substr(question + 1);
        while (!query.empty()) {
            const auto amp = query.find('&');
            std::string_view pair = query.substr(0, amp);
            const auto eq = pair.find('=');
            if (!pair.empty())
                out.query[net::percentDecode(pair.substr(0, eq), true)] =
                    eq == std::string_view::npos ? std::string()
                                                 : net::percentDecode(pair.substr(eq + 1), true);
            if (amp == std::string_view::npos) break;
            query.remove_prefix(amp + 1);
        }
    }
    // An absolute-form target (http://host/path) as some proxies send it.
    if (path.starts_with("http://") || path.starts_with("https://")) {
        const auto slash = path.find('/', path.find("//") + 2);
        path = slash == std::string_view::npos ? std::string_view("/") : path.substr(slash);
    }
    if (path.starts_with('/')) path.remove_prefix(1);

    std::string_view host = request[boost::beast::http::field::host];
    if (const auto colon = host.rfind(':');
        colon != std::string_view::npos && host.find(']') == std::string_view::npos)
        host = host.substr(0, colon);
    constexpr std::string_view kVirtual = ".localhost";
    if (host.size() > kVirtual.size() && host.ends_with(kVirtual)) {
        std::string_view bucket = host.substr(0, host.size() - kVirtual.size());
        if (bucket.ends_with(".s3")) bucket.remove_suffix(3);
        out.bucket = std::string(bucket);
        out.key = net::percentDecode(path);
        return out;
    }
    const auto slash = path.find('/');
    out.bucket = net::percentDecode(path.substr(0, slash));
    if (slash != std::string_view::npos) out.key = net::percentDecode(path.substr(slash + 1));
    return out;
}

std::string httpDate(TimePoint time) {
    const std::time_t t = std::chrono::system_clock::to_time_t(time);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buffer[64];
    std::strftime(buffer, sizeof buffer, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    return buffer;
}

std::optional<TimePoint> parseHttpDate(std::string_view text) {
    std::tm tm{};
    const std::string s(text);
    for (const char* format :
         {"%a, %d %b %Y %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%A, %d-%b-%y %H:%M:%S"}) {
        tm = {};
        if (strptime(s.c_str(), format, &tm))
            return std::chrono::system_clock::from_time_t(timegm(&tm));
    }
    return std::nullopt;
}

std::string isoDate(TimePoint time) {
    const auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
    const std::time_t t = static_cast<std::time_t>(ms / 1000);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buffer[64];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%S", &tm);
    char millis[8];
    std::snprintf(millis, sizeof millis, ".%03dZ", static_cast<int>(ms % 1000));
    return std::string(buffer) + millis;
}

bool validBucketName(const std::string& name) {
    if (name.size() < 3 || name.size() > 63) return false;
    for (char c : name)
        if (!(std::islower(static_cast<unsigned char>(c)) ||
              std::isdigit(static_cast<unsigned char>(c)) || c == '.' || c == '-'))
            return false;
    auto edge = [](char c) {
        return std::islower(static_cast<unsigned char>(c)) ||
               std::isdigit(static_cast<unsigned char>(c));
    };
    return edge(name.front()) && edge(name.back()) && name.find("..") == std::string::npos;
}

}  // namespace fogbank::s3
