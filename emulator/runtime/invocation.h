// What goes into an invocation and what comes out of it: the values that every way in (CLI,
// Invoke API, window, later event sources) hands to the runtime and gets back.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace fogbank {

using Clock = std::chrono::system_clock;

// Who asked for the invocation; recorded with it and shown in the window.
// Sweep: a memory sweep's runs, at a memory size of its own; left out of the function's bill and
// cold-start statistics, which describe the function as the template declares it.
enum class Trigger { Manual, InvokeApi, Http, S3, Sqs, Schedule, Replay, Async, Sweep };
const char* toString(Trigger trigger);

// An invocation to run in a sandbox whose runtime is under a debugger (Node's inspector,
// debugpy). Only such invocations ever pause: the function's other invocations run in sandboxes
// of their own.
struct DebugRequest {
    // An IDE attaches to the port (the invocation waits for it, and runs without a timeout, as the
    // pauses cannot be seen); otherwise Fogbank's own debugger drives it.
    bool ide = false;
    bool stopOnEntry = false;  // stop on the handler's first line (Fogbank's debugger only)
    int port = 0;              // the debugger's port on 127.0.0.1; 0: a free one
};

struct InvokeRequest {
    std::string function;  // logical id, FunctionName or ARN
    std::string payload = "{}";
    Trigger trigger = Trigger::Manual;
    std::string traceHeader;    // an X-Amzn-Trace-Id to continue; empty starts a new trace
    std::string clientContext;  // JSON, passed to the runtime as Lambda-Runtime-Client-Context
    std::string requestId;      // empty: a new one; set it to follow the invocation's live log
    std::optional<DebugRequest> debug;
    // Run at this memory size instead of the template's (a memory sweep): in a pool of its own,
    // always in CPU-share mode, since the point is to see how fast the function is at that size.
    std::optional<int> memoryMb;
};

// How the invocation ended. The ones after FunctionError are Lambda's own failures: the handler
// did not get to say anything.
enum class InvocationStatus {
    Success,
    FunctionError,  // the handler threw or the runtime posted /error
    InitError,      // the handler could not be loaded (/init/error)
    Timeout,
    OutOfMemory,
    RuntimeExit,  // the runtime process exited or crashed mid-invocation
    Throttled,    // concurrency limit reached; nothing ran
    NotFound,     // no such function; nothing ran
    LaunchError,  // the sandbox could not be started (missing interpreter, bootstrap, ...)
};
const char* toString(InvocationStatus status);

struct LogLine {
    Clock::time_point time;
    std::string text;  // without the trailing newline
};

// Where a cold start's init went, from the Fogbank bootstraps' own clocks (custom runtimes say
// nothing, and have none). The parts add up to the init duration.
struct InitBreakdown {
    double processMs = 0;  // the rest: spawning, the bootstrap's own set-up, the first /next
    double runtimeMs = 0;  // the interpreter starting, until the bootstrap's first line ran
    double moduleMs = 0;   // loading the handler's module: its imports and top-level code
};

// How CPU time was given to the sandbox in CPU-share mode (a share of a core that follows
// memory, as on Lambda): limited by a cgroup, or not limited and estimated afterwards.
enum class CpuMode { Off, CgroupV2, CgroupV1, Estimate };
const char* toString(CpuMode mode);  // "off", "cgroup-v2", "cgroup-v1", "estimate"
CpuMode parseCpuMode(const std::string& text);

struct InvocationResult {
    std::string requestId;
    std::string function;  // the function's name (FunctionName)
    Trigger trigger = Trigger::Manual;
    InvocationStatus status = InvocationStatus::Success;
    // The response payload on success; Lambda's error document
    // ({"errorType","errorMessage","stackTrace"}) otherwise.
    std::string payload;
    std::string errorType;  // empty on success
    std::string event;
    bool cold = false;
    double initMs = 0;  // spawn until the runtime's first /next (cold starts only)
    std::optional<InitBreakdown> initParts;  // cold starts of runtimes that report it
    double durationMs = 0;                   // event delivered until response
    std::int64_t billedMs = 0;
    // Started by pre-warming (AWS_LAMBDA_INITIALIZATION_TYPE=provisioned-concurrency) rather than
    // for an invocation (on-demand).
    bool provisioned = false;
    CpuMode cpuMode = CpuMode::Off;
    double cpuMs = -1;  // CPU the runtime process used for the event (CPU-share mode), -1 unknown
    // CpuMode::Estimate: what the duration would have been at the memory size's CPU share (the
    // measured wall time less the CPU time, plus the CPU time at that share); billedMs follows
    // it. 0 otherwise.
    double estimatedMs = 0;
    int memorySizeMb = 0;
    int maxMemoryUsedMb = 0;
    std::string sandboxId;
    std::string interpreter;   // which executable ran the handler, and its version
    std::string traceId;       // the X-Amzn-Trace-Id the runtime saw
    std::string traceRoot;     // 1-xxxxxxxx-xxxxxxxxxxxxxxxxxxxxxxxx: the trace it belongs to
    std::string spanId;        // this invocation's span (the Parent its own calls carry)
    std::string parentSpanId;  // the span that caused it; empty at a trace's root
    std::string architecture = "x86_64";
    double costUsd = 0;  // at the price table's on-demand prices, set when recorded
    Clock::time_point start;
    Clock::time_point end;
    std::vector<LogLine> logs;  // START ... END, REPORT, as Lambda frames them

    bool ok() const { return status == InvocationStatus::Success; }
    // Ran in a sandbox started under a debugger (its id is <function>@debug#<n>): slower than
    // Lambda would be, its init includes the debugger's attach, its duration leaves pauses out.
    bool debugged() const { return sandboxId.find("@debug#") != std::string::npos; }
    // Lambda's REPORT line for this invocation (without the trailing newline).
    std::string reportLine() const;
    // The last 4 KB of the log, as `X-Amz-Log-Type: Tail` returns it (before base64).
    std::string logTail(std::size_t maxBytes = 4096) const;
};

}  // namespace fogbank
