// The memory sweep with a real CPU-bound Python handler, through the engine API and through
// `fogbank sweep`: its duration falls as memory rises, it names the cheapest and the fastest
// from its own numbers, and its cost per invocation is the price table's arithmetic done by hand.
#include "emulator/sweep/memory_sweep.h"
#include "emulator/trace/cold_start_stats.h"
#include "emulator/trace/invocation_store.h"

#include "test_support.h"

using namespace fbtest;
using namespace fogbank;

namespace {

// About 20 ms of CPU at a full core.
constexpr const char* kWork = R"({"n": 300000})";

// aws-lambda.json (2026-11-23), first tier: $0.20 per million requests, per GB-second
// $0.0000166667 on x86_64 and $0.0000133334 on arm64.
constexpr double kPerRequest = 0.2 / 1e6;
constexpr double kX86PerGbSecond = 1.66667e-05;
constexpr double kArmPerGbSecond = 1.33334e-05;

double byHand(double billedMs, int memoryMb, double perGbSecond) {
    return kPerRequest + billedMs / 1000.0 * memoryMb / 1024.0 * perGbSecond;
}

int argmin(const std::vector<double>& values) {
    return static_cast<int>(std::min_element(values.begin(), values.end()) - values.begin());
}

}  // namespace

class MemorySweepTest : public QObject {
    Q_OBJECT
  private slots:
    void initTestCase() { prepareTestEnvironment(); }

    void pricesRunsByHand() {
        const auto prices = LambdaPriceTable::loadDefault();
        QCOMPARE(QString::fromStdString(prices.pricesAsOf()), QStringLiteral("2026-11-23"));
        MemorySweepRow row;
        row.memoryMb = 1024;
        std::vector<InvocationResult> runs(2);
        runs[0].durationMs = 99.2;
        runs[0].billedMs = 100;
        runs[1].durationMs = 299.5;
        runs[1].billedMs = 300;
        summarizeRuns(row, runs, prices, "x86_64");
        QCOMPARE(row.runs, 2);
        QCOMPARE(row.meanBilledMs, 200.0);
        QVERIFY(qFuzzyCompare(row.meanMs, (99.2 + 299.5) / 2));
        QVERIFY(qFuzzyCompare(row.costPerInvocation, byHand(200, 1024, kX86PerGbSecond)));
        // $0.0000035333 per invocation: 0.2e-6 + 0.2 s x 1 GB x 0.0000166667.
        QVERIFY(qFuzzyCompare(row.costPerInvocation, 0.0000035333400));

        // An estimate stands for the duration where nothing throttled the sandbox.
        runs[0].cpuMode = runs[1].cpuMode = CpuMode::Estimate;
        runs[0].estimatedMs = 1000;
        runs[1].estimatedMs = 3000;
        summarizeRuns(row, runs, prices, "arm64");
        QCOMPARE(row.meanMs, 2000.0);
        QVERIFY(qFuzzyCompare(row.costPerInvocation, byHand(200, 1024, kArmPerGbSecond)));
    }

    void ranksFromItsOwnNumbers() {
        MemorySweepResult result;
        auto row = [](int mb, double ms, double usd) {
            MemorySweepRow r;
            r.memoryMb = mb;
            r.runs = 1;
            r.meanMs = ms;
            r.costPerInvocation = usd;
            return r;
        };
        result.rows = {row(128, 900, 3e-6), row(512, 200, 2e-6), row(1024, 100, 2e-6),
                       row(3008, 60, 5e-6)};
        result.rows.push_back(row(4096, 10, 1e-7));
        result.rows.back().error = "timeout";  // failed sizes are not ranked
        rankSweep(result);
        QCOMPARE(result.cheapest, 2);  // a tie on cost goes to the faster
        QCOMPARE(result.fastest, 3);
    }

