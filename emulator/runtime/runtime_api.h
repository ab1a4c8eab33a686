// The Lambda Runtime API's routes (2018-06-01), as runtimes call them. Each sandbox serves its
// own copy on its own loopback port, so a request needs no sandbox id: the port says whose it is,
// and any custom runtime that only knows AWS_LAMBDA_RUNTIME_API=host:port works unchanged.
#pragma once

#include "emulator/net/http_server.h"

#include <string>

namespace fogbank {

class RuntimeApiHandler {
  public:
    virtual ~RuntimeApiHandler() = default;
    virtual void next(const net::Request& request, net::Responder responder) = 0;
    virtual void response(const std::string& requestId, std::string body,
                          net::Responder responder) = 0;
    virtual void error(const std::string& requestId, std::string body, std::string errorType,
                       net::Responder responder) = 0;
    virtual void initError(std::string body, std::string errorType, net::Responder responder) = 0;
};

// Routes one request; answers malformed ones itself with the Runtime API's error shape.
void dispatchRuntimeApi(net::Request&& request, net::Responder responder,
                        RuntimeApiHandler& handler);

// The Runtime API's own error document, {"errorMessage": ..., "errorType": ...}.
std::string runtimeApiError(const std::string& type, const std::string& message);

}  // namespace fogbank
