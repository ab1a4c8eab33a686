// What the commands that read history (`traces`, `trace`, `cost`, `stats`) share: where the
// store is, and opening it read-only without creating anything.
#pragma once

#include "app/cli_command.h"
#include "emulator/trace/invocation_store.h"

#include <memory>
#include <optional>

namespace fogbank::cli {

struct StoreOptions {
    std::string templatePath = "template.yaml";
    std::string stateDir;
};

void addStoreOptions(CLI::App& command, StoreOptions& options);

// The store, and what the template says when it can be read (function names, events, region);
// a broken or missing template must not hide recorded history.
struct Recorded {
    std::filesystem::path database;
    std::unique_ptr<InvocationStore> store;  // null when nothing was ever recorded there
    std::optional<Project> project;
    std::string projectError;  // why `project` is empty
};

Recorded openRecorded(const StoreOptions& options);

}  // namespace fogbank::cli
