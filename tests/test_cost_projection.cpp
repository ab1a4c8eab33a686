// A month projected from a real recorded trace: three real POST /upload requests on the HTTP API
// port run Upload (Python, boto3 PutObject), whose S3 notification runs Thumbnail (arm64,
// GetObject). The projection for "POST /upload=1/s" must equal the bill computed here by hand
// from the recorded rows; `fogbank cost` and `fogbank stats` must say the same from the state
// folder; and the cold-start statistics must match the rows' own percentiles.
#include "emulator/cost/projection.h"
#include "emulator/trace/cold_start_stats.h"
#include "test_http.h"
#include "test_support.h"

using namespace fbtest;
using namespace fogbank;

class CostProjectionTest : public QObject {
    Q_OBJECT
  private slots:
    void initTestCase() { prepareTestEnvironment(); }

    void projectsARecordedTraceToAMonth() {
        TestEngine engine(fixture("cost/template.yaml"), [](EngineConfig& c) { c.httpPort = 0; });
        const quint16 port = engine->httpPort();
        QVERIFY(port != 0);
        constexpr int kRequests = 3;
        for (int i = 0; i < kRequests; ++i) {
            const auto reply = httpRequest(port, "POST", "/upload", "a picture of a cat");
            QVERIFY2(reply.status == 201, reply.body.constData());
        }
        auto* store = engine->store();
        QVERIFY(store);
        // The notifications run Thumbnail after the uploads have answered.
        QTRY_COMPARE_WITH_TIMEOUT(store->count("cost-thumbnail"), std::int64_t(kRequests), 60000);
        store->flush();

        // What was recorded, and Lambda's billing rule on every row: ceil(init + duration) ms.
        InvocationQuery all;
        all.limit = 100;
        double uploadMs = 0, thumbMs = 0;
        for (const auto& inv : store->list(all)) {
            QVERIFY2(inv.ok(), inv.payload.c_str());
            QCOMPARE(inv.billedMs,
                     std::max<std::int64_t>(
                         1, static_cast<std::int64_t>(std::ceil(inv.initMs + inv.durationMs))));
            (inv.function == "cost-upload" ? uploadMs : thumbMs) +=
                static_cast<double>(inv.billedMs);
        }
        uploadMs /= kRequests;
        thumbMs /= kRequests;

        const auto prices = PriceBook::load(PriceBook::defaultDir());
        const auto projection = projectMonthly(
            *store, engine->project(), parseTraffic("POST /upload=1/s"), prices, FreeTier::Legacy);
        QCOMPARE(projection.entries.size(), std::size_t(1));
        const auto& entry = projection.entries.front();
        QVERIFY2(entry.error.empty(), entry.error.c_str());
        QCOMPARE(entry.samples, kRequests);
        QCOMPARE(entry.function, std::string("cost-upload"));
        // One request caused: an HTTP API request, both invocations, a PUT and a GET.
        QCOMPARE(entry.perRequest.httpRequests, 1.0);
        QCOMPARE(entry.perRequest.invocations(), 2.0);
        QCOMPARE(entry.perRequest.s3PutRequests, 1.0);
        QCOMPARE(entry.perRequest.s3GetRequests, 1.0);

        // By hand: 1/s is 2,628,000 requests in 730 hours.
        const double n = 730.0 * 3600;
        const double expected = n * 2 * 0.20 / 1e6                           // Lambda requests
                                + n * uploadMs / 1000 * 0.25 * 0.0000166667  // 256 MB x86_64
                                + n * thumbMs / 1000 * 0.5 * 0.0000133334    // 512 MB arm64
                                + n * 1.00 / 1e6                             // HTTP API
                                + n * 0.005 / 1000 + n * 0.0004 / 1000;      // S3 PUT, GET
        const auto& aws = projection.providers.front();
        QCOMPARE(QString::fromStdString(aws.provider), QStringLiteral("aws"));
        QVERIFY2(
            std::abs(aws.withoutFreeTier.total() - expected) < expected * 1e-9,
            qPrintable(QStringLiteral("%1 vs %2").arg(aws.withoutFreeTier.total()).arg(expected)));
        QVERIFY(aws.withFreeTier.total() < aws.withoutFreeTier.total());
        QCOMPARE(projection.providers.size(), std::size_t(3));  // and GCP, Azure

        // A route that does not exist, or one nothing was recorded for, says so.
        const auto missing = projectMonthly(*store, engine->project(),
                                            parseTraffic("GET /nope=1/s, cost-thumbnail=5/day"),
                                            prices, FreeTier::None);
        QVERIFY(missing.entries[0].error.find("no route GET /nope") != std::string::npos);
        QVERIFY(missing.entries[1].error.empty());  // a function entry: its own invocations
        QCOMPARE(missing.entries[1].perRequest.s3GetRequests, 1.0);

        // Cold starts: the rows' own nearest-rank percentiles.
        const auto stats = coldStartStats(*store, "cost-upload");
        QCOMPARE(stats.cold.count + stats.warm.count, std::int64_t(kRequests));
        QVERIFY(stats.cold.count >= 1);
        QCOMPARE(stats.inits.size(), std::size_t(stats.cold.count));
        QVERIFY(std::abs(stats.coldRatio - double(stats.cold.count) / kRequests) < 1e-12);

        // The CLI reads the same folder.
        const QString state = q(engine->config().stateDir);
        const QString fogbankBin = QStringLiteral(FOGBANK_BIN_DIR "/fogbank");
        const auto run = runProcess(
            fogbankBin, {QStringLiteral("cost"), QStringLiteral("-t"),
                         q(fixture("cost/template.yaml")), QStringLiteral("--state-dir"), state,
                         QStringLiteral("--traffic"), QStringLiteral("POST /upload=1/s"),
                         QStringLiteral("--format"), QStringLiteral("json")});
        QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
        const auto doc = json::parse(run.out.toStdString());
        QCOMPARE(doc["ran"]["invocations"].get<int>(), 2 * kRequests);
        QCOMPARE(doc["projection"]["entries"][0]["samples"].get<int>(), kRequests);
        const double cliTotal =
            doc["projection"]["providers"][0]["withoutFreeTier"]["totalUsd"].get<double>();
        QVERIFY(std::abs(cliTotal - expected) < expected * 1e-9);
        QCOMPARE(QString::fromStdString(doc["pricesAsOf"].get<std::string>()),
                 QStringLiteral("2026-11-23"));

        const auto stats2 =
            runProcess(fogbankBin, {QStringLiteral("stats"), QStringLiteral("-t"),
                                    q(fixture("cost/template.yaml")), QStringLiteral("--state-dir"),
                                    state, QStringLiteral("--format"), QStringLiteral("json")});
        QVERIFY2(stats2.exitCode == 0, qPrintable(stats2.describe()));
        const auto statsDoc = json::parse(stats2.out.toStdString());
        bool seen = false;
        for (const auto& f : statsDoc["functions"])
            if (f["function"] == "cost-upload") {
                seen = true;
                QCOMPARE(f["cold"]["count"].get<std::int64_t>(), stats.cold.count);
                QCOMPARE(f["warm"]["p50"].get<double>(), stats.warm.p50);
            }
        QVERIFY(seen);

        const auto bad = runProcess(
            fogbankBin, {QStringLiteral("cost"), QStringLiteral("-t"),
                         q(fixture("cost/template.yaml")), QStringLiteral("--state-dir"), state,
                         QStringLiteral("--traffic"), QStringLiteral("POST /upload=5/fortnight")});
        QCOMPARE(bad.exitCode, 2);
        QVERIFY2(bad.err.contains(QStringLiteral("unknown unit \"fortnight\"")),
                 qPrintable(bad.err));
    }
};

QTEST_GUILESS_MAIN(CostProjectionTest)
#include "test_cost_projection.moc"
