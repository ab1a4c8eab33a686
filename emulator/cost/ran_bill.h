// The bill of what ran: every invocation and service request Fogbank served, counted per service
// and priced at AWS's on-demand prices (no free tier: a laptop's afternoon is not a month), with
// the dearest traces named. Per invocation, the store already holds each one's cost.
#pragma once

#include "emulator/cost/bill.h"

namespace fogbank {

struct TraceCost {
    std::string traceRoot;
    std::string rootFunction;
    int invocations = 0;
    int calls = 0;  // service requests
    double amount = 0;
};

struct RanBill {
    Usage usage;
    Bill bill;
    std::int64_t invocations = 0;
    std::vector<TraceCost> traces;  // dearest first, at most `maxTraces`
};

RanBill billOfWhatRan(InvocationStore& store, const Project& project, const PriceBook& prices,
                      std::size_t maxTraces = 20);

}  // namespace fogbank
