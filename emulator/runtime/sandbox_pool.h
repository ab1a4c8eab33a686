// The warm sandboxes of one function: reuse before spawning, spawn up to the concurrency limit,
// throttle beyond it as Lambda does, retire on code change, reap when idle.
#pragma once

#include "emulator/runtime/sandbox.h"

#include <chrono>
#include <memory>
#include <vector>

namespace fogbank {

struct SandboxPoolOptions {
    CpuShareHost* cpuShare = nullptr;  // CPU-share mode for every sandbox; null: off
    // Sandbox ids are <prefix>#<n>; empty: the function's name.
    std::string sandboxPrefix;
    // Set for pools whose launch plan starts a debugger: told about every sandbox's.
    DebugHost* debugHost = nullptr;
};

class SandboxPool {
  public:
    using LogSink = std::function<void(const std::string& requestId, const LogLine&)>;
    using Options = SandboxPoolOptions;

    // With a debug launch plan, `debugHost` hears of every sandbox's debugger.
    SandboxPool(boost::asio::io_context& io, const FunctionSpec& function, std::string functionArn,
                LaunchPlan plan, int concurrencyLimit, LogSink log, Options options = {});
    ~SandboxPool();
    SandboxPool(const SandboxPool&) = delete;
    SandboxPool& operator=(const SandboxPool&) = delete;

    void invoke(PendingInvocation invocation);
    // The code changed: idle sandboxes stop now, busy ones after their invocation.
    void retireAll();
    void reapIdle(std::chrono::milliseconds idleFor);
    // Provisioned-concurrency style: keeps at least `count` sandboxes started (up to the limit),
    // not reaped while idle and replaced when they die or the code changes, so that invocations
    // find one warm. Throws LaunchError when the runtime cannot be started at all.
    void setWarmFloor(int count);
    int warmFloor() const { return floor_; }
    // CPU-share mode on (a host) or off (null) for the sandboxes started from now on; the
    // running ones are retired, as on a code change, so that the next invocations get the mode.
    void setCpuShare(CpuShareHost* host);
    void shutdown();
    int size() const;
    int limit() const { return limit_; }

  private:
    void onDied(Sandbox& sandbox, std::optional<PendingInvocation> orphan);
    // A new sandbox, started and kept; throws what Sandbox::start throws. `provisioned`: started
    // to meet the warm floor, not for an invocation.
    std::shared_ptr<Sandbox> spawn(bool provisioned);
    // Sandboxes that will still take work (not retired, not dead).
    int serving() const;
    // Starts sandboxes until the warm floor is met; failures are logged, not thrown.
    void topUp();

    boost::asio::io_context& io_;
    const FunctionSpec& function_;
    std::string functionArn_;
    LaunchPlan plan_;
    int limit_;
    LogSink log_;
    Options options_;
    int nextId_ = 1;
    int floor_ = 0;
    bool shuttingDown_ = false;
    std::vector<std::shared_ptr<Sandbox>> sandboxes_;
};

// The result handed back when nothing ran (throttled, unknown function, no sandbox).
InvocationResult rejectedResult(const PendingInvocation& invocation, InvocationStatus status,
                                std::string errorType, std::string payload);

}  // namespace fogbank
