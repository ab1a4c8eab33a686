// API Gateway for the template's HTTP APIs: one loopback port (default 3000) where every REST API
// (SAM `Api` events, payload 1.0) and HTTP API (`HttpApi` events, payload 2.0 or 1.0) of the
// project is served. A request is matched against the precompiled RouteTable, turned into the
// proxy event, run as an invocation (Trigger::Http, the root of a new trace, recorded like any
// other), and the function's result is mapped back as API Gateway maps it.
//
// This folder owns routing, the proxy event and response shapes, and CORS. It must never run
// functions itself (invocations go through the engine's invoker) nor read the template per
// request: everything the request path needs is computed once, when the table is built.
//
// Locally the URL has no stage: /pets/1 reaches the route /pets/{id} of every API, whatever its
// StageName; the stage still appears in the event (requestContext.stage, and a REST API's
// requestContext.path as /Prod/pets/1), as `sam local start-api` does.
#pragma once

#include "emulator/net/http_server.h"
#include "emulator/runtime/invocation.h"
#include "emulator/services/apigateway/route_table.h"

#include <functional>
#include <memory>
#include <string>

namespace fogbank::apigw {

class HttpApiServer {
  public:
    using Invoke = std::function<void(InvokeRequest, std::function<void(InvocationResult)>)>;

    // Binds `address`:`port` (0: any free port); throws boost::system::system_error when taken.
    HttpApiServer(boost::asio::io_context& io, const std::string& address, std::uint16_t port,
                  std::shared_ptr<const RouteTable> routes, std::string accountId, Invoke invoke);

    std::uint16_t port() const { return server_->port(); }
    // Stops accepting and closes open connections; run on the io thread.
    void close() { server_->close(); }

  private:
    void handle(net::Request&& request, net::Responder responder);
    void invoke(net::Request&& request, net::Responder responder, const Route& route,
                const PathParams& params, std::string_view rawPath, std::string_view rawQuery,
                const RequestPath& path);

    std::shared_ptr<const RouteTable> routes_;
    std::string accountId_;
    Invoke invoke_;
    std::unique_ptr<net::HttpServer> server_;
};

}  // namespace fogbank::apigw
