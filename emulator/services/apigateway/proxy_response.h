// What API Gateway makes of a proxy function's result: the status, headers, multi-value headers,
// cookies and body it returns (base64 decoded when it says so), format 2.0's shorthand for a
// plain value, and its own error answers when the function failed or answered nonsense.
#pragma once

#include "emulator/net/http_server.h"
#include "emulator/runtime/invocation.h"
#include "emulator/services/apigateway/route_table.h"

#include <string>
#include <string_view>

namespace fogbank::apigw {

struct MappedResponse {
    net::Response response;
    std::string problem;  // empty, or why the output is malformed (the response is then a 502)
};

// Maps a successful invocation's payload for `route` of `api`; `request` supplies the Accept
// header that decides whether a REST API returns base64 bodies as binary.
MappedResponse mapProxyResponse(std::string_view payload, const Route& route, const ApiSpec& api,
                                const net::Request& request);

// API Gateway's own answer, {"message": "..."}: 502 for a failed or malformed function, 504 for
// a timeout, 429 for throttling, 404 when no route matches, ...
net::Response gatewayError(const net::Request& request, unsigned status, std::string_view message,
                           std::string_view errorType = {});

// The answer to a function that did not succeed.
net::Response failedInvocation(const net::Request& request, const InvocationResult& result);

}  // namespace fogbank::apigw
