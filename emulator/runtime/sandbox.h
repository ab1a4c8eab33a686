// One execution environment: a real runtime process polling its own Runtime API endpoint, with
// the invocation it runs, that invocation's log, its timeout and its memory limit.
//
// This folder owns running functions the way Lambda does (Runtime API, sandboxes, pools, the
// invoker). It must never parse templates or speak any AWS service API: it gets a FunctionSpec and
// hands back an InvocationResult.
#pragma once

#include "emulator/net/http_server.h"
#include "emulator/project/project.h"
#include "emulator/runtime/child_process.h"
#include "emulator/runtime/debuggee.h"
#include "emulator/runtime/cpu_share.h"
#include "emulator/runtime/invocation.h"
#include "emulator/runtime/launch_plan.h"
#include "emulator/runtime/runtime_api.h"

#include <boost/asio/steady_timer.hpp>

#include <functional>
#include <memory>
#include <optional>

namespace fogbank {

// An invocation accepted by a pool and not yet answered.
struct PendingInvocation {
    InvokeRequest request;
    std::string requestId;
    std::string traceHeader;  // what the runtime gets as Lambda-Runtime-Trace-Id
    std::string traceRoot;
    std::string spanId;
    std::string parentSpanId;
    Clock::time_point accepted;
    std::function<void(InvocationResult)> done;
};

// How a sandbox is started, besides its function.
struct SandboxMode {
    // Started by pre-warming rather than for an invocation: the runtime sees
    // AWS_LAMBDA_INITIALIZATION_TYPE=provisioned-concurrency, as on Lambda.
    bool provisioned = false;
    // CPU-share mode when set: the process is limited to its memory's share of a core (or, where
    // no cgroup can be made, its durations are estimated). Not owned.
    CpuShareHost* cpuShare = nullptr;
};

class Sandbox : public std::enable_shared_from_this<Sandbox>,
                public Debuggee,
                private RuntimeApiHandler {
  public:
    // Finishing: the response is in, the runtime has not asked for the next event yet. Such a
    // sandbox takes work (it will ask within microseconds), which spares a sequential caller a
    // needless cold start.
    enum class State { Starting, Idle, Busy, Finishing, Dead };

    struct Hooks {
        std::function<void(Sandbox&)> available;  // became Idle with nothing queued
        // The process is gone. An invocation it had accepted but never started comes back to be
        // run elsewhere.
        std::function<void(Sandbox&, std::optional<PendingInvocation>)> died;
        std::function<void(const std::string& requestId, const LogLine&)> log;
        // Told about the runtime's debugger when the launch plan starts one.
        DebugHost* debugHost = nullptr;
    };

    Sandbox(boost::asio::io_context& io, std::string id, const FunctionSpec& function,
            std::string functionArn, const LaunchPlan& plan, Hooks hooks, SandboxMode mode = {});
    ~Sandbox() override;

    // Binds the Runtime API and spawns the runtime; throws LaunchError.
    void start();
    // Runs the invocation now if Idle, else as soon as the runtime asks for it. Requires
    // acceptsWork().
    void run(PendingInvocation invocation);
    bool acceptsWork() const;
    // No new work; stops when idle (now, if it is).
    void retire();
    // Kills the runtime; a running invocation fails as a runtime exit.
    void shutdown();

    State state() const { return state_; }
    const std::string& id() const { return id_; }
    bool retired() const { return retired_; }
    bool provisioned() const { return mode_.provisioned; }
    std::chrono::steady_clock::time_point lastActive() const { return lastActive_; }

    // Debuggee, for sandboxes started under a debugger.
    const std::string& sandboxId() const override { return id_; }
    const FunctionSpec& function() const override { return function_; }
    Protocol protocol() const override;
    const std::string& endpoint() const override { return debugEndpoint_; }
    int debugPort() const override { return debugPort_; }
    void setPaused(bool paused) override;
    std::string runningRequestId() const override;
    std::optional<HandlerEntry> handlerEntry() const override { return handlerEntry_; }
    void retireDebuggee() override { retire(); }
    void failDebuggee(const std::string& why) override;

  private:
    struct Active;

    void next(const net::Request& request, net::Responder responder) override;
    void response(const std::string& requestId, std::string body,
                  net::Responder responder) override;
    void error(const std::string& requestId, std::string body, std::string errorType,
               net::Responder responder) override;
    void initError(std::string body, std::string errorType, net::Responder responder) override;

    // Delivers now, or once the debugger has armed a stop on the handler's first line.
    void deliverWhenArmed();
    // CPU-share mode: a cgroup for the process about to start, or the estimate when none.
    void limitCpu(LaunchSpec& spec);
    void deliver();
    void armTimeout(std::uint64_t seq);
    void writeDeadline(std::int64_t epochMs);
    void onLine(ChildProcess::Stream stream, std::string line);
    // Reads what the runtime's debugger prints about itself; true when `line` was such a line.
    bool debuggerLine(ChildProcess::Stream stream, const std::string& line);
    void onExit(const std::string& description);
    void onTimeout(std::uint64_t seq);
    void pollMemory(std::uint64_t seq);
    void appendLog(std::string text);
    void finish(InvocationStatus status, std::string payload, std::string errorType);
    void kill();
    std::string lambdaError(const std::string& type, const std::string& message) const;

    boost::asio::io_context& io_;
    std::string id_;
    const FunctionSpec& function_;
    std::string functionArn_;
    LaunchPlan plan_;
    Hooks hooks_;
    SandboxMode mode_;

    std::unique_ptr<net::HttpServer> api_;
    // Before the process: removed after it, once nothing runs in it.
    std::unique_ptr<CpuCgroup> cgroup_;
    CpuMode cpuMode_ = CpuMode::Off;
    double cpuShare_ = 0;
    std::int64_t cpuAtDeliverNs_ = -1;
    std::optional<InitBreakdown> initParts_;
    std::unique_ptr<ChildProcess> process_;
    State state_ = State::Starting;
    bool retired_ = false;
    bool initDone_ = false;
    std::chrono::steady_clock::time_point spawnedAt_;
    std::chrono::steady_clock::time_point lastActive_;
    double initMs_ = 0;
    long peakKb_ = 0;
    std::uint64_t seq_ = 0;  // invalidates timers of finished invocations
    net::Responder nextResponder_;
    std::unique_ptr<Active> current_;
    std::vector<LogLine> stray_;  // printed while no invocation ran; shown with the next one
    boost::asio::steady_timer timeoutTimer_;
    boost::asio::steady_timer memoryTimer_;

    // Debug sandboxes only.
    std::string debugEndpoint_;
    int debugPort_ = 0;
    std::optional<HandlerEntry> handlerEntry_;
    std::filesystem::path deadlineFile_;  // where the runtime reads the moving deadline
    std::chrono::steady_clock::time_point timeoutAt_;
    std::int64_t deadlineMs_ = 0;  // epoch ms, as the runtime sees it
    bool paused_ = false;
    std::chrono::steady_clock::time_point pausedAt_;
    std::chrono::steady_clock::duration pausedTotal_{};  // this invocation's pauses so far
};

}  // namespace fogbank
