#include "emulator/runtime/launch_plan.h"

#include <unistd.h>

#include <cstdlib>

namespace fogbank {

namespace {

// Dummy credentials: the SDKs refuse to sign without some, and none of Fogbank's endpoints
// needs real ones. Never the user's own: a handler run locally must not reach their account.
constexpr const char* kAccessKey = "AKIAFOGBANKLOCAL0000";
constexpr const char* kSecretKey = "fogbank/local/secret/key/not/a/real/one/00";

void inherit(std::map<std::string, std::string>& env, const char* name) {
    if (const char* value = std::getenv(name)) env[name] = value;
}

}  // namespace

LaunchPlan planLaunch(const FunctionSpec& fn, Interpreters& interpreters,
                      const LaunchContext& context, std::optional<DebugLaunch> debug) {
    LaunchPlan plan;
    plan.debug = debug;
    auto& spec = plan.spec;
    spec.workingDirectory = fn.codeUri;
    const auto runtimes = context.resources / "runtimes";

    try {
        switch (fn.family()) {
            case RuntimeFamily::Node: {
                const auto& node = interpreters.node();
                spec.executable = node.executable;
                spec.args = {(runtimes / "nodejs" / "bootstrap.js").string()};
                if (debug) {
                    // -brk: Node waits for a debugger before it runs any script, so that one that
                    // attaches early or late can set its breakpoints first. Port 0 lets Node
                    // pick; it prints the port it took, which the sandbox reads.
                    spec.args.insert(spec.args.begin(),
                                     "--inspect-brk=127.0.0.1:" + std::to_string(debug->port));
                    spec.environment["FOGBANK_DEBUG"] = "1";
                }
                plan.interpreter = node.label();
                spec.environment["LAMBDA_RUNTIME_DIR"] = (runtimes / "nodejs").string();
                break;
            }
            case RuntimeFamily::Python: {
                const auto& python = interpreters.python();
                spec.executable = python.executable;
                spec.args = {"-u", (runtimes / "python" / "bootstrap.py").string()};
                if (debug) {
                    // debugpy cannot trace frozen standard modules (3.11 freezes some); older
                    // Pythons ignore an -X option they do not know. The port is filled in per
                    // sandbox when it is 0.
                    spec.args.insert(spec.args.begin(), "-Xfrozen_modules=off");
                    spec.environment["FOGBANK_DEBUG"] = "1";
                    spec.environment["FOGBANK_DEBUG_PORT"] = std::to_string(debug->port);
                }
                plan.interpreter = python.label();
                spec.environment["LAMBDA_RUNTIME_DIR"] = (runtimes / "python").string();
                // /var/task is read-only on Lambda: no __pycache__ in the user's source tree.
                spec.environment["PYTHONDONTWRITEBYTECODE"] = "1";
                break;
            }
            case RuntimeFamily::Provided: {
                auto bootstrap = fn.codeUri / "bootstrap";
                if (!std::filesystem::exists(bootstrap))
                    throw LaunchError("function " + fn.functionName + " (" + fn.runtime +
                                      "): no bootstrap at " + bootstrap.string() +
                                      " (custom runtimes start the function's own executable "
                                      "named bootstrap)");
                if (::access(bootstrap.c_str(), X_OK) != 0)
                    throw LaunchError("function " + fn.functionName + ": " + bootstrap.string() +
                                      " is not executable (chmod +x it)");
                if (debug)
                    throw LaunchError("function " + fn.functionName + " (" + fn.runtime +
                                      "): Fogbank debugs nodejs* and python3* functions; start a "
                                      "custom runtime's bootstrap under its own debugger instead");
                spec.executable = bootstrap;
                plan.interpreter = bootstrap.string() + " (custom runtime)";
                break;
            }
            case RuntimeFamily::Unsupported:
                throw LaunchError("function " + fn.functionName + ": runtime " + fn.runtime +
                                  " is not supported yet (Fogbank runs nodejs*, python3* and "
                                  "provided* functions)");
        }
    } catch (const LaunchError&) {
        throw;
    } catch (const std::exception& e) {
        throw LaunchError("function " + fn.functionName + ": " + e.what());
    }

    auto& env = spec.environment;
    for (const auto& [key, value] : fn.environment) env[key] = value;
    // What the host must still give: tools a custom runtime calls (curl), and a home for caches.
    for (const char* name : {"PATH", "HOME", "LD_LIBRARY_PATH", "SSL_CERT_FILE"})
        inherit(env, name);
    if (!env.count("PATH")) env["PATH"] = "/usr/local/bin:/usr/bin:/bin";

    // The reserved variables come last: as on Lambda, a template cannot override them.
    env["_HANDLER"] = fn.handler;
    env["LAMBDA_TASK_ROOT"] = fn.codeUri.string();
    env["AWS_EXECUTION_ENV"] = "AWS_Lambda_" + fn.runtime;
    env["AWS_LAMBDA_FUNCTION_NAME"] = fn.functionName;
    env["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = std::to_string(fn.memoryMb);
    env["AWS_LAMBDA_FUNCTION_VERSION"] = "$LATEST";
    env["AWS_LAMBDA_INITIALIZATION_TYPE"] = "on-demand";
    env["AWS_LAMBDA_LOG_GROUP_NAME"] = "/aws/lambda/" + fn.functionName;
    env["AWS_REGION"] = context.region;
    env["AWS_DEFAULT_REGION"] = context.region;
    env["AWS_ACCESS_KEY_ID"] = kAccessKey;
    env["AWS_SECRET_ACCESS_KEY"] = kSecretKey;
    env["AWS_SESSION_TOKEN"] = "fogbank-local-session";
    if (!context.edgeUrl.empty()) env["AWS_ENDPOINT_URL"] = context.edgeUrl;
    env["TZ"] = ":UTC";
    env["LANG"] = "en_US.UTF-8";
    return plan;
}

}  // namespace fogbank
