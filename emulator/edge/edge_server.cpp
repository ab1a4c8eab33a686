#include "emulator/edge/edge_server.h"

#include "emulator/trace/ids.h"

#include <nlohmann/json.hpp>

#include <charconv>

namespace fogbank {

namespace {

// "AWS4-HMAC-SHA256 Credential=AKID/20261123/us-east-1/lambda/aws4_request, ..." -> "lambda";
// the same scope sits in X-Amz-Credential for presigned URLs.
std::string scopeService(std::string_view credential) {
    std::string_view parts[5];
    std::size_t count = 0;
    while (count < 5) {
        auto slash = credential.find_first_of("/,& ");
        parts[count++] = credential.substr(0, slash);
        if (slash == std::string_view::npos || credential[slash] != '/') break;
        credential.remove_prefix(slash + 1);
    }
    return count >= 4 ? std::string(parts[3]) : std::string();
}

std::string findCredential(std::string_view text, std::string_view key) {
    auto at = text.find(key);
    if (at == std::string_view::npos) return {};
    return scopeService(text.substr(at + key.size()));
}

}  // namespace

std::string serviceOf(const net::Request& request) {
    if (auto it = request.find(boost::beast::http::field::authorization); it != request.end()) {
        if (auto s = findCredential(it->value(), "Credential="); !s.empty()) return s;
    }
    std::string_view target = request.target();
    if (auto s = findCredential(target, "X-Amz-Credential="); !s.empty()) return s;
    if (target.starts_with("/2015-03-31/functions")) return "lambda";
    if (auto it = request.find("X-Amz-Target"); it != request.end()) {
        if (it->value().starts_with("AmazonSQS")) return "sqs";
    }
    // An unsigned query-protocol call (`aws sqs --no-sign-request`, curl): a form POST that names
    // an Action. S3 never takes form-encoded POSTs.
    if (request.method() == boost::beast::http::verb::post &&
        request[boost::beast::http::field::content_type].starts_with(
            "application/x-www-form-urlencoded") &&
        (request.body().starts_with("Action=") ||
         request.body().find("&Action=") != std::string::npos))
        return "sqs";
    return {};
}

namespace {

// Unsigned requests nobody else claims are S3's: a browser or curl on a presigned-less URL, or
// a virtual-host name (BUCKET.localhost). SQS's query protocol is the one other unsigned shape.
bool looksLikeS3(const net::Request& request) {
    std::string_view host = request[boost::beast::http::field::host];
    host = host.substr(0, host.rfind(':'));
    if (host.ends_with(".localhost")) return true;
    return !(request.method() == boost::beast::http::verb::post &&
             request[boost::beast::http::field::content_type].starts_with(
                 "application/x-www-form-urlencoded"));
}

// Lambda keeps its own 6 MB. S3 takes objects up to PutObject's 5 GiB, streamed to disk: only
// bodies up to kSpoolAbove, of a known length, are ever held in memory.
constexpr std::uint64_t kLambdaBodyLimit = 6 * 1024 * 1024 + 1024;
constexpr std::uint64_t kS3BodyLimit = 5ull * 1024 * 1024 * 1024;
constexpr std::uint64_t kSpoolAbove = 1024 * 1024;

std::string serviceOfHeader(const net::Request& header) {
    auto service = serviceOf(header);
    if (service.empty() && looksLikeS3(header)) service = "s3";
    return service;
}

}  // namespace

struct ServiceCall::State {
    net::Responder responder;
    ServiceSpan span;
    std::weak_ptr<SpanSink> sink;
    bool sampled = true;
    bool sent = false;

