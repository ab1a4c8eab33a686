#include "emulator/runtime/sandbox.h"

#include "emulator/trace/ids.h"

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <boost/asio/ip/tcp.hpp>

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fstream>

namespace fogbank {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using SteadyClock = std::chrono::steady_clock;

namespace {

// Lambda allows 10 s for a runtime to initialise before it gives up on the environment.
constexpr auto kInitLimit = std::chrono::seconds(10);
// Often enough to stop a runaway allocation before it takes the laptop with it; the peak is
// read once more when the invocation ends, so a short spike is still reported.
constexpr auto kMemoryPoll = std::chrono::milliseconds(20);

double msSince(SteadyClock::time_point from, SteadyClock::time_point to = SteadyClock::now()) {
    return std::chrono::duration<double, std::milli>(to - from).count();
}

std::string isoNow() {
    auto now = Clock::now();
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()) % 1000;
    return fmt::format("{:%Y-%m-%dT%H:%M:%S}.{:03d}Z", fmt::gmtime(Clock::to_time_t(now)),
                       static_cast<int>(ms.count()));
}

// A port that nothing listens on now, for a debugger that cannot pick its own (debugpy's
// in-process adapter). Another process may take it before the runtime does; the runtime then
// fails its init with the error, and the next invocation tries another port.
int freeLoopbackPort(asio::io_context& io) {
    asio::ip::tcp::acceptor probe(io, {asio::ip::make_address("127.0.0.1"), 0});
    return probe.local_endpoint().port();
}

// The bootstrap's {"runtimeStartMs","handlerLoadMs"}, measured on its own clocks, fitted into the
// init the engine measured: the remainder is the process start. Nothing for a malformed header.
std::optional<InitBreakdown> initBreakdown(const std::string& header, double initMs) {
    auto doc = nlohmann::json::parse(header, nullptr, false);
    if (!doc.is_object() || !doc.contains("runtimeStartMs") || !doc.contains("handlerLoadMs") ||
        !doc["runtimeStartMs"].is_number() || !doc["handlerLoadMs"].is_number()) {
        spdlog::debug("ignoring a malformed Fogbank-Init-Breakdown: {}", header);
        return std::nullopt;
    }
    InitBreakdown parts;
    // Python's start time is known to a clock tick only: never let the parts exceed the whole.
    parts.moduleMs = std::clamp(doc["handlerLoadMs"].get<double>(), 0.0, initMs);
    parts.runtimeMs = std::clamp(doc["runtimeStartMs"].get<double>(), 0.0, initMs - parts.moduleMs);
    parts.processMs = std::max(0.0, initMs - parts.runtimeMs - parts.moduleMs);
    return parts;
}

}  // namespace

struct Sandbox::Active {
    PendingInvocation pending;
    bool cold = false;
    bool arming = false;  // waiting for the debugger to arm a stop on the handler's entry
    bool armed = false;
    bool delivered = false;
    SteadyClock::time_point deliveredAt;
    std::vector<LogLine> logs;
};

Sandbox::Sandbox(asio::io_context& io, std::string id, const FunctionSpec& function,
                 std::string functionArn, const LaunchPlan& plan, Hooks hooks, SandboxMode mode)
    : io_(io),
      id_(std::move(id)),
      function_(function),
      functionArn_(std::move(functionArn)),
      plan_(plan),
      hooks_(std::move(hooks)),
      mode_(mode),
      timeoutTimer_(io),
      memoryTimer_(io) {}

Sandbox::~Sandbox() {
    if (api_) api_->close();
    if (!deadlineFile_.empty()) {
        std::error_code ignored;
        std::filesystem::remove(deadlineFile_, ignored);
    }
}

Debuggee::Protocol Sandbox::protocol() const {
    return function_.family() == RuntimeFamily::Python ? Protocol::Debugpy
                                                       : Protocol::NodeInspector;
}

