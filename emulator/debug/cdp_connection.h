// One Chrome DevTools Protocol connection to Node's inspector: JSON commands with ids over a
// WebSocket (Boost.Beast), their answers matched by id, and the events in between.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <nlohmann/json.hpp>

#include <functional>
#include <memory>
#include <string>

namespace fogbank::debug {

class CdpConnection : public std::enable_shared_from_this<CdpConnection> {
  public:
    // `error` is empty on success: the protocol's own error message otherwise.
    using Reply = std::function<void(nlohmann::json result, std::string error)>;
    using EventHandler = std::function<void(const std::string& method, const nlohmann::json&)>;
    using ClosedHandler = std::function<void(const std::string& why)>;

    static std::shared_ptr<CdpConnection> create(boost::asio::any_io_executor executor,
                                                 EventHandler onEvent, ClosedHandler onClosed);
    ~CdpConnection();

    // `url` is ws://127.0.0.1:PORT/ID, as the inspector prints it. Answers once.
    void connect(const std::string& url, std::function<void(std::string error)> done);
    // Replies come in the order the inspector answers; every pending one gets an error when the
    // connection closes.
    void send(const std::string& method, nlohmann::json params, Reply reply = {});
    // Closes the WebSocket. No handler is called after this, except the pending replies (with an
    // error) when `answerPending`; onClosed is not called for a close asked for here.
    void close(bool answerPending = true);
    bool isOpen() const;

  private:
    struct Impl;
    CdpConnection() = default;
    std::shared_ptr<Impl> impl_;
};

}  // namespace fogbank::debug
