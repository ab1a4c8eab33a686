#include "emulator/runtime/interpreters.h"

#include "emulator/runtime/child_process.h"

#include <spdlog/spdlog.h>

#include <stdexcept>

namespace fogbank {

std::string Interpreter::label() const {
    return executable.string() + (version.empty() ? "" : " (" + version + ")");
}

Interpreters::Interpreters(std::filesystem::path python, std::filesystem::path node)
    : pythonRequest_(std::move(python)), nodeRequest_(std::move(node)) {}

namespace {

// Asks the interpreter itself where it lives and what it is: that sees through pyenv shims and
// the /usr/bin/python3 -> python3.11 link, so the log names what really ran.
Interpreter probe(const std::filesystem::path& candidate, const std::vector<std::string>& args) {
    std::string out = captureOutput(candidate, args);
    auto tab = out.find('\t');
    if (out.empty() || tab == std::string::npos) return {};
    return Interpreter{out.substr(0, tab), out.substr(tab + 1)};
}

}  // namespace

const Interpreter& Interpreters::python() {
    if (python_) return *python_;
    std::vector<std::filesystem::path> candidates;
    if (!pythonRequest_.empty())
        candidates.push_back(findExecutable(pythonRequest_.string()));
    else
        candidates = {findExecutable("/usr/bin/python3"), findExecutable("python3")};
    const std::vector<std::string> args = {
        "-c",
        "import sys,platform;print(sys.executable+'\\t'+'Python '+platform.python_version())"};
    for (const auto& candidate : candidates) {
        if (candidate.empty()) continue;
        if (auto found = probe(candidate, args); !found.executable.empty()) {
            spdlog::info("python handlers run with {}", found.label());
            return python_.emplace(std::move(found));
        }
    }
    throw std::runtime_error(pythonRequest_.empty()
                                 ? "no Python interpreter found (tried /usr/bin/python3 and "
                                   "python3 on PATH); set one with --python"
                                 : "the Python interpreter " + pythonRequest_.string() +
                                       " cannot be run");
}

const Interpreter& Interpreters::node() {
    if (node_) return *node_;
    auto candidate = findExecutable(nodeRequest_.empty() ? "node" : nodeRequest_.string());
    if (!candidate.empty()) {
        if (auto found = probe(candidate, {"-p", "process.execPath+'\\t'+process.version"});
            !found.executable.empty()) {
            spdlog::info("node handlers run with {}", found.label());
            return node_.emplace(std::move(found));
        }
    }
    throw std::runtime_error(nodeRequest_.empty() ? "no node found on PATH; set one with --node"
                                                  : "the node executable " + nodeRequest_.string() +
                                                        " cannot be run");
}

}  // namespace fogbank
