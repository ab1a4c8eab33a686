#include "emulator/cost/lambda_price_table.h"

#include "emulator/resources.h"

#include <nlohmann/json.hpp>

#include <fstream>
#include <limits>
#include <stdexcept>

namespace fogbank {

LambdaPriceTable LambdaPriceTable::load(const std::filesystem::path& file) {
    std::ifstream in(file);
    if (!in) throw std::runtime_error("cannot read price table " + file.string());
    nlohmann::json doc;
    try {
        doc = nlohmann::json::parse(in);
        LambdaPriceTable table;
        table.asOf_ = doc.at("pricesAsOf").get<std::string>();
        table.perMillionRequests_ = doc.at("requests").at("perMillion").get<double>();
        auto tiers = [&](const char* arch) {
            std::vector<Tier> out;
            for (const auto& tier : doc.at("duration").at(arch)) {
                const auto& limit = tier.at("upToGbSeconds");
                out.push_back({limit.is_null() ? std::numeric_limits<double>::infinity()
                                               : limit.get<double>(),
                               tier.at("perGbSecond").get<double>()});
            }
            if (out.empty()) throw std::runtime_error(std::string("no tiers for ") + arch);
            return out;
        };
        table.x86_ = tiers("x86_64");
        table.arm_ = tiers("arm64");
        const auto& free = doc.at("freeTier").at("legacy");
        table.freeRequests_ = free.at("requestsPerMonth").get<double>();
        table.freeGbSeconds_ = free.at("gbSecondsPerMonth").get<double>();
        return table;
    } catch (const std::exception& e) {
        throw std::runtime_error("price table " + file.string() + ": " + e.what());
    }
}

LambdaPriceTable LambdaPriceTable::loadDefault() {
    return load(resourcesDir() / "pricing" / "aws-lambda.json");
}

const std::vector<LambdaPriceTable::Tier>& LambdaPriceTable::tiers(
    const std::string& architecture) const {
    return architecture == "arm64" ? arm_ : x86_;
}

double LambdaPriceTable::invocationCost(long long billedMs, int memoryMb,
                                        const std::string& architecture) const {
    const double gbSeconds = static_cast<double>(billedMs) / 1000.0 * memoryMb / 1024.0;
    return perMillionRequests_ / 1e6 + gbSeconds * tiers(architecture).front().perGbSecond;
}

}  // namespace fogbank
