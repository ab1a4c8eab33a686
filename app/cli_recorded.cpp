#include "app/cli_recorded.h"

namespace fogbank::cli {

void addStoreOptions(CLI::App& command, StoreOptions& options) {
    command
        .add_option("-t,--template", options.templatePath,
                    "SAM template, to find its state folder and functions")
        ->capture_default_str();
    command.add_option("--state-dir", options.stateDir,
                       "State folder (default .fogbank beside the template)");
}

Recorded openRecorded(const StoreOptions& options) {
    CommonOptions common;
    common.templatePath = options.templatePath;
    EngineConfig config = makeConfig(common);
    if (!options.stateDir.empty()) config.stateDir = options.stateDir;
    if (config.stateDir.empty())
        config.stateDir = std::filesystem::absolute(config.templatePath).parent_path() / ".fogbank";
    Recorded out;
    out.database = config.stateDir / "fogbank.db";
    try {
        out.project = loadProject(config.templatePath, config.load);
    } catch (const std::exception& e) {
        // Names are then taken as the user typed them.
        out.projectError = e.what();
    }
    // Opening would create the folder and an empty database; reading must not.
    if (std::filesystem::exists(out.database))
        out.store = std::make_unique<InvocationStore>(config.stateDir);
    return out;
}

}  // namespace fogbank::cli
