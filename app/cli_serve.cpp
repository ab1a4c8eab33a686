#include "app/cli_command.h"
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

int runServe(const CommonOptions& common, int edgePort, std::optional<int> httpPort,
             const std::string& stateDir, double idleSeconds, bool allLogs,
             const std::string& clockStart, const std::vector<std::string>& prewarm) {
    auto config = makeConfig(common);
    if (edgePort >= 0) config.edgePort = edgePort;
    if (httpPort) config.httpPort = *httpPort;
    if (!stateDir.empty()) config.stateDir = stateDir;
    if (idleSeconds > 0)
        config.idleTimeout = std::chrono::milliseconds(static_cast<long long>(idleSeconds * 1000));
    if (!clockStart.empty()) config.clockStart = scheduler::parseUtc(clockStart);
    for (const auto& pair : prewarm) {
        const auto eq = pair.find('=');
        int count = -1;
        if (eq != std::string::npos) {
            try {
                count = std::stoi(pair.substr(eq + 1));
            } catch (const std::exception&) {
                count = -1;
            }
        }
        if (eq == std::string::npos || count < 0)
            throw CLI::ValidationError("--prewarm", "expected Function=N, got \"" + pair + "\"");
        config.prewarm[pair.substr(0, eq)] = count;
    }

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
    engine.start();

    const auto& project = engine.project();
    std::cout << "Fogbank serving " << project.templatePath.string() << '\n';
    if (engine.edgePort())
        std::cout << "  edge (AWS APIs): http://127.0.0.1:" << engine.edgePort() << '\n';
    for (const auto& fn : project.functions)
        std::cout << "  function " << fn.functionName << " (" << fn.runtime << ", " << fn.memoryMb
                  << " MB, " << fn.timeoutSeconds << " s)\n";
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
    };
    auto o = std::make_shared<Options>();
    addCommon(*sub, *common);
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
    return {sub, [=] {
                return runServe(*common, o->edgePort, o->httpPort, o->stateDir, o->idleSeconds,
                                o->allLogs, o->clockStart, o->prewarm);
            }};
}

}  // namespace fogbank::cli
