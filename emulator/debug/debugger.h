// Fogbank's debugger: the breakpoints a user set per function, kept for every debug session of
// that function now and later; the sessions with the sandboxes that debug invocations run in;
// and what they report (stopped, resumed, ended), told to observers. Invocations reach a debug
// sandbox by asking for it (InvokeRequest::debug); this class never starts one.
//
// Every public method is safe from any thread: each runs on the engine's thread and answers once,
// there. Observers are told on the engine's thread too, and must not block.
#pragma once

#include "emulator/debug/debug_session.h"

#include <atomic>
#include <mutex>

namespace fogbank::debug {

class DebugObserver {
  public:
    virtual ~DebugObserver() = default;
    virtual void sessionStarted(const SessionInfo& session) { (void)session; }
    // An invocation for an IDE waits for one to attach on `session.port` (session.id is 0).
    virtual void waitingForIde(const SessionInfo& session) { (void)session; }
    virtual void stopped(const SessionInfo& session, const std::string& requestId,
                         const StopEvent& event) {
        (void)session, (void)requestId, (void)event;
    }
    virtual void resumed(const SessionInfo& session) { (void)session; }
    virtual void sessionEnded(const SessionInfo& session, const std::string& why) {
        (void)session, (void)why;
    }
};

class Debugger : public DebugHost {
  public:
    template <class T>
    using Done = DebugAdapter::Done<T>;
    using ErrorDone = DebugAdapter::ErrorDone;

    // `runtimesDir`: resources/runtimes, whose code is Fogbank's, not the user's. `functionName`
    // turns a logical id (or a name) into the function's name; empty for an unknown function.
    Debugger(boost::asio::any_io_executor executor, std::filesystem::path runtimesDir,
             std::function<std::string(const std::string&)> functionName);
    ~Debugger() override;

    // Observers are not owned and must outlive their registration.
    void addObserver(DebugObserver* observer);
    void removeObserver(DebugObserver* observer);

    // Replaces the breakpoints of `file` for `function` (its name or logical id), in every live
    // session of it and in those to come. Answers with what the newest live session made of
    // them, or with them unverified while none runs.
    void setBreakpoints(const std::string& function, const std::filesystem::path& file,
                        std::vector<SourceBreakpoint> breakpoints,
                        Done<std::vector<BreakpointState>> done);
    // Every breakpoint of a function, by file, as set.
    DebugSession::Breakpoints breakpoints(const std::string& function) const;
    // For every session, now and later. Uncaught by default.
    void setExceptionMode(ExceptionMode mode, ErrorDone done);

    // On a stopped session.
    void scopes(int session, int frameId, Done<std::vector<Scope>> done);
    void variables(int session, int reference, Done<std::vector<Variable>> done);
    void evaluate(int session, int frameId, std::string expression, Done<Variable> done);
    void step(int session, StepKind kind, ErrorDone done);
    // On a running one.
    void pause(int session, ErrorDone done);
    // Detaches: breakpoints off, the running invocation goes on to its end, its sandbox retires.
    void end(int session, ErrorDone done);
    std::vector<SessionInfo> sessions() const;

    // Ends every session without answering anything more. On the engine's thread, when it stops.
    void shutdown();

    // DebugHost, on the engine's thread.
    void listening(std::shared_ptr<Debuggee> debuggee, bool ide) override;
    void beforeDelivery(Debuggee& debuggee, const DebugRequest& request,
                        std::function<void()> go) override;
    void gone(Debuggee& debuggee, const std::string& why) override;

  private:
    // Runs `fn` on the engine's thread, or answers `fail` at once after shutdown.
    bool post(std::function<void()> fn, const std::function<void(std::string)>& fail);
    // The live session `id`, or null (then `fail` has been told).
    DebugSession* find(int id, const std::function<void(std::string)>& fail);
    template <typename F>
    void notify(F&& f);
    void remove(int id, const std::string& why);
    void publishSessions();

    boost::asio::any_io_executor executor_;
    std::filesystem::path runtimesDir_;
    std::function<std::string(const std::string&)> functionName_;
    std::atomic<bool> shutDown_{false};

    // On the engine's thread only.
    std::map<int, std::unique_ptr<DebugSession>> sessions_;
    std::map<int, std::vector<ErrorDone>> ending_;  // answered when the session is gone
    int nextSession_ = 1;
    ExceptionMode exceptionMode_ = ExceptionMode::Uncaught;

    mutable std::mutex mutex_;                                      // what other threads read
    std::map<std::string, DebugSession::Breakpoints> breakpoints_;  // by function name
    std::vector<SessionInfo> published_;

    std::mutex observersMutex_;
    std::vector<DebugObserver*> observers_;
};

}  // namespace fogbank::debug