void Sandbox::start() {
    api_ = std::make_unique<net::HttpServer>(
        io_, net::HttpServerOptions{},
        [weak = weak_from_this()](net::Request&& request, net::Responder responder) {
            if (auto self = weak.lock())
                dispatchRuntimeApi(std::move(request), std::move(responder), *self);
            else
                responder.send(410, runtimeApiError("Gone", "sandbox stopped"));
        });
    auto spec = plan_.spec;
    spec.environment["AWS_LAMBDA_RUNTIME_API"] = "127.0.0.1:" + std::to_string(api_->port());
    spec.environment["AWS_LAMBDA_LOG_STREAM_NAME"] = fmt::format(
        "{:%Y/%m/%d}/[$LATEST]{}", fmt::gmtime(Clock::to_time_t(Clock::now())), randomHex(32));
    if (plan_.debug) {
        debugPort_ = plan_.debug->port;
        if (function_.family() == RuntimeFamily::Python && debugPort_ == 0) {
            debugPort_ = freeLoopbackPort(io_);
            spec.environment["FOGBANK_DEBUG_PORT"] = std::to_string(debugPort_);
        }
        std::string name = id_;
        std::replace_if(
            name.begin(), name.end(), [](char c) { return !std::isalnum(c & 0xff); }, '-');
        deadlineFile_ = std::filesystem::temp_directory_path() /
                        fmt::format("fogbank-{}-{}.deadline", ::getpid(), name);
        spec.environment["FOGBANK_DEADLINE_FILE"] = deadlineFile_.string();
    }
    if (mode_.provisioned)
        spec.environment["AWS_LAMBDA_INITIALIZATION_TYPE"] = "provisioned-concurrency";
    if (mode_.cpuShare) limitCpu(spec);
    spawnedAt_ = lastActive_ = SteadyClock::now();
    try {
        process_ = std::make_unique<ChildProcess>(
            io_, spec,
            [weak = weak_from_this()](ChildProcess::Stream stream, std::string line) {
                if (auto self = weak.lock()) self->onLine(stream, std::move(line));
            },
            [weak = weak_from_this()](int, std::string description) {
                if (auto self = weak.lock()) self->onExit(description);
            });
    } catch (const std::exception& e) {
        api_->close();
        state_ = State::Dead;
        throw LaunchError("function " + function_.functionName + ": cannot start " +
                          spec.executable.string() + ": " + e.what());
    }
    spdlog::debug("sandbox {} started pid {} ({})", id_, process_->pid(), plan_.interpreter);
    // A runtime under a debugger waits for one before its init, as long as it takes.
    if (plan_.debug) return;
    // The same timer guards the init phase; seq 0 belongs to no invocation.
    timeoutTimer_.expires_after(kInitLimit);
    timeoutTimer_.async_wait([weak = weak_from_this()](boost::system::error_code ec) {
        auto self = weak.lock();
        if (ec || !self || self->initDone_ || self->state_ == State::Dead) return;
        spdlog::warn("sandbox {}: runtime did not ask for an event within {} s", self->id_,
                     kInitLimit.count());
        if (self->current_)
            self->finish(
                InvocationStatus::Timeout,
                self->lambdaError("Runtime.InitTimeout", "Init timed out after 10.00 seconds"),
                "Runtime.InitTimeout");
        self->kill();
    });
}

void Sandbox::limitCpu(LaunchSpec& spec) {
    cpuShare_ = cpuShareOf(function_.memoryMb);
    cpuMode_ = mode_.cpuShare->mode();
    if (cpuMode_ == CpuMode::Estimate) return;
    try {
        cgroup_ = mode_.cpuShare->create(id_, cpuShare_);
        spec.cgroupProcsFd = cgroup_->procsFd();
    } catch (const std::exception& e) {
        spdlog::warn("sandbox {}: CPU share not limited, its durations are estimated: {}", id_,
                     e.what());
        cpuMode_ = CpuMode::Estimate;
    }
}

