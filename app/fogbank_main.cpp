// fogbank: the headless command line over the engine. Each subcommand lives in its own
// app/cli_*.cpp; this file only dispatches and turns errors into exit statuses.
#include "app/cli_command.h"
#include "emulator/project/project.h"

#include <CLI/CLI.hpp>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <iostream>
#include <vector>

int main(int argc, char** argv) {
    using namespace fogbank;
    CLI::App app{"Fogbank: run and debug AWS SAM serverless apps on this machine, offline"};
    app.require_subcommand(1);
    // One subcommand per line, in the order --help lists them.
    // clang-format off
    const std::vector<cli::Command> commands{
        cli::addInvokeCommand(app),
        cli::addServeCommand(app),
        cli::addFunctionsCommand(app),
        cli::addTracesCommand(app),
        cli::addTraceCommand(app),
        cli::addReplayCommand(app),
        cli::addGenerateEventCommand(app),
        cli::addSchedulesCommand(app),
        cli::addCostCommand(app),
        cli::addStatsCommand(app),
        cli::addDebugConfigCommand(app),
        cli::addSweepCommand(app),
    };
    // clang-format on

    // Usage errors exit 2 like a bad template; CLI11's own codes (100+) say nothing to a script.
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int code = app.exit(e);
        return code == 0 ? 0 : 2;
    }
    // stdout carries responses and REPORT lines; the engine's own voice goes to stderr.
    spdlog::set_default_logger(spdlog::stderr_color_mt("fogbank"));
    spdlog::set_level(spdlog::level::from_str(cli::requestedLogLevel()));
    spdlog::set_pattern("fogbank: %l: %v");
    try {
        for (const auto& command : commands)
            if (command.app->parsed()) return command.run();
    } catch (const TemplateError& e) {
        std::cerr << e.what() << '\n';
        return 2;
    } catch (const CLI::Error& e) {
        std::cerr << "fogbank: " << e.what() << '\n';
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "fogbank: " << e.what() << '\n';
        return 2;
    }
    return 0;
}
