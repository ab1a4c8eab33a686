// A small loopback HTTP/1.1 server on Boost.Beast that every Fogbank endpoint is built on: the
// per-sandbox Runtime API and the edge port.
//
// Handlers may answer later (the Runtime API's /next is a long poll, an Invoke waits for the
// function), so a request comes with a Responder that can be kept and used once, from the
// server's own executor.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include "emulator/net/file_slice_body.h"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

namespace fogbank::net {

using Request = boost::beast::http::request<boost::beast::http::string_body>;
using Response = boost::beast::http::response<boost::beast::http::string_body>;

class HttpSession;

// A request body that was streamed to a file instead of memory (a large upload). The file is
// removed with the last owner unless someone moved it elsewhere first.
class SpooledBody {
  public:
    explicit SpooledBody(std::filesystem::path path) : path_(std::move(path)) {}
    ~SpooledBody();
    SpooledBody(const SpooledBody&) = delete;
    SpooledBody& operator=(const SpooledBody&) = delete;
    const std::filesystem::path& path() const { return path_; }

  private:
    std::filesystem::path path_;
};

class Responder {
  public:
    Responder() = default;
    Responder(std::shared_ptr<HttpSession> session, std::shared_ptr<SpooledBody> spooled);
    // Sends the response; later calls do nothing. Content-Length and keep-alive are filled in.
    void send(Response response);
    void send(unsigned status, std::string body, std::string contentType = "application/json");
    // Sends `response`'s header with the file slice as its body, read as the socket takes it.
    void send(FileResponse response);
    // The request's body when it was spooled to a file (its string body is empty then).
    const std::shared_ptr<SpooledBody>& spooledBody() const { return spooled_; }
    // False after send() or once the client has gone away.
    bool open() const;
    std::string remoteAddress() const;

  private:
    std::shared_ptr<HttpSession> session_;
    std::shared_ptr<SpooledBody> spooled_;
};

using HttpHandler = std::function<void(Request&&, Responder)>;

struct HttpServerOptions {
    std::string address = "127.0.0.1";
    std::uint16_t port = 0;  // 0: any free port
    std::uint64_t bodyLimit = 6 * 1024 * 1024 + 1024;
    // When set, picks the body limit per request from its header (the edge allows S3 objects
    // more than Lambda payloads); `bodyLimit` otherwise.
    std::function<std::uint64_t(const Request& header)> bodyLimitFor;
    // When set and it names a folder for a request, the body is streamed into a new file there
    // (see Responder::spooledBody) instead of memory; an empty path keeps it in memory.
    std::function<std::filesystem::path(const Request& header)> spoolDirFor;
};

class HttpServer {
  public:
    // Binds and starts accepting; throws boost::system::system_error when the port is taken.
    HttpServer(boost::asio::io_context& io, HttpServerOptions options, HttpHandler handler);
    ~HttpServer();
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    std::uint16_t port() const { return port_; }
    // Stops accepting and closes every open connection. Must run on the io thread.
    void close();

    struct State;  // shared with the sessions, which may outlive the server object

  private:
    std::shared_ptr<State> state_;
    std::uint16_t port_ = 0;
};

Response makeResponse(const Request& request, unsigned status, std::string body,
                      std::string contentType = "application/json");

}  // namespace fogbank::net
