#include "app/cli_command.h"
#include "app/cli_debug.h"
#include "emulator/debug/ide_launch_config.h"
#include "emulator/engine.h"
#include "emulator/services/scheduler/schedule_expression.h"

#include <algorithm>
#include <csignal>
#include <iomanip>
#include <iostream>
#include <mutex>
#include <optional>

namespace fogbank::cli {
namespace {

// The route table, in the order requests are matched: what a curl to the port reaches.
void printRoutes(const Engine& engine) {
    const auto routes = engine.httpRoutes();
    if (routes.empty()) return;
    if (!engine.httpPort()) {
        std::cout << "  HTTP APIs: disabled (" << routes.size() << " routes not served)\n";
        return;
    }
    std::cout << "  HTTP APIs: http://127.0.0.1:" << engine.httpPort() << '\n';
    std::size_t methodWidth = 6, pathWidth = 4, functionWidth = 8;
    for (const auto& r : routes) {
        methodWidth = std::max(methodWidth, r.method.size());
        pathWidth = std::max(pathWidth, r.path.size());
        functionWidth = std::max(functionWidth, r.function.size());
    }
    const auto row = [&](const std::string& method, const std::string& path,
                         const std::string& function, const std::string& api) {
        std::cout << "    " << std::left << std::setw(int(methodWidth)) << method << "  "
                  << std::setw(int(pathWidth)) << path << "  " << std::setw(int(functionWidth))
                  << function << "  " << api << '\n';
    };
    row("METHOD", "PATH", "FUNCTION", "API");
    for (const auto& r : routes)
        row(r.method, r.path, r.function,
            r.api + " (" + r.apiType + ", stage " + r.stage + ", payload " + r.payloadVersion +
                ")");
}

// "Name=N" from a repeatable option; plain "Name" gives `bare` when it is set.
std::pair<std::string, int> namedNumber(const std::string& option, const std::string& text,
                                        std::optional<int> bare, const std::string& shape) {
    const auto eq = text.find('=');
    if (eq == std::string::npos && bare && !text.empty()) return {text, *bare};
    int number = -1;
    if (eq != std::string::npos && eq > 0) {
        try {
            std::size_t used = 0;
            number = std::stoi(text.substr(eq + 1), &used);
            if (used != text.size() - eq - 1) number = -1;
        } catch (const std::exception&) {
            number = -1;
        }
    }
    if (number < 0)
        throw CLI::ValidationError(option, "expected " + shape + ", got \"" + text + "\"");
    return {text.substr(0, eq), number};
}

int runServe(const CommonOptions& common, int edgePort, std::optional<int> httpPort,
             const std::string& stateDir, double idleSeconds, bool allLogs,
             const std::string& clockStart, const std::vector<std::string>& prewarm,
             const std::vector<std::string>& debug) {
    auto config = makeConfig(common);
    if (edgePort >= 0) config.edgePort = edgePort;
    if (httpPort) config.httpPort = *httpPort;
    if (!stateDir.empty()) config.stateDir = stateDir;
    if (idleSeconds > 0)
        config.idleTimeout = std::chrono::milliseconds(static_cast<long long>(idleSeconds * 1000));
    if (!clockStart.empty()) config.clockStart = scheduler::parseUtc(clockStart);
    for (const auto& text : prewarm)
        config.prewarm.insert(namedNumber("--prewarm", text, std::nullopt, "Function=N"));
    for (const auto& text : debug)
        config.ideDebug.insert(namedNumber("--debug", text, 0, "Function or Function=PORT"));

    // Block the signals before the engine's thread exists, so that only sigwait below sees them.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

    Engine engine(config);
    struct Printer : EngineObserver {
        bool all = false;
        std::mutex mutex;
        void logLine(const std::string&, const LogLine& line) override {
            if (!all && !line.text.starts_with("REPORT ")) return;
            std::lock_guard lock(mutex);
            std::cout << line.text << '\n' << std::flush;
        }
    } printer;
    printer.all = allLogs;
    engine.addObserver(&printer);
    AttachInstructions instructions;
    engine.debugger().addObserver(&instructions);
    engine.start();

    const auto& project = engine.project();
    std::cout << "Fogbank serving " << project.templatePath.string() << '\n';
    if (engine.edgePort())
        std::cout << "  edge (AWS APIs): http://127.0.0.1:" << engine.edgePort() << '\n';
    if (config.cpuShare) {
        const auto cpu = engine.cpuShareStatus();
        std::cout << "  CPU share: " << toString(cpu.mode)
                  << (cpu.why.empty() ? " (" + cpu.cgroupDir.string() + ")" : ": " + cpu.why)
                  << '\n';
    }
    for (const auto& fn : project.functions) {
        std::cout << "  function " << fn.functionName << " (" << fn.runtime << ", " << fn.memoryMb
                  << " MB, " << fn.timeoutSeconds << " s)";
        for (const auto& [name, port] : config.ideDebug)
            if (name == fn.logicalId || name == fn.functionName)
                std::cout << ", debugged on 127.0.0.1:"
                          << (port > 0 ? port : debug::defaultDebugPort(fn));
        std::cout << '\n';
    }
    for (const auto& bucket : project.buckets)
        std::cout << "  bucket   s3://" << bucket.bucketName << '\n';
    for (const auto& queue : project.queues)
        std::cout << "  queue    " << project.queueUrl(queue) << '\n';
    std::promise<std::vector<scheduler::ScheduleStatus>> listed;
    engine.schedules(1, [&](auto list) { listed.set_value(std::move(list)); });
    for (const auto& s : listed.get_future().get())
        std::cout << "  schedule " << s.name << " -> " << s.function << ", " << s.expression
                  << (s.timeZone == "UTC" ? "" : " " + s.timeZone) << ", next "
                  << (s.nextFirings.empty() ? std::string(s.enabled ? "never" : "disabled")
                                            : scheduler::formatUtc(s.nextFirings.front()))
                  << '\n';
    printRoutes(engine);
    std::cout << "Ready. Ctrl+C stops." << std::endl;

    int received = 0;
    sigwait(&signals, &received);
    std::cout << "Stopping." << std::endl;
    engine.debugger().removeObserver(&instructions);
    engine.removeObserver(&printer);
    engine.stop();
    return 0;
}

}  // namespace

Command addServeCommand(CLI::App& app) {
    auto* sub = app.add_subcommand("serve", "Run the project until interrupted");
    auto common = std::make_shared<CommonOptions>();
    struct Options {
        int edgePort = -1;
        std::optional<int> httpPort;
        std::string stateDir;
        double idleSeconds = 0;
        bool allLogs = false;
        std::string clockStart;
        std::vector<std::string> prewarm;
        std::vector<std::string> debug;
    };
    auto o = std::make_shared<Options>();
    addCommon(*sub, *common);
    addCpuShareFlag(*sub, *common);
    sub->add_option("--edge-port", o->edgePort, "AWS API port on 127.0.0.1 (default 4566)");
    sub->add_option("--http-port", o->httpPort,
                    "HTTP APIs' port on 127.0.0.1 (default 3000; 0 any free port; -1 disables)");
    sub->add_option("--state-dir", o->stateDir,
                    "State folder (default .fogbank beside the template)");
    sub->add_option("--idle-timeout", o->idleSeconds, "Seconds before an idle sandbox is stopped");
    sub->add_flag("--logs", o->allLogs, "Print every log line, not only REPORT lines");
    sub->add_option("--clock-start", o->clockStart,
                    "Start the schedules' clock at this time, e.g. 2026-03-08T00:00:00Z");
    sub->add_option("--prewarm", o->prewarm,
                    "Keep N sandboxes of a function started and warm, as provisioned "
                    "concurrency does: Function=N (repeatable)");
    sub->add_option("--debug", o->debug,
                    "Run every invocation of a function under its debugger, waiting for an IDE "
                    "to attach: Function or Function=PORT (default 9229 Node, 5678 Python; "
                    "repeatable)");
    return {sub, [=] {
                return runServe(*common, o->edgePort, o->httpPort, o->stateDir, o->idleSeconds,
                                o->allLogs, o->clockStart, o->prewarm, o->debug);
            }};
}

}  // namespace fogbank::cli
