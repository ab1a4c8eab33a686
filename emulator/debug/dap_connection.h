// One Debug Adapter Protocol connection to debugpy: requests with sequence numbers over TCP in
// DAP's Content-Length framing, their responses matched by request_seq, and the events between.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <string>

namespace fogbank::debug {

class DapConnection {
  public:
    // `error` is empty on success: the response's message otherwise.
    using Reply = std::function<void(nlohmann::json body, std::string error)>;
    using EventHandler = std::function<void(const std::string& event, const nlohmann::json&)>;
    using ClosedHandler = std::function<void(const std::string& why)>;

    DapConnection(boost::asio::any_io_executor executor, EventHandler onEvent,
                  ClosedHandler onClosed);
    ~DapConnection();
    DapConnection(const DapConnection&) = delete;
    DapConnection& operator=(const DapConnection&) = delete;

    // Connects to 127.0.0.1:port, trying again while nothing listens there yet (debugpy binds
    // its port a moment after the runtime says it will), for up to `patience`. Answers once.
    void connect(int port, std::chrono::milliseconds patience,
                 std::function<void(std::string error)> done);
    void request(const std::string& command, nlohmann::json arguments, Reply reply = {});
    // No handler is called after this, except the pending replies (with an error) when
    // `answerPending`.
    void close(bool answerPending = true);
    bool isOpen() const;

  private:
    struct Impl;
    std::shared_ptr<Impl> impl_;
};

}  // namespace fogbank::debug
