// Where a function's handler is written, found the way its runtime will look for it, so that the
// window can show the source before anything ran. Only Node and Python handlers have one.
#pragma once

#include "emulator/project/project.h"

#include <filesystem>
#include <optional>
#include <vector>

namespace fogbank {

// The file the runtime would load for `fn.handler` under `fn.codeUri`; nullopt when it does not
// exist or the runtime has no handler file (provided runtimes).
std::optional<std::filesystem::path> handlerSourceFile(const FunctionSpec& fn);

// The function's own source files in its language under codeUri (no dependencies: node_modules,
// site-packages, caches and hidden folders are skipped), sorted, at most `limit` of them.
std::vector<std::filesystem::path> functionSourceFiles(const FunctionSpec& fn,
                                                       std::size_t limit = 500);

}  // namespace fogbank
