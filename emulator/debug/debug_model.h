// The one debugger model that the window, the CLI and the tests see, whatever the runtime:
// breakpoints by file and line, where a handler stopped and why, its stack, scopes and variables,
// stepping, pausing and evaluation. The Node inspector adapter (Chrome DevTools Protocol) and the
// debugpy adapter (Debug Adapter Protocol) each turn their protocol into these values.
//
// This folder owns talking to the debuggers inside sandboxes. It must never start or stop
// processes (runtime/ does that) and never block the engine's thread: every call answers once,
// through its callback, on the engine's thread.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace fogbank::debug {

struct SourceBreakpoint {
    std::filesystem::path file;  // absolute path of a source file of the function
    int line = 0;                // 1-based
    std::string condition;       // an expression in the handler's language; empty: always

    bool operator==(const SourceBreakpoint&) const = default;
};

// What the debugger made of a requested breakpoint (it may move it to the next line with code).
struct BreakpointState {
    SourceBreakpoint requested;
    bool verified = false;
    int line = 0;         // where it really is, 1-based; the requested line until verified
    std::string message;  // why it is not verified
};

// Entry: stopped on the handler's first line because the invocation asked for it.
enum class StopReason { Breakpoint, Step, Pause, Exception, Entry };
const char* toString(StopReason reason);

struct StackFrame {
    int id = 0;  // valid until the debuggee runs again
    std::string name;
    std::filesystem::path file;  // empty for frames without a source file (node internals)
    int line = 0;                // 1-based
    int column = 0;              // 1-based
};

struct Variable {
    std::string name;
    std::string value;  // as the language prints it
    std::string type;
    int reference = 0;  // > 0: has children; pass it to variables()
};

struct Scope {
    std::string name;  // "Local", "Closure", "Global", ...
    int reference = 0;
    bool expensive = false;  // globals: many entries, better fetched on demand
};

struct StopEvent {
    StopReason reason = StopReason::Breakpoint;
    std::string description;         // for exceptions: the error's text
    std::vector<StackFrame> frames;  // innermost first
};

enum class StepKind { Continue, Over, Into, Out };
const char* toString(StepKind kind);

// Stop where an exception is thrown: never, where the handler does not catch it, or always.
enum class ExceptionMode { None, Uncaught, All };

// One live debugger connection to one sandbox's runtime.
class DebugAdapter {
  public:
    struct Hooks {
        std::function<void(const StopEvent&)> stopped;
        std::function<void()> resumed;
        // The connection is gone (the process ended, or the debugger hung up); `why` says which.
        std::function<void(const std::string& why)> ended;
    };
    // `error` is empty on success and names what failed otherwise.
    template <class T>
    using Done = std::function<void(T result, std::string error)>;
    using ErrorDone = std::function<void(std::string error)>;

    virtual ~DebugAdapter() = default;

    // Connects, applies the breakpoints and exception mode already given, and lets the runtime
    // run (it waits for a debugger before it loads the handler). `done` answers once.
    virtual void start(ErrorDone done) = 0;
    // Replaces every breakpoint of `file`.
    virtual void setBreakpoints(const std::filesystem::path& file,
                                std::vector<SourceBreakpoint> breakpoints,
                                Done<std::vector<BreakpointState>> done) = 0;
    virtual void setExceptionMode(ExceptionMode mode, ErrorDone done) = 0;
    // Stops at the first line of the handler when it is next called (once).
    virtual void breakOnHandlerEntry(ErrorDone done) = 0;

    // Valid while stopped.
    virtual void scopes(int frameId, Done<std::vector<Scope>> done) = 0;
    virtual void variables(int reference, Done<std::vector<Variable>> done) = 0;
    virtual void evaluate(int frameId, std::string expression, Done<Variable> done) = 0;

    virtual void step(StepKind kind, ErrorDone done) = 0;
    virtual void pause(ErrorDone done) = 0;
    // Removes every breakpoint, lets the runtime run on and hangs up. The process goes on.
    virtual void detach(ErrorDone done) = 0;

    virtual bool stopped() const = 0;
};

}  // namespace fogbank::debug
