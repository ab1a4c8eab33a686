#include "app/cli_command.h"
#include "app/cli_debug.h"
#include "emulator/debug/ide_launch_config.h"
#include "emulator/engine.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <iostream>
#include <mutex>

namespace fogbank::cli {
namespace {

// Counts invocations that started and have not finished, so `invoke` can let the ones its
// function caused run to the end.
class InFlight : public EngineObserver {
  public:
    void invocationStarted(const std::string&, const std::string&, Trigger) override {
        std::lock_guard lock(mutex_);
        ++running_;
        changed_ = std::chrono::steady_clock::now();
    }
    void invocationFinished(const InvocationResult&) override {
        std::lock_guard lock(mutex_);
        --running_;
        changed_ = std::chrono::steady_clock::now();
        idle_.notify_all();
    }
    // True once nothing has run for a short quiet spell (an async invoke starts a moment after
    // its 202), false at the deadline.
    bool settle(std::chrono::steady_clock::duration limit) {
        using namespace std::chrono_literals;
        const auto deadline = std::chrono::steady_clock::now() + limit;
        std::unique_lock lock(mutex_);
        while (std::chrono::steady_clock::now() < deadline) {
            if (running_ <= 0 && std::chrono::steady_clock::now() - changed_ > 100ms) return true;
            idle_.wait_for(lock, 20ms);
        }
        return running_ <= 0;
    }

  private:
    std::mutex mutex_;
    std::condition_variable idle_;
    int running_ = 0;
    std::chrono::steady_clock::time_point changed_ = std::chrono::steady_clock::now();
};

int runInvoke(const CommonOptions& common, const std::string& function,
              const std::string& eventSource, bool debug, std::optional<int> debugPort) {
    auto config = makeConfig(common);
    config.edgePort = 0;   // never collide with a running `fogbank serve`
    config.httpPort = -1;  // one invocation needs no HTTP APIs
    config.watchCode = false;
    std::string event = readJsonEvent(eventSource);
    Engine engine(config);
    if (!engine.project().findFunction(function)) {
        std::string names;
        for (const auto& fn : engine.project().functions)
            names += (names.empty() ? "" : ", ") + fn.logicalId;
        throw std::runtime_error("no function " + function + " in " + common.templatePath +
                                 " (it has: " + names + ")");
    }
    InFlight inFlight;
    engine.addObserver(&inFlight);
    AttachInstructions instructions;
    engine.debugger().addObserver(&instructions);
    engine.start();
    InvokeRequest request;
    request.function = function;
    request.payload = std::move(event);
    if (debug)
        request.debug = DebugRequest{
            true, false,
            debugPort.value_or(debug::defaultDebugPort(*engine.project().findFunction(function)))};
    auto result = engine.invoke(std::move(request)).get();
    engine.debugger().removeObserver(&instructions);
    for (const auto& line : result.logs) std::cerr << line.text << '\n';
    std::cout << result.payload << std::endl;
    // Work the handler set off (an async invoke of another function) finishes before the engine
    // stops, or it would be recorded as killed. Bounded by the longest function timeout.
    double longest = 0;
    for (const auto& fn : engine.project().functions)
        longest = std::max(longest, fn.timeoutSeconds);
    if (!inFlight.settle(std::chrono::duration_cast<std::chrono::steady_clock::duration>(
            std::chrono::duration<double>(longest + 2))))
        std::cerr << "fogbank: stopped with invocations still running after " << longest + 2
                  << " s\n";
    engine.removeObserver(&inFlight);
    return result.ok() ? 0 : 1;
}

}  // namespace

Command addInvokeCommand(CLI::App& app) {
    auto* sub = app.add_subcommand("invoke", "Invoke a function once and print its response");
    auto common = std::make_shared<CommonOptions>();
    auto function = std::make_shared<std::string>();
    auto eventSource = std::make_shared<std::string>();
    auto debug = std::make_shared<bool>(false);
    auto debugPort = std::make_shared<std::optional<int>>();
    addCommon(*sub, *common);
    addCpuShareFlag(*sub, *common);
    sub->add_option("function", *function, "Logical id or FunctionName")->required();
    sub->add_option("-e,--event", *eventSource, "Event JSON file, or - for stdin");
    sub->add_flag("--debug", *debug,
                  "Run the handler under its debugger and wait for an IDE to attach (see "
                  "debug-config)");
    sub->add_option("--debug-port", *debugPort,
                    "The debugger's port on 127.0.0.1 (default 9229 for Node, 5678 for Python; 0: "
                    "any free one)")
        ->check(CLI::Range(0, 65535));
    return {sub, [=] {
                return runInvoke(*common, *function, *eventSource, *debug || debugPort->has_value(),
                                 *debugPort);
            }};
}

}  // namespace fogbank::cli
