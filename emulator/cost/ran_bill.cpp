#include "emulator/cost/ran_bill.h"

#include <algorithm>
#include <map>

namespace fogbank {

RanBill billOfWhatRan(InvocationStore& store, const Project& project, const PriceBook& prices,
                      std::size_t maxTraces) {
    InvocationStore::SeqPageQuery query;
    query.newestFirst = false;
    query.limit = std::numeric_limits<std::int64_t>::max();
    auto invocations = store.listBySeq(query);
    auto spans = store.allSpans();

    RanBill out;
    out.invocations = static_cast<std::int64_t>(invocations.size());
    out.usage = usageOf(invocations, spans, project, prices);
    out.bill = awsBill(out.usage, prices, FreeTier::None);

    struct Group {
        std::vector<StoredInvocation> invocations;
        std::vector<ServiceSpan> spans;
    };
    std::map<std::string, Group> byTrace;
    for (auto& inv : invocations)
        if (!inv.traceRoot.empty()) byTrace[inv.traceRoot].invocations.push_back(std::move(inv));
    for (auto& span : spans)
        if (!span.traceRoot.empty()) byTrace[span.traceRoot].spans.push_back(std::move(span));
    for (auto& [root, group] : byTrace) {
        TraceCost cost;
        cost.traceRoot = root;
        cost.invocations = static_cast<int>(group.invocations.size());
        cost.calls = static_cast<int>(group.spans.size());
        if (!group.invocations.empty()) {
            const auto first =
                std::min_element(group.invocations.begin(), group.invocations.end(),
                                 [](const auto& a, const auto& b) { return a.start < b.start; });
            cost.rootFunction = first->function;
        }
        cost.amount = awsBill(usageOf(group.invocations, group.spans, project, prices), prices,
                              FreeTier::None)
                          .total();
        out.traces.push_back(std::move(cost));
    }
    std::sort(out.traces.begin(), out.traces.end(),
              [](const auto& a, const auto& b) { return a.amount > b.amount; });
    if (out.traces.size() > maxTraces) out.traces.resize(maxTraces);
    return out;
}

}  // namespace fogbank
