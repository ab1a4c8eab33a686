// `fogbank debug-config FUNCTION --ide vscode`: a launch configuration that attaches VS Code to
// the port `invoke --debug` / `serve --debug` open for the function; and the instructions both
// print while an invocation waits for an IDE.
#include "app/cli_debug.h"

#include "app/cli_command.h"
#include "emulator/debug/ide_launch_config.h"
#include "emulator/resources.h"

#include <iostream>

namespace fogbank::cli {

void AttachInstructions::waitingForIde(const debug::SessionInfo& s) {
    const bool node = s.runtime == "node";
    std::cerr << "fogbank: " << s.logicalId << " waits for a debugger on 127.0.0.1:" << s.port
              << (node ? " (Node inspector, " + s.endpoint + ")" : std::string(" (debugpy)"))
              << "\n  VS Code: put what `fogbank debug-config " << s.logicalId
              << (s.port == (node ? 9229 : 5678) ? "" : " --port " + std::to_string(s.port))
              << "` prints into .vscode/launch.json and start it"
              << (node ? "\n  Chrome: chrome://inspect, Configure..., add 127.0.0.1:" +
                             std::to_string(s.port)
                       : std::string())
              << "\n  While it is debugged the invocation has no timeout.\n"
              << std::flush;
}

namespace {

int runDebugConfig(const CommonOptions& common, const std::string& function, const std::string& ide,
                   int port) {
    if (ide != "vscode")
        throw CLI::ValidationError("--ide", "supported: vscode (got \"" + ide + "\")");
    auto config = makeConfig(common);
    const auto project = loadProject(config.templatePath, config.load);
    const auto* fn = project.findFunction(function);
    if (!fn) throw std::runtime_error("no function " + function + " in " + common.templatePath);
    const auto launch = debug::vscodeLaunchConfig(
        *fn, port > 0 ? port : debug::defaultDebugPort(*fn), resourcesDir() / "runtimes");
    // Ready to paste as a whole launch.json, or as one entry of its "configurations".
    std::cout << nlohmann::ordered_json{{"version", "0.2.0"}, {"configurations", {launch}}}.dump(2)
              << '\n';
    return 0;
}

}  // namespace

Command addDebugConfigCommand(CLI::App& app) {
    auto* sub = app.add_subcommand(
        "debug-config", "Print an IDE launch configuration that attaches to `invoke --debug`");
    auto common = std::make_shared<CommonOptions>();
    auto function = std::make_shared<std::string>();
    auto ide = std::make_shared<std::string>("vscode");
    auto port = std::make_shared<int>(0);
    addCommon(*sub, *common);
    sub->add_option("function", *function, "Logical id or FunctionName")->required();
    sub->add_option("--ide", *ide, "Which IDE (vscode)")->capture_default_str();
    sub->add_option("--port", *port, "The debug port (default: 9229 for Node, 5678 for Python)");
    return {sub, [=] { return runDebugConfig(*common, *function, *ide, *port); }};
}

}  // namespace fogbank::cli
