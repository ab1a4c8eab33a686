// The one loopback endpoint (default 127.0.0.1:4566) where the AWS SDKs and CLI reach Fogbank's
// services. A request goes to the service its SigV4 credential scope names (Lambda, later S3 and
// SQS); requests without one are recognised by their shape.
//
// Every request is also a span of the trace its X-Amzn-Trace-Id names (the AWS SDKs send the
// caller's _X_AMZN_TRACE_ID inside Lambda), or of a new trace when it names none. Services answer
// through a ServiceCall, which ends the span when the answer goes out.
//
// This folder owns routing and call spans only. It must never implement a service's behaviour:
// that lives in emulator/services/<name>/.
#pragma once

#include "emulator/net/http_server.h"
#include "emulator/trace/service_span.h"

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>

namespace fogbank {

// The service a request is for: "lambda", "s3", "sqs", ..., or empty when nothing says.
std::string serviceOf(const net::Request& request);

// Where finished call spans go (the invocation store); runs on the edge's thread.
using SpanSink = std::function<void(ServiceSpan)>;

// One request to a service, answered once. Copies share the call, like net::Responder.
class ServiceCall {
  public:
    ServiceCall() = default;
    ServiceCall(net::Responder responder, ServiceSpan span, std::weak_ptr<SpanSink> sink,
                bool sampled = true);

    // What the request asks for, named for the span: ("Invoke", "my-function").
    void describe(std::string operation, std::string resource);
    void attribute(const std::string& key, std::string value);
    // The X-Amzn-Trace-Id to hand to whatever this call causes (an invocation): the same trace,
    // with this call's span as Parent.
    std::string traceHeader() const;
    const ServiceSpan& span() const;

    // Sends the response and ends the span; a status of 400 or more is a failed call, named by
    // the response's x-amzn-ErrorType. Later calls do nothing.
    void send(net::Response response);
    // A success whose body is read from a file as the socket takes it (S3's GetObject).
    void send(net::FileResponse response);
    bool open() const;
    // The request's body when the edge streamed it to a file (see EdgeServer::spoolBodies).
    std::shared_ptr<net::SpooledBody> spooledBody() const;

  private:
    struct State;
    std::shared_ptr<State> state_;
};

using ServiceHandler = std::function<void(net::Request&&, ServiceCall)>;

class EdgeServer {
  public:
    EdgeServer(boost::asio::io_context& io, const std::string& address, std::uint16_t port);
    void addService(const std::string& name, ServiceHandler handler);
    // Large PUT/POST bodies for `service` are streamed into new files in `dir` rather than
    // memory; the service finds them through ServiceCall::spooledBody. Before the first request.
    void spoolBodies(const std::string& service, std::filesystem::path dir);
    // Without a sink, calls still carry their trace on to what they cause, unrecorded.
    void setSpanSink(SpanSink sink);
    std::uint16_t port() const { return server_->port(); }
    void close() { server_->close(); }

  private:
    void route(net::Request&& request, net::Responder responder);
    std::filesystem::path spoolDirFor(const net::Request& header) const;

    std::map<std::string, ServiceHandler> services_;
    std::map<std::string, std::filesystem::path> spoolDirs_;
    // Shared with the calls in flight, which may outlive the edge when the engine stops.
    std::shared_ptr<SpanSink> sink_;
    std::unique_ptr<net::HttpServer> server_;
};

}  // namespace fogbank
