// The one loopback endpoint (default 127.0.0.1:4566) where the AWS SDKs and CLI reach Fogbank's
// services. A request goes to the service its SigV4 credential scope names (Lambda, later S3 and
// SQS); requests without one are recognised by their shape.
//
// This folder owns routing only. It must never implement a service's behaviour: that lives in
// emulator/services/<name>/.
#pragma once

#include "emulator/net/http_server.h"

#include <map>
#include <memory>
#include <string>

namespace fogbank {

// The service a request is for: "lambda", "s3", "sqs", ..., or empty when nothing says.
std::string serviceOf(const net::Request& request);

class EdgeServer {
  public:
    EdgeServer(boost::asio::io_context& io, const std::string& address, std::uint16_t port);
    void addService(const std::string& name, net::HttpHandler handler);
    std::uint16_t port() const { return server_->port(); }
    void close() { server_->close(); }

  private:
    void route(net::Request&& request, net::Responder responder);

    std::map<std::string, net::HttpHandler> services_;
    std::unique_ptr<net::HttpServer> server_;
};

}  // namespace fogbank
