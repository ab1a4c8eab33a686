#include "emulator/cost/price_book.h"

#include "emulator/resources.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <limits>
#include <stdexcept>

namespace fogbank {

double tieredCost(double quantity, const std::vector<PriceTier>& tiers) {
    double cost = 0;
    double below = 0;
    for (const auto& tier : tiers) {
        if (quantity <= below) break;
        const double inBand = std::min(quantity, tier.upTo) - below;
        cost += inBand * tier.price;
        below = tier.upTo;
    }
    return cost;
}

const char* toString(FreeTier tier) {
    switch (tier) {
        case FreeTier::None:
            return "none";
        case FreeTier::Legacy:
            return "legacy";
        case FreeTier::Credit:
            return "credit";
    }
    return "none";
}

FreeTier parseFreeTier(const std::string& text) {
    if (text == "none") return FreeTier::None;
    if (text == "legacy") return FreeTier::Legacy;
    if (text == "credit") return FreeTier::Credit;
    throw std::invalid_argument("free tier \"" + text +
                                "\" is not one of none, legacy (accounts before July 2025) or "
                                "credit (the Free plan since then)");
}

namespace {

// A JSON table with its file name, so that every error says where it is.
class Table {
  public:
    explicit Table(std::filesystem::path file) : file_(std::move(file)) {
        std::ifstream in(file_);
        if (!in) throw std::runtime_error("cannot read price table " + file_.string());
        try {
            doc_ = nlohmann::json::parse(in);
        } catch (const nlohmann::json::parse_error& e) {
            throw std::runtime_error("price table " + file_.string() + " is not JSON: " + e.what());
        }
    }

    // The value at a path like "requests.perMillion"; throws naming the file and the path.
    const nlohmann::json& at(const std::string& path) const {
        const nlohmann::json* node = &doc_;
        std::size_t begin = 0;
        while (begin <= path.size()) {
            const auto end = std::min(path.find('.', begin), path.size());
            const auto key = path.substr(begin, end - begin);
            if (!node->is_object() || !node->contains(key))
                throw std::runtime_error("price table " + file_.string() + ": no field \"" + path +
                                         "\"");
            node = &(*node)[key];
            begin = end + 1;
        }
        return *node;
    }
    double number(const std::string& path) const {
        const auto& value = at(path);
        if (!value.is_number() || value.get<double>() < 0)
            throw std::runtime_error("price table " + file_.string() + ": \"" + path +
                                     "\" must be a number of at least 0, not " + value.dump());
        return value.get<double>();
    }
    double numberOr(const std::string& path, double fallback) const {
        try {
            return number(path);
        } catch (const std::runtime_error&) {
            return fallback;
        }
    }
    std::string text(const std::string& path) const {
        const auto& value = at(path);
        if (!value.is_string())
            throw std::runtime_error("price table " + file_.string() + ": \"" + path +
                                     "\" must be a string");
        return value.get<std::string>();
    }
    // [{"<limitKey>": n|null, "<priceKey>": p}, ...] with `scale` applied to the limits.
    std::vector<PriceTier> tiers(const std::string& path, const std::string& limitKey,
                                 const std::string& priceKey, double scale = 1) const {
        const auto& list = at(path);
        if (!list.is_array() || list.empty())
            throw std::runtime_error("price table " + file_.string() + ": \"" + path +
                                     "\" must be a non-empty list of tiers");
        std::vector<PriceTier> out;
        for (std::size_t i = 0; i < list.size(); ++i) {
            const auto& tier = list[i];
            const auto where = path + "[" + std::to_string(i) + "]";
            if (!tier.contains(limitKey) || !tier.contains(priceKey) ||
                !tier[priceKey].is_number() ||
                !(tier[limitKey].is_null() || tier[limitKey].is_number()))
                throw std::runtime_error("price table " + file_.string() + ": \"" + where +
                                         "\" needs a number \"" + priceKey + "\" and \"" +
                                         limitKey + "\" (a number, or null for the last tier)");
            out.push_back({tier[limitKey].is_null() ? std::numeric_limits<double>::infinity()
                                                    : tier[limitKey].get<double>() * scale,
                           tier[priceKey].get<double>()});
        }
        return out;
    }

