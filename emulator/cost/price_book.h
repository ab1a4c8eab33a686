// Every provider's public prices that Fogbank bills with, read from one folder of JSON tables
// (resources/pricing/ unless the user points elsewhere), each with the date it was taken.
#pragma once

#include "emulator/cost/lambda_price_table.h"

#include <filesystem>
#include <string>
#include <vector>

namespace fogbank {

// A price that falls with volume: `price` per unit up to `upTo` units a month (cumulative).
struct PriceTier {
    double upTo;  // infinity for the last tier
    double price;
};
// What `quantity` units cost at tiered prices, each unit at the price of the band it falls in.
double tieredCost(double quantity, const std::vector<PriceTier>& tiers);

// Which free tier the account has. Legacy: accounts opened before 15 July 2025, with the 12-month
// trials (API Gateway, S3) on top of the always-free allowances. Credit: the Free plan since
// then, credits instead of trials; the always-free allowances (Lambda, SQS, Scheduler) remain.
enum class FreeTier { None, Legacy, Credit };
const char* toString(FreeTier tier);
// Throws std::invalid_argument naming the accepted values.
FreeTier parseFreeTier(const std::string& text);

struct ComputePrices {  // Google Cloud Functions, Azure Functions
    std::string provider;
    std::string asOf;
    double perMillionInvocations = 0;
    double perGbSecond = 0;
    double perGhzSecond = 0;             // 0 where CPU is not billed apart
    std::vector<PriceTier> ghzByMemory;  // upTo = memory MB, price = GHz (first that fits)
    double roundUpMs = 1;
    double minimumMs = 0;
    double memoryStepMb = 0;  // memory rounded up to a multiple of this; 0: as configured
    double freeInvocations = 0;
    double freeGbSeconds = 0;
    double freeGhzSeconds = 0;
};

class PriceBook {
  public:
    // Reads every table of `dir`; throws std::runtime_error naming the file and the field that is
    // missing or malformed.
    static PriceBook load(const std::filesystem::path& dir);
    static std::filesystem::path defaultDir();  // resources/pricing

    LambdaPriceTable lambda;
    struct {
        std::string asOf;
        std::vector<PriceTier> restPerMillion;
        std::vector<PriceTier> httpPerMillion;
        double httpMeteringBytes = 512 * 1024;
        double freeRest = 0;  // per month, legacy free tier only
        double freeHttp = 0;
    } apiGateway;
    struct {
        std::string asOf;
        double putPer1000 = 0;  // PUT, COPY, POST, LIST
        double getPer1000 = 0;  // GET, HEAD and all others but DELETE
        std::vector<PriceTier> storagePerGbMonth;
        double freePut = 0;  // legacy free tier only
        double freeGet = 0;
    } s3;
    struct {
        std::string asOf;
        std::vector<PriceTier> standardPerMillion;
        std::vector<PriceTier> fifoPerMillion;
        double chunkBytes = 65536;
        double freeRequests = 0;  // both free tiers
    } sqs;
    struct {
        std::string asOf;
        double schedulerPerMillion = 0;
        double freeSchedulerInvocations = 0;
    } scheduler;
    ComputePrices gcp;
    ComputePrices azure;

    // The newest of the tables' dates: what a report's footer names.
    std::string newestDate() const;
};

}  // namespace fogbank
