// How the engine is asked to run a project: ports, folders, interpreters, limits. Filled from the
// command line, from fogbank.json beside the template, and by tests.
#pragma once

#include "emulator/project/project.h"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>

namespace fogbank {

struct EngineConfig {
    std::filesystem::path templatePath = "template.yaml";
    LoadOptions load;
    std::string bindAddress = "127.0.0.1";
    // 4566 by default; 0 picks a free port (tests, `fogbank invoke`); negative disables the edge.
    int edgePort = 4566;
    // The template's HTTP APIs (Api / HttpApi events): 3000 by default, 0 a free port, negative
    // disables them. Nothing listens when the template has no routes.
    int httpPort = 3000;
    std::filesystem::path stateDir;  // empty: .fogbank beside the template
    // Explicit interpreters; empty means resolve (Debian's /usr/bin/python3 first, since it has
    // boto3 like Lambda's image; then python3 on PATH; node on PATH).
    std::filesystem::path python;
    std::filesystem::path node;
    std::chrono::milliseconds idleTimeout{std::chrono::minutes(5)};
    int defaultConcurrency = 10;     // per function, when ReservedConcurrentExecutions is unset
    bool watchCode = true;           // retire warm sandboxes when a function's code changes
    bool record = true;              // keep every invocation in <stateDir>/fogbank.db
    std::size_t retention = 100000;  // invocations kept; the oldest go first
    // Where the schedules' virtual clock starts (serve --clock-start); unset: now.
    std::optional<std::chrono::system_clock::time_point> clockStart;
    // Sandboxes kept started and warm per function (logical id or name), provisioned-concurrency
    // style; overrides the template's ProvisionedConcurrencyConfig.
    std::map<std::string, int> prewarm;
    // Functions (logical id or name) whose every invocation, whatever its trigger, runs under a
    // debugger and waits for an IDE to attach on this port (0: VS Code's default for the runtime).
    std::map<std::string, int> ideDebug;
    // CPU-share mode: each sandbox gets its memory's share of a core, as on Lambda (1,769 MB is
    // one core), through a cgroup, or estimated where none can be made (see
    // emulator/runtime/cpu_share.h).
    bool cpuShare = false;
};

// Reads fogbank.json beside the template (when present) into `config`; callers apply their own
// flags afterwards, so that the command line wins. Throws TemplateError naming the file.
void applyProjectConfigFile(EngineConfig& config);

}  // namespace fogbank