bool Sandbox::acceptsWork() const {
    return !retired_ && !current_ &&
           (state_ == State::Idle || state_ == State::Finishing || state_ == State::Starting);
}

void Sandbox::run(PendingInvocation invocation) {
    current_ = std::make_unique<Active>();
    current_->pending = std::move(invocation);
    current_->cold = !initDone_;
    if (current_->cold)
        appendLog(fmt::format("INIT_START Runtime Version: {}\tInterpreter: {}", function_.runtime,
                              plan_.interpreter));
    if (state_ == State::Idle) deliverWhenArmed();
}

void Sandbox::retire() {
    retired_ = true;
    if (state_ == State::Idle || (state_ == State::Starting && !current_)) kill();
}

void Sandbox::shutdown() {
    auto self = shared_from_this();
    retired_ = true;
    kill();
    if (current_)
        finish(InvocationStatus::RuntimeExit,
               lambdaError("Runtime.ExitError",
                           "Runtime exited with error: signal: killed (Fogbank stopped)"),
               "Runtime.ExitError");
}

void Sandbox::kill() {
    if (state_ == State::Dead) return;
    state_ = State::Dead;
    timeoutTimer_.cancel();
    memoryTimer_.cancel();
    if (process_) process_->kill();
}

void Sandbox::next(const net::Request& request, net::Responder responder) {
    auto self = shared_from_this();
    if (state_ == State::Dead) {
        responder.send(410, runtimeApiError("Gone", "sandbox stopped"));
        return;
    }
    if (!initDone_) {
        initDone_ = true;
        initMs_ = msSince(spawnedAt_);
        timeoutTimer_.cancel();
        if (auto it = request.find("Fogbank-Init-Breakdown"); it != request.end())
            initParts_ = initBreakdown(std::string(it->value()), initMs_);
        if (plan_.debug) {
            // Waiting for a debugger to attach is not part of a cold start. It cannot be told
            // apart from the runtime's own start (Node waits inside it): no parts then.
            initParts_.reset();
            if (auto it = request.find("Fogbank-Debugger-Wait-Ms"); it != request.end()) {
                try {
                    initMs_ = std::max(0.0, initMs_ - std::stod(std::string(it->value())));
                } catch (const std::exception&) {
                }
            }
            if (auto it = request.find("Fogbank-Handler-Entry"); it != request.end()) {
                auto entry = nlohmann::json::parse(std::string(it->value()), nullptr, false);
                if (entry.is_object() && entry.value("line", 0) > 0)
                    handlerEntry_ =
                        HandlerEntry{entry.value("file", std::string()), entry.value("line", 0)};
            }
        }
    }
    if (current_ && current_->delivered) {
        // The runtime asked for more without answering: Lambda treats the event as failed.
        finish(InvocationStatus::FunctionError,
               lambdaError("Runtime.InvalidResponse",
                           "the runtime asked for the next event without answering this one"),
               "Runtime.InvalidResponse");
    }
    nextResponder_ = std::move(responder);
    lastActive_ = SteadyClock::now();
    if (current_) {
        state_ = State::Idle;  // until the event is delivered
        deliverWhenArmed();
        return;
    }
    state_ = State::Idle;
    if (retired_) {
        kill();  // the exit handler tells the pool
        return;
    }
    hooks_.available(*this);
}

void Sandbox::deliverWhenArmed() {
    auto& active = *current_;
    const auto& debug = active.pending.request.debug;
    const bool arm = hooks_.debugHost && plan_.debug && !plan_.debug->ide && debug &&
                     debug->stopOnEntry && !active.armed;
    if (!arm) {
        deliver();
        return;
    }
    if (active.arming) return;
    active.arming = true;
    lastActive_ = SteadyClock::now();  // not idle: the reaper must leave it alone
    hooks_.debugHost->beforeDelivery(
        *this, *debug, [weak = weak_from_this(), requestId = active.pending.requestId] {
            auto self = weak.lock();
            if (!self || !self->current_ || self->current_->pending.requestId != requestId ||
                self->current_->delivered)
                return;
            self->current_->armed = true;
            self->current_->arming = false;
            if (self->state_ == State::Idle && self->nextResponder_.open()) self->deliver();
        });
}

