#include "emulator/resources.h"

#include <cstdlib>
#include <system_error>

namespace fogbank {

std::filesystem::path resourcesDir() {
    if (const char* env = std::getenv("FOGBANK_RESOURCES"); env && *env) return env;
    std::error_code ec;
    auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        auto installed = exe.parent_path().parent_path() / "share" / "fogbank" / "resources";
        if (std::filesystem::exists(installed / "runtimes", ec)) return installed;
    }
    return FOGBANK_SOURCE_RESOURCES;
}

}  // namespace fogbank
