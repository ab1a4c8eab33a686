// fogbank: the headless command line over the engine. `invoke` runs one function once; `serve`
// runs the project until interrupted; `functions` lists what the template defines.
#include "emulator/engine.h"

#include <CLI/CLI.hpp>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <csignal>
#include <fstream>
#include <iostream>
#include <iterator>
#include <mutex>

namespace {

using namespace fogbank;

struct CommonOptions {
    std::string templatePath = "template.yaml";
    std::vector<std::string> parameters;
    std::string python;
    std::string node;
    std::string logLevel = "warn";
};

void addCommon(CLI::App& command, CommonOptions& options) {
    command.add_option("-t,--template", options.templatePath, "SAM template")
        ->capture_default_str();
    command.add_option("--parameter-overrides", options.parameters,
                       "Template parameters as Key=Value");
    command.add_option("--python", options.python,
                       "Python interpreter for python3.x functions (default: /usr/bin/python3, "
                       "then python3 on PATH)");
    command.add_option("--node", options.node, "node executable for nodejs functions");
    command.add_option("--log-level", options.logLevel, "Engine log level")
        ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error"}));
}

EngineConfig makeConfig(const CommonOptions& options) {
    EngineConfig config;
    config.templatePath = options.templatePath;
    applyProjectConfigFile(config);
    for (const auto& pair : options.parameters) {
        auto eq = pair.find('=');
        if (eq == std::string::npos)
            throw CLI::ValidationError("--parameter-overrides",
                                       "expected Key=Value, got \"" + pair + "\"");
        config.load.parameterOverrides[pair.substr(0, eq)] = pair.substr(eq + 1);
    }
    if (!options.python.empty()) config.python = options.python;
    if (!options.node.empty()) config.node = options.node;
    return config;
}

std::string readEvent(const std::string& source) {
    if (source.empty()) return "{}";
    if (source == "-")
        return {std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>()};
    std::ifstream in(source);
    if (!in) throw std::runtime_error("cannot read event file " + source);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

int runInvoke(const CommonOptions& common, const std::string& function,
              const std::string& eventSource) {
    auto config = makeConfig(common);
    config.edgePort = 0;  // never collide with a running `fogbank serve`
    config.watchCode = false;
    std::string event = readEvent(eventSource);
    if (!nlohmann::json::accept(event))
        throw std::runtime_error(
            "the event" +
            (eventSource.empty() || eventSource == "-" ? std::string() : " in " + eventSource) +
            " is not valid JSON");
    Engine engine(config);
    if (!engine.project().findFunction(function)) {
        std::string names;
        for (const auto& fn : engine.project().functions)
            names += (names.empty() ? "" : ", ") + fn.logicalId;
        throw std::runtime_error("no function " + function + " in " + common.templatePath +
                                 " (it has: " + names + ")");
    }
    engine.start();
    InvokeRequest request;
    request.function = function;
    request.payload = std::move(event);
    auto result = engine.invoke(std::move(request)).get();
    for (const auto& line : result.logs) std::cerr << line.text << '\n';
    std::cout << result.payload << std::endl;
    return result.ok() ? 0 : 1;
}

int runServe(const CommonOptions& common, int edgePort, const std::string& stateDir,
             double idleSeconds, bool allLogs) {
    auto config = makeConfig(common);
    if (edgePort >= 0) config.edgePort = edgePort;
    if (!stateDir.empty()) config.stateDir = stateDir;
    if (idleSeconds > 0)
        config.idleTimeout = std::chrono::milliseconds(static_cast<long long>(idleSeconds * 1000));

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
    std::cout << "Ready. Ctrl+C stops." << std::endl;

    int received = 0;
    sigwait(&signals, &received);
    std::cout << "Stopping." << std::endl;
    engine.removeObserver(&printer);
    engine.stop();
    return 0;
}

int runFunctions(const CommonOptions& common) {
    auto config = makeConfig(common);
    auto project = loadProject(config.templatePath, config.load);
    for (const auto& warning : project.warnings)
        std::cerr << warning.where.file.filename().string() << ':' << warning.where.line << ':'
                  << warning.where.column << ": warning: " << warning.message << '\n';
    for (const auto& fn : project.functions) {
        std::cout << fn.logicalId << '\t' << fn.functionName << '\t' << fn.runtime << '\t'
                  << fn.handler << '\t' << fn.memoryMb << " MB\t" << fn.timeoutSeconds << " s\t"
                  << fn.codeUri.string() << '\n';
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"Fogbank: run and debug AWS SAM serverless apps on this machine, offline"};
    app.require_subcommand(1);
    CommonOptions common;

    auto* invoke = app.add_subcommand("invoke", "Invoke a function once and print its response");
    addCommon(*invoke, common);
    std::string function, eventSource;
    invoke->add_option("function", function, "Logical id or FunctionName")->required();
    invoke->add_option("-e,--event", eventSource, "Event JSON file, or - for stdin");

    auto* serve = app.add_subcommand("serve", "Run the project until interrupted");
    addCommon(*serve, common);
    int edgePort = -1;
    std::string stateDir;
    double idleSeconds = 0;
    bool allLogs = false;
    serve->add_option("--edge-port", edgePort, "AWS API port on 127.0.0.1 (default 4566)");
    serve->add_option("--state-dir", stateDir,
                      "State folder (default .fogbank beside the template)");
    serve->add_option("--idle-timeout", idleSeconds, "Seconds before an idle sandbox is stopped");
    serve->add_flag("--logs", allLogs, "Print every log line, not only REPORT lines");

    auto* functions = app.add_subcommand("functions", "List the template's functions");
    addCommon(*functions, common);

    // Usage errors exit 2 like a bad template; CLI11's own codes (100+) say nothing to a script.
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int code = app.exit(e);
        return code == 0 ? 0 : 2;
    }
    // stdout carries responses and REPORT lines; the engine's own voice goes to stderr.
    spdlog::set_default_logger(spdlog::stderr_color_mt("fogbank"));
    spdlog::set_level(spdlog::level::from_str(common.logLevel));
    spdlog::set_pattern("fogbank: %l: %v");
    try {
        if (*invoke) return runInvoke(common, function, eventSource);
        if (*serve) return runServe(common, edgePort, stateDir, idleSeconds, allLogs);
        if (*functions) return runFunctions(common);
    } catch (const TemplateError& e) {
        std::cerr << e.what() << '\n';
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "fogbank: " << e.what() << '\n';
        return 2;
    }
    return 0;
}