void Sandbox::deliver() {
    auto& active = *current_;
    const auto& pending = active.pending;
    active.delivered = true;
    state_ = State::Busy;
    for (auto& line : stray_) active.logs.push_back(std::move(line));
    stray_.clear();
    appendLog("START RequestId: " + pending.requestId + " Version: $LATEST");

    const auto timeout = std::chrono::duration_cast<SteadyClock::duration>(
        std::chrono::duration<double>(function_.timeoutSeconds));
    const auto deadlineMs =
        std::chrono::duration_cast<std::chrono::milliseconds>(
            (Clock::now() + std::chrono::duration_cast<Clock::duration>(timeout))
                .time_since_epoch())
            .count();
    net::Response event{http::status::ok, 11};
    event.set(http::field::content_type, "application/json");
    event.set("Lambda-Runtime-Aws-Request-Id", pending.requestId);
    event.set("Lambda-Runtime-Deadline-Ms", std::to_string(deadlineMs));
    event.set("Lambda-Runtime-Invoked-Function-Arn", functionArn_);
    event.set("Lambda-Runtime-Trace-Id", pending.traceHeader);
    if (!pending.request.clientContext.empty())
        event.set("Lambda-Runtime-Client-Context", pending.request.clientContext);
    event.body() = pending.request.payload;
    if (cpuMode_ != CpuMode::Off) cpuAtDeliverNs_ = processCpuNs(process_->pid());
    active.deliveredAt = SteadyClock::now();
    paused_ = false;
    pausedTotal_ = {};
    deadlineMs_ = deadlineMs;
    if (plan_.debug) writeDeadline(deadlineMs_);
    nextResponder_.send(std::move(event));

    const auto seq = ++seq_;
    timeoutAt_ = active.deliveredAt + timeout;
    // An IDE's pauses cannot be seen from here: its invocations have no timeout.
    if (!plan_.debug || !plan_.debug->ide) armTimeout(seq);
    memoryTimer_.expires_after(kMemoryPoll);
    memoryTimer_.async_wait([weak = weak_from_this(), seq](boost::system::error_code ec) {
        if (auto self = weak.lock(); self && !ec) self->pollMemory(seq);
    });
}

void Sandbox::armTimeout(std::uint64_t seq) {
    timeoutTimer_.expires_at(timeoutAt_);
    timeoutTimer_.async_wait([weak = weak_from_this(), seq](boost::system::error_code ec) {
        if (auto self = weak.lock(); self && !ec) self->onTimeout(seq);
    });
}

void Sandbox::writeDeadline(std::int64_t epochMs) {
    // Written whole to a new file and renamed over the old, so the runtime never reads half.
    auto temp = deadlineFile_;
    temp += ".new";
    {
        std::ofstream out(temp, std::ios::trunc);
        out << epochMs;
        if (!out) {
            spdlog::warn("sandbox {}: cannot write {}", id_, temp.string());
            return;
        }
    }
    std::error_code ec;
    std::filesystem::rename(temp, deadlineFile_, ec);
    if (ec)
        spdlog::warn("sandbox {}: cannot write {}: {}", id_, deadlineFile_.string(), ec.message());
}

void Sandbox::setPaused(bool paused) {
    if (paused == paused_) return;
    if (paused) {
        // Between invocations nothing runs out; only a delivered invocation's clock stops.
        if (!current_ || !current_->delivered || state_ == State::Dead) return;
        paused_ = true;
        pausedAt_ = SteadyClock::now();
        timeoutTimer_.cancel();
        return;
    }
    paused_ = false;
    const auto pause = SteadyClock::now() - pausedAt_;
    pausedTotal_ += pause;
    if (!current_ || !current_->delivered || state_ == State::Dead) return;
    timeoutAt_ += pause;
    deadlineMs_ += std::chrono::duration_cast<std::chrono::milliseconds>(pause).count();
    writeDeadline(deadlineMs_);
    if (!plan_.debug || !plan_.debug->ide) armTimeout(seq_);
}

