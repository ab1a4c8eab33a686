#include "emulator/cost/projection.h"

#include <algorithm>
#include <cctype>
#include <set>

namespace fogbank {

namespace {

std::string upper(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

std::string text(const nlohmann::json& properties, const char* key) {
    auto it = properties.find(key);
    return it != properties.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// The function behind an entry point, or empty with `error` set.
std::string resolve(const Project& project, const TrafficEntry& entry, std::string& error) {
    if (!entry.function.empty()) {
        for (const auto& f : project.functions)
            if (f.functionName == entry.function || f.logicalId == entry.function)
                return f.functionName;
        error = "no function named " + entry.function + " in the template";
        return {};
    }
    for (const auto& f : project.functions) {
        for (const auto& e : f.events) {
            if (e.type != "Api" && e.type != "HttpApi") continue;
            const auto path = text(e.properties, "Path");
            const auto method = upper(text(e.properties, "Method"));
            const bool anyPath = path.empty() && entry.path == "$default";
            if ((path == entry.path || anyPath) &&
                (method == entry.method || method == "ANY" || method.empty()))
                return f.functionName;
        }
    }
    error = "no route " + entry.method + " " + entry.path + " in the template";
    return {};
}

}  // namespace

void collectSubtree(InvocationStore& store, const StoredInvocation& root,
                    std::vector<StoredInvocation>& invocations, std::vector<ServiceSpan>& spans) {
    InvocationQuery query;
    query.traceRoot = root.traceRoot;
    query.limit = 10000;
    auto trace = store.list(query);
    auto traceSpans = store.spans(root.traceRoot);
    if (root.traceRoot.empty()) {
        invocations.push_back(root);
        return;
    }
    // Walk down from the root's span: whatever names an included span as its parent is in.
    std::set<std::string> included{root.spanId};
    bool grew = true;
    std::vector<bool> takenInvocation(trace.size()), takenSpan(traceSpans.size());
    invocations.push_back(root);
    while (grew) {
        grew = false;
        for (std::size_t i = 0; i < trace.size(); ++i) {
            if (takenInvocation[i] || trace[i].requestId == root.requestId) continue;
            if (!trace[i].parentSpanId.empty() && included.count(trace[i].parentSpanId)) {
                takenInvocation[i] = true;
                included.insert(trace[i].spanId);
                invocations.push_back(trace[i]);
                grew = true;
            }
        }
        for (std::size_t i = 0; i < traceSpans.size(); ++i) {
            if (takenSpan[i]) continue;
            if (!traceSpans[i].parentSpanId.empty() && included.count(traceSpans[i].parentSpanId)) {
                takenSpan[i] = true;
                included.insert(traceSpans[i].spanId);
                spans.push_back(traceSpans[i]);
                grew = true;
            }
        }
    }
}

Projection projectMonthly(InvocationStore& store, const Project& project,
                          const std::vector<TrafficEntry>& traffic, const PriceBook& prices,
                          FreeTier freeTier, int maxSamples) {
    Projection out;
    out.freeTier = freeTier;
    for (const auto& entry : traffic) {
        EntryProjection projected;
        projected.entry = entry;
        projected.function = resolve(project, entry, projected.error);
        if (!projected.function.empty()) {
            InvocationQuery query;
            query.function = projected.function;
            query.limit = std::max(1, maxSamples) * 4;
            std::vector<StoredInvocation> roots;
            for (auto& inv : store.list(query)) {
                if (static_cast<int>(roots.size()) >= maxSamples) break;
                // A route's requests are the function's HTTP invocations; a function's are all.
                if (!entry.method.empty() && inv.trigger != Trigger::Http) continue;
                roots.push_back(std::move(inv));
            }
            if (roots.empty()) {
                projected.error = "nothing recorded for " +
                                  entry.text.substr(0, entry.text.rfind('=')) +
                                  " yet: send it a request first";
            } else {
                const double share = 1.0 / static_cast<double>(roots.size());
                for (const auto& root : roots) {
                    std::vector<StoredInvocation> invocations;
                    std::vector<ServiceSpan> spans;
                    collectSubtree(store, root, invocations, spans);
                    projected.perRequest.add(usageOf(invocations, spans, project, prices), share);
                }
                projected.samples = static_cast<int>(roots.size());
                out.monthly.add(projected.perRequest, entry.perMonth);
            }
        }
        out.entries.push_back(std::move(projected));
    }
    for (const bool free : {false, true}) {
        const FreeTier tier = free ? freeTier : FreeTier::None;
        if (!free) {
            out.providers.push_back({"aws", awsBill(out.monthly, prices, FreeTier::None), {}});
            out.providers.push_back({"gcp", computeBill(out.monthly, prices.gcp, false), {}});
            out.providers.push_back({"azure", computeBill(out.monthly, prices.azure, false), {}});
        } else {
            out.providers[0].withFreeTier = awsBill(out.monthly, prices, tier);
            out.providers[1].withFreeTier =
                computeBill(out.monthly, prices.gcp, tier != FreeTier::None);
            out.providers[2].withFreeTier =
                computeBill(out.monthly, prices.azure, tier != FreeTier::None);
        }
    }
    return out;
}

}  // namespace fogbank
