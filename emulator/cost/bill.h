// Usage priced: lines a person can check by hand (what, how many, at what price, from which
// table), and their sum. One provider per bill.
#pragma once

#include "emulator/cost/price_book.h"
#include "emulator/cost/usage.h"

#include <string>
#include <vector>

namespace fogbank {

struct BillLine {
    std::string provider;  // aws, gcp, azure
    std::string service;   // lambda, apigateway, s3, sqs, scheduler, cloud-functions, functions
    std::string item;      // "requests", "duration (x86_64)", "free tier", "volume discount", ...
    std::string function;  // the function a compute line belongs to
    double quantity = 0;
    std::string unit;   // "requests", "GB-s", ...
    double amount = 0;  // USD; negative for allowances and discounts
    std::string pricesAsOf;
};

struct Bill {
    std::string provider;
    std::vector<BillLine> lines;
    double total() const;
};

// AWS's bill for a month of `usage`: per-function requests and duration at the first tier's
// prices, then the volume discounts of the tiers and the free tier's allowances as lines of their
// own (negative), so that each step can be checked.
Bill awsBill(const Usage& usage, const PriceBook& prices, FreeTier freeTier);
// What the same compute would cost on Google Cloud Functions or Azure Functions (invocations and
// compute time; their API, storage and queue services are not priced). `freeTier` applies their
// monthly free grants.
Bill computeBill(const Usage& usage, const ComputePrices& prices, bool freeTier);

}  // namespace fogbank
