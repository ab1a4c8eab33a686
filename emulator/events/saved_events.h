// Events a user keeps to send again: the ones saved from the window under the state dir
// (<stateDir>/events/<function>/<name>.json), and the project's own sample events, the *.json
// files under <project>/events/ that SAM projects carry for `sam local invoke -e`.
//
// Saved events are written to a temporary file and renamed into place, so that a crash never
// leaves half an event; a name is a file name, and one that could leave its folder is refused.
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace fogbank {

// A name, event or file that cannot be used; what() says which and why, for the user.
class SavedEventError : public std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct SavedEvent {
    enum class Source { Saved, Project };
    Source source = Source::Saved;
    std::string name;  // the file's stem; for project events, its path under events/ without .json
    std::filesystem::path file;
};

class SavedEvents {
  public:
    SavedEvents(std::filesystem::path stateDir, std::filesystem::path projectDir);

    // The function's saved events, then the project's, each sorted by name.
    std::vector<SavedEvent> list(const std::string& function) const;
    // The file's text. Throws SavedEventError when it cannot be read.
    static std::string read(const SavedEvent& event);
    // Saves `json` (which must parse) as `name` for `function`, replacing one of that name.
    SavedEvent save(const std::string& function, const std::string& name,
                    const std::string& json) const;
    void remove(const std::string& function, const std::string& name) const;

    // Letters, digits, spaces, '.', '-', '_'; 1 to 100 of them, not starting with '.'.
    static bool validName(const std::string& name);

  private:
    std::filesystem::path folderOf(const std::string& function) const;

    std::filesystem::path savedDir_;
    std::filesystem::path projectEventsDir_;
};

}  // namespace fogbank