void Sandbox::failDebuggee(const std::string& why) {
    auto self = shared_from_this();
    retired_ = true;
    kill();
    if (current_)
        finish(InvocationStatus::RuntimeExit,
               lambdaError("Runtime.DebuggerError", "the debugger could not attach: " + why),
               "Runtime.DebuggerError");
}

std::string Sandbox::runningRequestId() const {
    return current_ && current_->delivered ? current_->pending.requestId : std::string();
}

void Sandbox::response(const std::string& requestId, std::string body, net::Responder responder) {
    auto self = shared_from_this();
    if (!current_ || !current_->delivered || current_->pending.requestId != requestId) {
        responder.send(400, runtimeApiError("InvalidRequestID",
                                            "no invocation " + requestId + " is running here"));
        return;
    }
    responder.send(202, R"({"status":"OK"})");
    state_ = State::Finishing;
    finish(InvocationStatus::Success, std::move(body), {});
}

void Sandbox::error(const std::string& requestId, std::string body, std::string errorType,
                    net::Responder responder) {
    auto self = shared_from_this();
    if (!current_ || !current_->delivered || current_->pending.requestId != requestId) {
        responder.send(400, runtimeApiError("InvalidRequestID",
                                            "no invocation " + requestId + " is running here"));
        return;
    }
    responder.send(202, R"({"status":"OK"})");
    auto document = nlohmann::json::parse(body, nullptr, false);
    if (!document.is_object()) {
        document = {{"errorType", errorType.empty() ? "Unhandled" : errorType},
                    {"errorMessage", body}};
    }
    std::string type = document.value("errorType", errorType);
    state_ = State::Finishing;
    finish(InvocationStatus::FunctionError, document.dump(), type.empty() ? "Unhandled" : type);
}

void Sandbox::initError(std::string body, std::string errorType, net::Responder responder) {
    auto self = shared_from_this();
    responder.send(202, R"({"status":"OK"})");
    initDone_ = true;
    initMs_ = msSince(spawnedAt_);
    auto document = nlohmann::json::parse(body, nullptr, false);
    if (!document.is_object())
        document = {{"errorType", errorType.empty() ? "Runtime.Unknown" : errorType},
                    {"errorMessage", body}};
    std::string type = document.value("errorType", errorType);
    appendLog(
        fmt::format("INIT_REPORT Init Duration: {:.2f} ms\tPhase: init\tStatus: error\t"
                    "Error Type: {}",
                    initMs_, type));
    if (current_) finish(InvocationStatus::InitError, document.dump(), type);
    kill();
}

void Sandbox::onTimeout(std::uint64_t seq) {
    if (seq != seq_ || !current_ || !current_->delivered) return;
    auto self = shared_from_this();
    const auto message =
        fmt::format("Task timed out after {:.2f} seconds", function_.timeoutSeconds);
    appendLog(isoNow() + " " + current_->pending.requestId + " " + message);
    peakKb_ = std::max(peakKb_, process_->peakRssKb());
    kill();
    finish(InvocationStatus::Timeout, lambdaError("Sandbox.Timedout", message), "Sandbox.Timedout");
}

void Sandbox::pollMemory(std::uint64_t seq) {
    if (seq != seq_ || !current_ || state_ == State::Dead) return;
    peakKb_ = std::max(peakKb_, process_->peakRssKb());
    if (peakKb_ > static_cast<long>(function_.memoryMb) * 1024) {
        auto self = shared_from_this();
        kill();
        finish(InvocationStatus::OutOfMemory,
               lambdaError("Runtime.OutOfMemory",
                           fmt::format("Runtime exited with error: signal: killed (memory "
                                       "limit of {} MB exceeded)",
                                       function_.memoryMb)),
               "Runtime.OutOfMemory");
        return;
    }
    memoryTimer_.expires_after(kMemoryPoll);
    memoryTimer_.async_wait([weak = weak_from_this(), seq](boost::system::error_code ec) {
        if (auto self = weak.lock(); self && !ec) self->pollMemory(seq);
    });
}

