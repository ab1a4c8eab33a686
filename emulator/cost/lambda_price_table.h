// AWS Lambda's public prices, read from resources/pricing/aws-lambda.json (never from code), and
// what one invocation costs at them.
//
// This folder owns prices and bills. It must never measure anything itself: it prices what the
// runtime and the store recorded.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace fogbank {

class LambdaPriceTable {
  public:
    struct Tier {
        double upToGbSeconds;  // infinity for the last tier
        double perGbSecond;
    };

    // Throws std::runtime_error naming the file and the missing or malformed field.
    static LambdaPriceTable load(const std::filesystem::path& file);
    // resources/pricing/aws-lambda.json
    static LambdaPriceTable loadDefault();

    // One request plus its billed GB-seconds at the first tier's price (no free tier): what this
    // invocation adds to a bill that has not yet reached the volume discounts.
    double invocationCost(long long billedMs, int memoryMb, const std::string& architecture) const;

    const std::string& pricesAsOf() const { return asOf_; }
    double perMillionRequests() const { return perMillionRequests_; }
    const std::vector<Tier>& tiers(const std::string& architecture) const;
    // The always-free monthly allowance (the same under the legacy free tier and the Free plan).
    double freeRequests() const { return freeRequests_; }
    double freeGbSeconds() const { return freeGbSeconds_; }

  private:
    std::string asOf_;
    double perMillionRequests_ = 0;
    double freeRequests_ = 0;
    double freeGbSeconds_ = 0;
    std::vector<Tier> x86_;
    std::vector<Tier> arm_;
};

}  // namespace fogbank
