#include "app/cli_command.h"
#include "emulator/project/project.h"

#include <iostream>

namespace fogbank::cli {
namespace {

int runFunctions(const CommonOptions& common) {
    auto config = makeConfig(common);
    auto project = loadProject(config.templatePath, config.load);
    for (const auto& warning : project.warnings)
        std::cerr << warning.where.file.string() << ':' << warning.where.line << ':'
                  << warning.where.column << ": warning: " << warning.message << '\n';
    for (const auto& fn : project.functions) {
        std::cout << fn.logicalId << '\t' << fn.functionName << '\t' << fn.runtime << '\t'
                  << fn.handler << '\t' << fn.memoryMb << " MB\t" << fn.timeoutSeconds << " s\t"
                  << fn.codeUri.string() << '\n';
    }
    return 0;
}

}  // namespace

Command addFunctionsCommand(CLI::App& app) {
    auto* sub = app.add_subcommand("functions", "List the template's functions");
    auto common = std::make_shared<CommonOptions>();
    addCommon(*sub, *common);
    return {sub, [=] { return runFunctions(*common); }};
}

}  // namespace fogbank::cli
