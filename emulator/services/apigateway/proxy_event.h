// The event API Gateway hands a proxy integration: payload format 1.0 (REST APIs, and HTTP APIs
// that ask for it) and 2.0 (HTTP APIs), with the shapes AWS documents, field for field.
#pragma once

#include "emulator/net/http_server.h"
#include "emulator/runtime/invocation.h"
#include "emulator/services/apigateway/route_table.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace fogbank::apigw {

// One HTTP request as the builders read it; the views point into `http`.
struct IncomingRequest {
    const net::Request& http;
    std::string_view rawPath;   // the target before '?'
    std::string_view rawQuery;  // after '?', without it
    const RequestPath& path;
    std::string sourceIp;
    std::string requestId;  // API Gateway's own id (not the invocation's)
    Clock::time_point time;
    std::uint16_t port = 0;
    std::string accountId;
};

// The event as JSON text, for `route` of `api` with the path parameters it matched.
std::string buildEventV1(const IncomingRequest& request, const Route& route, const ApiSpec& api,
                         const PathParams& params);
std::string buildEventV2(const IncomingRequest& request, const Route& route, const ApiSpec& api,
                         const PathParams& params);

// API Gateway's ten-character API id, derived from the logical id so that it is stable.
std::string apiIdFor(const std::string& logicalId);

}  // namespace fogbank::apigw
