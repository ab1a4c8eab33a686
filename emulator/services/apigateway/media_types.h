// Which bodies API Gateway passes as text and which as base64: REST APIs by the API's binary
// media types, HTTP APIs by whether the content type is textual.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace fogbank::apigw {

// True when `contentType` (parameters ignored) matches one of `patterns` ("image/png",
// "image/*", "*/*"), case-insensitively.
bool matchesMediaType(const std::vector<std::string>& patterns, std::string_view contentType);
// True when some media type listed in an Accept header matches one of `patterns`.
bool acceptMatches(const std::vector<std::string>& patterns, std::string_view accept);
// HTTP APIs send a request body as text only when its type is textual (text/*, JSON, XML,
// JavaScript); without a type, only when the bytes are valid UTF-8.
bool isTextBody(std::string_view contentType, std::string_view body);

}  // namespace fogbank::apigw
