// `fogbank sweep FUNCTION`: one event at several memory sizes in CPU-share mode, like
// aws-lambda-power-tuning, with each size's duration and cost per invocation and the cheapest
// and fastest named.
#include "app/cli_command.h"
#include "emulator/cost/usd_text.h"
#include "emulator/engine.h"
#include "emulator/sweep/memory_sweep.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <unistd.h>

#include <iostream>

namespace fogbank::cli {
namespace {

struct SweepOptions {
    CommonOptions common;
    std::string function;
    std::string eventSource;
    std::string memory = "128,256,512,1024,1769,3008";
    int runs = 5;
    std::string format = "table";
};

nlohmann::json toJson(const MemorySweepResult& r) {
    auto sizes = nlohmann::json::array();
    for (const auto& row : r.rows) {
        nlohmann::json item{{"memoryMb", row.memoryMb},
                            {"cpuShare", row.cpuShare},
                            {"cpuMode", toString(row.cpuMode)},
                            {"coldMs", row.coldMs},
                            {"runs", row.runs},
                            {"meanMs", row.meanMs},
                            {"p50Ms", row.p50Ms},
                            {"meanBilledMs", row.meanBilledMs},
                            {"costPerInvocation", row.costPerInvocation}};
        if (!row.error.empty()) item["error"] = row.error;
        sizes.push_back(std::move(item));
    }
    const auto memoryAt = [&](int index) {
        return index < 0 ? nlohmann::json(nullptr)
                         : nlohmann::json(r.rows[static_cast<std::size_t>(index)].memoryMb);
    };
    nlohmann::json doc{{"function", r.function},
                       {"architecture", r.architecture},
                       {"pricesAsOf", r.pricesAsOf},
                       {"cpuMode", toString(r.cpuMode)},
                       {"sizes", sizes},
                       {"cheapestMemoryMb", memoryAt(r.cheapest)},
                       {"fastestMemoryMb", memoryAt(r.fastest)}};
    if (!r.cpuWhy.empty()) doc["cpuWhy"] = r.cpuWhy;
    return doc;
}

void printTable(const MemorySweepResult& r, int runs) {
    std::cout << fmt::format(
        "Memory sweep of {} ({}): {} warm run(s) per size after a cold one; CPU share: {}; "
        "prices as of {}\n",
        r.function, r.architecture, runs, toString(r.cpuMode), r.pricesAsOf);
    if (!r.cpuWhy.empty()) std::cout << "Note: " << r.cpuWhy << "\n";
    std::cout << fmt::format("{:>8} {:>6} {:>10} {:>10} {:>10} {:>10} {:>16}\n", "MEMORY", "CPU",
                             "COLD ms", "MEAN ms", "P50 ms", "BILLED ms", "COST/INVOCATION");
    for (int i = 0; i < static_cast<int>(r.rows.size()); ++i) {
        const auto& row = r.rows[static_cast<std::size_t>(i)];
        std::string mark = i == r.cheapest && i == r.fastest ? "  cheapest, fastest"
                           : i == r.cheapest                 ? "  cheapest"
                           : i == r.fastest                  ? "  fastest"
                                                             : "";
        if (!row.error.empty()) mark = "  failed: " + row.error;
        std::cout << fmt::format(
            "{:>5} MB {:>6.3f} {:>10.1f} {:>10.1f} {:>10.1f} {:>10.1f} {:>16}{}\n", row.memoryMb,
            row.cpuShare, row.coldMs, row.meanMs, row.p50Ms, row.meanBilledMs,
            row.runs ? usdText(row.costPerInvocation) : std::string("-"), mark);
    }
    const auto name = [&](int index) {
        const auto& row = r.rows[static_cast<std::size_t>(index)];
        return fmt::format("{} MB ({:.1f} ms, {} per invocation)", row.memoryMb, row.meanMs,
                           usdText(row.costPerInvocation));
    };
    if (r.cheapest >= 0) std::cout << "Cheapest: " << name(r.cheapest) << "\n";
    if (r.fastest >= 0) std::cout << "Fastest:  " << name(r.fastest) << "\n";
    std::cout << "Durations are of the warm runs; costs at on-demand prices, no free tier.\n";
}

void printCsv(const MemorySweepResult& r) {
    std::cout << "memory_mb,cpu_share,cpu_mode,cold_ms,runs,mean_ms,p50_ms,mean_billed_ms,"
                 "cost_per_invocation_usd,cheapest,fastest,error\n";
    for (int i = 0; i < static_cast<int>(r.rows.size()); ++i) {
        const auto& row = r.rows[static_cast<std::size_t>(i)];
        std::string error = row.error;
        for (auto& c : error)
            if (c == '"' || c == '\n') c = '\'';
        std::cout << fmt::format(
            "{},{:.4f},{},{:.3f},{},{:.3f},{:.3f},{:.1f},{:.12f},{},{},\"{}\"\n", row.memoryMb,
            row.cpuShare, toString(row.cpuMode), row.coldMs, row.runs, row.meanMs, row.p50Ms,
            row.meanBilledMs, row.costPerInvocation, i == r.cheapest ? 1 : 0,
            i == r.fastest ? 1 : 0, error);
    }
}

int runSweep(const SweepOptions& o) {
    MemorySweepOptions sweep;
    sweep.function = o.function;
    sweep.memoryMb = parseMemoryList(o.memory);
    sweep.runs = o.runs;
    sweep.event = readJsonEvent(o.eventSource);
    const auto prices = LambdaPriceTable::loadDefault();
    auto config = makeConfig(o.common);
    config.edgePort = 0;   // never collide with a running `fogbank serve`
    config.httpPort = -1;  // the sweep calls the function directly
    config.watchCode = false;
    config.record = false;  // a measurement, not the application's history
    Engine engine(config);
    if (!engine.project().findFunction(o.function))
        throw std::runtime_error("no function " + o.function + " in " + o.common.templatePath);
    engine.start();
    const bool showProgress = ::isatty(STDERR_FILENO) != 0;  // not into a log file
    const auto result = runMemorySweep(engine, sweep, prices, [&](int memory, int run) {
        if (o.format == "table" && showProgress)
            std::cerr << fmt::format("\r{} MB: run {}/{}", memory, run, o.runs) << std::flush;
        return true;
    });
    if (o.format == "table" && showProgress) std::cerr << "\r" << std::string(30, ' ') << "\r";
    engine.stop();
    if (!result.error.empty()) throw std::runtime_error(result.error);
    if (o.format == "json")
        std::cout << toJson(result).dump(2) << "\n";
    else if (o.format == "csv")
        printCsv(result);
    else
        printTable(result, o.runs);
    return result.cheapest >= 0 ? 0 : 1;
}

}  // namespace

Command addSweepCommand(CLI::App& app) {
    auto* sub = app.add_subcommand(
        "sweep",
        "Run one event at several memory sizes (CPU share following memory, as on "
        "Lambda) and compare duration and cost per invocation");
    auto o = std::make_shared<SweepOptions>();
    addCommon(*sub, o->common);
    sub->add_option("function", o->function, "Logical id or FunctionName")->required();
    sub->add_option("-e,--event", o->eventSource, "Event JSON file, or - for stdin");
    sub->add_option("--memory", o->memory, "Memory sizes in MB, comma-separated")
        ->capture_default_str();
    sub->add_option("--runs", o->runs, "Warm runs per size, after one cold run")
        ->check(CLI::Range(1, 1000))
        ->capture_default_str();
    sub->add_option("--format", o->format, "table, json or csv")
        ->check(CLI::IsMember({"table", "json", "csv"}))
        ->capture_default_str();
    return {sub, [o] { return runSweep(*o); }};
}

}  // namespace fogbank::cli