    void sweepsTheEngine() {
        TestEngine engine(fixture("cold_start/template.yaml"));
        MemorySweepOptions options;
        options.function = "PyCpuBound";
        options.event = kWork;
        options.memoryMb = {128, 512, 1769};
        options.runs = 2;
        const auto prices = LambdaPriceTable::loadDefault();
        int progressed = 0;
        const auto result = runMemorySweep(engine.engine(), options, prices, [&](int, int) {
            ++progressed;
            return true;
        });
        QVERIFY2(result.error.empty(), result.error.c_str());
        QCOMPARE(progressed, 9);
        QCOMPARE(result.architecture, std::string("arm64"));
        QCOMPARE(result.rows.size(), std::size_t{3});
        std::vector<double> means, costs;
        for (const auto& row : result.rows) {
            QVERIFY2(row.error.empty(), row.error.c_str());
            QCOMPARE(row.runs, 2);
            QVERIFY(row.cpuMode != CpuMode::Off);
            QVERIFY(row.coldMs > 0);
            means.push_back(row.meanMs);
            costs.push_back(row.costPerInvocation);
            QVERIFY(qFuzzyCompare(row.costPerInvocation,
                                  byHand(row.meanBilledMs, row.memoryMb, kArmPerGbSecond)));
        }
        const auto describeRows = [&] {
            QString text;
            for (const auto& row : result.rows)
                text += QStringLiteral("%1 MB: %2 ms; ").arg(row.memoryMb).arg(row.meanMs);
            return text;
        };
        QVERIFY2(means[0] > means[1] && means[1] > means[2], qPrintable(describeRows()));
        QCOMPARE(result.fastest, argmin(means));
        QCOMPARE(result.cheapest, argmin(costs));

        // Measurements at other sizes are not the function's own statistics.
        engine->store()->flush();
        const auto stats = coldStartStats(*engine->store(), engine.spec("PyCpuBound").functionName);
        QCOMPARE(stats.cold.count + stats.warm.count, std::int64_t{0});
    }

    void sweepsFromTheCommandLine() {
        QTemporaryDir dir;
        const auto event = fs::path(dir.path().toStdString()) / "event.json";
        writeFile(event, kWork);
        const QString fogbank = QStringLiteral(FOGBANK_BIN_DIR "/fogbank");
        const QStringList common{QStringLiteral("sweep"), QStringLiteral("PyCpuBound"),
                                 QStringLiteral("-t"),    q(fixture("cold_start/template.yaml")),
                                 QStringLiteral("-e"),    q(event)};
        const auto run = runProcess(
            fogbank, common + QStringList{QStringLiteral("--memory"), QStringLiteral("128,1769"),
                                          QStringLiteral("--runs"), QStringLiteral("1"),
                                          QStringLiteral("--format"), QStringLiteral("json")});
        QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
        const auto doc = json::parse(run.out.toStdString());
        const auto& sizes = doc["sizes"];
        QCOMPARE(sizes.size(), std::size_t{2});
        QCOMPARE(sizes[0]["memoryMb"].get<int>(), 128);
        QVERIFY2(sizes[0]["meanMs"].get<double>() > sizes[1]["meanMs"].get<double>(),
                 qPrintable(run.out));
        QCOMPARE(doc["fastestMemoryMb"].get<int>(), 1769);
        const bool smallCheaper = sizes[0]["costPerInvocation"].get<double>() <
                                  sizes[1]["costPerInvocation"].get<double>();
        QCOMPARE(doc["cheapestMemoryMb"].get<int>(), smallCheaper ? 128 : 1769);
        QCOMPARE(QString::fromStdString(doc["architecture"].get<std::string>()),
                 QStringLiteral("arm64"));

        const auto table = runProcess(
            fogbank, common + QStringList{QStringLiteral("--memory"), QStringLiteral("1769"),
                                          QStringLiteral("--runs"), QStringLiteral("1")});
        QVERIFY2(table.exitCode == 0, qPrintable(table.describe()));
        QVERIFY2(table.out.contains(QStringLiteral("Cheapest: 1769 MB")), qPrintable(table.out));
        QVERIFY2(table.out.contains(QStringLiteral("Fastest:  1769 MB")), qPrintable(table.out));

        const auto bad = runProcess(
            fogbank, common + QStringList{QStringLiteral("--memory"), QStringLiteral("128,lots")});
        QCOMPARE(bad.exitCode, 2);
        QVERIFY2(bad.err.contains(QStringLiteral("\"lots\"")), qPrintable(bad.describe()));
    }
};

QTEST_GUILESS_MAIN(MemorySweepTest)
#include "test_memory_sweep.moc"
