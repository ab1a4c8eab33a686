#include "emulator/net/http_server.h"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/file_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <spdlog/spdlog.h>

#include <unistd.h>

#include <atomic>
#include <optional>
#include <unordered_set>

namespace fogbank::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

struct HttpServer::State {
    explicit State(asio::io_context& io) : acceptor(io) {}
    tcp::acceptor acceptor;
    HttpHandler handler;
    HttpServerOptions options;
    bool closed = false;
    std::unordered_set<HttpSession*> sessions;
};

class HttpSession : public std::enable_shared_from_this<HttpSession> {
  public:
    HttpSession(tcp::socket socket, std::shared_ptr<HttpServer::State> server)
        : socket_(std::move(socket)), server_(std::move(server)) {
        server_->sessions.insert(this);
    }
    ~HttpSession() { server_->sessions.erase(this); }

    void readNext() {
        fileParser_.reset();
        spooled_.reset();
        parser_.emplace();
        limit_ = server_->options.bodyLimit;
        // With a per-request limit, the header is read unlimited and judged once it is known.
        if (server_->options.bodyLimitFor)
            parser_->body_limit(boost::none);
        else
            parser_->body_limit(server_->options.bodyLimit);
        http::async_read_header(
            socket_, buffer_, *parser_,
            [self = shared_from_this()](beast::error_code ec, std::size_t) { self->onHeader(ec); });
    }

    void onHeader(beast::error_code ec) {
        if (ec) return onRead(ec);
        if (server_->options.bodyLimitFor) {
            limit_ = server_->options.bodyLimitFor(parser_->get());
            const auto length = parser_->content_length();
            if (length && *length > limit_) return onRead(http::error::body_limit);
            parser_->body_limit(limit_);
        }
        if (server_->options.spoolDirFor) {
            const auto dir = server_->options.spoolDirFor(parser_->get());
            if (!dir.empty() && !spool(dir)) return;
        }
        // botocore waits a second for this before sending an S3 body anyway.
        if (beast::iequals(parser_->get()[http::field::expect], "100-continue")) {
            static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
            asio::async_write(socket_, asio::buffer(kContinue.data(), kContinue.size()),
                              [self = shared_from_this()](beast::error_code ec, std::size_t) {
                                  if (ec) return self->close();
                                  self->readBody();
                              });
            return;
        }
        readBody();
    }

    // Moves the header into a parser whose body is a new file in `dir`. False when the file
    // cannot be made; the client has been answered then.
    bool spool(const std::filesystem::path& dir) {
        static std::atomic<std::uint64_t> counter{0};
        auto spooled = std::make_shared<SpooledBody>(
            dir / ("upload-" + std::to_string(::getpid()) + "-" + std::to_string(++counter)));
        fileParser_.emplace(std::move(*parser_));
        fileParser_->body_limit(limit_);
        beast::error_code ec;
        fileParser_->get().body().open(spooled->path().c_str(), beast::file_mode::write_new, ec);
        if (ec) {
            spdlog::error("cannot spool an upload to {}: {}", spooled->path().string(),
                          ec.message());
            keepAlive_ = false;
            awaitingResponse_ = true;
            const Request header(fileParser_->get().base());
            send(makeResponse(header, 500,
                              R"({"message":"Fogbank cannot write the upload to disk"})"));
            return false;
        }
        spooled_ = std::move(spooled);
        // Beast reads at most what the buffer has room for, which after a small header is a few
        // hundred bytes: a syscall pair per sliver. Room for Beast's own 64 KiB maximum instead.
        buffer_.reserve(64 * 1024);
        return true;
    }

    void readBody() {
        auto done = [self = shared_from_this()](beast::error_code ec, std::size_t) {
            self->onRead(ec);
        };
        if (fileParser_)
            http::async_read(socket_, buffer_, *fileParser_, std::move(done));
        else
            http::async_read(socket_, buffer_, *parser_, std::move(done));
    }

    void send(Response response) {
        if (!beginResponse(response)) return;
        // A HEAD answer states the length of what a GET would send (S3's HeadObject), bodiless.
        if (!(headRequest_ && response.has_content_length() && response.body().empty()))
            response.prepare_payload();
        write(std::move(response));
    }

    void send(FileResponse response) {
        if (!beginResponse(response)) return;
        response.prepare_payload();
        write(std::move(response));
    }

    bool open() const { return awaitingResponse_ && socket_.is_open(); }

    std::string remoteAddress() const {
        beast::error_code ec;
        auto endpoint = socket_.remote_endpoint(ec);
        return ec ? std::string() : endpoint.address().to_string();
    }

    void close() {
        beast::error_code ec;
        socket_.shutdown(tcp::socket::shutdown_both, ec);
        socket_.close(ec);
    }

  private:
    template <typename Message>
    bool beginResponse(Message& response) {
        if (!awaitingResponse_ || !socket_.is_open()) return false;
        awaitingResponse_ = false;
        response.keep_alive(keepAlive_);
        return true;
    }

