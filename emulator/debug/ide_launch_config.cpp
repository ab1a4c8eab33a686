#include "emulator/debug/ide_launch_config.h"

#include <stdexcept>

namespace fogbank::debug {

int defaultDebugPort(const FunctionSpec& function) {
    return function.family() == RuntimeFamily::Python ? 5678 : 9229;
}

nlohmann::ordered_json vscodeLaunchConfig(const FunctionSpec& fn, int port,
                                          const std::filesystem::path& runtimesDir) {
    const auto root = fn.codeUri.string();
    switch (fn.family()) {
        case RuntimeFamily::Node:
            // The sandbox runs the code where it is, so local and remote roots are one folder.
            return {
                {"name", "Fogbank: " + fn.logicalId},
                {"type", "node"},
                {"request", "attach"},
                {"address", "127.0.0.1"},
                {"port", port},
                {"localRoot", root},
                {"remoteRoot", root},
                {"continueOnAttach", true},
                {"skipFiles", {"<node_internals>/**", (runtimesDir / "nodejs").string() + "/**"}}};
        case RuntimeFamily::Python:
            // "python" on extensions before the Python Debugger one; the fields are the same.
            return {{"name", "Fogbank: " + fn.logicalId},
                    {"type", "debugpy"},
                    {"request", "attach"},
                    {"connect", {{"host", "127.0.0.1"}, {"port", port}}},
                    {"pathMappings", {{{"localRoot", root}, {"remoteRoot", root}}}},
                    {"justMyCode", true},
                    {"rules", {{{"path", (runtimesDir / "python").string()}, {"include", false}}}}};
        default:
            throw std::invalid_argument("function " + fn.logicalId + " (" + fn.runtime +
                                        "): Fogbank debugs nodejs* and python3* functions only");
    }
}

}  // namespace fogbank::debug
