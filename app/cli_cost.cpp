// `fogbank cost`: the bill of what ran (every recorded invocation and service request priced at
// AWS's on-demand prices) and, with --traffic, the monthly bill that traffic would bring on AWS,
// and the compute part of it on Google Cloud Functions and Azure Functions, with and without the
// free tier. Reads the store of a project; a running `fogbank serve` may be writing to it.
#include "app/cli_recorded.h"
#include "emulator/cost/projection.h"
#include "emulator/cost/ran_bill.h"
#include "emulator/cost/usd_text.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <iostream>
#include <optional>

namespace fogbank::cli {
namespace {

struct CostOptions {
    StoreOptions store;
    std::vector<std::string> traffic;
    std::string freeTier = "legacy";
    std::string format = "table";
    std::string pricesDir;
};

std::string quantity(double value) {
    if (value == std::floor(value) && std::abs(value) < 1e15) return fmt::format("{:.0f}", value);
    return fmt::format("{:.6g}", value);
}

nlohmann::json linesJson(const Bill& bill) {
    auto lines = nlohmann::json::array();
    for (const auto& l : bill.lines)
        lines.push_back({{"provider", l.provider},
                         {"service", l.service},
                         {"item", l.item},
                         {"function", l.function},
                         {"quantity", l.quantity},
                         {"unit", l.unit},
                         {"amountUsd", l.amount},
                         {"pricesAsOf", l.pricesAsOf}});
    return {{"totalUsd", bill.total()}, {"lines", lines}};
}

nlohmann::json usageJson(const Usage& u) {
    auto functions = nlohmann::json::object();
    for (const auto& [name, f] : u.functions)
        functions[name] = {{"invocations", f.invocations}, {"coldStarts", f.coldStarts},
                           {"billedMs", f.billedMs},       {"gbSeconds", f.gbSeconds},
                           {"memoryMb", f.memoryMb},       {"architecture", f.architecture}};
    return {{"functions", functions},
            {"httpApiRequests", u.httpRequests},
            {"restApiRequests", u.restRequests},
            {"s3PutRequests", u.s3PutRequests},
            {"s3GetRequests", u.s3GetRequests},
            {"s3FreeRequests", u.s3FreeRequests},
            {"sqsStandardRequests", u.sqsStandardRequests},
            {"sqsFifoRequests", u.sqsFifoRequests},
            {"schedulerInvocations", u.schedulerInvocations}};
}

void printTable(const Bill& bill, const std::string& title) {
    std::cout << title << "\n";
    std::cout << fmt::format("  {:<11} {:<46} {:<28} {:>14} {:<12} {:>14}  {}\n", "SERVICE", "ITEM",
                             "FUNCTION", "QUANTITY", "UNIT", "AMOUNT", "PRICES AS OF");
    for (const auto& l : bill.lines)
        std::cout << fmt::format("  {:<11} {:<46} {:<28} {:>14} {:<12} {:>14}  {}\n", l.service,
                                 l.item, l.function, quantity(l.quantity), l.unit,
                                 usdText(l.amount), l.pricesAsOf);
    std::cout << fmt::format("  {:<11} {:<46} {:<28} {:>14} {:<12} {:>14}\n\n", "", "total", "", "",
                             "", usdText(bill.total()));
}

void csvLines(const Bill& bill, const std::string& section) {
    auto field = [](const std::string& text) {
        if (text.find_first_of(",\"\n") == std::string::npos) return text;
        std::string quoted = "\"";
        for (char c : text) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
        return quoted + "\"";
    };
    for (const auto& l : bill.lines)
        std::cout << field(section) << ',' << l.provider << ',' << l.service << ',' << field(l.item)
                  << ',' << field(l.function) << ',' << quantity(l.quantity) << ',' << l.unit << ','
                  << fmt::format("{:.10f}", l.amount) << ',' << l.pricesAsOf << '\n';
}

int runCost(const CostOptions& options) {
    const FreeTier freeTier = parseFreeTier(options.freeTier);
    std::vector<TrafficEntry> traffic;
    for (const auto& spec : options.traffic) {
        auto entries = parseTraffic(spec);
        traffic.insert(traffic.end(), entries.begin(), entries.end());
    }
    const auto pricesDir = options.pricesDir.empty() ? PriceBook::defaultDir()
                                                     : std::filesystem::path(options.pricesDir);
    const PriceBook prices = PriceBook::load(pricesDir);

    auto recorded = openRecorded(options.store);
    if (!recorded.project) {
        std::cerr << "fogbank cost: the template is needed to price what ran: "
                  << recorded.projectError << "\n";
        return 2;
    }
    if (!recorded.store) {
        std::cerr << "fogbank cost: nothing recorded yet (no " << recorded.database.string()
                  << "); run the app with `fogbank serve` or `fogbank invoke` first\n";
        return 1;
    }
    const RanBill ran = billOfWhatRan(*recorded.store, *recorded.project, prices);
    std::optional<Projection> projection;
    if (!traffic.empty())
        projection = projectMonthly(*recorded.store, *recorded.project, traffic, prices, freeTier);
    bool failed = false;
    if (projection)
        for (const auto& e : projection->entries) failed = failed || !e.error.empty();

    if (options.format == "json") {
        nlohmann::json doc{{"pricesAsOf", prices.newestDate()},
                           {"pricesDir", pricesDir.string()},
                           {"ran",
                            {{"invocations", ran.invocations},
                             {"usage", usageJson(ran.usage)},
                             {"bill", linesJson(ran.bill)}}}};
        auto traces = nlohmann::json::array();
        for (const auto& t : ran.traces)
            traces.push_back({{"traceRoot", t.traceRoot},
                              {"rootFunction", t.rootFunction},
                              {"invocations", t.invocations},
                              {"calls", t.calls},
                              {"amountUsd", t.amount}});
        doc["ran"]["traces"] = traces;
        if (projection) {
            auto entries = nlohmann::json::array();
            for (const auto& e : projection->entries)
                entries.push_back({{"traffic", e.entry.text},
                                   {"perMonth", e.entry.perMonth},
                                   {"function", e.function},
                                   {"samples", e.samples},
                                   {"perRequest", usageJson(e.perRequest)},
                                   {"error", e.error}});
            auto providers = nlohmann::json::array();
            for (const auto& p : projection->providers)
                providers.push_back({{"provider", p.provider},
                                     {"withoutFreeTier", linesJson(p.withoutFreeTier)},
                                     {"withFreeTier", linesJson(p.withFreeTier)}});
            doc["projection"] = {{"freeTier", toString(freeTier)},
                                 {"entries", entries},
                                 {"monthlyUsage", usageJson(projection->monthly)},
                                 {"providers", providers}};
        }
        std::cout << doc.dump(2) << "\n";
    } else if (options.format == "csv") {
        std::cout << "section,provider,service,item,function,quantity,unit,amount_usd,"
                     "prices_as_of\n";
        csvLines(ran.bill, "ran");
        if (projection)
            for (const auto& p : projection->providers) {
                csvLines(p.withoutFreeTier, "monthly");
                csvLines(p.withFreeTier,
                         std::string("monthly with free tier (") + toString(freeTier) + ")");
            }
    } else {
        printTable(ran.bill,
                   fmt::format("What ran: {} invocations, priced at AWS on-demand prices (no free "
                               "tier)",
                               ran.invocations));
        if (!ran.traces.empty()) {
            std::cout << "Dearest traces\n";
            for (const auto& t : ran.traces)
                std::cout << fmt::format("  {}  {:<28} {:>3} invocations {:>3} calls  {}\n",
                                         t.traceRoot, t.rootFunction, t.invocations, t.calls,
                                         usdText(t.amount));
            std::cout << "\n";
        }
        if (projection) {
            std::cout << "Monthly projection (730 hours)\n";
            for (const auto& e : projection->entries) {
                if (!e.error.empty()) {
                    std::cout << "  " << e.entry.text << ": " << e.error << "\n";
                    continue;
                }
                std::cout << fmt::format(
                    "  {}: {} requests/month to {}; one request caused {} invocation(s), {} S3 "
                    "and {} SQS request(s) (average of {} recorded)\n",
                    e.entry.text, quantity(std::round(e.entry.perMonth)), e.function,
                    fmt::format("{:.3g}", e.perRequest.invocations()),
                    fmt::format("{:.3g}", e.perRequest.s3PutRequests + e.perRequest.s3GetRequests +
                                              e.perRequest.s3FreeRequests),
                    fmt::format("{:.3g}",
                                e.perRequest.sqsStandardRequests + e.perRequest.sqsFifoRequests),
                    e.samples);
            }
            std::cout << "\n";
            std::cout << fmt::format("  {:<8} {:>16} {:>22}\n", "PROVIDER", "PER MONTH",
                                     std::string("WITH FREE TIER (") + toString(freeTier) + ")");
            for (const auto& p : projection->providers)
                std::cout << fmt::format("  {:<8} {:>16} {:>22}\n", p.provider,
                                         usdText(p.withoutFreeTier.total()),
                                         usdText(p.withFreeTier.total()));
            std::cout << "  (Google Cloud Functions and Azure Functions: compute only — "
                         "invocations and compute time)\n\n";
            printTable(
                projection->providers.front().withFreeTier,
                std::string("AWS, a month, with the free tier (") + toString(freeTier) + ")");
        }
        std::cout << "Prices as of " << prices.newestDate() << " from " << pricesDir.string()
                  << " (edit or replace the tables to price another region)\n";
    }
    return failed ? 1 : 0;
}

}  // namespace

Command addCostCommand(CLI::App& app) {
    auto* sub = app.add_subcommand(
        "cost", "Price what ran and project a month of expected traffic, per provider");
    auto o = std::make_shared<CostOptions>();
    addStoreOptions(*sub, o->store);
    sub->add_option("--traffic", o->traffic,
                    "Expected traffic per entry point: \"GET /path=5/s\" or "
                    "\"Function=2000000/month\" (s, min, h, day, month); repeatable");
    sub->add_option("--free-tier", o->freeTier,
                    "none, legacy (accounts before July 2025) or credit (the Free plan since)")
        ->check(CLI::IsMember({"none", "legacy", "credit"}))
        ->capture_default_str();
    sub->add_option("--format", o->format, "table, json or csv")
        ->check(CLI::IsMember({"table", "json", "csv"}))
        ->capture_default_str();
    sub->add_option("--prices", o->pricesDir, "Folder of price tables (default resources/pricing)");
    return {sub, [o] {
                try {
                    return runCost(*o);
                } catch (const std::invalid_argument& e) {
                    std::cerr << "fogbank cost: " << e.what() << "\n";
                    return 2;
                }
            }};
}

}  // namespace fogbank::cli
