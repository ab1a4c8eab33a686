#include "emulator/events/saved_events.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>
#include <system_error>

namespace fogbank {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t kMaxNameLength = 100;
// Project sample events are small; a huge file under events/ is not one.
constexpr std::uintmax_t kMaxProjectEventBytes = 6 * 1024 * 1024;

std::string quoted(const std::string& s) {
    return '"' + s + '"';
}

}  // namespace

SavedEvents::SavedEvents(fs::path stateDir, fs::path projectDir)
    : savedDir_(std::move(stateDir) / "events"),
      projectEventsDir_(std::move(projectDir) / "events") {}

bool SavedEvents::validName(const std::string& name) {
    if (name.empty() || name.size() > kMaxNameLength || name.front() == '.') return false;
    return std::all_of(name.begin(), name.end(), [](unsigned char c) {
        return std::isalnum(c) || c == ' ' || c == '.' || c == '-' || c == '_';
    });
}

fs::path SavedEvents::folderOf(const std::string& function) const {
    // Lambda function names are letters, digits, '-' and '_'; anything else is not a folder.
    if (!validName(function))
        throw SavedEventError("cannot keep events for a function named " + quoted(function));
    return savedDir_ / function;
}

std::vector<SavedEvent> SavedEvents::list(const std::string& function) const {
    std::vector<SavedEvent> saved;
    std::error_code ec;
    if (validName(function)) {
        for (const auto& entry : fs::directory_iterator(savedDir_ / function, ec)) {
            if (!entry.is_regular_file(ec) || entry.path().extension() != ".json") continue;
            saved.push_back(
                {SavedEvent::Source::Saved, entry.path().stem().string(), entry.path()});
        }
    }
    std::sort(saved.begin(), saved.end(), [](auto& a, auto& b) { return a.name < b.name; });

    std::vector<SavedEvent> project;
    ec.clear();
    for (auto it = fs::recursive_directory_iterator(
             projectEventsDir_, fs::directory_options::skip_permission_denied, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (it.depth() > 3) it.disable_recursion_pending();
        const auto& path = it->path();
        std::error_code fileEc;
        if (!it->is_regular_file(fileEc) || path.extension() != ".json") continue;
        if (it->file_size(fileEc) > kMaxProjectEventBytes) continue;
        auto relative = path.lexically_relative(projectEventsDir_).replace_extension();
        project.push_back({SavedEvent::Source::Project, relative.generic_string(), path});
    }
    std::sort(project.begin(), project.end(), [](auto& a, auto& b) { return a.name < b.name; });
    saved.insert(saved.end(), project.begin(), project.end());
    return saved;
}

std::string SavedEvents::read(const SavedEvent& event) {
    std::ifstream in(event.file, std::ios::binary);
    if (!in) throw SavedEventError("cannot read " + event.file.string());
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

SavedEvent SavedEvents::save(const std::string& function, const std::string& name,
                             const std::string& json) const {
    if (!validName(name))
        throw SavedEventError(
            "an event's name is 1 to 100 letters, digits, spaces, '.', '-' or "
            "'_', not starting with '.': " +
            quoted(name) + " is not one");
    try {
        const auto parsed = nlohmann::json::parse(json);
        (void)parsed;
    } catch (const nlohmann::json::parse_error& e) {
        throw SavedEventError("the event is not JSON, so it was not saved: " +
                              std::string(e.what()));
    }
    const fs::path folder = folderOf(function);
    std::error_code ec;
    fs::create_directories(folder, ec);
    if (ec) throw SavedEventError("cannot create " + folder.string() + ": " + ec.message());
    const fs::path file = folder / (name + ".json");
    const fs::path temporary = folder / ("." + name + ".json.tmp");
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        out << json;
        if (!json.empty() && json.back() != '\n') out << '\n';
        out.flush();
        if (!out) throw SavedEventError("cannot write " + temporary.string());
    }
    fs::rename(temporary, file, ec);
    if (ec) {
        fs::remove(temporary, ec);
        throw SavedEventError("cannot save " + file.string() + ": " + ec.message());
    }
    return {SavedEvent::Source::Saved, name, file};
}

void SavedEvents::remove(const std::string& function, const std::string& name) const {
    if (!validName(name)) throw SavedEventError("no saved event is named " + quoted(name));
    const fs::path file = folderOf(function) / (name + ".json");
    std::error_code ec;
    if (!fs::remove(file, ec) || ec)
        throw SavedEventError("cannot delete " + file.string() +
                              (ec ? ": " + ec.message() : ": there is no such event"));
}

}  // namespace fogbank
