// An API's CORS settings from the template and what API Gateway does with them.
//
// REST APIs (SAM `Cors`): SAM adds an OPTIONS method to every path, a mock that answers with the
// configured headers whoever asks; the function's own responses are left alone, so a proxy
// function must return Access-Control-Allow-Origin itself. HTTP APIs (`CorsConfiguration`): API
// Gateway answers any preflight (OPTIONS with Origin and Access-Control-Request-Method) with 204,
// and adds the CORS headers to every response to an allowed origin, replacing the function's.
#pragma once

#include "emulator/net/http_server.h"
#include "emulator/project/project.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace fogbank::apigw {

struct CorsPolicy {
    bool rest = false;  // SAM's REST style (static preflight) rather than an HTTP API's
    std::vector<std::string> allowOrigins;
    std::vector<std::string> allowMethods;  // REST and empty: the path's methods and OPTIONS
    std::vector<std::string> allowHeaders;
    std::vector<std::string> exposeHeaders;
    std::optional<long long> maxAge;
    bool allowCredentials = false;

    // `Cors` of an AWS::Serverless::Api (a quoted origin like "'*'", or AllowOrigin,
    // AllowMethods, AllowHeaders, MaxAge, AllowCredentials). Throws TemplateError at `where`.
    static std::optional<CorsPolicy> fromRest(const nlohmann::json& cors,
                                              const SourceLocation& where);
    // `CorsConfiguration` of an AWS::Serverless::HttpApi (true, or AllowOrigins, AllowMethods,
    // AllowHeaders, ExposeHeaders, MaxAge, AllowCredentials). Throws TemplateError at `where`.
    static std::optional<CorsPolicy> fromHttp(const nlohmann::json& cors,
                                              const SourceLocation& where);

    static bool isPreflight(const net::Request& request);
    // The answer API Gateway gives a preflight; `pathMethods` are the methods routed on the
    // requested path (REST's default Access-Control-Allow-Methods).
    net::Response preflight(const net::Request& request,
                            const std::vector<std::string>& pathMethods) const;
    // HTTP APIs: the CORS headers on a function's response to an allowed origin.
    void decorate(const net::Request& request, net::Response& response) const;

  private:
    // The Access-Control-Allow-Origin value for `origin`, or nullopt when it is not allowed.
    std::optional<std::string> allowedOrigin(std::string_view origin) const;
};

}  // namespace fogbank::apigw
