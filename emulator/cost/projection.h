// A month of expected traffic, priced from what Fogbank measured: for each entry point, the
// recorded requests that started there are followed down their traces (one HTTP request caused
// these invocations, S3 calls and messages), averaged, and scaled to the stated monthly count.
#pragma once

#include "emulator/cost/bill.h"
#include "emulator/cost/traffic.h"
#include "emulator/cost/usage.h"

namespace fogbank {

struct EntryProjection {
    TrafficEntry entry;
    std::string function;  // the function the entry point starts at
    int samples = 0;       // recorded requests averaged
    Usage perRequest;      // what one of them caused, on average
    std::string error;     // why it could not be projected (no such route, nothing recorded)
};

struct ProviderProjection {
    std::string provider;
    Bill withoutFreeTier;
    Bill withFreeTier;
};

struct Projection {
    std::vector<EntryProjection> entries;
    Usage monthly;
    std::vector<ProviderProjection> providers;  // aws, then gcp and azure (compute only)
    FreeTier freeTier = FreeTier::Legacy;
};

// Reads at most `maxSamples` recent requests per entry point from the store.
Projection projectMonthly(InvocationStore& store, const Project& project,
                          const std::vector<TrafficEntry>& traffic, const PriceBook& prices,
                          FreeTier freeTier, int maxSamples = 200);

// The invocations and service calls under one invocation (itself included) in its trace.
void collectSubtree(InvocationStore& store, const StoredInvocation& root,
                    std::vector<StoredInvocation>& invocations, std::vector<ServiceSpan>& spans);

}  // namespace fogbank
