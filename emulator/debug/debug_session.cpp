#include "emulator/debug/debug_session.h"

#include "emulator/debug/debugpy_adapter.h"
#include "emulator/debug/node_inspector_adapter.h"

#include <spdlog/spdlog.h>

namespace fogbank::debug {

SessionInfo DebugSession::describe(int id, const Debuggee& debuggee) {
    SessionInfo info;
    info.id = id;
    info.function = debuggee.function().functionName;
    info.logicalId = debuggee.function().logicalId;
    info.sandbox = debuggee.sandboxId();
    info.runtime = debuggee.protocol() == Debuggee::Protocol::Debugpy ? "python" : "node";
    info.endpoint = debuggee.endpoint();
    info.port = debuggee.debugPort();
    return info;
}

DebugSession::DebugSession(int id, boost::asio::any_io_executor executor,
                           std::shared_ptr<Debuggee> debuggee,
                           const std::filesystem::path& runtimesDir, Listener listener)
    : info_(describe(id, *debuggee)),
      debuggee_(debuggee),
      identity_(debuggee.get()),
      listener_(std::move(listener)) {
    DebugAdapter::Hooks hooks;
    hooks.stopped = [this](const StopEvent& event) {
        lastStop_ = event;
        holdTimeout(true);
        if (listener_.stopped) listener_.stopped(*this, event);
    };
    hooks.resumed = [this] {
        lastStop_.reset();
        holdTimeout(false);
        if (listener_.resumed) listener_.resumed(*this);
    };
    hooks.ended = [this](const std::string& why) {
        if (ended_) return;
        ended_ = true;
        lastStop_.reset();
        holdTimeout(false);
        // A runtime whose debugger is gone is not what the next debug invocation wants.
        if (auto d = debuggee_.lock()) d->retireDebuggee();
        if (listener_.ended) listener_.ended(*this, why);
    };
    if (debuggee->protocol() == Debuggee::Protocol::Debugpy) {
        adapter_ = std::make_unique<DebugpyAdapter>(
            executor, debuggee->debugPort(), runtimesDir / "python",
            [weak = debuggee_]() -> std::optional<HandlerEntry> {
                auto d = weak.lock();
                return d ? d->handlerEntry() : std::nullopt;
            },
            std::move(hooks));
    } else {
        adapter_ = std::make_unique<NodeInspectorAdapter>(
            executor, debuggee->endpoint(), debuggee->function().codeUri, std::move(hooks));
    }
}

DebugSession::~DebugSession() {
    holdTimeout(false);
}

void DebugSession::holdTimeout(bool held) {
    if (auto d = debuggee_.lock()) d->setPaused(held);
}

bool DebugSession::isFor(const Debuggee& debuggee) const {
    return identity_ == &debuggee;
}

bool DebugSession::matches(const std::string& function) const {
    return function == info_.function || function == info_.logicalId;
}

std::string DebugSession::requestId() const {
    auto d = debuggee_.lock();
    return d ? d->runningRequestId() : std::string();
}

void DebugSession::start(const Breakpoints& breakpoints, ExceptionMode mode,
                         DebugAdapter::ErrorDone done) {
    for (const auto& [file, list] : breakpoints)
        adapter_->setBreakpoints(file, list, [](std::vector<BreakpointState>, std::string) {});
    adapter_->setExceptionMode(mode, [](std::string) {});
    adapter_->start(std::move(done));
}

void DebugSession::step(StepKind kind, DebugAdapter::ErrorDone done) {
    if (adapter_->stopped()) holdTimeout(false);
    adapter_->step(kind, [this, done = std::move(done)](std::string error) {
        if (!error.empty() && adapter_->stopped()) holdTimeout(true);
        done(std::move(error));
    });
}

void DebugSession::end(DebugAdapter::ErrorDone done) {
    ended_ = true;
    lastStop_.reset();
    holdTimeout(false);
    adapter_->detach([this, done = std::move(done)](std::string error) {
        holdTimeout(false);
        if (auto d = debuggee_.lock()) d->retireDebuggee();
        done(error);
    });
}

}  // namespace fogbank::debug
