// The debugger model over debugpy (Debug Adapter Protocol, its in-process adapter): attach with
// Fogbank's runtime marked as library code, so that "just my code" stepping and the user-unhandled
// exception filter see the handler as the user does; line breakpoints per file; pydevd's frame and
// variable references passed through.
#pragma once

#include "emulator/debug/dap_connection.h"
#include "emulator/debug/debug_model.h"
#include "emulator/runtime/debuggee.h"

#include <map>
#include <memory>
#include <optional>

namespace fogbank::debug {

class DebugpyAdapter : public DebugAdapter {
  public:
    // `runtimeDir`: Fogbank's Python runtime, hidden from stepping and stacks. `entry` tells
    // where the handler's first line is, once the runtime has loaded it.
    DebugpyAdapter(boost::asio::any_io_executor executor, int port,
                   std::filesystem::path runtimeDir,
                   std::function<std::optional<HandlerEntry>()> entry, Hooks hooks);
    ~DebugpyAdapter() override;

    void start(ErrorDone done) override;
    void setBreakpoints(const std::filesystem::path& file,
                        std::vector<SourceBreakpoint> breakpoints,
                        Done<std::vector<BreakpointState>> done) override;
    void setExceptionMode(ExceptionMode mode, ErrorDone done) override;
    void breakOnHandlerEntry(ErrorDone done) override;
    void scopes(int frameId, Done<std::vector<Scope>> done) override;
    void variables(int reference, Done<std::vector<Variable>> done) override;
    void evaluate(int frameId, std::string expression, Done<Variable> done) override;
    void step(StepKind kind, ErrorDone done) override;
    void pause(ErrorDone done) override;
    void detach(ErrorDone done) override;
    bool stopped() const override { return stopped_; }

  private:
    void onEvent(const std::string& event, const nlohmann::json& body);
    void onStopped(const nlohmann::json& body);
    void report(StopEvent event, const nlohmann::json& stoppedBody);
    void onResumed();
    void configure();
    // Sends `file`'s breakpoints, with the armed entry's among them when it is in that file.
    void applyBreakpoints(const std::filesystem::path& file,
                          Done<std::vector<BreakpointState>> done);
    void withThread(std::function<void(int threadId, std::string error)> then);

    boost::asio::any_io_executor executor_;
    int port_;
    std::filesystem::path runtimeDir_;
    std::function<std::optional<HandlerEntry>()> entry_;
    Hooks hooks_;
    std::unique_ptr<DapConnection> dap_;
    ErrorDone startDone_;
    bool configured_ = false;
    bool stopped_ = false;
    int threadId_ = 0;
    ExceptionMode exceptionMode_ = ExceptionMode::Uncaught;
    std::optional<HandlerEntry> armedEntry_;
    std::map<std::filesystem::path, std::vector<SourceBreakpoint>> breakpoints_;
};

}  // namespace fogbank::debug
