#include "emulator/debug/debugger.h"

#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>

namespace fogbank::debug {

namespace asio = boost::asio;

const char* toString(StopReason reason) {
    switch (reason) {
        case StopReason::Breakpoint:
            return "breakpoint";
        case StopReason::Step:
            return "step";
        case StopReason::Pause:
            return "pause";
        case StopReason::Exception:
            return "exception";
        case StopReason::Entry:
            return "entry";
    }
    return "unknown";
}

const char* toString(StepKind kind) {
    switch (kind) {
        case StepKind::Continue:
            return "continue";
        case StepKind::Over:
            return "over";
        case StepKind::Into:
            return "into";
        case StepKind::Out:
            return "out";
    }
    return "unknown";
}

Debugger::Debugger(asio::any_io_executor executor, std::filesystem::path runtimesDir,
                   std::function<std::string(const std::string&)> functionName)
    : executor_(std::move(executor)),
      runtimesDir_(std::move(runtimesDir)),
      functionName_(std::move(functionName)) {}

Debugger::~Debugger() = default;

void Debugger::addObserver(DebugObserver* observer) {
    std::lock_guard lock(observersMutex_);
    observers_.push_back(observer);
}

void Debugger::removeObserver(DebugObserver* observer) {
    std::lock_guard lock(observersMutex_);
    observers_.erase(std::remove(observers_.begin(), observers_.end(), observer), observers_.end());
}

template <typename F>
void Debugger::notify(F&& f) {
    std::lock_guard lock(observersMutex_);
    for (auto* observer : observers_) f(*observer);
}

bool Debugger::post(std::function<void()> fn, const std::function<void(std::string)>& fail) {
    if (shutDown_) {
        fail("the engine is not running");
        return false;
    }
    asio::post(executor_, std::move(fn));
    return true;
}

DebugSession* Debugger::find(int id, const std::function<void(std::string)>& fail) {
    const auto it = sessions_.find(id);
    if (it == sessions_.end()) {
        fail("no debug session " + std::to_string(id) + " (it has ended)");
        return nullptr;
    }
    return it->second.get();
}

void Debugger::publishSessions() {
    std::vector<SessionInfo> infos;
    for (const auto& [id, session] : sessions_) infos.push_back(session->info());
    std::lock_guard lock(mutex_);
    published_ = std::move(infos);
}

std::vector<SessionInfo> Debugger::sessions() const {
    std::lock_guard lock(mutex_);
    return published_;
}

DebugSession::Breakpoints Debugger::breakpoints(const std::string& function) const {
    const auto name = functionName_ ? functionName_(function) : function;
    std::lock_guard lock(mutex_);
    const auto it = breakpoints_.find(name);
    return it == breakpoints_.end() ? DebugSession::Breakpoints{} : it->second;
}

void Debugger::setBreakpoints(const std::string& function, const std::filesystem::path& file,
                              std::vector<SourceBreakpoint> list,
                              Done<std::vector<BreakpointState>> done) {
    const auto name = functionName_ ? functionName_(function) : function;
    if (name.empty()) {
        done({}, "no function named " + function);
        return;
    }
    for (auto& b : list) b.file = file;
    post(
        [this, name, file, list, done] {
            {
                std::lock_guard lock(mutex_);
                auto& files = breakpoints_[name];
                if (list.empty())
                    files.erase(file);
                else
                    files[file] = list;
            }
            std::vector<DebugSession*> live;
            for (auto& [id, session] : sessions_)
                if (session->matches(name)) live.push_back(session.get());
            if (live.empty()) {
                std::vector<BreakpointState> states;
                for (const auto& b : list)
                    states.push_back({b, false, b.line, "no debug session of " + name + " yet"});
                done(std::move(states), {});
                return;
            }
            // Every live session gets them; the newest one's answer is the one reported.
            for (std::size_t i = 0; i < live.size(); ++i) {
                const bool last = i + 1 == live.size();
                live[i]->adapter().setBreakpoints(
                    file, list,
                    [done, last](std::vector<BreakpointState> states, std::string error) {
                        if (last) done(std::move(states), std::move(error));
                    });
            }
        },
        [done](std::string error) { done({}, std::move(error)); });
}

void Debugger::setExceptionMode(ExceptionMode mode, ErrorDone done) {
    post(
        [this, mode, done] {
            exceptionMode_ = mode;
            for (auto& [id, session] : sessions_)
                session->adapter().setExceptionMode(mode, [](std::string) {});
            done({});
        },
        done);
}

void Debugger::scopes(int id, int frameId, Done<std::vector<Scope>> done) {
    auto fail = [done](std::string e) { done({}, std::move(e)); };
    post(
        [this, id, frameId, done, fail] {
            if (auto* s = find(id, fail)) s->adapter().scopes(frameId, done);
        },
        fail);
}

void Debugger::variables(int id, int reference, Done<std::vector<Variable>> done) {
    auto fail = [done](std::string e) { done({}, std::move(e)); };
    post(
        [this, id, reference, done, fail] {
            if (auto* s = find(id, fail)) s->adapter().variables(reference, done);
        },
        fail);
}

void Debugger::evaluate(int id, int frameId, std::string expression, Done<Variable> done) {
    auto fail = [done](std::string e) { done({}, std::move(e)); };
    post(
        [this, id, frameId, expression = std::move(expression), done, fail]() mutable {
            if (auto* s = find(id, fail))
                s->adapter().evaluate(frameId, std::move(expression), done);
        },
        fail);
}

void Debugger::step(int id, StepKind kind, ErrorDone done) {
    post(
        [this, id, kind, done] {
            if (auto* s = find(id, done)) s->step(kind, done);
        },
        done);
}

void Debugger::pause(int id, ErrorDone done) {
    post(
        [this, id, done] {
            if (auto* s = find(id, done)) s->adapter().pause(done);
        },
        done);
}

void Debugger::end(int id, ErrorDone done) {
    post(
        [this, id, done] {
            auto* s = find(id, done);
            if (!s) return;
            auto& waiters = ending_[id];
            waiters.push_back(done);
            if (waiters.size() > 1) return;  // already ending
            s->end([this, id](std::string error) {
                if (!error.empty()) spdlog::warn("debug session {}: detach: {}", id, error);
                remove(id, "ended");
            });
        },
        done);
}

void Debugger::remove(int id, const std::string& why) {
    const auto it = sessions_.find(id);
    if (it == sessions_.end()) return;
    // Destroyed after this handler: the adapter that called us may be on the stack.
    std::shared_ptr<DebugSession> dying(std::move(it->second));
    sessions_.erase(it);
    asio::post(executor_, [dying] {});
    publishSessions();
    const auto info = dying->info();
    notify([&](DebugObserver& o) { o.sessionEnded(info, why); });
    if (auto waiting = ending_.find(id); waiting != ending_.end()) {
        auto dones = std::move(waiting->second);
        ending_.erase(waiting);
        for (auto& done : dones) done({});
    }
}

void Debugger::shutdown() {
    shutDown_ = true;
    auto sessions = std::move(sessions_);
    sessions_.clear();
    ending_.clear();
    publishSessions();
    for (auto& [id, session] : sessions) {
        const auto info = session->info();
        notify([&](DebugObserver& o) { o.sessionEnded(info, "Fogbank stopped"); });
    }
}

void Debugger::listening(std::shared_ptr<Debuggee> debuggee, bool ide) {
    if (shutDown_) return;
    if (ide) {
        const auto info = DebugSession::describe(0, *debuggee);
        spdlog::info("{}: waiting for an IDE to attach on 127.0.0.1:{}", info.function, info.port);
        notify([&](DebugObserver& o) { o.waitingForIde(info); });
        return;
    }
    const int id = nextSession_++;
    DebugSession::Listener listener;
    listener.stopped = [this](DebugSession& session, const StopEvent& event) {
        const auto requestId = session.requestId();
        notify([&](DebugObserver& o) { o.stopped(session.info(), requestId, event); });
    };
    listener.resumed = [this](DebugSession& session) {
        notify([&](DebugObserver& o) { o.resumed(session.info()); });
    };
    listener.ended = [this](DebugSession& session, const std::string& why) {
        remove(session.info().id, why);
    };
    auto session =
        std::make_unique<DebugSession>(id, executor_, debuggee, runtimesDir_, std::move(listener));
    auto* raw = session.get();
    sessions_.emplace(id, std::move(session));
    publishSessions();
    // Told now, not once attached: the first stop may come before the attach's last answer.
    notify([&](DebugObserver& o) { o.sessionStarted(raw->info()); });
    const auto name = debuggee->function().functionName;
    raw->start(breakpoints(name), exceptionMode_,
               [this, id, weak = std::weak_ptr<Debuggee>(debuggee)](std::string error) {
                   if (error.empty() || !sessions_.count(id)) return;
                   spdlog::warn("debug session {}: {}", id, error);
                   // The runtime waits for a debugger that will not come: the invocation fails.
                   if (auto d = weak.lock()) d->failDebuggee(error);
                   remove(id, error);
               });
}

void Debugger::beforeDelivery(Debuggee& debuggee, const DebugRequest& request,
                              std::function<void()> go) {
    (void)request;
    for (auto& [id, session] : sessions_) {
        if (!session->isFor(debuggee)) continue;
        session->adapter().breakOnHandlerEntry([id, go](std::string error) {
            if (!error.empty())
                spdlog::warn("debug session {}: cannot stop on the handler's entry: {}", id, error);
            go();
        });
        return;
    }
    go();
}

void Debugger::gone(Debuggee& debuggee, const std::string& why) {
    for (auto& [id, session] : sessions_) {
        if (session->isFor(debuggee)) {
            remove(id, "the sandbox's process ended (" + why + ")");
            return;
        }
    }
}

}  // namespace fogbank::debug
