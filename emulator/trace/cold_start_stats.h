// How a function's cold starts compare with its warm invocations, from what the store recorded:
// duration percentiles of each (a cold one counted as init + handler, what its caller waited),
// the cold-start ratio, and every init duration over time.
#pragma once

#include "emulator/trace/invocation_store.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace fogbank {

struct DurationStats {
    std::int64_t count = 0;
    double mean = 0;
    double p50 = 0;
    double p90 = 0;
    double p99 = 0;
};

struct InitSample {
    Clock::time_point time;  // when the cold invocation started
    double initMs = 0;
    std::optional<InitBreakdown> parts;
};

struct ColdStartStats {
    std::string function;
    DurationStats cold;         // init + duration of cold invocations
    DurationStats warm;         // duration of warm ones in on-demand sandboxes
    DurationStats provisioned;  // duration of warm ones in pre-warmed sandboxes
    DurationStats init;         // init alone
    // The init's parts, over the cold starts whose runtime reported them (count 0: none did).
    DurationStats initProcess;
    DurationStats initRuntime;
    DurationStats initModule;
    double coldRatio = 0;
    std::vector<InitSample> inits;  // oldest first, the newest `maxInits`
    // Invocations per CPU-share mode ("cgroup-v1", "estimate", ...), those run with it on only.
    std::map<std::string, std::int64_t> cpuModes;
};

// Nearest-rank percentile of ascending `sorted` values (p in 0..100); 0 when empty.
double percentile(const std::vector<double>& sorted, double p);
DurationStats durationStats(std::vector<double> values);

// Invocations that never ran (throttled, unknown function, no sandbox) are left out, and so are a
// memory sweep's, which ran at other memory sizes than the function's, and debugged ones, which
// ran under a debugger.
ColdStartStats coldStartStats(InvocationStore& store, const std::string& function,
                              std::size_t maxInits = 500);

}  // namespace fogbank
