// fogbank replay: runs recorded events again, or events from a file, and with --compare diffs
// each new response with the recorded one: a regression check in one command.
//
//   fogbank replay REQUEST_ID... [--function F] [--compare]
//       the events of those recorded invocations (from the state dir's invocation store), each to
//       its own function or to F; --compare diffs with the recorded responses.
//   fogbank replay --events FILE --function F [--compare]
//       events from FILE (- for stdin): one JSON event, a JSON array of events, or JSON Lines (one
//       event per line). An entry that is an object with exactly the keys "event" and "response"
//       is a recorded pair: "event" is sent and, with --compare, the new response is diffed with
//       "response". Other entries have nothing to compare with.
//
// Exit status: 0 when every invocation succeeded (and, with --compare, matched); 1 when one
// failed or differed; 2 for bad input (unknown request id, function, unreadable file).
#include "app/cli_command.h"
#include "emulator/engine.h"
#include "emulator/trace/invocation_store.h"
#include "emulator/trace/json_diff.h"

#include <nlohmann/json.hpp>

#include <fmt/format.h>

#include <iostream>
#include <memory>
#include <optional>
#include <sstream>

namespace fogbank::cli {
namespace {

using nlohmann::json;

struct ReplayOptions {
    std::vector<std::string> requestIds;
    std::string eventsFile;
    std::string function;
    bool compare = false;
    bool logs = false;
    std::vector<std::string> ignore;
};

// One event to send again, and what it answered before (when known).
struct ReplayItem {
    std::string label;  // the recorded request id, or FILE, FILE[i], FILE:LINE
    std::string function;
    std::string event;
    bool recorded = false;
    InvocationStatus recordedStatus = InvocationStatus::Success;
    std::string recordedPayload;
};

std::string functionNames(const Project& project) {
    std::string names;
    for (const auto& fn : project.functions) names += (names.empty() ? "" : ", ") + fn.logicalId;
    return names;
}

// A recorded pair is {"event": ..., "response": ...} and nothing else.
void addEntry(std::vector<ReplayItem>& items, const json& entry, std::string label) {
    ReplayItem item;
    item.label = std::move(label);
    if (entry.is_object() && entry.size() == 2 && entry.contains("event") &&
        entry.contains("response")) {
        item.event = entry["event"].dump();
        item.recorded = true;
        item.recordedPayload = entry["response"].dump();
    } else {
        item.event = entry.dump();
    }
    items.push_back(std::move(item));
}

std::vector<ReplayItem> readEventsFile(const std::string& source) {
    const std::string text = readEvent(source);
    const std::string name = source == "-" ? "stdin" : source;
    std::vector<ReplayItem> items;
    auto whole = json::parse(text, nullptr, false);
    if (!whole.is_discarded()) {
        if (whole.is_array()) {
            for (std::size_t i = 0; i < whole.size(); ++i)
                addEntry(items, whole[i], name + "[" + std::to_string(i) + "]");
        } else {
            addEntry(items, whole, name);
        }
    } else {
        // JSON Lines: one event per line; blank lines are skipped.
        std::istringstream lines(text);
        std::string line;
        int number = 0;
        while (std::getline(lines, line)) {
            ++number;
            if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
            try {
                addEntry(items, json::parse(line), name + ":" + std::to_string(number));
            } catch (const json::parse_error& e) {
                throw std::runtime_error(fmt::format(
                    "{}:{}: not valid JSON (the file is neither one JSON document nor JSON Lines): "
                    "{}",
                    name, number, e.what()));
            }
        }
    }
    if (items.empty()) throw std::runtime_error(name + " holds no events");
    return items;
}

// "error ValidationError: bad input: x", "timeout: Task timed out after 1.00 seconds".
std::string failure(const InvocationResult& result) {
    std::string text = toString(result.status);
    const auto doc = json::parse(result.payload, nullptr, false);
    std::string message;
    if (doc.is_object() && doc.contains("errorMessage") && doc["errorMessage"].is_string())
        message = doc["errorMessage"].get<std::string>();
    else
        message = result.payload;
    if (!result.errorType.empty()) text += " " + result.errorType;
    if (!message.empty()) text += ": " + message;
    return text;
}

// A payload as JSON; one that is not JSON (a custom runtime may answer anything) as a string.
json asJson(const std::string& payload) {
    auto doc = json::parse(payload, nullptr, false);
    return doc.is_discarded() ? json(payload) : doc;
}

std::string durationText(const InvocationResult& result) {
    return fmt::format("{:.2f} ms{}", result.durationMs, result.cold ? ", cold" : "");
}

int runReplay(const CommonOptions& common, const ReplayOptions& options) {
    if (options.requestIds.empty() == options.eventsFile.empty())
        throw CLI::ValidationError("replay", "give recorded request ids or --events FILE (one)");
    if (!options.eventsFile.empty() && options.function.empty())
        throw CLI::ValidationError("replay", "--events needs --function, the function to run");
    JsonDiffOptions diffOptions;
    diffOptions.ignore = options.ignore;
    try {
        diffJson(json(), json(), diffOptions);  // checks the --ignore paths before anything runs
    } catch (const std::invalid_argument& e) {
        throw CLI::ValidationError("--ignore", e.what());
    }

    std::vector<ReplayItem> items;
    if (!options.eventsFile.empty()) items = readEventsFile(options.eventsFile);

    auto config = makeConfig(common);
    config.edgePort = 0;   // never collide with a running `fogbank serve`
    config.httpPort = -1;  // one invocation needs no HTTP APIs
    config.watchCode = false;
    Engine engine(config);
    const Project& project = engine.project();
    if (!options.function.empty() && !project.findFunction(options.function))
        throw std::runtime_error("no function " + options.function + " in " + common.templatePath +
                                 " (it has: " + functionNames(project) + ")");
    engine.start();

    if (!options.requestIds.empty()) {
        std::unique_ptr<InvocationStore> own;
        InvocationStore* store = engine.store();
        if (!store)
            store = (own = std::make_unique<InvocationStore>(engine.config().stateDir)).get();
        for (const auto& id : options.requestIds) {
            auto stored = store->find(id);
            if (!stored)
                throw std::runtime_error("no recorded invocation " + id + " in " +
                                         store->file().string() +
                                         " (the store of the template given with -t)");
            ReplayItem item;
            item.label = id;
            item.function = stored->function;
            item.event = stored->event;
            item.recorded = true;
            item.recordedStatus = stored->status;
            item.recordedPayload = stored->payload;
            if (options.function.empty() && !project.findFunction(item.function))
                throw std::runtime_error("invocation " + id + " ran " + item.function +
                                         ", which is not in " + common.templatePath +
                                         " any more; choose one with --function (it has: " +
                                         functionNames(project) + ")");
            items.push_back(std::move(item));
        }
    }

    int same = 0, different = 0, failed = 0;
    for (auto& item : items) {
        if (!options.function.empty()) item.function = options.function;
        InvokeRequest request;
        request.function = item.function;
        request.payload = item.event;
        request.trigger = Trigger::Replay;
        const InvocationResult result = engine.invoke(std::move(request)).get();
        if (options.logs)
            for (const auto& line : result.logs) std::cerr << line.text << '\n';
        const std::string head = item.label + " -> " + result.requestId + " " + item.function;

        if (!result.ok()) ++failed;
        if (!options.compare) {
            std::cout << result.payload << std::endl;
            std::cerr << "replay " << head << ": "
                      << (result.ok() ? "success (" + durationText(result) + ")" : failure(result))
                      << std::endl;
            continue;
        }

        if (!result.ok()) {
            std::cout << head << ": failed: " << failure(result) << '\n';
            if (item.recorded && item.recordedStatus == InvocationStatus::Success)
                std::cout << "  status: success -> " << toString(result.status) << '\n';
            continue;
        }
        if (!item.recorded) {
            std::cout << head << ": success, nothing recorded to compare with\n";
            ++same;
            continue;
        }
        std::vector<std::string> lines;
        if (item.recordedStatus != InvocationStatus::Success)
            lines.push_back(std::string("status: ") + toString(item.recordedStatus) +
                            " -> success");
        for (const auto& change :
             diffJson(asJson(item.recordedPayload), asJson(result.payload), diffOptions))
            lines.push_back(describe(change));
        if (lines.empty()) {
            ++same;
            std::cout << head << ": same\n";
        } else {
            ++different;
            std::cout << head << ": " << lines.size()
                      << (lines.size() == 1 ? " difference\n" : " differences\n");
            for (const auto& line : lines) std::cout << "  " << line << '\n';
        }
    }
    if (options.compare)
        std::cout << items.size() << " replayed: " << same << " same, " << different
                  << " different, " << failed << " failed" << std::endl;
    return failed || different ? 1 : 0;
}

}  // namespace

Command addReplayCommand(CLI::App& app) {
    auto* sub = app.add_subcommand(
        "replay",
        "Run recorded events (or events from a file) again; --compare diffs the responses");
    auto common = std::make_shared<CommonOptions>();
    auto options = std::make_shared<ReplayOptions>();
    addCommon(*sub, *common);
    sub->add_option("request-ids", options->requestIds,
                    "Request ids of recorded invocations (see the REPORT lines or the window)");
    sub->add_option("--events", options->eventsFile,
                    "A file of events instead (- for stdin): one JSON event, a JSON array, or JSON "
                    "Lines; {\"event\":..., \"response\":...} entries are compared with --compare");
    sub->add_option("-f,--function", options->function,
                    "Send the events to this function (default: the one that ran them)");
    sub->add_flag("--compare", options->compare,
                  "Diff each new response with the recorded one; exit 1 on any difference");
    sub->add_option("--ignore", options->ignore,
                    "With --compare, a path that may differ, e.g. $.headers.date or "
                    "$.items[*].id (repeatable)")
        ->allow_extra_args(false);
    sub->add_flag("--logs", options->logs, "Print each invocation's log on stderr");
    return {sub, [=] { return runReplay(*common, *options); }};
}

}  // namespace fogbank::cli