  private:
    std::filesystem::path file_;
    nlohmann::json doc_;
};

ComputePrices computePrices(const Table& t) {
    ComputePrices p;
    p.provider = t.text("provider");
    p.asOf = t.text("pricesAsOf");
    p.perMillionInvocations = t.number("invocations.perMillion");
    p.perGbSecond = t.number("compute.perGbSecond");
    p.perGhzSecond = t.numberOr("compute.perGhzSecond", 0);
    if (p.perGhzSecond > 0) p.ghzByMemory = t.tiers("compute.cpuGhzByMemoryMb", "memoryMb", "ghz");
    p.roundUpMs = std::max(1.0, t.numberOr("compute.roundUpMs", 1));
    p.minimumMs = t.numberOr("compute.minimumMs", 0);
    p.memoryStepMb = t.numberOr("compute.memoryStepMb", 0);
    p.freeInvocations = t.number("freeTier.invocationsPerMonth");
    p.freeGbSeconds = t.number("freeTier.gbSecondsPerMonth");
    p.freeGhzSeconds = t.numberOr("freeTier.ghzSecondsPerMonth", 0);
    return p;
}

}  // namespace

PriceBook PriceBook::load(const std::filesystem::path& dir) {
    PriceBook book;
    book.lambda = LambdaPriceTable::load(dir / "aws-lambda.json");

    const Table api(dir / "aws-apigateway.json");
    book.apiGateway.asOf = api.text("pricesAsOf");
    book.apiGateway.restPerMillion = api.tiers("rest.perMillion", "upToMillions", "price", 1e6);
    book.apiGateway.httpPerMillion = api.tiers("http.perMillion", "upToMillions", "price", 1e6);
    book.apiGateway.httpMeteringBytes = api.number("http.meteringBytes");
    book.apiGateway.freeRest = api.numberOr("freeTier.legacy.restRequestsPerMonth", 0);
    book.apiGateway.freeHttp = api.numberOr("freeTier.legacy.httpRequestsPerMonth", 0);

    const Table s3(dir / "aws-s3.json");
    book.s3.asOf = s3.text("pricesAsOf");
    book.s3.putPer1000 = s3.number("requests.putCopyPostListPer1000");
    book.s3.getPer1000 = s3.number("requests.getAndOtherPer1000");
    book.s3.storagePerGbMonth = s3.tiers("storage.perGbMonth", "upToGb", "price");
    book.s3.freePut = s3.numberOr("freeTier.legacy.putRequestsPerMonth", 0);
    book.s3.freeGet = s3.numberOr("freeTier.legacy.getRequestsPerMonth", 0);

    const Table sqs(dir / "aws-sqs.json");
    book.sqs.asOf = sqs.text("pricesAsOf");
    book.sqs.standardPerMillion =
        sqs.tiers("requests.standardPerMillion", "upToMillions", "price", 1e6);
    book.sqs.fifoPerMillion = sqs.tiers("requests.fifoPerMillion", "upToMillions", "price", 1e6);
    book.sqs.chunkBytes = sqs.number("requests.chunkBytes");
    if (book.sqs.chunkBytes < 1)
        throw std::runtime_error("price table " + (dir / "aws-sqs.json").string() +
                                 ": \"requests.chunkBytes\" must be at least 1");
    book.sqs.freeRequests = sqs.numberOr("freeTier.legacy.requestsPerMonth", 0);

    const Table events(dir / "aws-eventbridge.json");
    book.scheduler.asOf = events.text("pricesAsOf");
    book.scheduler.schedulerPerMillion = events.number("scheduler.perMillion");
    book.scheduler.freeSchedulerInvocations =
        events.numberOr("freeTier.legacy.schedulerInvocationsPerMonth", 0);

    book.gcp = computePrices(Table(dir / "gcp-cloud-functions.json"));
    book.azure = computePrices(Table(dir / "azure-functions.json"));
    return book;
}

std::filesystem::path PriceBook::defaultDir() {
    return resourcesDir() / "pricing";
}

std::string PriceBook::newestDate() const {
    return std::max({lambda.pricesAsOf(), apiGateway.asOf, s3.asOf, sqs.asOf, scheduler.asOf,
                     gcp.asOf, azure.asOf});
}

}  // namespace fogbank
