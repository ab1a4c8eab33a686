#include "app/cli_command.h"

#include "emulator/project/project.h"

#include <nlohmann/json.hpp>

#include <fstream>
#include <iostream>
#include <iterator>

namespace fogbank::cli {

namespace {
std::string logLevel = "warn";
}

const std::string& requestedLogLevel() {
    return logLevel;
}

void addCommon(CLI::App& command, CommonOptions& options) {
    command.add_option("-t,--template", options.templatePath, "SAM template")
        ->capture_default_str();
    command.add_option("--parameter-overrides", options.parameters,
                       "Template parameters as Key=Value");
    command.add_option("--python", options.python,
                       "Python interpreter for python3.x functions (default: /usr/bin/python3, "
                       "then python3 on PATH)");
    command.add_option("--node", options.node, "node executable for nodejs functions");
    command.add_option("--log-level", logLevel, "Engine log level")
        ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error"}));
}

void addCpuShareFlag(CLI::App& command, CommonOptions& options) {
    command.add_flag("--cpu-share", options.cpuShare,
                     "Give each sandbox its memory's share of a core, as Lambda does (1769 MB = "
                     "one core): a cgroup where possible, else an estimate");
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
    if (options.cpuShare) config.cpuShare = true;
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

std::string readJsonEvent(const std::string& source) {
    std::string event = readEvent(source);
    if (!nlohmann::json::accept(event))
        throw std::runtime_error(
            "the event" + (source.empty() || source == "-" ? std::string() : " in " + source) +
            " is not valid JSON");
    return event;
}

}  // namespace fogbank::cli
