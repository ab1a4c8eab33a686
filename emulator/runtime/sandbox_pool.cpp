#include "emulator/runtime/sandbox_pool.h"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>

namespace fogbank {

InvocationResult rejectedResult(const PendingInvocation& invocation, InvocationStatus status,
                                std::string errorType, std::string payload) {
    InvocationResult result;
    result.requestId = invocation.requestId;
    result.function = invocation.request.function;
    result.trigger = invocation.request.trigger;
    result.status = status;
    result.errorType = std::move(errorType);
    result.payload = std::move(payload);
    result.event = invocation.request.payload;
    result.traceId = invocation.traceHeader;
    result.traceRoot = invocation.traceRoot;
    result.spanId = invocation.spanId;
    result.parentSpanId = invocation.parentSpanId;
    result.start = invocation.accepted;
    result.end = Clock::now();
    return result;
}

SandboxPool::SandboxPool(boost::asio::io_context& io, const FunctionSpec& function,
                         std::string functionArn, LaunchPlan plan, int concurrencyLimit,
                         LogSink log, Options options)
    : io_(io),
      function_(function),
      functionArn_(std::move(functionArn)),
      plan_(std::move(plan)),
      limit_(concurrencyLimit),
      log_(std::move(log)),
      options_(std::move(options)) {
    if (options_.sandboxPrefix.empty()) options_.sandboxPrefix = function_.functionName;
}

SandboxPool::~SandboxPool() {
    shutdown();
}

int SandboxPool::size() const {
    return static_cast<int>(std::count_if(sandboxes_.begin(), sandboxes_.end(), [](auto& s) {
        return s->state() != Sandbox::State::Dead;
    }));
}

void SandboxPool::invoke(PendingInvocation invocation) {
    if (shuttingDown_) {
        auto done = std::move(invocation.done);
        done(rejectedResult(invocation, InvocationStatus::RuntimeExit, "ServiceException",
                            R"({"Type":"Service","message":"Fogbank is shutting down"})"));
        return;
    }
    // Idle first, most recently used first: it is the warmest, and the others may be reaped.
    for (auto it = sandboxes_.rbegin(); it != sandboxes_.rend(); ++it) {
        if ((*it)->state() == Sandbox::State::Idle && (*it)->acceptsWork()) {
            (*it)->run(std::move(invocation));
            return;
        }
    }
    for (auto& sandbox : sandboxes_) {
        if (sandbox->state() != Sandbox::State::Idle && sandbox->acceptsWork()) {
            sandbox->run(std::move(invocation));
            return;
        }
    }
    if (size() >= limit_) {
        auto done = std::move(invocation.done);
        done(rejectedResult(
            invocation, InvocationStatus::Throttled, "TooManyRequestsException",
            nlohmann::json{{"Reason", "ReservedFunctionConcurrentInvocationLimitExceeded"},
                           {"Type", "User"},
                           {"message", "Rate Exceeded."}}
                .dump()));
        return;
    }
    std::shared_ptr<Sandbox> sandbox;
    try {
        sandbox = spawn(false);
    } catch (const std::exception& e) {
        spdlog::error("{}", e.what());
        auto done = std::move(invocation.done);
        done(rejectedResult(
            invocation, InvocationStatus::LaunchError, "Runtime.LaunchError",
            nlohmann::json{{"errorType", "Runtime.LaunchError"}, {"errorMessage", e.what()}}
                .dump()));
        return;
    }
    sandbox->run(std::move(invocation));
}

std::shared_ptr<Sandbox> SandboxPool::spawn(bool provisioned) {
    Sandbox::Hooks hooks;
    hooks.available = [](Sandbox&) {};
    hooks.died = [this](Sandbox& sandbox, std::optional<PendingInvocation> orphan) {
        onDied(sandbox, std::move(orphan));
    };
    hooks.log = log_;
    hooks.debugHost = options_.debugHost;
    auto sandbox = std::make_shared<Sandbox>(
        io_, options_.sandboxPrefix + "#" + std::to_string(nextId_++), function_, functionArn_,
        plan_, std::move(hooks), SandboxMode{provisioned, options_.cpuShare});
    sandbox->start();
    sandboxes_.push_back(sandbox);
    return sandbox;
}

int SandboxPool::serving() const {
    return static_cast<int>(std::count_if(sandboxes_.begin(), sandboxes_.end(), [](auto& s) {
        return s->state() != Sandbox::State::Dead && !s->retired();
    }));
}

void SandboxPool::setWarmFloor(int count) {
    floor_ = std::clamp(count, 0, limit_);
    if (floor_ > serving()) spawn(true);  // the first one throws when nothing can start
    topUp();
}

void SandboxPool::topUp() {
    while (!shuttingDown_ && serving() < floor_ && size() < limit_) {
        try {
            spawn(true);
        } catch (const std::exception& e) {
            spdlog::error("{}: keeping sandboxes warm: {}", function_.functionName, e.what());
            return;
        }
    }
}

void SandboxPool::onDied(Sandbox& sandbox, std::optional<PendingInvocation> orphan) {
    auto it = std::find_if(sandboxes_.begin(), sandboxes_.end(),
                           [&](auto& s) { return s.get() == &sandbox; });
    if (it != sandboxes_.end()) {
        // Destroyed later: we are inside one of its own handlers.
        boost::asio::post(io_, [keep = *it] {});
        sandboxes_.erase(it);
    }
    if (orphan) invoke(std::move(*orphan));
    topUp();
}

void SandboxPool::setCpuShare(CpuShareHost* host) {
    if (options_.cpuShare == host) return;
    options_.cpuShare = host;
    retireAll();
}

void SandboxPool::retireAll() {
    auto snapshot = sandboxes_;
    for (auto& sandbox : snapshot) sandbox->retire();
    // Warm ones on the new code take their place at once.
    topUp();
}

void SandboxPool::reapIdle(std::chrono::milliseconds idleFor) {
    const auto cutoff = std::chrono::steady_clock::now() - idleFor;
    auto snapshot = sandboxes_;
    for (auto& sandbox : snapshot) {
        if (serving() <= floor_) break;
        if (sandbox->state() == Sandbox::State::Idle && sandbox->lastActive() < cutoff) {
            spdlog::debug("sandbox {} idle, stopping it", sandbox->id());
            sandbox->retire();
        }
    }
}

void SandboxPool::shutdown() {
    shuttingDown_ = true;
    auto snapshot = sandboxes_;
    for (auto& sandbox : snapshot) sandbox->shutdown();
}

}  // namespace fogbank
