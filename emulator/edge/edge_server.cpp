#include "emulator/edge/edge_server.h"

#include <nlohmann/json.hpp>

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
    return {};
}

EdgeServer::EdgeServer(boost::asio::io_context& io, const std::string& address, std::uint16_t port)
    : server_(std::make_unique<net::HttpServer>(
          io, net::HttpServerOptions{address, port, 6 * 1024 * 1024 + 1024},
          [this](net::Request&& request, net::Responder responder) {
              route(std::move(request), std::move(responder));
          })) {}

void EdgeServer::addService(const std::string& name, net::HttpHandler handler) {
    services_[name] = std::move(handler);
}

void EdgeServer::route(net::Request&& request, net::Responder responder) {
    std::string service = serviceOf(request);
    if (auto it = services_.find(service); it != services_.end()) {
        it->second(std::move(request), std::move(responder));
        return;
    }
    std::string message = service.empty()
                              ? "Fogbank could not tell which AWS service this request is for"
                              : "Fogbank does not emulate the " + service + " service yet";
    auto response = net::makeResponse(
        request, 501, nlohmann::json{{"__type", "NotImplemented"}, {"message", message}}.dump());
    response.set("x-amzn-ErrorType", "NotImplemented");
    responder.send(std::move(response));
}

}  // namespace fogbank
