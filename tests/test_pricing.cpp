// Price arithmetic against bills computed by hand (in the comments) from the shipped price tables
// in resources/pricing/ (US East, dated): Lambda's requests and GB-seconds with their tiers and
// free tier, arm64, API Gateway per API type, S3 by request class, SQS per 64 KiB chunk, the
// comparison providers' rounding, the traffic syntax, and a broken table's error.
#include "emulator/cost/bill.h"
#include "emulator/cost/traffic.h"
#include "emulator/cost/usd_text.h"

#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>
#include <fstream>

using namespace fogbank;

namespace {

StoredInvocation run(const std::string& function, std::int64_t billedMs, int memoryMb,
                     std::string arch = "x86_64", Trigger trigger = Trigger::Manual,
                     double durationMs = 0, double initMs = 0) {
    StoredInvocation inv;
    inv.function = function;
    inv.billedMs = billedMs;
    inv.memorySizeMb = memoryMb;
    inv.architecture = std::move(arch);
    inv.trigger = trigger;
    inv.durationMs = durationMs > 0 ? durationMs : static_cast<double>(billedMs);
    inv.initMs = initMs;
    inv.cold = initMs > 0;
    return inv;
}

ServiceSpan call(const std::string& service, const std::string& operation,
                 const std::string& resource = {}, std::int64_t payloadBytes = -1) {
    ServiceSpan span;
    span.service = service;
    span.operation = operation;
    span.resource = resource;
    if (payloadBytes >= 0) span.attributes["aws.sqs.payload_bytes"] = std::to_string(payloadBytes);
    return span;
}

FunctionSpec function(const std::string& name, std::vector<std::string> eventTypes = {}) {
    FunctionSpec f;
    f.functionName = f.logicalId = name;
    for (auto& type : eventTypes) {
        EventSource e;
        e.type = std::move(type);
        f.events.push_back(e);
    }
    return f;
}

double sumOf(const Bill& bill, const std::string& service) {
    double sum = 0;
    for (const auto& l : bill.lines)
        if (l.service == service) sum += l.amount;
    return sum;
}

}  // namespace

class PricingTest : public QObject {
    Q_OBJECT
    PriceBook prices_ = PriceBook::load(PriceBook::defaultDir());
    Project project_;

  private slots:
    void initTestCase() {
        project_.functions = {function("Api", {"HttpApi"}), function("Rest", {"Api"}),
                              function("Cron", {"ScheduleV2"}), function("Rule", {"Schedule"})};
        QCOMPARE(QString::fromStdString(prices_.newestDate()), QStringLiteral("2026-11-23"));
    }

    void lambdaRequestsDurationAndLegacyFreeTier() {
        // 1,000,000 invocations of a 128 MB x86_64 function billed 100 ms each:
        //   requests 1e6 x $0.20/M = $0.20; 1e6 x 0.1 s x 0.125 GB = 12,500 GB-s x $0.0000166667
        //   = $0.20833375; total $0.40833375. The legacy free tier covers all of it.
        Usage usage;
        auto& f = usage.functions["fn"];
        f.function = "fn";
        f.memoryMb = 128;
        f.invocations = 1e6;
        f.gbSeconds = 12500;
        QVERIFY(qAbs(awsBill(usage, prices_, FreeTier::None).total() - 0.40833375) < 1e-9);
        QVERIFY(qAbs(awsBill(usage, prices_, FreeTier::Legacy).total()) < 1e-9);
        // The Free plan keeps Lambda's always-free allowance.
        QVERIFY(qAbs(awsBill(usage, prices_, FreeTier::Credit).total()) < 1e-9);
    }

    void billedMillisecondsBecomeGbSeconds() {
        // 3 invocations at 256 MB billed 1, 2 and 1,001 ms (a cold start's init included):
        //   1,004 ms x 0.25 GB = 0.251 GB-s -> $0.0000041833 + 3 requests $0.0000006
        const auto usage = usageOf({run("fn", 1, 256), run("fn", 2, 256),
                                    run("fn", 1001, 256, "x86_64", Trigger::Manual, 1.5, 999)},
                                   {}, project_, prices_);
        const auto& f = usage.functions.at("fn");
        QCOMPARE(f.invocations, 3.0);
        QCOMPARE(f.coldStarts, 1.0);
        QVERIFY(qAbs(f.gbSeconds - 0.251) < 1e-12);
        QVERIFY(qAbs(awsBill(usage, prices_, FreeTier::None).total() -
                     (0.251 * 0.0000166667 + 3 * 0.2e-6)) < 1e-15);
    }

