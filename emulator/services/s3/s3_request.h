// What an S3 request addresses: bucket and key from a path-style URL (/bucket/key) or a virtual
// host (BUCKET.localhost), the decoded query, and the encodings and dates S3 uses on the wire.
#pragma once

#include "emulator/net/http_server.h"

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace fogbank::s3 {

struct S3Request {
    std::string bucket;                        // empty: the service (ListBuckets)
    std::string key;                           // empty: the bucket itself
    std::map<std::string, std::string> query;  // decoded; flags like ?uploads map to ""

    bool has(const std::string& name) const { return query.contains(name); }
    std::string param(const std::string& name) const {
        auto it = query.find(name);
        return it == query.end() ? std::string() : it->second;
    }
};

S3Request parseS3Request(const net::Request& request);

std::string header(const net::Request& request, std::string_view name);
// ASCII lower case: header values, checksum algorithm names.
std::string lower(std::string text);

using TimePoint = std::chrono::system_clock::time_point;
// "Mon, 23 Nov 2026 14:00:00 GMT" (Last-Modified) and back; nullopt when unreadable.
std::string httpDate(TimePoint time);
std::optional<TimePoint> parseHttpDate(std::string_view text);
// "2026-11-23T14:00:00.000Z" (XML LastModified, event times).
std::string isoDate(TimePoint time);
// S3's naming rules for new buckets: 3-63 of a-z 0-9 . -, alphanumeric at both ends, no "..".
bool validBucketName(const std::string& name);

}  // namespace fogbank::s3