bool Sandbox::debuggerLine(ChildProcess::Stream stream, const std::string& line) {
    if (!plan_.debug || stream != ChildProcess::Stream::Stderr) return false;
    // What Node's inspector and Fogbank's Python runtime print about the debugger is not the
    // function's output.
    static constexpr std::string_view kNode = "Debugger listening on ws://";
    static constexpr std::string_view kPython = "Fogbank-Debugger-Listening: ";
    std::string endpoint;
    if (line.starts_with(kNode)) {
        endpoint = line.substr(kNode.size() - 5);
    } else if (line.starts_with(kPython)) {
        endpoint = line.substr(kPython.size());
    } else {
        return line.starts_with("For help, see: https://nodejs.org/") ||
               line.starts_with("Debugger ending on ws://") || line == "Debugger attached." ||
               line == "Waiting for the debugger to disconnect...";
    }
    // host:port, after the scheme if there is one
    auto hostPort =
        endpoint.substr(endpoint.find("//") == std::string::npos ? 0 : endpoint.find("//") + 2);
    hostPort = hostPort.substr(0, hostPort.find('/'));
    try {
        debugPort_ = std::stoi(hostPort.substr(hostPort.rfind(':') + 1));
    } catch (const std::exception&) {
        spdlog::warn("sandbox {}: cannot read the debugger's port from \"{}\"", id_, line);
        return true;
    }
    debugEndpoint_ = endpoint;
    spdlog::debug("sandbox {}: debugger listening on {}", id_, debugEndpoint_);
    if (hooks_.debugHost) hooks_.debugHost->listening(shared_from_this(), plan_.debug->ide);
    return true;
}

void Sandbox::onLine(ChildProcess::Stream stream, std::string line) {
    if (debuggerLine(stream, line)) return;
    if (current_) {
        appendLog(std::move(line));
        return;
    }
    // Bounded: a chatty background timer must not grow the engine without limit.
    if (stray_.size() < 1000) stray_.push_back(LogLine{Clock::now(), std::move(line)});
}

void Sandbox::onExit(const std::string& description) {
    auto self = shared_from_this();
    const bool wasDead = state_ == State::Dead;
    state_ = State::Dead;
    timeoutTimer_.cancel();
    memoryTimer_.cancel();
    if (!wasDead) spdlog::debug("sandbox {} exited: {}", id_, description);
    std::optional<PendingInvocation> orphan;
    if (current_) {
        if (current_->delivered || !initDone_) {
            finish(InvocationStatus::RuntimeExit,
                   lambdaError("Runtime.ExitError", "Runtime exited with error: " + description),
                   "Runtime.ExitError");
        } else {
            // Accepted while the runtime was between events, and it never asked again.
            orphan = std::move(current_->pending);
            current_.reset();
        }
    }
    if (api_) api_->close();
    if (plan_.debug && hooks_.debugHost) hooks_.debugHost->gone(*this, description);
    hooks_.died(*this, std::move(orphan));
}

void Sandbox::appendLog(std::string text) {
    LogLine line{Clock::now(), std::move(text)};
    hooks_.log(current_->pending.requestId, line);
    current_->logs.push_back(std::move(line));
}

std::string Sandbox::lambdaError(const std::string& type, const std::string& message) const {
    return nlohmann::json{
        {"errorType", type},
        {"errorMessage", "RequestId: " + (current_ ? current_->pending.requestId : std::string()) +
                             " Error: " + message}}
        .dump();
}

