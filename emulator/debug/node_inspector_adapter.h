// The debugger model over Node's inspector (Chrome DevTools Protocol): breakpoints by URL so that
// they hold before the handler's module is loaded, V8's call frames and remote objects turned
// into frames, scopes and variables with numeric ids, and pauses classified by what was asked.
#pragma once

#include "emulator/debug/cdp_connection.h"
#include "emulator/debug/debug_model.h"

#include <boost/asio/steady_timer.hpp>

#include <map>
#include <memory>
#include <optional>
#include <set>

namespace fogbank::debug {

class NodeInspectorAdapter : public DebugAdapter {
  public:
    // `url`: ws://127.0.0.1:PORT/ID. `userRoot`: the function's code folder; exceptions thrown
    // outside it (Node's internals, node_modules) do not stop in Uncaught mode.
    NodeInspectorAdapter(boost::asio::any_io_executor executor, std::string url,
                         std::filesystem::path userRoot, Hooks hooks);
    ~NodeInspectorAdapter() override;

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
    void onEvent(const std::string& method, const nlohmann::json& params);
    // Asks Node to run until it has (its pause on start says so): a request that arrives before
    // Node begins to wait for one is dropped by it.
    void release();
    void onPaused(const nlohmann::json& params);
    int reference(const std::string& objectId);
    Variable toVariable(const std::string& name, const nlohmann::json& remote);
    std::filesystem::path fileOf(const nlohmann::json& frame) const;
    bool inUserCode(const std::filesystem::path& file) const;
    // Sends the breakpoints of `file` as they are in breakpoints_, replacing those set before.
    void applyBreakpoints(const std::filesystem::path& file,
                          Done<std::vector<BreakpointState>> done);

    boost::asio::any_io_executor executor_;
    std::string url_;
    std::filesystem::path userRoot_;
    Hooks hooks_;
    std::shared_ptr<CdpConnection> cdp_;
    boost::asio::steady_timer releaseTimer_;
    std::chrono::steady_clock::time_point releaseDeadline_;
    ErrorDone startDone_;  // until Node has paused on start
    bool stopped_ = false;
    bool ended_ = false;
    ExceptionMode exceptionMode_ = ExceptionMode::Uncaught;
    std::optional<StepKind> stepping_;  // what the next pause answers
    bool pauseAsked_ = false;
    std::string entryBreakpoint_;  // the one-shot breakpoint on the handler's call

    std::map<std::filesystem::path, std::vector<SourceBreakpoint>> breakpoints_;
    std::map<std::filesystem::path, std::vector<std::string>> breakpointIds_;
    std::map<std::string, std::string> scriptUrls_;  // scriptId -> url

    // Valid while stopped: our ids for V8's call frame ids and object ids.
    std::map<int, nlohmann::json> frames_;
    std::map<int, std::string> objects_;
    int nextReference_ = 1;
};

// file:///a%20b/app.js -> /a b/app.js; empty for what is not a file (node:internal/...).
std::filesystem::path pathFromFileUrl(const std::string& url);
// The URL regex that matches a file whether V8 names it by file:// URL or by plain path.
std::string urlRegexFor(const std::filesystem::path& file);

}  // namespace fogbank::debug