    void finish() {
        sent = true;
        span.end = Clock::now();
        if (auto target = sink.lock(); target && *target) (*target)(std::move(span));
    }
    // A service that drops a request without answering still leaves its span in the trace.
    ~State() {
        if (sent) return;
        span.error = "NoResponse";
        try {
            finish();
        } catch (const std::exception&) {
            // Only memory can run out here; a lost span is not worth a crash.
        }
    }
};

ServiceCall::ServiceCall(net::Responder responder, ServiceSpan span, std::weak_ptr<SpanSink> sink,
                         bool sampled)
    : state_(std::make_shared<State>()) {
    state_->responder = std::move(responder);
    state_->span = std::move(span);
    state_->sink = std::move(sink);
    state_->sampled = sampled;
}

void ServiceCall::describe(std::string operation, std::string resource) {
    state_->span.operation = std::move(operation);
    state_->span.resource = std::move(resource);
}

void ServiceCall::attribute(const std::string& key, std::string value) {
    state_->span.attributes[key] = std::move(value);
}

std::string ServiceCall::traceHeader() const {
    TraceHeader header;
    header.root = state_->span.traceRoot;
    header.parent = state_->span.spanId;
    header.sampled = state_->sampled;
    return header.toString();
}

const ServiceSpan& ServiceCall::span() const {
    return state_->span;
}

void ServiceCall::send(net::Response response) {
    if (!state_ || state_->sent) return;
    auto& span = state_->span;
    span.statusCode = static_cast<int>(response.result_int());
    if (span.statusCode >= 400) {
        // "ResourceNotFoundException:http://internal.amazon.com/..." on some services.
        std::string type(response["x-amzn-ErrorType"]);
        type = type.substr(0, type.find(':'));
        span.error = type.empty() ? "HTTP " + std::to_string(span.statusCode) : type;
    }
    state_->responder.send(std::move(response));
    state_->finish();
}

void ServiceCall::send(net::FileResponse response) {
    if (!state_ || state_->sent) return;
    state_->span.statusCode = static_cast<int>(response.result_int());
    state_->responder.send(std::move(response));
    state_->finish();
}

std::shared_ptr<net::SpooledBody> ServiceCall::spooledBody() const {
    return state_ ? state_->responder.spooledBody() : nullptr;
}

bool ServiceCall::open() const {
    return state_ && !state_->sent && state_->responder.open();
}

EdgeServer::EdgeServer(boost::asio::io_context& io, const std::string& address, std::uint16_t port)
    : sink_(std::make_shared<SpanSink>()),
      server_(std::make_unique<net::HttpServer>(
          io,
          net::HttpServerOptions{
              address, port, kLambdaBodyLimit,
              [](const net::Request& header) {
                  return serviceOfHeader(header) == "s3" ? kS3BodyLimit : kLambdaBodyLimit;
              },
              [this](const net::Request& header) { return spoolDirFor(header); }},
          [this](net::Request&& request, net::Responder responder) {
              route(std::move(request), std::move(responder));
          })) {}

void EdgeServer::addService(const std::string& name, ServiceHandler handler) {
    services_[name] = std::move(handler);
}

void EdgeServer::spoolBodies(const std::string& service, std::filesystem::path dir) {
    spoolDirs_[service] = std::move(dir);
}

std::filesystem::path EdgeServer::spoolDirFor(const net::Request& header) const {
    if (spoolDirs_.empty()) return {};
    const auto method = header.method();
    if (method != boost::beast::http::verb::put && method != boost::beast::http::verb::post)
        return {};
    // Without a Content-Length (chunked transfer) the size is unknown: spool.
    const auto length = header[boost::beast::http::field::content_length];
    if (!length.empty()) {
        std::uint64_t size = 0;
        const auto [end, ec] = std::from_chars(length.data(), length.data() + length.size(), size);
        if (ec == std::errc() && end == length.data() + length.size() && size <= kSpoolAbove)
            return {};
    }
    const auto it = spoolDirs_.find(serviceOfHeader(header));
    return it == spoolDirs_.end() ? std::filesystem::path() : it->second;
}

void EdgeServer::setSpanSink(SpanSink sink) {
    *sink_ = std::move(sink);
}

void EdgeServer::route(net::Request&& request, net::Responder responder) {
    std::string service = serviceOf(request);
    if (service.empty() && looksLikeS3(request) && services_.contains("s3")) service = "s3";

    // The caller's header names the trace and the caller's span; without one the call starts a
    // trace of its own, as a request from outside Lambda does on AWS.
    std::string_view incoming;
    if (auto it = request.find("X-Amzn-Trace-Id"); it != request.end()) incoming = it->value();
    auto trace = TraceHeader::parse(incoming);
    if (trace.root.empty()) trace = TraceHeader::newRoot();
    ServiceSpan span;
    span.traceRoot = trace.root;
    span.parentSpanId = trace.parent;
    span.spanId = randomHex(16);
    span.service = service.empty() ? "unknown" : service;
    span.start = Clock::now();
    ServiceCall call(std::move(responder), std::move(span), sink_, trace.sampled);

    if (auto it = services_.find(service); it != services_.end()) {
        it->second(std::move(request), std::move(call));
        return;
    }
    std::string message = service.empty()
                              ? "Fogbank could not tell which AWS service this request is for"
                              : "Fogbank does not emulate the " + service + " service yet";
    call.describe(std::string(request.method_string()),
                  std::string(request.target().substr(0, request.target().find('?'))));
    auto response = net::makeResponse(
        request, 501, nlohmann::json{{"__type", "NotImplemented"}, {"message", message}}.dump());
    response.set("x-amzn-ErrorType", "NotImplemented");
    call.send(std::move(response));
}

}  // namespace fogbank
