// The HTTP APIs of a project as one precompiled table: every Api / HttpApi event of every
// function, on the implicit ServerlessRestApi / ServerlessHttpApi or on the explicit API its
// RestApiId / ApiId names, with each API's stage, binary media types and CORS policy.
//
// Matching follows API Gateway's precedence: a literal segment beats a {param}, which beats a
// greedy {proxy+}; a route for the method beats ANY; an HTTP API's $default route comes last.
// All the APIs share one port, so two routes with the same method and path shape clash: the first
// in template order is served and the other is reported as a warning.
#pragma once

#include "emulator/project/project.h"
#include "emulator/services/apigateway/cors_policy.h"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fogbank::apigw {

enum class ApiKind { Rest, Http };  // AWS::Serverless::Api (REST), AWS::Serverless::HttpApi
enum class PayloadVersion { V1, V2 };

struct ApiSpec {
    std::string id;  // logical id: ServerlessRestApi, ServerlessHttpApi or the template's
    ApiKind kind = ApiKind::Rest;
    std::string stage;                          // Prod, $default, or the API's StageName
    std::vector<std::string> binaryMediaTypes;  // REST only, with "~1" read as "/"
    std::optional<CorsPolicy> cors;
};

enum class SegmentKind { Literal, Param, Greedy, Default };

struct PathSegment {
    SegmentKind kind = SegmentKind::Literal;
    std::string text;  // the literal, or the parameter's name (without braces and '+')
};

struct Route {
    std::string method;    // GET, POST, ... or ANY
    std::string path;      // as the template writes it ("/pets/{id}"), or "$default"
    std::string routeKey;  // "GET /pets/{id}" or "$default", as the v2 event names it
    std::string function;  // the function's FunctionName
    std::size_t api = 0;   // index into RouteTable::apis()
    PayloadVersion payload = PayloadVersion::V1;
    std::vector<PathSegment> segments;
    SourceLocation where;
};

using PathParams = std::vector<std::pair<std::string, std::string>>;

// A request path split at '/', each segment percent-decoded; built once per request.
struct RequestPath {
    explicit RequestPath(std::string_view rawPath);
    std::vector<std::string> segments;
    std::string decoded;  // "/" + segments joined by "/"
};

class RouteTable {
  public:
    // Reads the project's functions and API resources. Throws TemplateError at the event that
    // names an API the template does not define or gives a path or method API Gateway refuses;
    // clashes go to `warnings`.
    static RouteTable build(const Project& project, std::vector<Warning>& warnings);

    // The best route for `method` (upper case) on `path`, with its path parameters filled in;
    // null when none matches.
    const Route* match(std::string_view method, const RequestPath& path, PathParams& params) const;
    // True when `route`'s path matches `path`, whatever the method.
    static bool pathMatches(const Route& route, const RequestPath& path);

    const std::vector<Route>& routes() const { return routes_; }  // in precedence order
    const std::vector<ApiSpec>& apis() const { return apis_; }
    const ApiSpec& apiOf(const Route& route) const { return apis_[route.api]; }
    // Every method routed on the same path pattern as `route` in its API, for CORS preflights.
    const std::vector<std::string>& methodsOnPath(const Route& route) const;
    bool empty() const { return routes_.empty(); }
    // The clashes and unserved definitions found while building (also appended to `warnings`).
    const std::vector<Warning>& warnings() const { return warnings_; }

  private:
    std::vector<ApiSpec> apis_;
    std::vector<Route> routes_;
    std::vector<std::vector<std::string>> pathMethods_;  // parallel to routes_
    std::vector<Warning> warnings_;
};

}  // namespace fogbank::apigw
