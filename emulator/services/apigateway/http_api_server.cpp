#include "emulator/services/apigateway/http_api_server.h"

#include "emulator/services/apigateway/proxy_event.h"
#include "emulator/services/apigateway/proxy_response.h"
#include "emulator/trace/ids.h"

#include <spdlog/spdlog.h>

namespace fogbank::apigw {

namespace http = boost::beast::http;

namespace {

// The route whose API answers an OPTIONS request on `path` itself: a REST API with Cors (SAM's
// mock OPTIONS method answers any OPTIONS), or an HTTP API with CorsConfiguration (preflights
// only). Null when no API with CORS routes the path.
const Route* corsRoute(const RouteTable& table, const RequestPath& path, bool preflight) {
    for (const auto& route : table.routes()) {
        const auto& api = table.apiOf(route);
        if (!api.cors || (api.kind == ApiKind::Http && !preflight)) continue;
        // A route of any method will do: the preflight asks about the others.
        if (RouteTable::pathMatches(route, path)) return &route;
    }
    return nullptr;
}

void send(net::Responder& responder, net::Response response, bool head) {
    if (head) {
        // HEAD states the length a GET would have sent, and sends nothing.
        response.content_length(response.body().size());
        response.body().clear();
    }
    responder.send(std::move(response));
}

}  // namespace

HttpApiServer::HttpApiServer(boost::asio::io_context& io, const std::string& address,
                             std::uint16_t port, std::shared_ptr<const RouteTable> routes,
                             std::string accountId, Invoke invoke)
    : routes_(std::move(routes)), accountId_(std::move(accountId)), invoke_(std::move(invoke)) {
    net::HttpServerOptions options;
    options.address = address;
    options.port = port;
    server_ = std::make_unique<net::HttpServer>(
        io, std::move(options), [this](net::Request&& request, net::Responder responder) {
            handle(std::move(request), std::move(responder));
        });
}

void HttpApiServer::handle(net::Request&& request, net::Responder responder) {
    const bool head = request.method() == http::verb::head;
    const std::string target(request.target());
    const auto question = target.find('?');
    const std::string_view rawPath = std::string_view(target).substr(0, question);
    const std::string_view rawQuery = question == std::string::npos
                                          ? std::string_view()
                                          : std::string_view(target).substr(question + 1);
    const RequestPath path(rawPath);
    const std::string method(request.method_string());
    PathParams params;
    const Route* route = routes_->match(method, path, params);

    if (request.method() == http::verb::options) {
        const bool preflight = CorsPolicy::isPreflight(request);
        const bool ownOptions = route && route->method == "OPTIONS";
        const Route* cors = corsRoute(*routes_, path, preflight);
        // An HTTP API with CORS answers every preflight, its own OPTIONS routes or not; SAM's
        // REST OPTIONS method exists only where the template defines none.
        if (cors && (!ownOptions || routes_->apiOf(*cors).kind == ApiKind::Http)) {
            const auto& api = routes_->apiOf(*cors);
            return send(responder, api.cors->preflight(request, routes_->methodsOnPath(*cors)),
                        false);
        }
    }
    if (!route) return send(responder, gatewayError(request, 404, "Not Found"), head);
    invoke(std::move(request), std::move(responder), *route, params, rawPath, rawQuery, path);
}

void HttpApiServer::invoke(net::Request&& request, net::Responder responder, const Route& route,
                           const PathParams& params, std::string_view rawPath,
                           std::string_view rawQuery, const RequestPath& path) {
    const auto& api = routes_->apiOf(route);
    const IncomingRequest incoming{
        request,        rawPath,      rawQuery,        path,      responder.remoteAddress(),
        newRequestId(), Clock::now(), server_->port(), accountId_};
    InvokeRequest invocation;
    invocation.function = route.function;
    invocation.trigger = Trigger::Http;
    invocation.payload = route.payload == PayloadVersion::V2
                             ? buildEventV2(incoming, route, api, params)
                             : buildEventV1(incoming, route, api, params);
    std::string gatewayId = incoming.requestId;
    // The event holds the body now; what the answer needs of the request is its headers.
    request.body().clear();
    request.body().shrink_to_fit();

    invoke_(std::move(invocation), [routes = routes_, &route, request = std::move(request),
                                    responder = std::move(responder),
                                    gatewayId =
                                        std::move(gatewayId)](InvocationResult result) mutable {
        if (!responder.open()) return;  // the client has gone
        const auto& api = routes->apiOf(route);
        net::Response response;
        if (result.ok()) {
            auto mapped = mapProxyResponse(result.payload, route, api, request);
            if (!mapped.problem.empty())
                spdlog::warn("{} {} -> {}: malformed Lambda proxy response ({}): {}",
                             request.method_string(), request.target(), route.function,
                             mapped.problem, result.payload.substr(0, 200));
            response = std::move(mapped.response);
        } else {
            response = failedInvocation(request, result);
        }
        if (api.cors) api.cors->decorate(request, response);
        response.set(api.kind == ApiKind::Rest ? "x-amzn-RequestId" : "apigw-requestid", gatewayId);
        send(responder, std::move(response), request.method() == http::verb::head);
    });
}

}  // namespace fogbank::apigw
