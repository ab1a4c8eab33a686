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
        forEachPool([this](SandboxPool& pool) { pool.reapIdle(settings_.idleTimeout); });
        scheduleReap();
    });
}

template <typename F>
void Invoker::forEachPool(F&& f) const {
    for (const auto& [name, pool] : pools_) f(*pool);
    for (const auto& [key, variant] : memoryVariants_) f(*variant.pool);
    for (const auto& [key, pool] : debugPools_) f(*pool);
}

CpuShareHost& Invoker::cpuShareHost() {
    if (!cpuShare_) {
        cpuShare_ = std::make_unique<CpuShareHost>();
        if (cpuShare_->mode() == CpuMode::Estimate)
            spdlog::warn("CPU-share mode: {}", cpuShare_->why());
        else
            spdlog::info("CPU-share mode: {} in {}", toString(cpuShare_->mode()),
                         cpuShare_->parentDir().string());
    }
    return *cpuShare_;
}

void Invoker::setCpuShare(bool on) {
    settings_.cpuShare = on;
    for (auto& [name, pool] : pools_) pool->setCpuShare(on ? &cpuShareHost() : nullptr);
}

SandboxPool* Invoker::poolFor(const FunctionSpec& declared, std::string& launchError,
                              std::optional<int> memoryMb,
                              const std::optional<DebugRequest>& debug) {
    // 0: the template's size. A debug invocation is debugged at the template's size.
    const int memory = debug ? 0 : memoryMb.value_or(0);
    const std::pair<std::string, int> variantKey{declared.functionName, memory};
    std::string debugKey;
    if (debug) {
        debugKey = declared.functionName +
                   (debug->ide ? "#ide:" + std::to_string(debug->port) : std::string("#debug"));
        if (auto it = debugPools_.find(debugKey); it != debugPools_.end()) return it->second.get();
        if (!settings_.debugHost) {
            launchError = "function " + declared.functionName + ": debugging is not available here";
            return nullptr;
        }
    } else if (memory == 0) {
        if (auto it = pools_.find(declared.functionName); it != pools_.end())
            return it->second.get();
    } else if (auto it = memoryVariants_.find(variantKey); it != memoryVariants_.end()) {
        return it->second.pool.get();
    }
    std::unique_ptr<FunctionSpec> copy;
    if (debug || memory > 0) {
        // The template's pool (no sandboxes until it is invoked) watches the code for all of
        // the function's pools.
        std::string unused;
        poolFor(declared, unused);
    }
    if (memory > 0) {
        copy = std::make_unique<FunctionSpec>(declared);
        copy->memoryMb = memory;
    }
    const FunctionSpec& fn = copy ? *copy : declared;
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
    SandboxPool::Options options;
    if (settings_.cpuShare || memory > 0) options.cpuShare = &cpuShareHost();
    if (memory > 0) options.sandboxPrefix = fn.functionName + "@" + std::to_string(memory) + "MB";
    // Debug sandboxes say so in their id, which the invocation's record and log carry (see
    // InvocationResult::debugged).
    if (debug) {
        options.sandboxPrefix = fn.functionName + "@debug";
        options.debugHost = settings_.debugHost;
    }
    auto pool = std::make_unique<SandboxPool>(
        io_, fn, project_.functionArn(fn), std::move(plan), limit,
        [this](const std::string& requestId, const LogLine& line) {
            listener_.log(requestId, line);
        },
        std::move(options));
    auto* raw = pool.get();
    if (memory > 0) {
        memoryVariants_.emplace(variantKey, MemoryVariant{std::move(copy), std::move(pool)});
        return raw;
    }
    if (debug) {
        debugPools_.emplace(debugKey, std::move(pool));
        return raw;
    }
    pools_.emplace(fn.functionName, std::move(pool));
    if (settings_.watchCode) {
        watcher_.watch(fn.codeUri, [this, raw, name = fn.functionName] {
            spdlog::info("{}: code changed, warm sandboxes retired", name);
            raw->retireAll();
            for (auto& [key, variant] : memoryVariants_)
                if (key.first == name) variant.pool->retireAll();
            for (auto& [key, pool] : debugPools_)
                if (key.starts_with(name + "#")) pool->retireAll();
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
    if (auto memory = pending.request.memoryMb;
        memory && (*memory < FunctionSpec::minMemoryMb || *memory > FunctionSpec::maxMemoryMb)) {
        done(rejectedResult(
            pending, InvocationStatus::LaunchError, "InvalidParameterValueException",
            nlohmann::json{
                {"Type", "User"},
                {"message", "MemorySize " + std::to_string(*memory) + " MB is outside Lambda's " +
                                std::to_string(FunctionSpec::minMemoryMb) + "-" +
                                std::to_string(FunctionSpec::maxMemoryMb)}}
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
    SandboxPool* pool = poolFor(*fn, launchError, pending.request.memoryMb, pending.request.debug);
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
    forEachPool([](SandboxPool& pool) { pool.shutdown(); });
}

std::map<std::string, int> Invoker::sandboxCounts() const {
    std::map<std::string, int> counts;
    for (const auto& [name, pool] : pools_) counts[name] = pool->size();
    for (const auto& [key, pool] : debugPools_)
        counts[key.substr(0, key.find('#'))] += pool->size();
    return counts;
}

}  // namespace fogbank
