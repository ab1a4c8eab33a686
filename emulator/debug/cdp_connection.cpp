#include "emulator/debug/cdp_connection.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket.hpp>
#include <spdlog/spdlog.h>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <deque>
#include <map>

namespace fogbank::debug {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;

namespace {

// A large object's properties or a long string can be megabytes; beyond this a reply is refused.
constexpr std::size_t kMessageLimit = 64 * 1024 * 1024;

struct WsUrl {
    std::string host;
    std::uint16_t port = 0;
    std::string target;
};

// Only ws://host:port/path, which is all the inspector prints.
WsUrl parseUrl(const std::string& url) {
    constexpr std::string_view scheme = "ws://";
    if (!url.starts_with(scheme)) throw std::invalid_argument("not a ws:// URL: " + url);
    const auto rest = url.substr(scheme.size());
    const auto slash = rest.find('/');
    const auto hostPort = rest.substr(0, slash);
    const auto colon = hostPort.rfind(':');
    if (colon == std::string::npos) throw std::invalid_argument("no port in " + url);
    WsUrl parsed;
    parsed.host = hostPort.substr(0, colon);
    parsed.port = static_cast<std::uint16_t>(std::stoi(hostPort.substr(colon + 1)));
    parsed.target = slash == std::string::npos ? "/" : rest.substr(slash);
    return parsed;
}

// Node's inspector does not turn Nagle off: its reply to a command that follows an event waits for
// the ACK of that event, which Linux delays by 40 ms. Acking at once (the flag does not stick: set
// again before every read) takes that wait out of every step and evaluation.
void quickAck(tcp::socket& socket) {
    const int one = 1;
    ::setsockopt(socket.native_handle(), IPPROTO_TCP, TCP_QUICKACK, &one, sizeof one);
}

}  // namespace

struct CdpConnection::Impl : std::enable_shared_from_this<Impl> {
    explicit Impl(asio::any_io_executor executor) : ws(executor) {}

    websocket::stream<beast::tcp_stream> ws;
    beast::flat_buffer buffer;
    std::deque<std::string> outbox;  // one async_write at a time, as Beast requires
    bool writing = false;
    bool open = false;
    bool closing = false;
    int nextId = 1;
    std::map<int, Reply> pending;
    EventHandler onEvent;
    ClosedHandler onClosed;

    void read() {
        quickAck(beast::get_lowest_layer(ws).socket());
        ws.async_read(buffer, [self = shared_from_this()](beast::error_code ec, std::size_t) {
            if (ec) {
                self->fail(ec == websocket::error::closed ? "the inspector closed the connection"
                                                          : ec.message());
                return;
            }
            const auto text = beast::buffers_to_string(self->buffer.data());
            self->buffer.consume(self->buffer.size());
            self->dispatch(text);
            if (self->open) self->read();
        });
    }

    void dispatch(const std::string& text) {
        spdlog::trace("cdp <- {:.300}", text);
        auto message = nlohmann::json::parse(text, nullptr, false);
        if (!message.is_object()) {
            spdlog::warn("inspector sent something that is not JSON: {:.200}", text);
            return;
        }
        if (message.contains("id")) {
            const int id = message["id"].get<int>();
            auto it = pending.find(id);
            if (it == pending.end()) return;
            auto reply = std::move(it->second);
            pending.erase(it);
            if (!reply) return;
            if (message.contains("error"))
                reply(nullptr, message["error"].value("message", message["error"].dump()));
            else
                reply(message.value("result", nlohmann::json::object()), {});
            return;
        }
        if (message.contains("method") && onEvent)
            onEvent(message["method"].get<std::string>(),
                    message.value("params", nlohmann::json::object()));
    }

    void closeSocket() {
        ws.async_close(websocket::close_code::normal,
                       [self = shared_from_this()](beast::error_code) {
                           beast::error_code ignored;
                           beast::get_lowest_layer(self->ws).socket().close(ignored);
                       });
    }

    void write() {
        if (!open && closing && !writing) {
            outbox.clear();
            closeSocket();
            return;
        }
        if (writing || outbox.empty() || !open) return;
        writing = true;
        ws.async_write(asio::buffer(outbox.front()),
                       [self = shared_from_this()](beast::error_code ec, std::size_t) {
                           self->writing = false;
                           if (!self->outbox.empty()) self->outbox.pop_front();
                           if (ec) {
                               self->fail(ec.message());
                               return;
                           }
                           self->write();
                       });
    }

