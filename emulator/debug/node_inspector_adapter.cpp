#include "emulator/debug/node_inspector_adapter.h"

#include "emulator/net/url_encoding.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <cctype>

namespace fogbank::debug {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {
constexpr auto kReleaseRetry = std::chrono::milliseconds(200);
// Node's own start under ASan on a busy machine takes seconds, never this long.
constexpr auto kReleasePatience = std::chrono::seconds(60);
}  // namespace

std::filesystem::path pathFromFileUrl(const std::string& url) {
    constexpr std::string_view scheme = "file://";
    if (url.starts_with(scheme)) return net::percentDecode(url.substr(scheme.size()));
    if (url.starts_with("/")) return url;  // CommonJS modules on older Nodes
    return {};
}

std::string urlRegexFor(const fs::path& file) {
    // Each character either as it is or percent-encoded, since Node's pathToFileURL encodes some
    // (space, %, #, ?, non-ASCII) and older Nodes name CommonJS modules by their plain path.
    std::string regex = "^(?:file://)?";
    for (unsigned char c : file.string()) {
        if (std::isalnum(c) || c == '/' || c == '-' || c == '_' || c == '~') {
            regex += static_cast<char>(c);
            continue;
        }
        const std::string literal = std::string(std::isalnum(c) ? "" : "\\") + static_cast<char>(c);
        regex += fmt::format("(?:{}|%{:02X}|%{:02x})", c < 0x80 ? literal : "(?!)", c, c);
    }
    return regex + "$";
}

NodeInspectorAdapter::NodeInspectorAdapter(boost::asio::any_io_executor executor, std::string url,
                                           fs::path userRoot, Hooks hooks)
    : executor_(std::move(executor)),
      url_(std::move(url)),
      userRoot_(std::move(userRoot)),
      hooks_(std::move(hooks)),
      releaseTimer_(executor_) {}

NodeInspectorAdapter::~NodeInspectorAdapter() {
    // Nothing may call back into an adapter that is going away.
    releaseTimer_.cancel();
    if (cdp_) cdp_->close(false);
}

void NodeInspectorAdapter::start(ErrorDone done) {
    // The connection's handlers hold no strong reference: the adapter owns the connection.
    cdp_ = CdpConnection::create(
        executor_,
        [this](const std::string& method, const json& params) { onEvent(method, params); },
        [this](const std::string& why) {
            ended_ = true;
            stopped_ = false;
            releaseTimer_.cancel();
            if (startDone_) {
                auto done = std::move(startDone_);
                done(why);
            }
            if (hooks_.ended) hooks_.ended(why);
        });
    cdp_->connect(url_, [this, done = std::move(done)](std::string error) {
        if (!error.empty()) {
            done(error);
            return;
        }
        cdp_->send("Runtime.enable", {});
        cdp_->send("Debugger.enable", {{"maxScriptsCacheSize", 10'000'000}});
        setExceptionMode(exceptionMode_, [](std::string) {});
        for (const auto& [file, list] : breakpoints_)
            applyBreakpoints(file, [](std::vector<BreakpointState>, std::string) {});
        startDone_ = std::move(done);
        releaseDeadline_ = std::chrono::steady_clock::now() + kReleasePatience;
        release();
    });
}

void NodeInspectorAdapter::release() {
    if (!startDone_) return;
    if (std::chrono::steady_clock::now() > releaseDeadline_) {
        auto done = std::move(startDone_);
        done("Node did not start running within " + std::to_string(kReleasePatience.count()) +
             " s of the debugger's attach");
        return;
    }
    // Node (started with --inspect-brk) waits for this, then pauses on start; sent again until
    // that pause comes, since Node drops one that reaches it before it waits.
    cdp_->send("Runtime.runIfWaitingForDebugger", {});
    releaseTimer_.expires_after(kReleaseRetry);
    releaseTimer_.async_wait([this](boost::system::error_code ec) {
        if (!ec) release();
    });
}

void NodeInspectorAdapter::setBreakpoints(const fs::path& file,
                                          std::vector<SourceBreakpoint> breakpoints,
                                          Done<std::vector<BreakpointState>> done) {
    breakpoints_[file] = std::move(breakpoints);
    if (!cdp_ || !cdp_->isOpen()) {
        std::vector<BreakpointState> states;
        for (const auto& b : breakpoints_[file])
            states.push_back({b, false, b.line, "not connected"});
        done(std::move(states), {});
        return;
    }
    applyBreakpoints(file, std::move(done));
}

void NodeInspectorAdapter::applyBreakpoints(const fs::path& file,
                                            Done<std::vector<BreakpointState>> done) {
    for (const auto& id : breakpointIds_[file])
        cdp_->send("Debugger.removeBreakpoint", {{"breakpointId", id}});
    breakpointIds_[file].clear();
    const auto& list = breakpoints_[file];
    auto states = std::make_shared<std::vector<BreakpointState>>(list.size());
    auto left = std::make_shared<std::size_t>(list.size());
    if (list.empty()) {
        done({}, {});
        return;
    }
    for (std::size_t i = 0; i < list.size(); ++i) {
        const auto& b = list[i];
        (*states)[i] = {b, false, b.line, {}};
        json params{{"lineNumber", b.line - 1}, {"urlRegex", urlRegexFor(file)}};
        if (!b.condition.empty()) params["condition"] = b.condition;
        cdp_->send("Debugger.setBreakpointByUrl", params,
                   [this, file, i, states, left, done](json result, std::string error) {
                       auto& state = (*states)[i];
                       if (!error.empty()) {
                           state.message = error;
                       } else {
                           breakpointIds_[file].push_back(result.value("breakpointId", ""));
                           const auto& locations = result.value("locations", json::array());
                           // Not loaded yet: V8 binds it when the module is (breakpointResolved).
                           state.verified = true;
                           if (!locations.empty())
                               state.line = locations[0].value("lineNumber", 0) + 1;
                       }
                       if (--*left == 0) done(std::move(*states), {});
                   });
    }
}

void NodeInspectorAdapter::setExceptionMode(ExceptionMode mode, ErrorDone done) {
    exceptionMode_ = mode;
    if (!cdp_ || !cdp_->isOpen()) {
        done({});
        return;
    }
    // The bootstrap settles every handler's promise itself, so to V8 nothing a handler throws is
    // uncaught: Uncaught pauses on all and lets through what is thrown outside the user's code.
    cdp_->send("Debugger.setPauseOnExceptions",
               {{"state", mode == ExceptionMode::None ? "none" : "all"}},
               [done](json, std::string error) { done(error); });
}

void NodeInspectorAdapter::breakOnHandlerEntry(ErrorDone done) {
    if (!cdp_ || !cdp_->isOpen()) {
        done("not connected");
        return;
    }
    cdp_->send("Runtime.evaluate", {{"expression", "globalThis[Symbol.for('fogbank.handler')]"}},
               [this, done](json result, std::string error) {
                   const auto objectId = result.contains("result")
                                             ? result["result"].value("objectId", std::string())
                                             : std::string();
                   if (!error.empty() || objectId.empty()) {
                       done(error.empty() ? "the runtime has not loaded the handler" : error);
                       return;
                   }
                   cdp_->send("Debugger.setBreakpointOnFunctionCall", {{"objectId", objectId}},
                              [this, done](json result, std::string error) {
                                  if (error.empty())
                                      entryBreakpoint_ = result.value("breakpointId", "");
                                  done(error);
                              });
               });
}

void NodeInspectorAdapter::onEvent(const std::string& method, const json& params) {
    if (method == "Debugger.scriptParsed") {
        scriptUrls_[params.value("scriptId", "")] = params.value("url", "");
    } else if (method == "Debugger.paused") {
        onPaused(params);
    } else if (method == "Debugger.resumed") {
        if (!stopped_) return;
        stopped_ = false;
        frames_.clear();
        objects_.clear();
        if (hooks_.resumed) hooks_.resumed();
    }
}

fs::path NodeInspectorAdapter::fileOf(const json& frame) const {
    auto url = frame.value("url", std::string());
    if (url.empty()) {
        const auto it = scriptUrls_.find(frame["location"].value("scriptId", ""));
        if (it != scriptUrls_.end()) url = it->second;
    }
    return pathFromFileUrl(url);
}

bool NodeInspectorAdapter::inUserCode(const fs::path& file) const {
    if (file.empty()) return false;
    const auto relative = file.lexically_relative(userRoot_).string();
    return !relative.empty() && !relative.starts_with("..") &&
           relative.find("node_modules") == std::string::npos;
}

void NodeInspectorAdapter::onPaused(const json& params) {
    const auto reason = params.value("reason", std::string());
    // --inspect-brk's pause before the bootstrap's first line, once the debugger has attached:
    // nothing of the user's has run yet.
    if (reason == "Break on start") {
        cdp_->send("Debugger.resume", {});
        releaseTimer_.cancel();
        if (startDone_) {
            auto done = std::move(startDone_);
            done({});
        }
        return;
    }
    const auto& callFrames = params.value("callFrames", json::array());
    const bool exception = reason == "exception" || reason == "promiseRejection";
    std::vector<std::string> hit;
    for (const auto& id : params.value("hitBreakpoints", json::array()))
        hit.push_back(id.get<std::string>());

    // A throw that Uncaught mode lets through: Node's own, or a dependency's.
    if (exception && exceptionMode_ == ExceptionMode::Uncaught &&
        (callFrames.empty() || !inUserCode(fileOf(callFrames[0])))) {
        cdp_->send("Debugger.resume", {});
        return;
    }

    StopEvent event;
    if (!entryBreakpoint_.empty() &&
        std::find(hit.begin(), hit.end(), entryBreakpoint_) != hit.end()) {
        event.reason = StopReason::Entry;
        cdp_->send("Debugger.removeBreakpoint", {{"breakpointId", entryBreakpoint_}});
        entryBreakpoint_.clear();
    } else if (exception) {
        event.reason = StopReason::Exception;
        const auto& data = params.value("data", json::object());
        event.description = data.value("description", data.value("value", json("")).dump());
        if (data.contains("description"))
            event.description = data["description"].get<std::string>();
    } else if (!hit.empty()) {
        event.reason = StopReason::Breakpoint;
    } else if (pauseAsked_) {
        event.reason = StopReason::Pause;
    } else if (stepping_) {
        event.reason = StopReason::Step;
    } else {
        event.reason = StopReason::Breakpoint;  // a `debugger;` statement
        event.description = "debugger statement";
    }
    pauseAsked_ = false;
    stepping_.reset();

    frames_.clear();
    objects_.clear();
    int id = 0;
    for (const auto& frame : callFrames) {
        StackFrame f;
        f.id = ++id;
        f.name = frame.value("functionName", std::string());
        if (f.name.empty()) f.name = "(anonymous)";
        f.file = fileOf(frame);
        f.line = frame["location"].value("lineNumber", 0) + 1;
        f.column = frame["location"].value("columnNumber", 0) + 1;
        frames_[f.id] = frame;
        event.frames.push_back(std::move(f));
    }
    stopped_ = true;
    if (hooks_.stopped) hooks_.stopped(event);
}

int NodeInspectorAdapter::reference(const std::string& objectId) {
    const int ref = nextReference_++;
    objects_[ref] = objectId;
    return ref;
}

Variable NodeInspectorAdapter::toVariable(const std::string& name, const json& remote) {
    Variable v;
    v.name = name;
    const auto type = remote.value("type", std::string("undefined"));
    const auto subtype = remote.value("subtype", std::string());
    v.type = subtype.empty() || subtype == "null" ? type : subtype;
    if (type == "string") {
        v.value = json(remote.value("value", std::string())).dump();
    } else if (type == "undefined") {
        v.value = "undefined";
    } else if (subtype == "null") {
        v.value = "null";
        v.type = "null";
    } else if (remote.contains("unserializableValue")) {
        v.value = remote["unserializableValue"].get<std::string>();
    } else if (remote.contains("description")) {
        v.value = remote["description"].get<std::string>();
    } else if (remote.contains("value")) {
        v.value = remote["value"].dump();
    }
    if (type == "function") {
        // Functions print their whole source; the signature is enough in a variables tree.
        v.value = v.value.substr(0, v.value.find('{'));
        while (!v.value.empty() && v.value.back() == ' ') v.value.pop_back();
    }
    if ((type == "object" || type == "function") && subtype != "null" &&
        remote.contains("objectId"))
        v.reference = reference(remote["objectId"].get<std::string>());
    return v;
}

void NodeInspectorAdapter::scopes(int frameId, Done<std::vector<Scope>> done) {
    const auto it = frames_.find(frameId);
    if (!stopped_ || it == frames_.end()) {
        done({}, "no frame " + std::to_string(frameId) + " (the debuggee is running)");
        return;
    }
    std::vector<Scope> result;
    for (const auto& scope : it->second.value("scopeChain", json::array())) {
        auto type = scope.value("type", std::string("local"));
        Scope s;
        s.name = type;
        s.name[0] = static_cast<char>(std::toupper(s.name[0]));
        if (scope.contains("name") && !scope["name"].get<std::string>().empty())
            s.name += " (" + scope["name"].get<std::string>() + ")";
        s.expensive = type == "global";
        if (scope.contains("object") && scope["object"].contains("objectId"))
            s.reference = reference(scope["object"]["objectId"].get<std::string>());
        result.push_back(std::move(s));
    }
    done(std::move(result), {});
}

void NodeInspectorAdapter::variables(int ref, Done<std::vector<Variable>> done) {
    const auto it = objects_.find(ref);
    if (!stopped_ || it == objects_.end()) {
        done({}, "no variables " + std::to_string(ref) + " (the debuggee is running)");
        return;
    }
    cdp_->send("Runtime.getProperties", {{"objectId", it->second}, {"ownProperties", true}},
               [this, done](json result, std::string error) {
                   if (!error.empty()) {
                       done({}, error);
                       return;
                   }
                   std::vector<Variable> vars;
                   for (const auto& p : result.value("result", json::array())) {
                       const auto name = p.value("name", std::string());
                       if (name == "__proto__") continue;
                       if (p.contains("value"))
                           vars.push_back(toVariable(name, p["value"]));
                       else if (p.contains("get"))
                           vars.push_back({name, "(getter)", "accessor", 0});
                   }
                   done(std::move(vars), {});
               });
}

void NodeInspectorAdapter::evaluate(int frameId, std::string expression, Done<Variable> done) {
    const auto it = frames_.find(frameId);
    if (!stopped_ || it == frames_.end()) {
        done({}, "no frame " + std::to_string(frameId) + " (the debuggee is running)");
        return;
    }
    cdp_->send(
        "Debugger.evaluateOnCallFrame",
        {{"callFrameId", it->second.value("callFrameId", "")},
         {"expression", expression},
         {"silent", true}},
        [this, expression, done](json result, std::string error) {
            if (!error.empty()) {
                done({}, error);
                return;
            }
            if (result.contains("exceptionDetails")) {
                const auto& details = result["exceptionDetails"];
                std::string text = details.value("text", std::string("error"));
                if (details.contains("exception") && details["exception"].contains("description"))
                    text = details["exception"]["description"].get<std::string>();
                done({}, text.substr(0, text.find('\n')));
                return;
            }
            done(toVariable(expression, result.value("result", json::object())), {});
        });
}

void NodeInspectorAdapter::step(StepKind kind, ErrorDone done) {
    if (!stopped_) {
        done("not stopped");
        return;
    }
    static const std::map<StepKind, const char*> methods{{StepKind::Continue, "Debugger.resume"},
                                                         {StepKind::Over, "Debugger.stepOver"},
                                                         {StepKind::Into, "Debugger.stepInto"},
                                                         {StepKind::Out, "Debugger.stepOut"}};
    if (kind != StepKind::Continue) stepping_ = kind;
    cdp_->send(methods.at(kind), {}, [done](json, std::string error) { done(error); });
}

void NodeInspectorAdapter::pause(ErrorDone done) {
    if (stopped_) {
        done({});
        return;
    }
    if (!cdp_ || !cdp_->isOpen()) {
        done("not connected");
        return;
    }
    pauseAsked_ = true;
    cdp_->send("Debugger.pause", {}, [done](json, std::string error) { done(error); });
}

void NodeInspectorAdapter::detach(ErrorDone done) {
    if (!cdp_ || !cdp_->isOpen()) {
        done({});
        return;
    }
    for (auto& [file, ids] : breakpointIds_)
        for (const auto& id : ids) cdp_->send("Debugger.removeBreakpoint", {{"breakpointId", id}});
    breakpointIds_.clear();
    cdp_->send("Debugger.setPauseOnExceptions", {{"state", "none"}});
    // Disabling the debugger resumes a paused isolate; its answer means everything before it
    // was applied, so the connection can close.
    cdp_->send("Debugger.disable", {}, [this, done](json, std::string error) {
        stopped_ = false;
        ended_ = true;
        cdp_->close();
        done(error);
    });
}

}  // namespace fogbank::debug
