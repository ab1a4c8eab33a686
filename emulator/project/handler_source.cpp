#include "emulator/project/handler_source.h"

#include <algorithm>
#include <array>
#include <system_error>

namespace fogbank {

namespace fs = std::filesystem;

namespace {

bool isFile(const fs::path& p) {
    std::error_code ec;
    return fs::is_regular_file(p, ec);
}

std::optional<fs::path> existing(const fs::path& p) {
    if (!isFile(p)) return std::nullopt;
    std::error_code ec;
    fs::path canonical = fs::canonical(p, ec);
    return ec ? p : canonical;
}

// As resources/runtimes/nodejs/bootstrap.js: "dir/app.handler" is dir/app with .js, .mjs or
// .cjs; the file name ends at its first dot.
std::optional<fs::path> nodeHandlerFile(const FunctionSpec& fn) {
    const std::string& handler = fn.handler;
    const auto slash = handler.rfind('/');
    const std::string dir = slash == std::string::npos ? "" : handler.substr(0, slash + 1);
    const std::string file = slash == std::string::npos ? handler : handler.substr(slash + 1);
    const auto dot = file.find('.');
    if (dot == std::string::npos || dot == 0) return std::nullopt;
    const fs::path base = fn.codeUri / dir / file.substr(0, dot);
    if (auto found = existing(base)) return found;
    for (const char* ext : {".js", ".mjs", ".cjs"}) {
        if (auto found = existing(fs::path(base.string() + ext))) return found;
    }
    return std::nullopt;
}

// As the Python bootstrap: the module is everything before the last dot, dots or slashes
// separating packages.
std::optional<fs::path> pythonHandlerFile(const FunctionSpec& fn) {
    const auto dot = fn.handler.rfind('.');
    if (dot == std::string::npos || dot == 0) return std::nullopt;
    std::string module = fn.handler.substr(0, dot);
    std::replace(module.begin(), module.end(), '.', '/');
    const fs::path base = fn.codeUri / module;
    if (auto found = existing(fs::path(base.string() + ".py"))) return found;
    return existing(base / "__init__.py");
}

bool skippedFolder(const fs::path& dir) {
    const std::string name = dir.filename().string();
    return name.starts_with('.') || name == "node_modules" || name == "__pycache__" ||
           name == "site-packages" || name == "dist-packages" || name.ends_with(".dist-info");
}

}  // namespace

std::optional<fs::path> handlerSourceFile(const FunctionSpec& fn) {
    switch (fn.family()) {
        case RuntimeFamily::Node:
            return nodeHandlerFile(fn);
        case RuntimeFamily::Python:
            return pythonHandlerFile(fn);
        default:
            return std::nullopt;
    }
}

std::vector<fs::path> functionSourceFiles(const FunctionSpec& fn, std::size_t limit) {
    std::vector<fs::path> files;
    const RuntimeFamily family = fn.family();
    if (family != RuntimeFamily::Node && family != RuntimeFamily::Python) return files;
    const auto wanted = [family](const fs::path& p) {
        const std::string ext = p.extension().string();
        if (family == RuntimeFamily::Python) return ext == ".py";
        return ext == ".js" || ext == ".mjs" || ext == ".cjs";
    };
    std::error_code ec;
    fs::recursive_directory_iterator it(fn.codeUri, fs::directory_options::skip_permission_denied,
                                        ec);
    for (; !ec && it != fs::recursive_directory_iterator() && files.size() < limit;
         it.increment(ec)) {
        if (it->is_directory(ec)) {
            if (skippedFolder(it->path())) it.disable_recursion_pending();
            continue;
        }
        // Canonical, as debuggers report the files they stopped in.
        if (it->is_regular_file(ec) && wanted(it->path())) {
            std::error_code canonicalError;
            fs::path canonical = fs::canonical(it->path(), canonicalError);
            files.push_back(canonicalError ? it->path() : std::move(canonical));
        }
    }
    std::sort(files.begin(), files.end());
    return files;
}

}  // namespace fogbank
