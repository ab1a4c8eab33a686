#include "emulator/cost/bill.h"

#include <algorithm>
#include <map>

namespace fogbank {

double Bill::total() const {
    double sum = 0;
    for (const auto& line : lines) sum += line.amount;
    return sum;
}

namespace {

// The part of a month's tiered cost that the first tier's price over-states: a negative line.
double volumeDiscount(double quantity, const std::vector<PriceTier>& tiers) {
    if (tiers.empty()) return 0;
    return tieredCost(quantity, tiers) - quantity * tiers.front().price;
}

}  // namespace

Bill awsBill(const Usage& usage, const PriceBook& prices, FreeTier freeTier) {
    Bill bill;
    bill.provider = "aws";
    const auto& lambda = prices.lambda;
    const auto& lambdaDate = lambda.pricesAsOf();
    auto add = [&bill](std::string service, std::string item, std::string function, double quantity,
                       std::string unit, double amount, std::string asOf) {
        bill.lines.push_back({"aws", std::move(service), std::move(item), std::move(function),
                              quantity, std::move(unit), amount, std::move(asOf)});
    };

    // Lambda: tiers apply per architecture to the month's GB-seconds.
    std::map<std::string, double> gbSecondsByArch;
    double requests = 0;
    for (const auto& [name, f] : usage.functions) {
        if (f.invocations <= 0) continue;
        const double firstTier = lambda.tiers(f.architecture).front().perGbSecond;
        add("lambda", "requests", name, f.invocations, "requests",
            f.invocations * lambda.perMillionRequests() / 1e6, lambdaDate);
        add("lambda", "duration (" + f.architecture + ", " + std::to_string(f.memoryMb) + " MB)",
            name, f.gbSeconds, "GB-s", f.gbSeconds * firstTier, lambdaDate);
        gbSecondsByArch[f.architecture] += f.gbSeconds;
        requests += f.invocations;
    }
    for (const auto& [arch, gbSeconds] : gbSecondsByArch) {
        std::vector<PriceTier> tiers;
        for (const auto& t : lambda.tiers(arch)) tiers.push_back({t.upToGbSeconds, t.perGbSecond});
        if (const double discount = volumeDiscount(gbSeconds, tiers); discount < 0)
            add("lambda", "volume discount (" + arch + ")", "", gbSeconds, "GB-s", discount,
                lambdaDate);
    }
    if (freeTier != FreeTier::None && requests > 0) {
        const double freeRequests = std::min(requests, lambda.freeRequests());
        add("lambda", "free tier: requests", "", freeRequests, "requests",
            -freeRequests * lambda.perMillionRequests() / 1e6, lambdaDate);
        // The allowance is shared by both architectures; it goes to x86_64's (dearer) first.
        double freeLeft = lambda.freeGbSeconds();
        for (const char* arch : {"x86_64", "arm64"}) {
            const double used = gbSecondsByArch[arch];
            const double free = std::min(used, freeLeft);
            if (free <= 0) continue;
            freeLeft -= free;
            add("lambda", std::string("free tier: duration (") + arch + ")", "", free, "GB-s",
                -free * lambda.tiers(arch).front().perGbSecond, lambdaDate);
        }
    }

    const auto& api = prices.apiGateway;
    for (const auto& [kind, count, tiers, free] :
         {std::tuple{"HTTP API requests", usage.httpRequests, &api.httpPerMillion, api.freeHttp},
          std::tuple{"REST API requests", usage.restRequests, &api.restPerMillion, api.freeRest}}) {
        if (count <= 0) continue;
        add("apigateway", kind, "", count, "requests", count * tiers->front().price / 1e6,
            api.asOf);
        if (const double discount = volumeDiscount(count, *tiers); discount < 0)
            add("apigateway", std::string("volume discount: ") + kind, "", count, "requests",
                discount, api.asOf);
        if (freeTier == FreeTier::Legacy && free > 0)
            add("apigateway", std::string("free tier: ") + kind, "", std::min(count, free),
                "requests", -std::min(count, free) * tiers->front().price / 1e6, api.asOf);
    }

    const auto& s3 = prices.s3;
    for (const auto& [kind, count, per1000, free] :
         {std::tuple{"PUT, COPY, POST, LIST requests", usage.s3PutRequests, s3.putPer1000,
                     s3.freePut},
          std::tuple{"GET and other requests", usage.s3GetRequests, s3.getPer1000, s3.freeGet}}) {
        if (count <= 0) continue;
        add("s3", kind, "", count, "requests", count * per1000 / 1000, s3.asOf);
        if (freeTier == FreeTier::Legacy && free > 0)
            add("s3", std::string("free tier: ") + kind, "", std::min(count, free), "requests",
                -std::min(count, free) * per1000 / 1000, s3.asOf);
    }
    if (usage.s3FreeRequests > 0)
        add("s3", "DELETE requests (free)", "", usage.s3FreeRequests, "requests", 0, s3.asOf);

    const auto& sqs = prices.sqs;
    const double sqsRequests = usage.sqsStandardRequests + usage.sqsFifoRequests;
    for (const auto& [kind, count, tiers] :
         {std::tuple{"standard queue requests (64 KiB chunks)", usage.sqsStandardRequests,
                     &sqs.standardPerMillion},
          std::tuple{"FIFO queue requests (64 KiB chunks)", usage.sqsFifoRequests,
                     &sqs.fifoPerMillion}}) {
        if (count <= 0) continue;
        add("sqs", kind, "", count, "requests", count * tiers->front().price / 1e6, sqs.asOf);
        if (const double discount = volumeDiscount(count, *tiers); discount < 0)
            add("sqs", std::string("volume discount: ") + kind, "", count, "requests", discount,
                sqs.asOf);
    }
    if (freeTier != FreeTier::None && sqsRequests > 0) {
        // The first million a month are free whatever the queue type; standard ones go first.
        const double freeStandard = std::min(usage.sqsStandardRequests, sqs.freeRequests);
        const double freeFifo =
            std::min(usage.sqsFifoRequests, std::max(0.0, sqs.freeRequests - freeStandard));
        add("sqs", "free tier: requests", "", freeStandard + freeFifo, "requests",
            -(freeStandard * sqs.standardPerMillion.front().price +
              freeFifo * sqs.fifoPerMillion.front().price) /
                1e6,
            sqs.asOf);
    }

    const auto& scheduler = prices.scheduler;
    if (usage.schedulerInvocations > 0) {
        add("scheduler", "EventBridge Scheduler invocations", "", usage.schedulerInvocations,
            "invocations", usage.schedulerInvocations * scheduler.schedulerPerMillion / 1e6,
            scheduler.asOf);
        if (freeTier != FreeTier::None) {
            const double free =
                std::min(usage.schedulerInvocations, scheduler.freeSchedulerInvocations);
            add("scheduler", "free tier: Scheduler invocations", "", free, "invocations",
                -free * scheduler.schedulerPerMillion / 1e6, scheduler.asOf);
        }
    }
    return bill;
}

Bill computeBill(const Usage& usage, const ComputePrices& prices, bool freeTier) {
    Bill bill;
    bill.provider = prices.provider;
    const std::string service = prices.provider == "gcp" ? "cloud-functions" : "functions";
    auto add = [&](std::string item, std::string function, double quantity, std::string unit,
                   double amount) {
        bill.lines.push_back({prices.provider, service, std::move(item), std::move(function),
                              quantity, std::move(unit), amount, prices.asOf});
    };
    const bool gcp = prices.provider == "gcp";
    double invocations = 0, gbSeconds = 0, ghzSeconds = 0;
    for (const auto& [name, f] : usage.functions) {
        if (f.invocations <= 0) continue;
        const double gb = gcp ? f.gcpGbSeconds : f.azureGbSeconds;
        add("invocations", name, f.invocations, "invocations",
            f.invocations * prices.perMillionInvocations / 1e6);
        add("memory time (" + std::to_string(f.memoryMb) + " MB)", name, gb, "GB-s",
            gb * prices.perGbSecond);
        if (gcp && prices.perGhzSecond > 0)
            add("CPU time", name, f.gcpGhzSeconds, "GHz-s", f.gcpGhzSeconds * prices.perGhzSecond);
        invocations += f.invocations;
        gbSeconds += gb;
        ghzSeconds += gcp ? f.gcpGhzSeconds : 0;
    }
    if (freeTier && invocations > 0) {
        const double freeInvocations = std::min(invocations, prices.freeInvocations);
        add("free tier: invocations", "", freeInvocations, "invocations",
            -freeInvocations * prices.perMillionInvocations / 1e6);
        const double freeGb = std::min(gbSeconds, prices.freeGbSeconds);
        add("free tier: memory time", "", freeGb, "GB-s", -freeGb * prices.perGbSecond);
        if (gcp && prices.perGhzSecond > 0) {
            const double freeGhz = std::min(ghzSeconds, prices.freeGhzSeconds);
            add("free tier: CPU time", "", freeGhz, "GHz-s", -freeGhz * prices.perGhzSecond);
        }
    }
    return bill;
}

}  // namespace fogbank
