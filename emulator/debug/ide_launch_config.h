// What an IDE needs to attach to a function that Fogbank runs under a debugger for it (`fogbank
// invoke --debug`, `serve --debug`): the port each runtime's debugger listens on by default, and
// a ready launch configuration.
#pragma once

#include "emulator/project/project.h"

#include <nlohmann/json.hpp>

#include <filesystem>

namespace fogbank::debug {

// VS Code's own defaults: 9229 for Node's inspector, 5678 for debugpy.
int defaultDebugPort(const FunctionSpec& function);

// One entry for .vscode/launch.json's "configurations". `runtimesDir`: Fogbank's runtime
// bootstraps, kept out of stepping. Throws std::invalid_argument for runtimes Fogbank cannot
// debug (custom ones).
nlohmann::ordered_json vscodeLaunchConfig(const FunctionSpec& function, int port,
                                          const std::filesystem::path& runtimesDir);

}  // namespace fogbank::debug
