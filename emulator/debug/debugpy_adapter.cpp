#include "emulator/debug/debugpy_adapter.h"

#include <spdlog/spdlog.h>

namespace fogbank::debug {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {
// debugpy binds its port a little after the runtime has said it will, slower under ASan.
constexpr auto kConnectPatience = std::chrono::seconds(20);

StopReason reasonOf(const std::string& dap) {
    if (dap == "step") return StopReason::Step;
    if (dap == "exception") return StopReason::Exception;
    if (dap == "pause") return StopReason::Pause;
    if (dap == "entry") return StopReason::Entry;
    return StopReason::Breakpoint;  // breakpoint, function breakpoint, goto, ...
}
}  // namespace

DebugpyAdapter::DebugpyAdapter(boost::asio::any_io_executor executor, int port, fs::path runtimeDir,
                               std::function<std::optional<HandlerEntry>()> entry, Hooks hooks)
    : executor_(std::move(executor)),
      port_(port),
      runtimeDir_(std::move(runtimeDir)),
      entry_(std::move(entry)),
      hooks_(std::move(hooks)) {}

DebugpyAdapter::~DebugpyAdapter() {
    if (dap_) dap_->close(false);
}

void DebugpyAdapter::start(ErrorDone done) {
    dap_ = std::make_unique<DapConnection>(
        executor_, [this](const std::string& event, const json& body) { onEvent(event, body); },
        [this](const std::string& why) {
            stopped_ = false;
            if (hooks_.ended) hooks_.ended(why);
        });
    startDone_ = std::move(done);
    dap_->connect(port_, kConnectPatience, [this](std::string error) {
        if (!error.empty()) {
            auto done = std::move(startDone_);
            done(error);
            return;
        }
        dap_->request("initialize", {{"clientID", "fogbank"},
                                     {"clientName", "Fogbank"},
                                     {"adapterID", "debugpy"},
                                     {"pathFormat", "path"},
                                     {"linesStartAt1", true},
                                     {"columnsStartAt1", true},
                                     {"supportsVariableType", true}});
        // The runtime's own frames are library code: stepping out of the handler ends in the
        // next invocation's code, not in the invoke loop, and an error the runtime catches from
        // the handler counts as unhandled by the user.
        dap_->request(
            "attach",
            {{"justMyCode", true},
             {"rules", json::array({{{"path", runtimeDir_.string()}, {"include", false}}})},
             {"subProcess", false},
             {"redirectOutput", false},
             {"showReturnValue", false},
             {"variablePresentation",
              {{"special", "hide"}, {"function", "hide"}, {"class", "hide"}}}},
            [this](json, std::string error) {
                if (!error.empty() && startDone_) {
                    auto done = std::move(startDone_);
                    done("debugpy refused to attach: " + error);
                }
            });
    });
}

void DebugpyAdapter::configure() {
    // pydevd is ready for its configuration once it sends `initialized`.
    for (const auto& [file, list] : breakpoints_)
        applyBreakpoints(file, [](std::vector<BreakpointState>, std::string) {});
    setExceptionMode(exceptionMode_, [](std::string) {});
    dap_->request("configurationDone", json::object(), [this](json, std::string error) {
        configured_ = error.empty();
        if (startDone_) {
            auto done = std::move(startDone_);
            done(error);
        }
    });
}

void DebugpyAdapter::setBreakpoints(const fs::path& file, std::vector<SourceBreakpoint> breakpoints,
                                    Done<std::vector<BreakpointState>> done) {
    breakpoints_[file] = std::move(breakpoints);
    if (!dap_ || !dap_->isOpen()) {
        std::vector<BreakpointState> states;
        for (const auto& b : breakpoints_[file])
            states.push_back({b, false, b.line, "not connected"});
        done(std::move(states), {});
        return;
    }
    applyBreakpoints(file, std::move(done));
}

void DebugpyAdapter::applyBreakpoints(const fs::path& file,
                                      Done<std::vector<BreakpointState>> done) {
    const auto& list = breakpoints_[file];
    json sent = json::array();
    for (const auto& b : list) {
        json entry{{"line", b.line}};
        if (!b.condition.empty()) entry["condition"] = b.condition;
        sent.push_back(std::move(entry));
    }
    if (armedEntry_ && armedEntry_->file == file) sent.push_back({{"line", armedEntry_->line}});
    dap_->request("setBreakpoints", {{"source", {{"path", file.string()}}}, {"breakpoints", sent}},
                  [list, done](json body, std::string error) {
                      std::vector<BreakpointState> states;
                      const auto answered = body.is_object()
                                                ? body.value("breakpoints", json::array())
                                                : json::array();
                      for (std::size_t i = 0; i < list.size(); ++i) {
                          BreakpointState state{list[i], false, list[i].line, error};
                          if (i < answered.size()) {
                              state.verified = answered[i].value("verified", false);
                              state.line = answered[i].value("line", list[i].line);
                              state.message = answered[i].value("message", std::string());
                          }
                          states.push_back(std::move(state));
                      }
                      done(std::move(states), error);
                  });
}

void DebugpyAdapter::setExceptionMode(ExceptionMode mode, ErrorDone done) {
    exceptionMode_ = mode;
    if (!dap_ || !dap_->isOpen()) {
        done({});
        return;
    }
    json filters = json::array();
    if (mode == ExceptionMode::Uncaught) filters.push_back("userUnhandled");
    if (mode == ExceptionMode::All) filters.push_back("raised");
    dap_->request("setExceptionBreakpoints", {{"filters", filters}},
                  [done](json, std::string error) { done(error); });
}

void DebugpyAdapter::breakOnHandlerEntry(ErrorDone done) {
    const auto entry = entry_ ? entry_() : std::nullopt;
    if (!entry) {
        done("the runtime has not said where the handler starts");
        return;
    }
    if (!dap_ || !dap_->isOpen()) {
        done("not connected");
        return;
    }
    armedEntry_ = entry;
    applyBreakpoints(entry->file,
                     [done](std::vector<BreakpointState>, std::string error) { done(error); });
}

void DebugpyAdapter::onEvent(const std::string& event, const json& body) {
    if (event == "initialized") {
        configure();
    } else if (event == "stopped") {
        onStopped(body);
    } else if (event == "continued") {
        onResumed();
    } else if (event == "terminated" || event == "exited") {
        stopped_ = false;
    }
}

void DebugpyAdapter::onStopped(const json& body) {
    threadId_ = body.value("threadId", threadId_);
    auto requested = std::make_shared<json>(body);
    dap_->request(
        "stackTrace", {{"threadId", threadId_}, {"startFrame", 0}, {"levels", 200}},
        [this, requested](json trace, std::string error) {
            StopEvent event;
            event.reason = reasonOf(requested->value("reason", std::string()));
            if (!error.empty()) {
                spdlog::warn("debugpy: no stack for a stop: {}", error);
                trace = json::object();
            }
            for (const auto& frame : trace.value("stackFrames", json::array())) {
                StackFrame f;
                f.id = frame.value("id", 0);
                f.name = frame.value("name", std::string());
                if (frame.contains("source") && frame["source"].contains("path"))
                    f.file = frame["source"]["path"].get<std::string>();
                f.line = frame.value("line", 0);
                f.column = frame.value("column", 0);
                event.frames.push_back(std::move(f));
            }
            if (armedEntry_ && !event.frames.empty() && event.frames[0].file == armedEntry_->file &&
                event.frames[0].line == armedEntry_->line &&
                event.reason == StopReason::Breakpoint) {
                // The one-shot stop on entry: taken out again, the user's own stay.
                event.reason = StopReason::Entry;
                const auto file = armedEntry_->file;
                armedEntry_.reset();
                applyBreakpoints(file, [](std::vector<BreakpointState>, std::string) {});
            }
            if (event.reason != StopReason::Exception) {
                report(std::move(event), *requested);
                return;
            }
            dap_->request("exceptionInfo", {{"threadId", threadId_}},
                          [this, event, requested](json info, std::string error) mutable {
                              if (error.empty() && info.is_object()) {
                                  const auto& details = info.value("details", json::object());
                                  const auto type = details.value("typeName", std::string());
                                  const auto message = details.value(
                                      "message", info.value("description", std::string()));
                                  event.description =
                                      type.empty() ? message : type + ": " + message;
                              } else {
                                  event.description = requested->value("text", std::string());
                              }
                              report(std::move(event), *requested);
                          });
        });
}

void DebugpyAdapter::report(StopEvent event, const json& stoppedBody) {
    if (event.description.empty()) event.description = stoppedBody.value("description", "");
    stopped_ = true;
    if (hooks_.stopped) hooks_.stopped(event);
}

void DebugpyAdapter::onResumed() {
    if (!stopped_) return;
    stopped_ = false;
    if (hooks_.resumed) hooks_.resumed();
}

void DebugpyAdapter::scopes(int frameId, Done<std::vector<Scope>> done) {
    if (!stopped_) {
        done({}, "the debuggee is running");
        return;
    }
    dap_->request("scopes", {{"frameId", frameId}}, [done](json body, std::string error) {
        std::vector<Scope> result;
        if (error.empty())
            for (const auto& s : body.value("scopes", json::array()))
                result.push_back({s.value("name", std::string()), s.value("variablesReference", 0),
                                  s.value("expensive", false)});
        done(std::move(result), error);
    });
}

void DebugpyAdapter::variables(int reference, Done<std::vector<Variable>> done) {
    if (!stopped_) {
        done({}, "the debuggee is running");
        return;
    }
    dap_->request(
        "variables", {{"variablesReference", reference}}, [done](json body, std::string error) {
            std::vector<Variable> result;
            if (error.empty())
                for (const auto& v : body.value("variables", json::array()))
                    result.push_back(
                        {v.value("name", std::string()), v.value("value", std::string()),
                         v.value("type", std::string()), v.value("variablesReference", 0)});
            done(std::move(result), error);
        });
}

void DebugpyAdapter::evaluate(int frameId, std::string expression, Done<Variable> done) {
    if (!stopped_) {
        done({}, "the debuggee is running");
        return;
    }
    dap_->request("evaluate",
                  {{"expression", expression}, {"frameId", frameId}, {"context", "watch"}},
                  [expression, done](json body, std::string error) {
                      if (!error.empty()) {
                          done({}, error);
                          return;
                      }
                      done({expression, body.value("result", std::string()),
                            body.value("type", std::string()), body.value("variablesReference", 0)},
                           {});
                  });
}

void DebugpyAdapter::step(StepKind kind, ErrorDone done) {
    if (!stopped_) {
        done("not stopped");
        return;
    }
    static const std::map<StepKind, const char*> commands{{StepKind::Continue, "continue"},
                                                          {StepKind::Over, "next"},
                                                          {StepKind::Into, "stepIn"},
                                                          {StepKind::Out, "stepOut"}};
    dap_->request(commands.at(kind), {{"threadId", threadId_}},
                  [this, done](json, std::string error) {
                      // pydevd does not always send `continued` for what the client asked.
                      if (error.empty()) onResumed();
                      done(error);
                  });
}

void DebugpyAdapter::withThread(std::function<void(int, std::string)> then) {
    if (threadId_ != 0) {
        then(threadId_, {});
        return;
    }
    dap_->request("threads", json::object(), [this, then](json body, std::string error) {
        const auto threads =
            body.is_object() ? body.value("threads", json::array()) : json::array();
        if (!error.empty() || threads.empty()) {
            then(0, error.empty() ? "no threads" : error);
            return;
        }
        threadId_ = threads[0].value("id", 0);
        then(threadId_, {});
    });
}

void DebugpyAdapter::pause(ErrorDone done) {
    if (stopped_) {
        done({});
        return;
    }
    if (!dap_ || !dap_->isOpen()) {
        done("not connected");
        return;
    }
    withThread([this, done](int thread, std::string error) {
        if (!error.empty()) {
            done(error);
            return;
        }
        dap_->request("pause", {{"threadId", thread}},
                      [done](json, std::string error) { done(error); });
    });
}

void DebugpyAdapter::detach(ErrorDone done) {
    if (!dap_ || !dap_->isOpen()) {
        done({});
        return;
    }
    armedEntry_.reset();
    for (auto& [file, list] : breakpoints_) {
        list.clear();
        dap_->request("setBreakpoints",
                      {{"source", {{"path", file.string()}}}, {"breakpoints", json::array()}});
    }
    dap_->request("setExceptionBreakpoints", {{"filters", json::array()}});
    // Disconnecting without terminating resumes every thread and leaves the process running.
    dap_->request("disconnect", {{"restart", false}, {"terminateDebuggee", false}},
                  [this, done](json, std::string error) {
                      stopped_ = false;
                      dap_->close();
                      done(error);
                  });
}

}  // namespace fogbank::debug
