// The meeting point of runtime/ and debug/: a sandbox whose runtime runs under a debugger, as the
// debugger sees it, and the host that the sandboxes tell about their debuggers. runtime/ starts
// and stops the processes; debug/ only talks to the debuggers inside them.
#pragma once

#include "emulator/project/project.h"
#include "emulator/runtime/invocation.h"

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace fogbank {

// Where a handler's first line is, as the runtime reported it once it had loaded the handler.
struct HandlerEntry {
    std::filesystem::path file;
    int line = 0;
};

class Debuggee {
  public:
    enum class Protocol { NodeInspector, Debugpy };

    virtual ~Debuggee() = default;
    virtual const std::string& sandboxId() const = 0;
    virtual const FunctionSpec& function() const = 0;
    virtual Protocol protocol() const = 0;
    // ws://127.0.0.1:PORT/UUID for the inspector, 127.0.0.1:PORT for debugpy.
    virtual const std::string& endpoint() const = 0;
    virtual int debugPort() const = 0;
    // While paused the running invocation's timeout does not run, and the deadline its handler
    // sees moves on by as long as the pause lasted.
    virtual void setPaused(bool paused) = 0;
    // The invocation running now (delivered to the runtime), or empty.
    virtual std::string runningRequestId() const = 0;
    virtual std::optional<HandlerEntry> handlerEntry() const = 0;
    // No more invocations; the process stops once it is idle.
    virtual void retireDebuggee() = 0;
    // The debugger could not take it: the process is killed, the invocation fails saying why.
    virtual void failDebuggee(const std::string& why) = 0;
};

class DebugHost {
  public:
    virtual ~DebugHost() = default;
    // The runtime's debugger listens; the runtime waits for a debugger before it loads the
    // handler. With `ide`, an IDE is to attach, not Fogbank.
    virtual void listening(std::shared_ptr<Debuggee> debuggee, bool ide) = 0;
    // An invocation that asked to stop on its handler's first line is about to reach the
    // runtime: `go` delivers it, and must be called once, armed or not.
    virtual void beforeDelivery(Debuggee& debuggee, const DebugRequest& request,
                                std::function<void()> go) = 0;
    // The process is gone.
    virtual void gone(Debuggee& debuggee, const std::string& why) = 0;
};

}  // namespace fogbank
