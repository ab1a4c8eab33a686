// How one function's sandbox is started: which executable, which arguments, and the environment a
// real Lambda execution environment has.
#pragma once

#include "emulator/project/project.h"
#include "emulator/runtime/child_process.h"
#include "emulator/runtime/interpreters.h"

#include <optional>
#include <stdexcept>
#include <string>

namespace fogbank {

// The sandbox cannot be started at all (no interpreter, no bootstrap, unsupported runtime).
class LaunchError : public std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct LaunchContext {
    std::string region = "us-east-1";
    std::string edgeUrl;  // AWS_ENDPOINT_URL; empty when the edge is off
    std::filesystem::path resources;
};

// A runtime started under its debugger: Node with the inspector, Python with debugpy. Either
// waits for a debugger before it loads the handler.
struct DebugLaunch {
    int port = 0;  // on 127.0.0.1; 0: a free one for each sandbox
    bool ide = false;
};

struct LaunchPlan {
    LaunchSpec spec;          // without AWS_LAMBDA_RUNTIME_API, which each sandbox adds
    std::string interpreter;  // what runs the handler, for the log
    std::optional<DebugLaunch> debug;
};

// Throws LaunchError naming the function and what is missing (custom runtimes cannot be started
// under a debugger by Fogbank).
LaunchPlan planLaunch(const FunctionSpec& function, Interpreters& interpreters,
                      const LaunchContext& context,
                      std::optional<DebugLaunch> debug = std::nullopt);

}  // namespace fogbank
