// One sandbox under Fogbank's own debugger: the adapter for its runtime's protocol, where it
// stopped last, and the hold on the running invocation's timeout while it is stopped.
#pragma once

#include "emulator/debug/debug_model.h"
#include "emulator/runtime/debuggee.h"

#include <boost/asio/any_io_executor.hpp>

#include <map>
#include <memory>
#include <optional>

namespace fogbank::debug {

struct SessionInfo {
    int id = 0;            // 0 for a debuggee that waits for an IDE: Fogbank has no session with it
    std::string function;  // FunctionName
    std::string logicalId;  // the template's name for it
    std::string sandbox;
    std::string runtime;  // "node" or "python"
    std::string endpoint;
    int port = 0;
};

class DebugSession {
  public:
    struct Listener {
        std::function<void(DebugSession&, const StopEvent&)> stopped;
        std::function<void(DebugSession&)> resumed;
        std::function<void(DebugSession&, const std::string& why)> ended;
    };
    using Breakpoints = std::map<std::filesystem::path, std::vector<SourceBreakpoint>>;

    // `runtimesDir`: Fogbank's runtime bootstraps, which debugpy is told to treat as library code.
    DebugSession(int id, boost::asio::any_io_executor executor, std::shared_ptr<Debuggee> debuggee,
                 const std::filesystem::path& runtimesDir, Listener listener);
    ~DebugSession();

    static SessionInfo describe(int id, const Debuggee& debuggee);

    // Connects with these breakpoints and lets the runtime load the handler.
    void start(const Breakpoints& breakpoints, ExceptionMode mode, DebugAdapter::ErrorDone done);
    // Detaches (the invocation runs on to its end) and retires the sandbox.
    void end(DebugAdapter::ErrorDone done);
    // Resumes or steps. The timeout runs again and the handler's deadline moves on before the
    // runtime gets the command: it may read the deadline before Fogbank hears it has resumed.
    void step(StepKind kind, DebugAdapter::ErrorDone done);

    DebugAdapter& adapter() { return *adapter_; }
    const SessionInfo& info() const { return info_; }
    bool isFor(const Debuggee& debuggee) const;
    bool matches(const std::string& function) const;
    // The invocation running in the sandbox now, or empty.
    std::string requestId() const;
    const std::optional<StopEvent>& lastStop() const { return lastStop_; }

  private:
    void holdTimeout(bool held);

    SessionInfo info_;
    std::weak_ptr<Debuggee> debuggee_;
    const Debuggee* identity_;  // compared only, never used: the sandbox may be gone
    Listener listener_;
    std::unique_ptr<DebugAdapter> adapter_;
    std::optional<StopEvent> lastStop_;
    bool ended_ = false;
};

}  // namespace fogbank::debug
