// fogbank-bench-schedules: how long the virtual clock takes to go through a week of schedules.
//
// An engine over bench/schedules/template.yaml (a no-op Python handler on rate(1 minute) and an
// hourly cron) with its clock paused at 2026-03-02T00:00:00Z, advanced by --days in one call:
// every firing is a real invocation, awaited in due order and recorded (unless --no-record).
// Prints the firings, the wall time and the firings per second.
#include "emulator/engine.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <filesystem>
#include <future>

#include <unistd.h>

int main(int argc, char** argv) {
    CLI::App app{"Advance the schedules' virtual clock through a week of firings"};
    int days = 7;
    bool noRecord = false;
    std::string python = "/usr/bin/python3";
    app.add_option("--days", days, "Days to advance")->capture_default_str();
    app.add_flag("--no-record", noRecord, "Do not record invocations");
    app.add_option("--python", python, "Python interpreter")->capture_default_str();
    CLI11_PARSE(app, argc, argv);
    spdlog::set_level(spdlog::level::warn);

    const auto state = std::filesystem::temp_directory_path() /
                       fmt::format("fogbank-bench-schedules-{}", ::getpid());
    fogbank::EngineConfig config;
    config.templatePath = FOGBANK_BENCH_SCHEDULES_TEMPLATE;
    config.edgePort = 0;
    config.stateDir = state;
    config.python = python;
    config.record = !noRecord;
    config.clockStart = std::chrono::sys_days{std::chrono::year{2026} / 3 / 2};
    int status = 0;
    {
        fogbank::Engine engine(config);
        engine.pauseClock();
        engine.start();
        // One firing first, so that the cold start is not in the measurement.
        std::promise<void> warm;
        engine.fireSchedule("BenchScheduledEveryMinute",
                            [&](fogbank::scheduler::Firing, std::string) { warm.set_value(); });
        warm.get_future().wait();

        std::promise<fogbank::scheduler::AdvanceReport> done;
        const auto t0 = std::chrono::steady_clock::now();
        engine.advanceClock(
            std::chrono::hours(24 * days),
            [&](fogbank::scheduler::AdvanceReport r) { done.set_value(std::move(r)); });
        const auto report = done.get_future().get();
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        int failed = 0;
        for (const auto& f : report.fired) failed += !f.result.ok();
        fmt::print("advance {} days ({}): {} firings ({} failed) in {:.2f} s, {:.0f} firings/s{}\n",
                   days, noRecord ? "not recorded" : "recorded", report.fired.size(), failed,
                   seconds, report.fired.size() / seconds,
                   report.error.empty() ? "" : ", error: " + report.error);
        status = report.error.empty() && failed == 0 ? 0 : 1;
        engine.stop();
    }
    std::filesystem::remove_all(state);
    return status;
}
