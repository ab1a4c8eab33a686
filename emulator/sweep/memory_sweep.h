// A memory sweep, as aws-lambda-power-tuning does it in the cloud: one event replayed at several
// memory sizes in CPU-share mode (so that a larger size gets more CPU, as on Lambda), a cold
// warm-up then N warm runs per size, each size's duration and cost per invocation, and which size
// is the cheapest and which the fastest.
#pragma once

#include "emulator/cost/lambda_price_table.h"
#include "emulator/runtime/invocation.h"

#include <functional>
#include <string>
#include <vector>

namespace fogbank {

class Engine;

struct MemorySweepOptions {
    std::string function;  // logical id or name
    std::string event = "{}";
    std::vector<int> memoryMb = {128, 256, 512, 1024, 1769, 3008};
    int runs = 5;  // warm runs per size, after the cold one
};

struct MemorySweepRow {
    int memoryMb = 0;
    double cpuShare = 0;  // of one core
    CpuMode cpuMode = CpuMode::Off;
    double coldMs = 0;  // the warm-up: init + duration
    int runs = 0;       // warm runs that succeeded
    // Of the warm runs: their duration (the estimate, in estimate mode), billed milliseconds and
    // cost at the on-demand price (one request plus its GB-seconds, no free tier).
    double meanMs = 0;
    double p50Ms = 0;
    double meanBilledMs = 0;
    double costPerInvocation = 0;
    std::string error;  // the first failed run's error; the row is then left out of the ranking
};

struct MemorySweepResult {
    std::string function;
    std::string architecture;
    std::string pricesAsOf;
    CpuMode cpuMode = CpuMode::Off;  // what this machine allows
    std::string cpuWhy;              // why no cgroup, in estimate mode
    std::vector<MemorySweepRow> rows;
    int cheapest = -1;  // index into rows; -1 when no size ran
    int fastest = -1;
    std::string error;  // the sweep could not run at all
};

// Progress after each invocation: the size and the run (0 is the cold one). Returning false stops
// the sweep there (the window closing its project); what ran so far is still summed up.
using SweepProgress = std::function<bool(int memoryMb, int run)>;

// Runs the sweep and blocks until it is done: call it off the engine's thread. The runs are
// recorded with the Sweep trigger.
MemorySweepResult runMemorySweep(Engine& engine, const MemorySweepOptions& options,
                                 const LambdaPriceTable& prices,
                                 const SweepProgress& progress = {});

// Fills in a row's figures from its warm runs.
void summarizeRuns(MemorySweepRow& row, const std::vector<InvocationResult>& warm,
                   const LambdaPriceTable& prices, const std::string& architecture);
// Sets cheapest (lowest cost per invocation; the faster on a tie) and fastest (lowest mean
// duration; the cheaper on a tie) among the rows without an error.
void rankSweep(MemorySweepResult& result);

// "128,256,1769" -> sizes; throws std::invalid_argument naming the item that is not a size
// Lambda allows (128 to 10,240 MB).
std::vector<int> parseMemoryList(const std::string& text);

}  // namespace fogbank
