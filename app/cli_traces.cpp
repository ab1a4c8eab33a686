// `fogbank traces` lists the recorded traces; `fogbank trace ID` prints one as a tree with its
// timings. Both read the invocation store under the state dir (a running `fogbank serve` may be
// writing to it) and export OpenTelemetry OTLP/JSON files for Jaeger and other viewers.
#include "app/cli_command.h"
#include "app/cli_recorded.h"
#include "emulator/trace/ids.h"
#include "emulator/trace/invocation_store.h"
#include "emulator/trace/otlp_export.h"
#include "emulator/trace/trace_tree.h"

#include <fmt/format.h>

#include <ctime>
#include <fstream>
#include <iostream>

namespace fogbank::cli {
namespace {

std::string localTime(Clock::time_point t) {
    const std::time_t seconds = Clock::to_time_t(t);
    std::tm tm{};
    localtime_r(&seconds, &tm);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S", &tm);
    const auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count() % 1000;
    return fmt::format("{}.{:03}", text, ms);
}

double msBetween(Clock::time_point from, Clock::time_point to) {
    return std::chrono::duration<double, std::milli>(to - from).count();
}

OtlpOptions otlpOptions(const Recorded& recorded) {
    OtlpOptions options;
    if (recorded.project) options.region = recorded.project->region;
    return options;
}

void writeOtlp(const std::string& file, const std::vector<TraceTree>& trees,
               const Recorded& recorded) {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    if (!out) throw std::runtime_error("cannot write " + file);
    out << toOtlp(trees, otlpOptions(recorded))
               .dump(2, ' ', false, nlohmann::json::error_handler_t::replace)
        << '\n';
    out.close();
    if (!out) throw std::runtime_error("cannot write " + file);
}

std::size_t spanCount(const std::vector<TraceTree>& trees) {
    std::size_t count = 0;
    for (const auto& tree : trees) count += tree.nodes.size();
    return count;
}

int runTraces(const StoreOptions& options, const std::string& function, std::int64_t last,
              const std::string& exportFile) {
    auto recorded = openRecorded(options);
    if (!recorded.store) {
        std::cerr << "fogbank: nothing recorded in " << recorded.database.parent_path().string()
                  << " yet (fogbank serve and fogbank invoke record there)\n";
        if (!exportFile.empty()) writeOtlp(exportFile, {}, recorded);
        return 0;
    }
    std::string name = function;
    if (!function.empty() && recorded.project) {
        if (const auto* fn = recorded.project->findFunction(function)) name = fn->functionName;
    }
    // A listing is for reading, an export for keeping: the latter takes everything unless told.
    const std::int64_t limit = last > 0 ? last : exportFile.empty() ? 20 : -1;
    const auto summaries = recorded.store->traces(name, limit);

    if (!exportFile.empty()) {
        std::vector<TraceTree> trees;
        for (const auto& summary : summaries)
            trees.push_back(loadTraceTree(*recorded.store, summary.traceRoot));
        writeOtlp(exportFile, trees, recorded);
        std::cout << "Wrote " << trees.size() << " trace(s), " << spanCount(trees) << " span(s) to "
                  << exportFile << '\n';
        return 0;
    }
    if (summaries.empty()) {
        std::cerr << "fogbank: no traces"
                  << (function.empty() ? std::string() : " with function " + function) << " in "
                  << recorded.database.string() << '\n';
        return 0;
    }
    std::size_t rootWidth = 8;
    for (const auto& s : summaries) rootWidth = std::max(rootWidth, s.rootFunction.size());
    std::cout << fmt::format("{:<35}  {:<23}  {:<{}}  {:>11}  {:>5}  {:>6}  {:>12}\n", "TRACE",
                             "STARTED", "FUNCTION", rootWidth, "INVOCATIONS", "CALLS", "ERRORS",
                             "DURATION");
    for (const auto& s : summaries) {
        std::cout << fmt::format("{:<35}  {:<23}  {:<{}}  {:>11}  {:>5}  {:>6}  {:>9.2f} ms\n",
                                 s.traceRoot, localTime(s.start),
                                 s.rootFunction.empty() ? "-" : s.rootFunction, rootWidth,
                                 s.invocations, s.spans, s.errors, msBetween(s.start, s.end));
    }
    return 0;
}

// A trace by its X-Ray root, its OTLP id (32 hex), an X-Amzn-Trace-Id header, or the request id
// of one of its invocations.
std::string resolveTrace(InvocationStore& store, const std::string& id) {
    if (id.starts_with("1-")) return id;
    if (auto root = xrayRootFromOtlp(id); !root.empty()) return root;
    if (auto header = TraceHeader::parse(id); !header.root.empty()) return header.root;
    if (auto invocation = store.find(id)) return invocation->traceRoot;
    return id;
}

void printTree(const TraceTree& tree) {
    const int invocations = static_cast<int>(tree.invocations.size());
    const int calls = static_cast<int>(tree.calls.size());
    std::cout << "Trace " << tree.traceRoot << " (OTLP trace id " << otlpTraceId(tree.traceRoot)
              << ")\n";
    std::cout << fmt::format(
        "Started {}, {:.2f} ms, {} invocation(s), {} service call(s), {} "
        "error(s)\n\n",
        localTime(tree.start), tree.durationMs(), invocations, calls, tree.errors());
    std::cout << fmt::format("{:>10}  {:>11}  {:>9}  {:<14}  {}\n", "START ms", "DURATION ms",
                             "INIT ms", "STATUS", "SPAN");
    // Whether the ancestor at each depth has siblings still to come: the tree's vertical lines.
    std::vector<bool> more;
    for (const auto& node : tree.nodes) {
        std::string prefix;
        if (node.depth > 0) {
            for (int d = 1; d < node.depth; ++d)
                prefix += d < static_cast<int>(more.size()) && more[d] ? "│  " : "   ";
            prefix += node.lastChild ? "└─ " : "├─ ";
        }
        more.resize(static_cast<std::size_t>(node.depth) + 1);
        more[node.depth] = !node.lastChild;

        std::string init;
        std::string what;
        if (const auto* i = tree.invocation(node)) {
            if (i->cold && i->initMs > 0) init = fmt::format("{:.2f}", i->initMs);
            what = fmt::format("invocation {} ({}{}) {}", i->function, toString(i->trigger),
                               i->cold ? ", cold" : "", i->requestId);
            if (!i->ok() && !i->errorType.empty()) what += " " + i->errorType;
        } else {
            const auto* c = tree.call(node);
            what = "call " + tree.name(node);
            if (auto it = c->attributes.find("aws.lambda.invocation_type");
                it != c->attributes.end())
                what += " (" + it->second + ")";
        }
        if (node.orphan) what += " [caller " + node.parentSpanId + " not recorded]";
        std::cout << fmt::format("{:>10.2f}  {:>11.2f}  {:>9}  {:<14}  {}{}\n", tree.offsetMs(node),
                                 tree.durationMs(node), init, tree.status(node), prefix, what);
    }
}

int runTrace(const StoreOptions& options, const std::string& id, const std::string& otlpFile) {
    auto recorded = openRecorded(options);
    if (!recorded.store) {
        std::cerr << "fogbank: no trace " << id << ": nothing recorded in "
                  << recorded.database.parent_path().string() << '\n';
        return 2;
    }
    const std::string root = resolveTrace(*recorded.store, id);
    auto tree = loadTraceTree(*recorded.store, root);
    if (tree.empty()) {
        std::cerr << "fogbank: no trace " << id << " in " << recorded.database.string()
                  << " (fogbank traces lists them)\n";
        return 2;
    }
    printTree(tree);
    if (!otlpFile.empty()) {
        writeOtlp(otlpFile, {tree}, recorded);
        std::cout << "\nWrote " << tree.nodes.size() << " span(s) to " << otlpFile << '\n';
    }
    return 0;
}

}  // namespace

Command addTracesCommand(CLI::App& app) {
    auto* sub = app.add_subcommand("traces", "List recorded traces, newest first, or export them");
    struct Options {
        StoreOptions store;
        std::string function;
        std::int64_t last = 0;
        std::string exportFile;
    };
    auto o = std::make_shared<Options>();
    addStoreOptions(*sub, o->store);
    sub->add_option("--function", o->function, "Only traces in which this function ran");
    sub->add_option("--last", o->last, "How many traces (default 20; all with --export)")
        ->check(CLI::Range(1, 1000000));
    sub->add_option("--export", o->exportFile,
                    "Write the traces as OpenTelemetry OTLP/JSON to this file (opens in Jaeger)");
    return {sub, [=] { return runTraces(o->store, o->function, o->last, o->exportFile); }};
}

Command addTraceCommand(CLI::App& app) {
    auto* sub = app.add_subcommand("trace", "Print one trace as a tree with its timings");
    struct Options {
        StoreOptions store;
        std::string id;
        std::string otlpFile;
    };
    auto o = std::make_shared<Options>();
    addStoreOptions(*sub, o->store);
    sub->add_option("id", o->id,
                    "Trace id (1-xxxxxxxx-..., or its 32-hex OTLP form), or the request id of "
                    "one of its invocations")
        ->required();
    sub->add_option("--otlp", o->otlpFile, "Also write it as OpenTelemetry OTLP/JSON to this file");
    return {sub, [=] { return runTrace(o->store, o->id, o->otlpFile); }};
}

}  // namespace fogbank::cli