    void arm64HasItsOwnPrices() {
        // 10M invocations, 1,024 MB arm64, 1 s each = 10,000,000 GB-s:
        //   requests $2.00; duration 1e7 x $0.0000133334 = $133.334 -> $135.334.
        //   Legacy free tier: -$0.20 and -400,000 x $0.0000133334 = -$5.33336 -> $129.80064.
        Usage usage;
        auto& f = usage.functions["arm"];
        f.function = "arm";
        f.architecture = "arm64";
        f.memoryMb = 1024;
        f.invocations = 1e7;
        f.gbSeconds = 1e7;
        QVERIFY(qAbs(awsBill(usage, prices_, FreeTier::None).total() - 135.334) < 1e-6);
        QVERIFY(qAbs(awsBill(usage, prices_, FreeTier::Legacy).total() - 129.80064) < 1e-6);
    }

    void durationTiersCrossABoundary() {
        // 7,000,000,000 x86_64 GB-s in a month: 6e9 at $0.0000166667 = $100,000.20 and 1e9 at
        // $0.0000150000 = $15,000 -> $115,000.20 (the discount line: -$1,666.70).
        Usage usage;
        auto& f = usage.functions["big"];
        f.function = "big";
        f.memoryMb = 1024;
        f.invocations = 0.5;  // a request's price is not what this checks
        f.gbSeconds = 7e9;
        const auto bill = awsBill(usage, prices_, FreeTier::None);
        QVERIFY(qAbs(sumOf(bill, "lambda") - 0.5 * 0.2e-6 - 115000.2) < 1e-4);
        bool discount = false;
        for (const auto& l : bill.lines)
            if (l.item.starts_with("volume discount")) {
                discount = true;
                QVERIFY(qAbs(l.amount + 1666.7) < 1e-4);
            }
        QVERIFY(discount);
    }

    void sqsBillsEvery64KiBChunk() {
        // Standard: 64 KiB -> 1, 64 KiB + 1 byte -> 2, a ReceiveMessage -> 1; FIFO 256 KiB -> 4.
        //   4 x $0.40/M + 4 x $0.50/M = $0.0000036; the always-free million covers it.
        const auto usage = usageOf(
            {},
            {call("sqs", "SendMessage", "jobs", 65536), call("sqs", "SendMessage", "jobs", 65537),
             call("sqs", "ReceiveMessage", "jobs"),
             call("sqs", "SendMessage", "orders.fifo", 262144)},
            project_, prices_);
        QCOMPARE(usage.sqsStandardRequests, 4.0);
        QCOMPARE(usage.sqsFifoRequests, 4.0);
        QVERIFY(qAbs(awsBill(usage, prices_, FreeTier::None).total() - 3.6e-6) < 1e-15);
        QVERIFY(qAbs(awsBill(usage, prices_, FreeTier::Credit).total()) < 1e-15);
    }

    void apiGatewayAndS3ByKindAndClass() {
        // 2 HTTP API requests ($1.00/M) and 1 REST request ($3.50/M): $0.0000055.
        // S3: PutObject, CopyObject, ListObjectsV2 at $0.005/1,000 = $0.000015; GetObject and
        // HeadObject at $0.0004/1,000 = $0.0000008; DeleteObject free.
        // Lambda: 3 invocations x 1 ms at 128 MB: 3 x $0.2e-6 + 0.000375 GB-s x $0.0000166667.
        const auto usage =
            usageOf({run("Api", 1, 128, "x86_64", Trigger::Http),
                     run("Api", 1, 128, "x86_64", Trigger::Http),
                     run("Rest", 1, 128, "x86_64", Trigger::Http)},
                    {call("s3", "PutObject"), call("s3", "CopyObject"), call("s3", "ListObjectsV2"),
                     call("s3", "GetObject"), call("s3", "HeadObject"), call("s3", "DeleteObject")},
                    project_, prices_);
        QCOMPARE(usage.httpRequests, 2.0);
        QCOMPARE(usage.restRequests, 1.0);
        QCOMPARE(usage.s3PutRequests, 3.0);
        QCOMPARE(usage.s3GetRequests, 2.0);
        QCOMPARE(usage.s3FreeRequests, 1.0);
        const auto none = awsBill(usage, prices_, FreeTier::None);
        QVERIFY(qAbs(sumOf(none, "apigateway") - 5.5e-6) < 1e-15);
        QVERIFY(qAbs(sumOf(none, "s3") - 1.58e-5) < 1e-15);
        // The legacy free tier's 12-month trials cover API Gateway and S3; the Free plan's don't.
        const auto legacy = awsBill(usage, prices_, FreeTier::Legacy);
        QVERIFY(qAbs(sumOf(legacy, "apigateway")) < 1e-15);
        QVERIFY(qAbs(sumOf(legacy, "s3")) < 1e-15);
        const auto credit = awsBill(usage, prices_, FreeTier::Credit);
        QVERIFY(qAbs(sumOf(credit, "apigateway") - 5.5e-6) < 1e-15);
        QVERIFY(qAbs(sumOf(credit, "s3") - 1.58e-5) < 1e-15);
        QVERIFY(qAbs(sumOf(credit, "lambda")) < 1e-15);
    }

