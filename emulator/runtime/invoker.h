// The way into running functions: finds the function, gives the invocation its request id and
// trace, and hands it to that function's pool. Everything that invokes (CLI, Invoke API, window,
// later S3/SQS/schedules/HTTP) comes through here.
#pragma once

#include "emulator/project/project.h"
#include "emulator/runtime/code_watcher.h"
#include "emulator/runtime/debuggee.h"
#include "emulator/runtime/cpu_share.h"
#include "emulator/runtime/interpreters.h"
#include "emulator/runtime/sandbox_pool.h"

#include <boost/asio/steady_timer.hpp>

#include <map>
#include <memory>
#include <optional>
#include <utility>

namespace fogbank {

class InvocationListener {
  public:
    virtual ~InvocationListener() = default;
    virtual void started(const std::string& requestId, const std::string& function,
                         Trigger trigger) = 0;
    virtual void log(const std::string& requestId, const LogLine& line) = 0;
    virtual void finished(const InvocationResult& result) = 0;
};

struct InvokerSettings {
    LaunchContext launch;
    std::filesystem::path python;
    std::filesystem::path node;
    std::chrono::milliseconds idleTimeout{std::chrono::minutes(5)};
    int defaultConcurrency = 10;
    bool watchCode = true;
    // CPU-share mode for every sandbox (see cpu_share.h); memory overrides always have it.
    bool cpuShare = false;
    // Called with every finished invocation before anyone hears of it; calls `then` (from any
    // thread) once it is safe to answer. Empty: answer at once.
    std::function<void(InvocationResult, std::function<void(InvocationResult)> then)> record;
    // Hears of the debuggers of debug invocations' sandboxes; none: such invocations fail.
    DebugHost* debugHost = nullptr;
    // Function name -> port: every invocation of it waits for an IDE there.
    std::map<std::string, int> ideDebug;
};

class Invoker {
  public:
    using Completion = std::function<void(InvocationResult)>;

    Invoker(boost::asio::io_context& io, const Project& project, InvokerSettings settings,
            InvocationListener& listener);
    ~Invoker();

    // Must run on the io thread. `done` runs there too, exactly once.
    void invoke(InvokeRequest request, Completion done);
    void shutdown();
    std::map<std::string, int> sandboxCounts() const;
    // Keeps `count` sandboxes of the function warm (see SandboxPool::setWarmFloor). Must run on the
    // io thread; returns an error text (unknown function, runtime that cannot start), empty on
    // success.
    std::string setPrewarm(const std::string& function, int count);
    // Turns CPU-share mode on or off for the template's pools (memory overrides always have it);
    // their sandboxes are replaced. Must run on the io thread.
    void setCpuShare(bool on);
    // Where CPU-share mode's cgroups are made, found on first use. Must run on the io thread.
    CpuShareHost& cpuShareHost();
    // Resolves the interpreters the project needs now rather than on the first cold start, so
    // that a missing one is reported at start-up. Blocks briefly: call before serving.
    void resolveInterpreters();

  private:
    // The pool that runs `function`'s invocations: with `memoryMb`, the pool of a copy of it at
    // that memory size; with `debug`, its debug sandboxes (apart, so that only invocations asked
    // to be debugged ever pause; at the template's memory size).
    SandboxPool* poolFor(const FunctionSpec& function, std::string& launchError,
                         std::optional<int> memoryMb = std::nullopt,
                         const std::optional<DebugRequest>& debug = std::nullopt);
    void scheduleReap();
    template <typename F>
    void forEachPool(F&& f) const;

    boost::asio::io_context& io_;
    const Project& project_;
    InvokerSettings settings_;
    InvocationListener& listener_;
    Interpreters interpreters_;
    CodeWatcher watcher_;
    boost::asio::steady_timer reapTimer_;
    std::unique_ptr<CpuShareHost> cpuShare_;  // before the pools: their cgroups are in its own
    std::map<std::string, std::unique_ptr<SandboxPool>> pools_;  // by function name
    // By function name and debugger kind ("#debug", "#ide:PORT").
    std::map<std::string, std::unique_ptr<SandboxPool>> debugPools_;
    // A function at a memory size of its own (InvokeRequest::memoryMb): the pool's sandboxes
    // refer to `spec`, which therefore lives as long as the pool, at a stable address.
    struct MemoryVariant {
        std::unique_ptr<FunctionSpec> spec;
        std::unique_ptr<SandboxPool> pool;
    };
    std::map<std::pair<std::string, int>, MemoryVariant> memoryVariants_;
};

}  // namespace fogbank
