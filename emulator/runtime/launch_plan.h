// How one function's sandbox is started: which executable, which arguments, and the environment a
// real Lambda execution environment has.
#pragma once

#include "emulator/project/project.h"
#include "emulator/runtime/child_process.h"
#include "emulator/runtime/interpreters.h"

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

struct LaunchPlan {
    LaunchSpec spec;          // without AWS_LAMBDA_RUNTIME_API, which each sandbox adds
    std::string interpreter;  // what runs the handler, for the log
};

// Throws LaunchError naming the function and what is missing.
LaunchPlan planLaunch(const FunctionSpec& function, Interpreters& interpreters,
                      const LaunchContext& context);

}  // namespace fogbank