    void schedulerInvocationsButNotRules() {
        // ScheduleV2 is EventBridge Scheduler ($1.00/M after 14M free); a Schedule rule is free.
        const auto usage = usageOf({run("Cron", 1, 128, "x86_64", Trigger::Schedule),
                                    run("Rule", 1, 128, "x86_64", Trigger::Schedule)},
                                   {}, project_, prices_);
        QCOMPARE(usage.schedulerInvocations, 1.0);
        QVERIFY(qAbs(sumOf(awsBill(usage, prices_, FreeTier::None), "scheduler") - 1e-6) < 1e-15);
    }

    void comparisonProvidersRoundTheirWay() {
        // GCP: 128 MB, 150 ms -> 200 ms: 0.025 GB-s x $0.0000025 = $0.0000000625, 0.2 GHz x 0.2 s
        //   = 0.04 GHz-s x $0.00001 = $0.0000004, an invocation $0.0000004 -> $0.0000008625.
        // Azure: 200 MB -> 256 MB, 50 ms -> the 100 ms minimum: 0.025 GB-s x $0.000016
        //   = $0.0000004, an execution $0.0000002 -> $0.0000006.
        const auto usage = usageOf({run("g", 150, 128), run("a", 50, 200)}, {}, project_, prices_);
        Usage gcpOnly, azureOnly;
        gcpOnly.functions["g"] = usage.functions.at("g");
        azureOnly.functions["a"] = usage.functions.at("a");
        QVERIFY(qAbs(computeBill(gcpOnly, prices_.gcp, false).total() - 8.625e-7) < 1e-15);
        QVERIFY(qAbs(computeBill(azureOnly, prices_.azure, false).total() - 6e-7) < 1e-15);
        QVERIFY(qAbs(computeBill(gcpOnly, prices_.gcp, true).total()) < 1e-15);
    }

    void trafficSyntax() {
        const auto route = parseTrafficEntry("get /hello/{name} = 5/s");
        QCOMPARE(QString::fromStdString(route.method), QStringLiteral("GET"));
        QCOMPARE(QString::fromStdString(route.path), QStringLiteral("/hello/{name}"));
        QCOMPARE(route.perMonth, 5 * 730.0 * 3600);  // 13,140,000
        const auto entries = parseTraffic("Fn=2000000/month; Other=10/min");
        QCOMPARE(entries.size(), std::size_t(2));
        QCOMPARE(entries[0].perMonth, 2e6);
        QCOMPARE(entries[1].perMonth, 10 * 730.0 * 60);
        for (const auto& [text, why] :
             {std::pair{"Fn", "no '='"}, std::pair{"Fn=5/fortnight", "unknown unit \"fortnight\""},
              std::pair{"Fn=lots/s", "\"lots\" is not a rate"},
              std::pair{"GET hello=1/s", "a route is METHOD /path"}}) {
            try {
                parseTrafficEntry(text);
                QFAIL(text);
            } catch (const std::invalid_argument& e) {
                QVERIFY2(std::string(e.what()).find(why) != std::string::npos, e.what());
            }
        }
    }

    void brokenTableNamesFileAndField() {
        QTemporaryDir dir;
        const std::filesystem::path copy = dir.path().toStdString();
        std::filesystem::copy(PriceBook::defaultDir(), copy,
                              std::filesystem::copy_options::recursive |
                                  std::filesystem::copy_options::overwrite_existing);
        std::ofstream(copy / "aws-sqs.json")
            << R"({"provider":"aws","service":"sqs","pricesAsOf":"2026-01-01","requests":)"
               R"({"standardPerMillion":[{"upToMillions":null,"price":0.4}],)"
               R"("fifoPerMillion":[{"upToMillions":null,"price":0.5}],"chunkBytes":"big"}})";
        try {
            PriceBook::load(copy);
            QFAIL("a broken table was accepted");
        } catch (const std::runtime_error& e) {
            const std::string what = e.what();
            QVERIFY2(what.find("aws-sqs.json") != std::string::npos, e.what());
            QVERIFY2(what.find("requests.chunkBytes") != std::string::npos, e.what());
        }
    }

    void moneyKeepsSmallAmountsReadable() {
        QCOMPARE(usdText(0), std::string("$0"));
        QCOMPARE(usdText(1e-15), std::string("$0"));
        QCOMPARE(usdText(12.346), std::string("$12.35"));
        QCOMPARE(usdText(0.0000021), std::string("$0.00000210"));
        QCOMPARE(usdText(-0.2), std::string("-$0.200"));
    }
};

QTEST_GUILESS_MAIN(PricingTest)
#include "test_pricing.moc"
