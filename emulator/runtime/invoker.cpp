#include "emulator/runtime/invoker.h"

#include "emulator/trace/ids.h"

#include <boost/asio/post.hpp>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

namespace fogbank {

Invoker::Invoker(boost::asio::io_context& io, const Project& project, InvokerSettings settings,
                 InvocationListener& listener)
    : io_(io),
      project_(project),
      settings_(std::move(settings)),
      listener_(listener),
      interpreters_(settings_.python, settings_.node),
      watcher_(io),
      reapTimer_(io) {
    scheduleReap();
}

Invoker::~Invoker() {
    shutdown();
}

void Invoker::resolveInterpreters() {
    for (const auto& fn : project_.functions) {
        try {
            if (fn.family() == RuntimeFamily::Node) interpreters_.node();
            if (fn.family() == RuntimeFamily::Python) interpreters_.python();
        } catch (const std::exception& e) {
            spdlog::warn("{} ({}): {}", fn.functionName, fn.runtime, e.what());
        }
    }
}

void Invoker::scheduleReap() {
    // Often enough that a sandbox is stopped near its idle deadline, rarely enough to cost nothing.
    auto period = std::clamp(settings_.idleTimeout / 4, std::chrono::milliseconds(50),
                             std::chrono::milliseconds(5000));
    reapTimer_.expires_after(period);
    reapTimer_.async_wait([this](boost::system::error_code ec) {
        if (ec) return;
        for (auto& [name, pool] : pools_) pool->reapIdle(settings_.idleTimeout);
        for (auto& [name, pool] : debugPools_) pool->reapIdle(settings_.idleTimeout);
        scheduleReap();
    });
}

SandboxPool* Invoker::poolFor(const FunctionSpec& fn, std::string& launchError,
                              const std::optional<DebugRequest>& debug) {
    auto& pools = debug ? debugPools_ : pools_;
    std::string key = fn.functionName;
    if (debug) key += debug->ide ? "#ide:" + std::to_string(debug->port) : std::string("#debug");
    if (auto it = pools.find(key); it != pools.end()) return it->second.get();
    if (debug && !settings_.debugHost) {
        launchError = "function " + fn.functionName + ": debugging is not available here";
        return nullptr;
    }
    LaunchPlan plan;
    try {
        std::optional<DebugLaunch> launch;
        if (debug) launch = DebugLaunch{debug->port, debug->ide};
        plan = planLaunch(fn, interpreters_, settings_.launch, launch);
    } catch (const std::exception& e) {
        launchError = e.what();
        return nullptr;
    }
    int limit = fn.reservedConcurrency.value_or(settings_.defaultConcurrency);
    // One port takes one debugger: a second invocation for an IDE on the same port is throttled.
    if (debug && debug->port != 0) limit = 1;
    auto pool = std::make_unique<SandboxPool>(
        io_, fn, project_.functionArn(fn), std::move(plan), limit,
        [this](const std::string& requestId, const LogLine& line) {
            listener_.log(requestId, line);
        },
        debug ? settings_.debugHost : nullptr);
    auto* raw = pool.get();
    pools.emplace(key, std::move(pool));
    if (settings_.watchCode) {
        watcher_.watch(fn.codeUri, [raw, name = fn.functionName] {
            spdlog::info("{}: code changed, warm sandboxes retired", name);
            raw->retireAll();
        });
    }
    return raw;
}

std::string Invoker::setPrewarm(const std::string& function, int count) {
    const FunctionSpec* fn = project_.findFunction(function);
    if (!fn) return "no function named " + function;
    if (count < 0) return "cannot keep " + std::to_string(count) + " sandboxes warm";
    std::string launchError;
    SandboxPool* pool = poolFor(*fn, launchError);
    if (!pool) return launchError;
    try {
        pool->setWarmFloor(count);
    } catch (const std::exception& e) {
        return e.what();
    }
    if (count > pool->limit())
        spdlog::warn("{}: {} warm sandboxes asked for, its concurrency limit is {}",
                     fn->functionName, count, pool->limit());
    return {};
}

void Invoker::invoke(InvokeRequest request, Completion done) {
    PendingInvocation pending;
    pending.requestId = request.requestId.empty() ? newRequestId() : request.requestId;
    pending.accepted = Clock::now();
    // The caller's Parent is this invocation's parent span; the runtime gets a new span id as
    // Parent, so that the calls its handler makes nest under this invocation.
    auto trace = TraceHeader::parse(request.traceHeader);
    if (trace.root.empty()) trace = TraceHeader::newRoot();
    auto own = trace.child();
    pending.traceHeader = own.toString();
    pending.traceRoot = own.root;
    pending.spanId = own.parent;
    pending.parentSpanId = trace.parent;
    pending.request = std::move(request);

    const FunctionSpec* fn = project_.findFunction(pending.request.function);
    if (!fn) {
        done(rejectedResult(
            pending, InvocationStatus::NotFound, "ResourceNotFoundException",
            nlohmann::json{{"Type", "User"},
                           {"message", "Function not found: " + pending.request.function}}
                .dump()));
        return;
    }
    pending.request.function = fn->functionName;
    if (!pending.request.debug)
        if (auto it = settings_.ideDebug.find(fn->functionName); it != settings_.ideDebug.end())
            pending.request.debug = DebugRequest{true, false, it->second};
    listener_.started(pending.requestId, fn->functionName, pending.request.trigger);
    pending.done = [this, done = std::move(done)](InvocationResult result) mutable {
        if (!settings_.record) {
            listener_.finished(result);
            done(std::move(result));
            return;
        }
        settings_.record(
            std::move(result), [this, done = std::move(done)](InvocationResult recorded) mutable {
                boost::asio::post(
                    io_, [this, done = std::move(done), recorded = std::move(recorded)]() mutable {
                        listener_.finished(recorded);
                        done(std::move(recorded));
                    });
            });
    };

    std::string launchError;
    SandboxPool* pool = poolFor(*fn, launchError, pending.request.debug);
    if (!pool) {
        auto finish = std::move(pending.done);
        finish(rejectedResult(
            pending, InvocationStatus::LaunchError, "Runtime.LaunchError",
            nlohmann::json{{"errorType", "Runtime.LaunchError"}, {"errorMessage", launchError}}
                .dump()));
        return;
    }
    watcher_.poll();
    pool->invoke(std::move(pending));
}

void Invoker::shutdown() {
    reapTimer_.cancel();
    for (auto& [name, pool] : pools_) pool->shutdown();
    for (auto& [name, pool] : debugPools_) pool->shutdown();
}

std::map<std::string, int> Invoker::sandboxCounts() const {
    std::map<std::string, int> counts;
    for (const auto& [name, pool] : pools_) counts[name] = pool->size();
    for (const auto& [key, pool] : debugPools_)
        counts[key.substr(0, key.find('#'))] += pool->size();
    return counts;
}

}  // namespace fogbank
