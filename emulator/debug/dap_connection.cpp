#include "emulator/debug/dap_connection.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <spdlog/spdlog.h>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <deque>
#include <map>

namespace fogbank::debug {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using nlohmann::json;

namespace {
constexpr auto kRetryEvery = std::chrono::milliseconds(50);
constexpr std::size_t kMessageLimit = 64 * 1024 * 1024;
}  // namespace

struct DapConnection::Impl : std::enable_shared_from_this<Impl> {
    explicit Impl(asio::any_io_executor executor) : socket(executor), retry(executor) {}

    tcp::socket socket;
    asio::steady_timer retry;
    std::string input;
    std::deque<std::string> outbox;
    bool writing = false;
    bool open = false;
    bool closed = false;
    int nextSeq = 1;
    std::map<int, Reply> pending;
    EventHandler onEvent;
    ClosedHandler onClosed;

    void attempt(int port, std::chrono::steady_clock::time_point giveUp,
                 std::function<void(std::string)> done) {
        socket.async_connect(
            {asio::ip::make_address("127.0.0.1"), static_cast<std::uint16_t>(port)},
            [self = shared_from_this(), port, giveUp,
             done = std::move(done)](boost::system::error_code ec) mutable {
                if (self->closed) return;  // the owner has gone: nobody to answer
                if (!ec) {
                    self->open = true;
                    boost::system::error_code ignored;
                    self->socket.set_option(tcp::no_delay(true), ignored);
                    self->readHeader();
                    self->write();
                    done({});
                    return;
                }
                boost::system::error_code ignored;
                self->socket.close(ignored);
                if (std::chrono::steady_clock::now() >= giveUp) {
                    done("cannot connect to debugpy on 127.0.0.1:" + std::to_string(port) + ": " +
                         ec.message());
                    return;
                }
                self->retry.expires_after(kRetryEvery);
                self->retry.async_wait([self, port, giveUp, done = std::move(done)](
                                           boost::system::error_code ec) mutable {
                    if (ec || self->closed) return;
                    self->attempt(port, giveUp, std::move(done));
                });
            });
    }

    void readHeader() {
        // pydevd writes with Nagle on, as Node's inspector does (see cdp_connection.cpp).
        const int one = 1;
        ::setsockopt(socket.native_handle(), IPPROTO_TCP, TCP_QUICKACK, &one, sizeof one);
        asio::async_read_until(
            socket, asio::dynamic_buffer(input, kMessageLimit), "\r\n\r\n",
            [self = shared_from_this()](boost::system::error_code ec, std::size_t headerSize) {
                if (ec) {
                    self->fail(ec == asio::error::eof ? "debugpy closed the connection"
                                                      : ec.message());
                    return;
                }
                const auto header = self->input.substr(0, headerSize);
                self->input.erase(0, headerSize);
                const auto at = header.find("Content-Length:");
                if (at == std::string::npos) {
                    self->fail("a DAP message without Content-Length");
                    return;
                }
                const auto length = std::stoul(header.substr(at + 15));
                self->readBody(length);
            });
    }

    void readBody(std::size_t length) {
        const std::size_t have = input.size();
        if (have >= length) {
            const auto body = input.substr(0, length);
            input.erase(0, length);
            dispatch(body);
            if (open) readHeader();
            return;
        }
        asio::async_read(
            socket, asio::dynamic_buffer(input, kMessageLimit),
            asio::transfer_exactly(length - have),
            [self = shared_from_this(), length](boost::system::error_code ec, std::size_t) {
                if (ec) {
                    self->fail(ec.message());
                    return;
                }
                self->readBody(length);
            });
    }

    void dispatch(const std::string& text) {
        spdlog::trace("dap <- {:.300}", text);
        auto message = json::parse(text, nullptr, false);
        if (!message.is_object()) {
            spdlog::warn("debugpy sent something that is not JSON: {:.200}", text);
            return;
        }
        const auto type = message.value("type", std::string());
        if (type == "response") {
            auto it = pending.find(message.value("request_seq", 0));
            if (it == pending.end()) return;
            auto reply = std::move(it->second);
            pending.erase(it);
            if (!reply) return;
            if (message.value("success", false))
                reply(message.value("body", json::object()), {});
            else
                reply(nullptr, message.value("message", std::string("request failed")));
        } else if (type == "event" && onEvent) {
            onEvent(message.value("event", std::string()), message.value("body", json::object()));
        }
    }

    void write() {
        if (writing || outbox.empty() || !open) return;
        writing = true;
        asio::async_write(socket, asio::buffer(outbox.front()),
                          [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
                              self->writing = false;
                              if (!self->outbox.empty()) self->outbox.pop_front();
                              if (ec) {
                                  self->fail(ec.message());
                                  return;
                              }
                              if (self->closed) {
                                  self->shutdownSocket();
                                  return;
                              }
                              self->write();
                          });
    }

    void shutdownSocket() {
        boost::system::error_code ignored;
        socket.shutdown(tcp::socket::shutdown_both, ignored);
        socket.close(ignored);
    }

    void fail(const std::string& why) {
        const bool wasOpen = open;
        open = false;
        outbox.clear();
        auto replies = std::move(pending);
        pending.clear();
        for (auto& [seq, reply] : replies)
            if (reply) reply(nullptr, "the debugpy connection is closed (" + why + ")");
        shutdownSocket();
        if (wasOpen && onClosed) {
            auto handler = std::move(onClosed);
            onClosed = nullptr;
            handler(why);
        }
    }
};

DapConnection::DapConnection(asio::any_io_executor executor, EventHandler onEvent,
                             ClosedHandler onClosed)
    : impl_(std::make_shared<Impl>(std::move(executor))) {
    impl_->onEvent = std::move(onEvent);
    impl_->onClosed = std::move(onClosed);
}

DapConnection::~DapConnection() {
    close(false);
}

void DapConnection::connect(int port, std::chrono::milliseconds patience,
                            std::function<void(std::string)> done) {
    impl_->attempt(port, std::chrono::steady_clock::now() + patience, std::move(done));
}

void DapConnection::request(const std::string& command, json arguments, Reply reply) {
    auto& impl = *impl_;
    if (!impl.open) {
        if (reply) reply(nullptr, "the debugpy connection is closed");
        return;
    }
    const int seq = impl.nextSeq++;
    impl.pending.emplace(seq, std::move(reply));
    json message{{"seq", seq}, {"type", "request"}, {"command", command}};
    if (!arguments.is_null()) message["arguments"] = std::move(arguments);
    const auto body = message.dump();
    spdlog::trace("dap -> {:.300}", body);
    impl.outbox.push_back("Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body);
    impl.write();
}

void DapConnection::close(bool answerPending) {
    auto impl = impl_;
    impl->closed = true;
    impl->onEvent = nullptr;
    impl->onClosed = nullptr;
    impl->retry.cancel();
    auto replies = std::move(impl->pending);
    impl->pending.clear();
    if (answerPending)
        for (auto& [seq, reply] : replies)
            if (reply) reply(nullptr, "the debugpy connection was closed");
    impl->open = false;
    // After the write under way, if any (a last disconnect request).
    if (impl->writing) {
        while (impl->outbox.size() > 1) impl->outbox.pop_back();
        return;
    }
    impl->outbox.clear();
    impl->shutdownSocket();
}

bool DapConnection::isOpen() const {
    return impl_->open;
}

}  // namespace fogbank::debug
