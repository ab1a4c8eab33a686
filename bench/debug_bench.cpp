// How long a developer waits for the debugger: from sending a debug invocation that asks to stop
// on the handler's first line until the engine reports the stop, cold (a new debug sandbox,
// the debugger attaching) and warm (the same sandbox again), next to a plain cold invocation of
// the same no-op handler. Node (inspector) and Python (debugpy), bench/functions/template.yaml.
// Bounded: a few samples per runtime, everything on 127.0.0.1.
#include "emulator/debug/debugger.h"
#include "emulator/engine.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <condition_variable>
#include <filesystem>
#include <future>
#include <iostream>
#include <mutex>
#include <optional>

namespace {

using namespace fogbank;
using SteadyClock = std::chrono::steady_clock;

double msBetween(SteadyClock::time_point a, SteadyClock::time_point b) {
    return std::chrono::duration<double, std::milli>(b - a).count();
}

// The first stop of each session, as it is reported.
class Stops : public debug::DebugObserver {
  public:
    void stopped(const debug::SessionInfo& session, const std::string&,
                 const debug::StopEvent&) override {
        std::lock_guard lock(mutex_);
        last_ = {session.id, SteadyClock::now()};
        cv_.notify_all();
    }
    // The next stop after `since`, or nullopt after 60 s.
    std::optional<std::pair<int, SteadyClock::time_point>> next(SteadyClock::time_point since) {
        std::unique_lock lock(mutex_);
        if (!cv_.wait_for(lock, std::chrono::seconds(60),
                          [&] { return last_ && last_->second >= since; }))
            return std::nullopt;
        return last_;
    }

  private:
    std::mutex mutex_;
    std::condition_variable cv_;
    std::optional<std::pair<int, SteadyClock::time_point>> last_;
};

struct Sample {
    double plainCold = 0;  // invoke until answered, no debugger
    double debugCold = 0;  // invoke until stopped on entry, new debug sandbox
    double debugWarm = 0;  // the same, the debug sandbox reused
};

std::string percentiles(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    auto at = [&](double p) { return v[std::min(v.size() - 1, std::size_t(p * v.size()))]; };
    return fmt::format("p50 {:.1f} ms, p90 {:.1f} ms, max {:.1f} ms (n={})", at(0.5), at(0.9),
                       v.back(), v.size());
}

Sample measure(const std::filesystem::path& templatePath, const std::string& function) {
    Sample sample;
    EngineConfig config;
    config.templatePath = templatePath;
    config.edgePort = -1;
    config.httpPort = -1;
    config.record = false;
    Engine engine(config);
    Stops stops;
    engine.debugger().addObserver(&stops);
    engine.start();

    InvokeRequest plain;
    plain.function = function;
    auto t0 = SteadyClock::now();
    if (!engine.invoke(plain).get().ok()) throw std::runtime_error(function + " failed");
    sample.plainCold = msBetween(t0, SteadyClock::now());

    for (double* slot : {&sample.debugCold, &sample.debugWarm}) {
        InvokeRequest request;
        request.function = function;
        request.debug = DebugRequest{false, true, 0};
        t0 = SteadyClock::now();
        auto answer = engine.invoke(request);
        const auto stop = stops.next(t0);
        if (!stop) throw std::runtime_error(function + ": no stop on entry within 60 s");
        *slot = msBetween(t0, stop->second);
        std::promise<std::string> resumed;
        engine.debugger().step(stop->first, debug::StepKind::Continue,
                               [&](std::string error) { resumed.set_value(error); });
        if (auto error = resumed.get_future().get(); !error.empty())
            throw std::runtime_error(error);
        if (!answer.get().ok()) throw std::runtime_error(function + " failed under the debugger");
    }
    engine.debugger().removeObserver(&stops);
    engine.stop();
    return sample;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"Fogbank debugger benchmark: time to the first stop, cold and warm"};
    int samples = 8;
    app.add_option("--samples", samples, "Samples per runtime (a fresh engine each)")
        ->check(CLI::Range(1, 50));
    CLI11_PARSE(app, argc, argv);
    spdlog::set_level(spdlog::level::warn);

    for (const std::string function : {"bench-node-noop", "bench-python-noop"}) {
        std::vector<double> plain, cold, warm;
        for (int i = 0; i < samples; ++i) {
            const auto s = measure(FOGBANK_BENCH_TEMPLATE, function);
            plain.push_back(s.plainCold);
            cold.push_back(s.debugCold);
            warm.push_back(s.debugWarm);
        }
        std::cout << function << "\n  plain cold invoke, answered:     " << percentiles(plain)
                  << "\n  debug invoke, stopped on entry:  cold " << percentiles(cold)
                  << "\n                                   warm " << percentiles(warm) << '\n'
                  << std::flush;
    }
    return 0;
}
