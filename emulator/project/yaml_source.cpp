#include "emulator/project/yaml_source.h"

#include <nlohmann/json.hpp>

namespace fogbank::detail {

SourceLocation YamlSource::at(const YAML::Mark& mark) const {
    if (mark.line < 0 || mark.column < 0) return fileOnly();
    return SourceLocation{file_, mark.line + 1, mark.column + 1};
}

SourceLocation YamlSource::at(const YAML::Node& node) const {
    if (!node.IsDefined()) return fileOnly();
    return at(node.Mark());
}

void YamlSource::fail(const YAML::Node& node, const std::string& message) const {
    throw TemplateError(at(node), message);
}

void YamlSource::fail(const SourceLocation& where, const std::string& message) const {
    throw TemplateError(where, message);
}

std::optional<YamlEntry> findEntry(const YAML::Node& map, std::string_view key) {
    if (!map.IsMap()) return std::nullopt;
    for (auto it = map.begin(); it != map.end(); ++it) {
        if (it->first.IsScalar() && it->first.Scalar() == key) {
            return YamlEntry{it->first, it->second};
        }
    }
    return std::nullopt;
}

std::string describe(const YAML::Node& node) {
    switch (node.Type()) {
        case YAML::NodeType::Scalar:
            return nlohmann::json(node.Scalar()).dump();
        case YAML::NodeType::Sequence:
            return "a list";
        case YAML::NodeType::Map:
            return "a mapping";
        case YAML::NodeType::Null:
            return "nothing";
        case YAML::NodeType::Undefined:
            break;
    }
    return "nothing";
}

bool isPlainScalar(const YAML::Node& node) {
    // yaml-cpp tags plain scalars "?" and quoted ones "!" (the non-specific tags).
    return node.IsScalar() && node.Tag() == "?";
}

}  // namespace fogbank::detail
