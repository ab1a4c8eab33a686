#include "app/cli_command.h"
#include "emulator/engine.h"

#include <nlohmann/json.hpp>

#include <iostream>

namespace fogbank::cli {
namespace {

int runInvoke(const CommonOptions& common, const std::string& function,
              const std::string& eventSource) {
    auto config = makeConfig(common);
    config.edgePort = 0;  // never collide with a running `fogbank serve`
    config.watchCode = false;
    std::string event = readEvent(eventSource);
    if (!nlohmann::json::accept(event))
        throw std::runtime_error(
            "the event" +
            (eventSource.empty() || eventSource == "-" ? std::string() : " in " + eventSource) +
            " is not valid JSON");
    Engine engine(config);
    if (!engine.project().findFunction(function)) {
        std::string names;
        for (const auto& fn : engine.project().functions)
            names += (names.empty() ? "" : ", ") + fn.logicalId;
        throw std::runtime_error("no function " + function + " in " + common.templatePath +
                                 " (it has: " + names + ")");
    }
    engine.start();
    InvokeRequest request;
    request.function = function;
    request.payload = std::move(event);
    auto result = engine.invoke(std::move(request)).get();
    for (const auto& line : result.logs) std::cerr << line.text << '\n';
    std::cout << result.payload << std::endl;
    return result.ok() ? 0 : 1;
}

}  // namespace

Command addInvokeCommand(CLI::App& app) {
    auto* sub = app.add_subcommand("invoke", "Invoke a function once and print its response");
    auto common = std::make_shared<CommonOptions>();
    auto function = std::make_shared<std::string>();
    auto eventSource = std::make_shared<std::string>();
    addCommon(*sub, *common);
    sub->add_option("function", *function, "Logical id or FunctionName")->required();
    sub->add_option("-e,--event", *eventSource, "Event JSON file, or - for stdin");
    return {sub, [=] { return runInvoke(*common, *function, *eventSource); }};
}

}  // namespace fogbank::cli
