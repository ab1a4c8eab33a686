// Which executables run Node and Python handlers. Resolved once, explicitly, and reported: the
// python3 first on PATH is often not Debian's (pyenv), and a handler that imports boto3 works
// only under the one that has it.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace fogbank {

struct Interpreter {
    std::filesystem::path executable;  // absolute, symlinks and shims resolved
    std::string version;               // "v20.20.2", "3.11.2"
    std::string label() const;         // "/usr/bin/python3.11 (Python 3.11.2)"
};

class Interpreters {
  public:
    // Empty paths mean: resolve. Python: /usr/bin/python3 (Debian's, with boto3 as Lambda's image
    // has), then python3 on PATH. Node: node on PATH.
    Interpreters(std::filesystem::path python, std::filesystem::path node);

    // Resolves on first use (runs the interpreter once to ask); throws std::runtime_error that
    // says what was tried when none is found.
    const Interpreter& python();
    const Interpreter& node();

  private:
    std::filesystem::path pythonRequest_, nodeRequest_;
    std::optional<Interpreter> python_, node_;
};

}  // namespace fogbank
