// The warm sandboxes of one function: reuse before spawning, spawn up to the concurrency limit,
// throttle beyond it as Lambda does, retire on code change, reap when idle.
#pragma once

#include "emulator/runtime/sandbox.h"

#include <chrono>
#include <memory>
#include <vector>

namespace fogbank {

class SandboxPool {
  public:
    using LogSink = std::function<void(const std::string& requestId, const LogLine&)>;

    SandboxPool(boost::asio::io_context& io, const FunctionSpec& function, std::string functionArn,
                LaunchPlan plan, int concurrencyLimit, LogSink log);
    ~SandboxPool();
    SandboxPool(const SandboxPool&) = delete;
    SandboxPool& operator=(const SandboxPool&) = delete;

    void invoke(PendingInvocation invocation);
    // The code changed: idle sandboxes stop now, busy ones after their invocation.
    void retireAll();
    void reapIdle(std::chrono::milliseconds idleFor);
    void shutdown();
    int size() const;
    int limit() const { return limit_; }

  private:
    void onDied(Sandbox& sandbox, std::optional<PendingInvocation> orphan);

    boost::asio::io_context& io_;
    const FunctionSpec& function_;
    std::string functionArn_;
    LaunchPlan plan_;
    int limit_;
    LogSink log_;
    int nextId_ = 1;
    bool shuttingDown_ = false;
    std::vector<std::shared_ptr<Sandbox>> sandboxes_;
};

// The result handed back when nothing ran (throttled, unknown function, no sandbox).
InvocationResult rejectedResult(const PendingInvocation& invocation, InvocationStatus status,
                                std::string errorType, std::string payload);

}  // namespace fogbank
