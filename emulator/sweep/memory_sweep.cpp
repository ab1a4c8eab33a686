#include "emulator/sweep/memory_sweep.h"

#include "emulator/engine.h"
#include "emulator/project/project.h"
#include "emulator/runtime/cpu_share.h"
#include "emulator/trace/cold_start_stats.h"

#include <algorithm>
#include <chrono>
#include <numeric>
#include <sstream>
#include <stdexcept>

namespace fogbank {

namespace {

// What the function would have taken on Lambda: measured, or estimated where nothing throttled.
double sharedDurationMs(const InvocationResult& result) {
    return result.cpuMode == CpuMode::Estimate ? result.estimatedMs : result.durationMs;
}

std::string errorText(const InvocationResult& result) {
    return std::string(toString(result.status)) + " " + result.errorType + ": " + result.payload;
}

}  // namespace

void summarizeRuns(MemorySweepRow& row, const std::vector<InvocationResult>& warm,
                   const LambdaPriceTable& prices, const std::string& architecture) {
    row.runs = static_cast<int>(warm.size());
    if (warm.empty()) return;
    std::vector<double> durations;
    double billed = 0, cost = 0;
    for (const auto& run : warm) {
        durations.push_back(sharedDurationMs(run));
        billed += static_cast<double>(run.billedMs);
        cost += prices.invocationCost(run.billedMs, row.memoryMb, architecture);
    }
    const auto stats = durationStats(durations);
    const auto n = static_cast<double>(warm.size());
    row.meanMs = stats.mean;
    row.p50Ms = stats.p50;
    row.meanBilledMs = billed / n;
    row.costPerInvocation = cost / n;
}

void rankSweep(MemorySweepResult& result) {
    result.cheapest = result.fastest = -1;
    const auto& rows = result.rows;
    for (int i = 0; i < static_cast<int>(rows.size()); ++i) {
        const auto& row = rows[static_cast<std::size_t>(i)];
        if (!row.error.empty() || row.runs == 0) continue;
        const auto better = [&](int other, auto first, auto second) {
            if (other < 0) return true;
            const auto& o = rows[static_cast<std::size_t>(other)];
            return first(row) < first(o) || (first(row) == first(o) && second(row) < second(o));
        };
        const auto cost = [](const MemorySweepRow& r) { return r.costPerInvocation; };
        const auto time = [](const MemorySweepRow& r) { return r.meanMs; };
        if (better(result.cheapest, cost, time)) result.cheapest = i;
        if (better(result.fastest, time, cost)) result.fastest = i;
    }
}

std::vector<int> parseMemoryList(const std::string& text) {
    std::vector<int> sizes;
    std::stringstream in(text);
    std::string item;
    while (std::getline(in, item, ',')) {
        item.erase(0, item.find_first_not_of(" \t"));
        item.erase(item.find_last_not_of(" \t") + 1);
        if (item.empty()) continue;
        std::size_t used = 0;
        int mb = 0;
        try {
            mb = std::stoi(item, &used);
        } catch (const std::exception&) {
            used = 0;
        }
        if (used != item.size() || mb < FunctionSpec::minMemoryMb || mb > FunctionSpec::maxMemoryMb)
            throw std::invalid_argument("memory size \"" + item +
                                        "\" is not a whole number of MB from " +
                                        std::to_string(FunctionSpec::minMemoryMb) + " to " +
                                        std::to_string(FunctionSpec::maxMemoryMb));
        sizes.push_back(mb);
    }
    if (sizes.empty()) throw std::invalid_argument("no memory sizes in \"" + text + "\"");
    return sizes;
}

MemorySweepResult runMemorySweep(Engine& engine, const MemorySweepOptions& options,
                                 const LambdaPriceTable& prices, const SweepProgress& progress) {
    MemorySweepResult result;
    result.pricesAsOf = prices.pricesAsOf();
    const FunctionSpec* fn = engine.project().findFunction(options.function);
    if (!fn) {
        result.error =
            "no function " + options.function + " in " + engine.project().templatePath.string();
        return result;
    }
    result.function = fn->functionName;
    result.architecture = fn->architecture;
    const auto cpu = engine.cpuShareStatus();
    result.cpuMode = cpu.mode;
    result.cpuWhy = cpu.why;
    // A run longer than the function's timeout is Lambda's timeout too; the wait only bounds a
    // broken engine.
    const auto wait = std::chrono::duration<double>(fn->timeoutSeconds + 30);
    for (int memory : options.memoryMb) {
        MemorySweepRow row;
        row.memoryMb = memory;
        row.cpuShare = cpuShareOf(memory);
        row.cpuMode = cpu.mode;
        std::vector<InvocationResult> warm;
        for (int run = 0; run <= options.runs; ++run) {
            InvokeRequest request;
            request.function = fn->functionName;
            request.payload = options.event;
            request.trigger = Trigger::Sweep;
            request.memoryMb = memory;
            auto future = engine.invoke(std::move(request));
            if (future.wait_for(wait) != std::future_status::ready) {
                row.error = "no answer within " + std::to_string(int(wait.count())) + " s";
                break;
            }
            auto answer = future.get();
            if (progress && !progress(memory, run)) {
                row.error = "stopped";
                summarizeRuns(row, warm, prices, result.architecture);
                result.rows.push_back(std::move(row));
                result.error = "the sweep was stopped";
                return result;
            }
            if (!answer.ok()) {
                row.error = errorText(answer);
                break;
            }
            row.cpuMode = answer.cpuMode;
            if (run == 0)
                row.coldMs = answer.initMs + sharedDurationMs(answer);
            else
                warm.push_back(std::move(answer));
        }
        summarizeRuns(row, warm, prices, result.architecture);
        result.rows.push_back(std::move(row));
    }
    rankSweep(result);
    return result;
}

}  // namespace fogbank