    template <typename Message>
    void write(Message&& response) {
        auto owned = std::make_shared<std::decay_t<Message>>(std::move(response));
        http::async_write(socket_, *owned,
                          [self = shared_from_this(), owned](beast::error_code ec, std::size_t) {
                              self->onWritten(ec, owned->need_eof());
                          });
    }

    void onRead(beast::error_code ec) {
        if (ec) {
            if (ec == http::error::body_limit) {
                keepAlive_ = false;
                awaitingResponse_ = true;
                Request dummy;
                send(makeResponse(dummy, 413,
                                  R"({"message":"Request must be smaller than )" +
                                      std::to_string(limit_) + R"( bytes"})"));
                return;
            }
            close();
            return;
        }
        Request request;
        if (fileParser_) {
            auto message = fileParser_->release();
            message.body().close();
            request = Request(std::move(message.base()));
        } else {
            request = parser_->release();
        }
        keepAlive_ = request.keep_alive();
        headRequest_ = request.method() == http::verb::head;
        awaitingResponse_ = true;
        if (server_->closed) {
            close();
            return;
        }
        server_->handler(std::move(request), Responder(shared_from_this(), std::move(spooled_)));
    }

    void onWritten(beast::error_code ec, bool needEof) {
        if (ec || needEof || !keepAlive_) {
            close();
            return;
        }
        readNext();
    }

    tcp::socket socket_;
    std::shared_ptr<HttpServer::State> server_;
    beast::flat_buffer buffer_;
    std::optional<http::request_parser<http::string_body>> parser_;
    std::optional<http::request_parser<http::file_body>> fileParser_;  // when spooling
    std::shared_ptr<SpooledBody> spooled_;
    bool keepAlive_ = true;
    bool awaitingResponse_ = false;
    std::uint64_t limit_ = 0;
    bool headRequest_ = false;
};

SpooledBody::~SpooledBody() {
    std::error_code ec;
    std::filesystem::remove(path_, ec);
}

Responder::Responder(std::shared_ptr<HttpSession> session, std::shared_ptr<SpooledBody> spooled)
    : session_(std::move(session)), spooled_(std::move(spooled)) {}

void Responder::send(FileResponse response) {
    if (!session_) return;
    auto session = std::move(session_);
    session->send(std::move(response));
}

void Responder::send(Response response) {
    if (!session_) return;
    auto session = std::move(session_);
    session->send(std::move(response));
}

void Responder::send(unsigned status, std::string body, std::string contentType) {
    Response response{static_cast<http::status>(status), 11};
    response.set(http::field::content_type, contentType);
    response.body() = std::move(body);
    send(std::move(response));
}

bool Responder::open() const {
    return session_ && session_->open();
}

std::string Responder::remoteAddress() const {
    return session_ ? session_->remoteAddress() : std::string();
}

namespace {

void accept(const std::shared_ptr<HttpServer::State>& state) {
    state->acceptor.async_accept([state](beast::error_code ec, tcp::socket socket) {
        if (state->closed) return;
        if (!ec) {
            beast::error_code ignored;
            // Every request here is small and latency-bound: never wait for Nagle.
            socket.set_option(tcp::no_delay(true), ignored);
            std::make_shared<HttpSession>(std::move(socket), state)->readNext();
        } else if (ec != asio::error::operation_aborted) {
            spdlog::warn("accept failed on port {}: {}", state->options.port, ec.message());
        }
        accept(state);
    });
}

}  // namespace

HttpServer::HttpServer(asio::io_context& io, HttpServerOptions options, HttpHandler handler)
    : state_(std::make_shared<State>(io)) {
    state_->handler = std::move(handler);
    state_->options = std::move(options);
    tcp::endpoint endpoint{asio::ip::make_address(state_->options.address), state_->options.port};
    state_->acceptor.open(endpoint.protocol());
    state_->acceptor.set_option(asio::socket_base::reuse_address(true));
    state_->acceptor.bind(endpoint);
    state_->acceptor.listen(asio::socket_base::max_listen_connections);
    port_ = state_->acceptor.local_endpoint().port();
    state_->options.port = port_;
    accept(state_);
}

HttpServer::~HttpServer() {
    close();
}

void HttpServer::close() {
    if (!state_ || state_->closed) return;
    state_->closed = true;
    beast::error_code ec;
    state_->acceptor.close(ec);
    // Copy first: closing a session can end its lifetime and erase it from the set.
    std::vector<HttpSession*> open(state_->sessions.begin(), state_->sessions.end());
    for (auto* session : open) session->close();
}

Response makeResponse(const Request& request, unsigned status, std::string body,
                      std::string contentType) {
    Response response{static_cast<http::status>(status),
                      request.version() ? request.version() : 11};
    response.set(http::field::content_type, contentType);
    response.body() = std::move(body);
    return response;
}

}  // namespace fogbank::net
