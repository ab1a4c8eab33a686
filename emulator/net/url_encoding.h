// Percent-encoding as URLs, query strings and form bodies carry it: one decoder for every
// protocol the edge speaks (Lambda paths, S3 keys and query strings, SQS form bodies, API
// Gateway query strings in event templates).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace fogbank::net {

// "%2F" -> "/"; with `plusIsSpace` (forms, query strings) "+" -> " ". A '%' that is not followed
// by two hex digits is kept as it is, as browsers and S3 do.
std::string percentDecode(std::string_view text, bool plusIsSpace = false);
// The same, for protocols that refuse a broken escape: nullopt, and `badAt` (when given) says
// at which byte the broken escape starts.
std::optional<std::string> percentDecodeStrict(std::string_view text, bool plusIsSpace,
                                               std::size_t* badAt = nullptr);
// RFC 3986: everything but the unreserved characters (and '/' when `keepSlash`) as %XX.
std::string percentEncode(std::string_view text, bool keepSlash = false);

}  // namespace fogbank::net
