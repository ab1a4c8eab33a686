// Private to emulator/project: the template's YAML tree together with the file name its errors
// must quote, so every later stage can point at a line and column without carrying the path.
#pragma once

#include "emulator/project/project.h"

#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>
#include <string_view>

namespace fogbank::detail {

// One `key: value` pair of a mapping; the key's mark is where a property "is" for error messages.
struct YamlEntry {
    YAML::Node key;
    YAML::Node value;
};

class YamlSource {
  public:
    explicit YamlSource(std::filesystem::path fileAsGiven) : file_(std::move(fileAsGiven)) {}

    const std::filesystem::path& file() const { return file_; }

    // yaml-cpp marks are 0-based; editors and our messages are 1-based. Nodes without a mark
    // (empty documents) point at the file itself.
    SourceLocation at(const YAML::Mark& mark) const;
    SourceLocation at(const YAML::Node& node) const;
    SourceLocation fileOnly() const { return SourceLocation{file_, 0, 0}; }

    [[noreturn]] void fail(const YAML::Node& node, const std::string& message) const;
    [[noreturn]] void fail(const SourceLocation& where, const std::string& message) const;

  private:
    std::filesystem::path file_;
};

// Looks a key up without yaml-cpp's operator[], which on a non-const node would insert it.
std::optional<YamlEntry> findEntry(const YAML::Node& map, std::string_view key);

// A short description of a node for "got ..." in messages: the scalar quoted, or its kind.
std::string describe(const YAML::Node& node);

// True for a scalar the author wrote without quotes or an explicit tag, i.e. one whose type
// (number, boolean, null) YAML infers from its text.
bool isPlainScalar(const YAML::Node& node);

}  // namespace fogbank::detail