void Sandbox::finish(InvocationStatus status, std::string payload, std::string errorType) {
    auto self = shared_from_this();
    if (!current_) return;
    if (process_ && state_ != State::Dead) {
        process_->drainOutput(true);
        peakKb_ = std::max(peakKb_, process_->peakRssKb());
    }
    ++seq_;
    timeoutTimer_.cancel();
    memoryTimer_.cancel();
    if (status == InvocationStatus::Success || status == InvocationStatus::FunctionError) {
        if (peakKb_ > static_cast<long>(function_.memoryMb) * 1024) {
            status = InvocationStatus::OutOfMemory;
            errorType = "Runtime.OutOfMemory";
            payload =
                lambdaError(errorType, fmt::format("Runtime exited with error: signal: killed "
                                                   "(memory limit of {} MB exceeded)",
                                                   function_.memoryMb));
            kill();
        }
    }

    InvocationResult result;
    result.requestId = current_->pending.requestId;
    result.function = function_.functionName;
    result.trigger = current_->pending.request.trigger;
    result.status = status;
    result.payload = std::move(payload);
    result.errorType = std::move(errorType);
    result.event = current_->pending.request.payload;
    result.cold = current_->cold;
    result.initMs = current_->cold ? initMs_ : 0;
    if (result.cold) result.initParts = initParts_;
    result.durationMs = current_->delivered ? msSince(current_->deliveredAt) : 0;
    if (paused_) {
        pausedTotal_ += SteadyClock::now() - pausedAt_;
        paused_ = false;
    }
    if (pausedTotal_ > SteadyClock::duration::zero()) {
        // Time stopped in the debugger is not the handler's: Lambda would not have spent it.
        const double pausedMs = std::chrono::duration<double, std::milli>(pausedTotal_).count();
        result.durationMs = std::max(0.0, result.durationMs - pausedMs);
        appendLog(fmt::format("Fogbank: paused {:.2f} ms in the debugger (not counted in Duration)",
                              pausedMs));
        pausedTotal_ = {};
    }
    result.provisioned = mode_.provisioned;
    result.cpuMode = cpuMode_;
    double billable = result.durationMs;
    if (cpuMode_ != CpuMode::Off && current_->delivered && state_ != State::Dead) {
        const auto cpuNs = processCpuNs(process_->pid());
        if (cpuNs >= 0 && cpuAtDeliverNs_ >= 0)
            result.cpuMs = static_cast<double>(cpuNs - cpuAtDeliverNs_) / 1e6;
    }
    if (cpuMode_ == CpuMode::Estimate) {
        result.estimatedMs = estimateSharedDurationMs(result.durationMs, result.cpuMs, cpuShare_);
        billable = result.estimatedMs;
    }
    // Billed per started millisecond; since August 2025 a cold start's init phase is billed too.
    result.billedMs =
        std::max<std::int64_t>(1, static_cast<std::int64_t>(std::ceil(billable + result.initMs)));
    result.memorySizeMb = function_.memoryMb;
    result.maxMemoryUsedMb = static_cast<int>((peakKb_ + 1023) / 1024);
    if (status == InvocationStatus::OutOfMemory)
        result.maxMemoryUsedMb = std::max(result.maxMemoryUsedMb, function_.memoryMb);
    result.sandboxId = id_;
    result.interpreter = plan_.interpreter;
    result.traceId = current_->pending.traceHeader;
    result.traceRoot = current_->pending.traceRoot;
    result.spanId = current_->pending.spanId;
    result.parentSpanId = current_->pending.parentSpanId;
    result.architecture = function_.architecture;
    result.start = current_->pending.accepted;
    result.end = Clock::now();

    if (current_->delivered) appendLog("END RequestId: " + result.requestId);
    appendLog(result.reportLine());
    result.logs = std::move(current_->logs);
    auto done = std::move(current_->pending.done);
    current_.reset();
    lastActive_ = SteadyClock::now();
    done(std::move(result));
}

}  // namespace fogbank
