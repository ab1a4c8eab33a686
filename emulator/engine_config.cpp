#include "emulator/engine_config.h"

#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

namespace fogbank {

namespace {

SourceLocation locate(const std::filesystem::path& file, const std::string& text,
                      std::size_t offset) {
    SourceLocation where{file, 1, 1};
    for (std::size_t i = 0; i < std::min(offset, text.size()); ++i) {
        if (text[i] == '\n') {
            ++where.line;
            where.column = 1;
        } else {
            ++where.column;
        }
    }
    return where;
}

}  // namespace

void applyProjectConfigFile(EngineConfig& config) {
    auto path = std::filesystem::absolute(config.templatePath).parent_path() / "fogbank.json";
    std::ifstream in(path);
    if (!in) return;
    std::stringstream buffer;
    buffer << in.rdbuf();
    const std::string text = buffer.str();
    nlohmann::json doc;
    try {
        doc = nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error& e) {
        throw TemplateError(locate(path, text, e.byte ? e.byte - 1 : 0),
                            std::string("not valid JSON: ") + e.what());
    }
    const SourceLocation top{path, 1, 1};
    if (!doc.is_object()) throw TemplateError(top, "fogbank.json must hold a JSON object");
    try {
        if (doc.contains("edgePort")) config.edgePort = doc["edgePort"].get<int>();
        if (doc.contains("httpPort")) config.httpPort = doc["httpPort"].get<int>();
        if (doc.contains("stateDir"))
            config.stateDir = path.parent_path() / doc["stateDir"].get<std::string>();
        if (doc.contains("idleTimeoutSeconds"))
            config.idleTimeout = std::chrono::milliseconds(
                static_cast<long long>(doc["idleTimeoutSeconds"].get<double>() * 1000));
        if (doc.contains("retention")) config.retention = doc["retention"].get<std::size_t>();
        if (doc.contains("defaultConcurrency"))
            config.defaultConcurrency = doc["defaultConcurrency"].get<int>();
        if (doc.contains("cpuShare")) config.cpuShare = doc["cpuShare"].get<bool>();
        if (doc.contains("prewarm"))
            for (const auto& [function, count] : doc["prewarm"].items())
                config.prewarm[function] = count.get<int>();
        if (doc.contains("interpreters")) {
            const auto& interpreters = doc["interpreters"];
            if (interpreters.contains("python"))
                config.python = interpreters["python"].get<std::string>();
            if (interpreters.contains("node"))
                config.node = interpreters["node"].get<std::string>();
        }
        if (doc.contains("parameters")) {
            for (const auto& [key, value] : doc["parameters"].items())
                config.load.parameterOverrides.try_emplace(
                    key, value.is_string() ? value.get<std::string>() : value.dump());
        }
    } catch (const nlohmann::json::exception& e) {
        throw TemplateError(top, std::string("unexpected value: ") + e.what());
    }
}

}  // namespace fogbank
