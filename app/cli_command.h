// What every `fogbank` subcommand shares: the options that locate and configure a project, and
// the shape a subcommand registers itself in, so that each lives in its own cli_*.cpp.
#pragma once

#include "emulator/engine_config.h"

#include <CLI/CLI.hpp>

#include <functional>
#include <string>
#include <vector>

namespace fogbank::cli {

struct CommonOptions {
    std::string templatePath = "template.yaml";
    std::vector<std::string> parameters;
    std::string python;
    std::string node;
    bool cpuShare = false;  // only the commands that run functions offer --cpu-share
};

// --log-level as given to whichever subcommand ran ("warn" when none was).
const std::string& requestedLogLevel();

// A registered subcommand and what runs when the user chose it; run() returns the exit status
// (0 ok, 1 the function or comparison failed, 2 bad input).
struct Command {
    CLI::App* app = nullptr;
    std::function<int()> run;
};

void addCommon(CLI::App& command, CommonOptions& options);
// --cpu-share, for the commands that run functions.
void addCpuShareFlag(CLI::App& command, CommonOptions& options);
EngineConfig makeConfig(const CommonOptions& options);

// An event from a file, from stdin ("-"), or "{}" when none was given.
std::string readEvent(const std::string& source);
// readEvent(), and throws naming the file when what it read is not JSON.
std::string readJsonEvent(const std::string& source);

Command addInvokeCommand(CLI::App& app);
Command addServeCommand(CLI::App& app);
Command addFunctionsCommand(CLI::App& app);
Command addTracesCommand(CLI::App& app);
Command addTraceCommand(CLI::App& app);
Command addGenerateEventCommand(CLI::App& app);
Command addReplayCommand(CLI::App& app);
Command addSchedulesCommand(CLI::App& app);
Command addCostCommand(CLI::App& app);
Command addStatsCommand(CLI::App& app);
Command addDebugConfigCommand(CLI::App& app);
Command addSweepCommand(CLI::App& app);

}  // namespace fogbank::cli
