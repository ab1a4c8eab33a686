#include "emulator/trace/cold_start_stats.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace fogbank {

double percentile(const std::vector<double>& sorted, double p) {
    if (sorted.empty()) return 0;
    const auto rank =
        static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(sorted.size())));
    return sorted[std::clamp<std::size_t>(rank, 1, sorted.size()) - 1];
}

DurationStats durationStats(std::vector<double> values) {
    DurationStats stats;
    stats.count = static_cast<std::int64_t>(values.size());
    if (values.empty()) return stats;
    std::sort(values.begin(), values.end());
    stats.mean =
        std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
    stats.p50 = percentile(values, 50);
    stats.p90 = percentile(values, 90);
    stats.p99 = percentile(values, 99);
    return stats;
}

ColdStartStats coldStartStats(InvocationStore& store, const std::string& function,
                              std::size_t maxInits) {
    InvocationStore::SeqPageQuery query;
    query.functions = {function};
    query.newestFirst = false;
    query.limit = std::numeric_limits<std::int64_t>::max();
    ColdStartStats stats;
    stats.function = function;
    std::vector<double> cold, warm, provisioned, init, process, runtime, module;
    for (const auto& inv : store.listBySeq(query)) {
        if (inv.status == InvocationStatus::Throttled || inv.status == InvocationStatus::NotFound ||
            inv.status == InvocationStatus::LaunchError || inv.trigger == Trigger::Sweep ||
            inv.debugged())
            continue;
        if (inv.cpuMode != CpuMode::Off) ++stats.cpuModes[toString(inv.cpuMode)];
        if (inv.cold) {
            cold.push_back(inv.initMs + inv.durationMs);
            init.push_back(inv.initMs);
            stats.inits.push_back({inv.start, inv.initMs, inv.initParts});
            if (inv.initParts) {
                process.push_back(inv.initParts->processMs);
                runtime.push_back(inv.initParts->runtimeMs);
                module.push_back(inv.initParts->moduleMs);
            }
        } else {
            (inv.provisioned ? provisioned : warm).push_back(inv.durationMs);
        }
    }
    const auto ran = cold.size() + warm.size() + provisioned.size();
    stats.coldRatio = ran ? static_cast<double>(cold.size()) / static_cast<double>(ran) : 0;
    stats.cold = durationStats(std::move(cold));
    stats.warm = durationStats(std::move(warm));
    stats.provisioned = durationStats(std::move(provisioned));
    stats.init = durationStats(std::move(init));
    stats.initProcess = durationStats(std::move(process));
    stats.initRuntime = durationStats(std::move(runtime));
    stats.initModule = durationStats(std::move(module));
    if (stats.inits.size() > maxInits)
        stats.inits.erase(stats.inits.begin(),
                          stats.inits.end() - static_cast<std::ptrdiff_t>(maxInits));
    return stats;
}

}  // namespace fogbank