    // Every pending reply hears of the failure; the owner hears once, unless it closed us.
    void fail(const std::string& why) {
        const bool wasOpen = open;
        open = false;
        outbox.clear();
        auto replies = std::move(pending);
        pending.clear();
        for (auto& [id, reply] : replies)
            if (reply) reply(nullptr, "the inspector connection is closed (" + why + ")");
        beast::error_code ignored;
        beast::get_lowest_layer(ws).socket().close(ignored);
        if (wasOpen && !closing && onClosed) {
            auto closed = std::move(onClosed);
            onClosed = nullptr;
            closed(why);
        }
    }
};

std::shared_ptr<CdpConnection> CdpConnection::create(asio::any_io_executor executor,
                                                     EventHandler onEvent, ClosedHandler onClosed) {
    std::shared_ptr<CdpConnection> connection(new CdpConnection());
    connection->impl_ = std::make_shared<Impl>(std::move(executor));
    connection->impl_->onEvent = std::move(onEvent);
    connection->impl_->onClosed = std::move(onClosed);
    return connection;
}

CdpConnection::~CdpConnection() {
    close(false);
}

void CdpConnection::connect(const std::string& url, std::function<void(std::string)> done) {
    WsUrl parsed;
    try {
        parsed = parseUrl(url);
    } catch (const std::exception& e) {
        done(e.what());
        return;
    }
    auto impl = impl_;
    impl->ws.read_message_max(kMessageLimit);
    auto& socket = beast::get_lowest_layer(impl->ws);
    socket.expires_after(std::chrono::seconds(10));
    boost::system::error_code ec;
    const tcp::endpoint endpoint(asio::ip::make_address(parsed.host, ec), parsed.port);
    if (ec) {
        done("cannot connect to " + url + ": " + ec.message());
        return;
    }
    socket.async_connect(endpoint, [impl, parsed, url,
                                    done = std::move(done)](beast::error_code ec) mutable {
        if (ec) {
            done("cannot connect to " + url + ": " + ec.message());
            return;
        }
        beast::get_lowest_layer(impl->ws).expires_never();
        // Commands go out in bursts of small frames; Nagle would hold each burst's second one
        // for the inspector's delayed ACK (40 ms a round trip).
        beast::error_code ignored;
        beast::get_lowest_layer(impl->ws).socket().set_option(tcp::no_delay(true), ignored);
        impl->ws.set_option(websocket::stream_base::timeout::suggested(beast::role_type::client));
        impl->ws.async_handshake(
            parsed.host + ":" + std::to_string(parsed.port), parsed.target,
            [impl, url, done = std::move(done)](beast::error_code ec) {
                if (ec) {
                    done("WebSocket handshake with " + url + " failed: " + ec.message());
                    return;
                }
                impl->open = true;
                impl->read();
                impl->write();
                done({});
            });
    });
}

void CdpConnection::send(const std::string& method, nlohmann::json params, Reply reply) {
    auto& impl = *impl_;
    if (!impl.open) {
        if (reply) reply(nullptr, "the inspector connection is closed");
        return;
    }
    const int id = impl.nextId++;
    impl.pending.emplace(id, std::move(reply));
    nlohmann::json message{{"id", id}, {"method", method}};
    if (!params.is_null()) message["params"] = std::move(params);
    impl.outbox.push_back(message.dump());
    spdlog::trace("cdp -> {:.300}", impl.outbox.back());
    impl.write();
}

void CdpConnection::close(bool answerPending) {
    if (!impl_) return;
    auto impl = impl_;
    impl->closing = true;
    impl->onEvent = nullptr;
    impl->onClosed = nullptr;
    auto replies = std::move(impl->pending);
    impl->pending.clear();
    if (answerPending)
        for (auto& [id, reply] : replies)
            if (reply) reply(nullptr, "the inspector connection was closed");
    if (!impl->open) return;
    impl->open = false;
    // Beast allows one write at a time, and a close is a write: after the one under way, if any.
    if (impl->writing) {
        while (impl->outbox.size() > 1) impl->outbox.pop_back();
        return;
    }
    impl->outbox.clear();
    impl->closeSocket();
}

bool CdpConnection::isOpen() const {
    return impl_ && impl_->open;
}

}  // namespace fogbank::debug
