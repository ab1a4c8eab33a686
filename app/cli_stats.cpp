// `fogbank stats [FUNCTION]`: per function, how cold starts compare with warm invocations —
// duration percentiles of each, the cold-start ratio and init durations — from the recorded
// history of a project (a running `fogbank serve` may be writing to it).
#include "app/cli_recorded.h"
#include "emulator/trace/cold_start_stats.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <iostream>

namespace fogbank::cli {
namespace {

struct StatsOptions {
    StoreOptions store;
    std::string function;
    std::string format = "table";
};

nlohmann::json durationJson(const DurationStats& d) {
    return {{"count", d.count}, {"mean", d.mean}, {"p50", d.p50}, {"p90", d.p90}, {"p99", d.p99}};
}

int runStats(const StatsOptions& options) {
    auto recorded = openRecorded(options.store);
    if (!recorded.store) {
        std::cerr << "fogbank stats: nothing recorded yet (no " << recorded.database.string()
                  << ")\n";
        return 1;
    }
    std::vector<std::string> functions;
    if (!options.function.empty()) {
        const auto* spec =
            recorded.project ? recorded.project->findFunction(options.function) : nullptr;
        functions.push_back(spec ? spec->functionName : options.function);
    } else if (recorded.project) {
        for (const auto& f : recorded.project->functions) functions.push_back(f.functionName);
    } else {
        std::cerr << "fogbank stats: name a function (the template could not be read: "
                  << recorded.projectError << ")\n";
        return 2;
    }
    std::vector<ColdStartStats> all;
    for (const auto& name : functions) all.push_back(coldStartStats(*recorded.store, name));

    if (options.format == "json") {
        auto list = nlohmann::json::array();
        for (const auto& s : all) {
            auto inits = nlohmann::json::array();
            for (const auto& i : s.inits)
                inits.push_back({{"startMs", std::chrono::duration_cast<std::chrono::milliseconds>(
                                                 i.time.time_since_epoch())
                                                 .count()},
                                 {"initMs", i.initMs}});
            for (std::size_t k = 0; k < s.inits.size(); ++k)
                if (const auto& parts = s.inits[k].parts)
                    inits[k]["parts"] = {{"processMs", parts->processMs},
                                         {"runtimeMs", parts->runtimeMs},
                                         {"moduleMs", parts->moduleMs}};
            list.push_back({{"function", s.function},
                            {"coldRatio", s.coldRatio},
                            {"cold", durationJson(s.cold)},
                            {"warm", durationJson(s.warm)},
                            {"provisioned", durationJson(s.provisioned)},
                            {"init", durationJson(s.init)},
                            {"initParts",
                             {{"process", durationJson(s.initProcess)},
                              {"runtime", durationJson(s.initRuntime)},
                              {"module", durationJson(s.initModule)}}},
                            {"cpuModes", s.cpuModes},
                            {"inits", inits}});
        }
        std::cout << nlohmann::json{{"functions", list}}.dump(2) << "\n";
        return 0;
    }
    auto triple = [](const DurationStats& d) {
        return d.count ? fmt::format("{:.1f}/{:.1f}/{:.1f}", d.p50, d.p90, d.p99)
                       : std::string("-");
    };
    auto p50 = [](const DurationStats& d) {
        return d.count ? fmt::format("{:.1f}", d.p50) : std::string("-");
    };
    std::cout << fmt::format("{:<28} {:>6} {:>6} {:>6} {:>6}  {:>22}  {:>22}  {:>22}  {:>8}\n",
                             "FUNCTION", "COLD", "WARM", "PREW", "COLD%", "COLD p50/p90/p99 ms",
                             "WARM p50/p90/p99 ms", "PREWARMED p50/p90/p99", "INIT p50");
    for (const auto& s : all) {
        std::cout << fmt::format(
            "{:<28} {:>6} {:>6} {:>6} {:>5.1f}%  {:>22}  {:>22}  {:>22}  {:>8}\n", s.function,
            s.cold.count, s.warm.count, s.provisioned.count, s.coldRatio * 100, triple(s.cold),
            triple(s.warm), triple(s.provisioned), p50(s.init));
    }
    std::cout << "Cold: init + handler, what the caller waited. Warm: on-demand sandboxes; "
                 "prewarmed: sandboxes kept warm (provisioned concurrency).\n";
    bool parts = false;
    for (const auto& s : all) parts = parts || s.initProcess.count > 0;
    if (parts) {
        std::cout << fmt::format("\n{:<28} {:>6}  {:>14}  {:>14}  {:>14}\n", "INIT BREAKDOWN",
                                 "COLD", "PROCESS p50", "RUNTIME p50", "MODULE p50");
        for (const auto& s : all)
            if (s.initProcess.count)
                std::cout << fmt::format("{:<28} {:>6}  {:>14}  {:>14}  {:>14}\n", s.function,
                                         s.initProcess.count, p50(s.initProcess),
                                         p50(s.initRuntime), p50(s.initModule));
        std::cout << "Process: spawn, the bootstrap's set-up and the first /next; runtime: the "
                     "interpreter starting; module: loading the handler's code.\n";
    }
    for (const auto& s : all)
        for (const auto& [mode, count] : s.cpuModes)
            std::cout << fmt::format("{}: {} invocation(s) in CPU-share mode ({})\n", s.function,
                                     count, mode);
    std::cout << "Percentiles are nearest-rank.\n";
    return 0;
}

}  // namespace

Command addStatsCommand(CLI::App& app) {
    auto* sub = app.add_subcommand(
        "stats", "Cold and warm duration percentiles, cold-start ratio and init times");
    auto o = std::make_shared<StatsOptions>();
    addStoreOptions(*sub, o->store);
    sub->add_option("function", o->function, "One function (default: all of the template's)");
    sub->add_option("--format", o->format, "table or json")
        ->check(CLI::IsMember({"table", "json"}))
        ->capture_default_str();
    return {sub, [o] { return runStats(*o); }};
}

}  // namespace fogbank::cli
