// A cold start's init split into process start, runtime start and module load, with real Node and
// Python sandboxes: the parts are there and add up to no more than the init, a handler that
// spends 300 ms loading shows it in the module part, a custom runtime reports none, the store
// keeps the parts (and still opens a database made before it had them), `fogbank stats` prints
// them, and pre-warmed sandboxes are told apart from on-demand ones.
#include "emulator/storage/sqlite.h"
#include "emulator/trace/cold_start_stats.h"
#include "emulator/trace/invocation_store.h"

#include "test_support.h"

using namespace fbtest;
using namespace fogbank;

namespace {

fs::path coldStartTemplate() {
    return fixture("cold_start/template.yaml");
}

// The slow fixtures sleep 300 ms at load; clocks and rounding may shave a little off.
constexpr double kSlowLoadMs = 290;

void checkParts(const InvocationResult& result) {
    QVERIFY2(result.ok(), qPrintable(describe(result)));
    QVERIFY2(result.cold, qPrintable(describe(result)));
    QVERIFY2(result.initParts.has_value(), qPrintable(describe(result)));
    const auto& p = *result.initParts;
    QVERIFY(p.processMs >= 0 && p.runtimeMs >= 0 && p.moduleMs >= 0);
    const double sum = p.processMs + p.runtimeMs + p.moduleMs;
    QVERIFY2(sum <= result.initMs + 0.001, qPrintable(QStringLiteral("%1 + %2 + %3 > init %4")
                                                          .arg(p.processMs)
                                                          .arg(p.runtimeMs)
                                                          .arg(p.moduleMs)
                                                          .arg(result.initMs)));
    // An interpreter takes some time to start; a zero would mean the runtime's clock was lost.
    QVERIFY2(p.runtimeMs > 0, qPrintable(describe(result)));
}

}  // namespace

class InitBreakdownTest : public QObject {
    Q_OBJECT
  private slots:
    void initTestCase() { prepareTestEnvironment(); }

    void partsOfEachRuntime_data() {
        QTest::addColumn<QString>("plain");
        QTest::addColumn<QString>("slow");
        QTest::newRow("node") << "NodePlain"
                              << "NodeSlowImport";
        QTest::newRow("python") << "PyPlain"
                                << "PySlowImport";
    }

    void partsOfEachRuntime() {
        QFETCH(QString, plain);
        QFETCH(QString, slow);
        QTemporaryDir state;
        TestEngine engine(coldStartTemplate(),
                          [&](EngineConfig& c) { c.stateDir = state.path().toStdString(); });
        const auto quick = engine.invoke(plain.toStdString());
        FB_CHECK(checkParts(quick));
        const auto loaded = engine.invoke(slow.toStdString());
        FB_CHECK(checkParts(loaded));
        QVERIFY2(loaded.initParts->moduleMs >= kSlowLoadMs, qPrintable(describe(loaded)));
        QVERIFY2(loaded.initParts->moduleMs > quick.initParts->moduleMs + 200,
                 qPrintable(QStringLiteral("module load %1 ms (slow) vs %2 ms (plain)")
                                .arg(loaded.initParts->moduleMs)
                                .arg(quick.initParts->moduleMs)));

        // Warm: nothing was initialised, so there are no parts.
        const auto warm = engine.invoke(plain.toStdString());
        QVERIFY2(warm.ok() && !warm.cold, qPrintable(describe(warm)));
        QVERIFY(!warm.initParts);

        // Kept as they were measured.
        auto* store = engine->store();
        store->flush();
        const auto stored = store->find(loaded.requestId);
        QVERIFY(stored && stored->initParts);
        QCOMPARE(stored->initParts->moduleMs, loaded.initParts->moduleMs);
        QCOMPARE(stored->initParts->runtimeMs, loaded.initParts->runtimeMs);
        QCOMPARE(stored->initParts->processMs, loaded.initParts->processMs);
        QVERIFY(!store->find(warm.requestId)->initParts);

        // Summed up per function for the stats and the Cold starts tab.
        const auto stats = coldStartStats(*store, engine.spec(slow.toStdString()).functionName);
        QCOMPARE(stats.initModule.count, std::int64_t{1});
        QCOMPARE(stats.initModule.p50, loaded.initParts->moduleMs);
        QVERIFY(stats.inits.back().parts.has_value());

        // And printed by `fogbank stats`, from the same state folder.
        engine->stop();
        const auto run =
            runProcess(QStringLiteral(FOGBANK_BIN_DIR "/fogbank"),
                       {QStringLiteral("stats"), QStringLiteral("-t"), q(coldStartTemplate()),
                        QStringLiteral("--state-dir"), state.path(), slow,
                        QStringLiteral("--format"), QStringLiteral("json")});
        QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
        const auto doc = json::parse(run.out.toStdString());
        const auto& module = doc["functions"][0]["initParts"]["module"];
        QCOMPARE(module["count"].get<int>(), 1);
        QVERIFY(module["p50"].get<double>() >= kSlowLoadMs);
        QVERIFY(doc["functions"][0]["inits"][0].contains("parts"));
        const auto table =
            runProcess(QStringLiteral(FOGBANK_BIN_DIR "/fogbank"),
                       {QStringLiteral("stats"), QStringLiteral("-t"), q(coldStartTemplate()),
                        QStringLiteral("--state-dir"), state.path(), slow});
        QVERIFY2(table.exitCode == 0, qPrintable(table.describe()));
        QVERIFY2(table.out.contains(QStringLiteral("INIT BREAKDOWN")), qPrintable(table.out));
    }

    void customRuntimesReportNoParts() {
        TestEngine engine(functionsTemplate());
        const auto result = engine.invoke("BashProvided", R"({"n": 1})");
        QVERIFY2(result.ok() && result.cold, qPrintable(describe(result)));
        QVERIFY(result.initMs > 0);
        QVERIFY(!result.initParts);
    }

    void databasesFromBeforeThePartsStillOpen() {
        QTemporaryDir dir;
        const fs::path root = dir.path().toStdString();
        {
            // The schema as it was before the init parts, CPU mode and pre-warming columns.
            Database old(root / "fogbank.db");
            old.exec(
                "CREATE TABLE invocations (seq INTEGER PRIMARY KEY AUTOINCREMENT, request_id TEXT "
                "NOT NULL UNIQUE, function TEXT NOT NULL, trigger TEXT NOT NULL, status TEXT NOT "
                "NULL, error_type TEXT, event TEXT, response TEXT, logs TEXT, start_us INTEGER NOT "
                "NULL, end_us INTEGER NOT NULL, init_ms REAL, duration_ms REAL, billed_ms "
                "INTEGER, memory_mb INTEGER, max_memory_mb INTEGER, cold INTEGER, sandbox_id "
                "TEXT, interpreter TEXT, trace_header TEXT, trace_root TEXT, span_id TEXT, "
                "parent_span_id TEXT, architecture TEXT, cost_usd REAL);"
                "INSERT INTO invocations (request_id, function, trigger, status, logs, start_us, "
                "end_us, init_ms, duration_ms, billed_ms, memory_mb, cold) VALUES ('old-1', 'Fn', "
                "'manual', 'success', '[]', 1, 2, 120.5, 3, 124, 128, 1);");
        }
        InvocationStore store(root);
        const auto old = store.find("old-1");
        QVERIFY(old.has_value());
        QCOMPARE(old->initMs, 120.5);
        QVERIFY(!old->initParts);
        QCOMPARE(old->cpuMode, CpuMode::Off);
        QCOMPARE(old->cpuMs, -1.0);
        QVERIFY(!old->provisioned);

        InvocationResult fresh;
        fresh.requestId = "new-1";
        fresh.function = "Fn";
        fresh.cold = true;
        fresh.initMs = 50;
        fresh.initParts = InitBreakdown{10, 25, 15};
        fresh.provisioned = true;
        fresh.cpuMode = CpuMode::Estimate;
        fresh.cpuMs = 7.5;
        fresh.estimatedMs = 99;
        fresh.start = fresh.end = Clock::now();
        store.record(fresh, [](InvocationResult) {});
        store.flush();
        const auto back = store.find("new-1");
        QVERIFY(back && back->initParts);
        QCOMPARE(back->initParts->processMs, 10.0);
        QCOMPARE(back->initParts->runtimeMs, 25.0);
        QCOMPARE(back->initParts->moduleMs, 15.0);
        QVERIFY(back->provisioned);
        QCOMPARE(back->cpuMode, CpuMode::Estimate);
        QCOMPARE(back->cpuMs, 7.5);
        QCOMPARE(back->estimatedMs, 99.0);
    }

    void prewarmedSandboxesAreToldApart() {
        TestEngine engine(coldStartTemplate(), [](EngineConfig& c) { c.prewarm["NodePlain"] = 1; });
        const auto name = engine.spec("NodePlain").functionName;
        QTRY_COMPARE_WITH_TIMEOUT(engine.sandboxCount(name), 1, 60000);
        // The second call is warm whether or not the first found the sandbox still starting.
        engine.invoke("NodePlain");
        const auto warm = engine.invoke("NodePlain");
        QVERIFY2(warm.ok() && !warm.cold, qPrintable(describe(warm)));
        QVERIFY(warm.provisioned);
        QCOMPARE(field(payloadOf(warm), "/initializationType"),
                 QStringLiteral("provisioned-concurrency"));

        // Not pre-warmed: on demand, as Lambda says.
        const auto onDemand = engine.invoke("PyPlain");
        QVERIFY2(onDemand.ok() && onDemand.cold, qPrintable(describe(onDemand)));
        QVERIFY(!onDemand.provisioned);
        QCOMPARE(field(payloadOf(onDemand), "/initializationType"), QStringLiteral("on-demand"));

        engine->store()->flush();
        const auto stats = coldStartStats(*engine->store(), name);
        QVERIFY(stats.provisioned.count >= 1);
        QCOMPARE(stats.warm.count, std::int64_t{0});
    }
};

QTEST_GUILESS_MAIN(InitBreakdownTest)
#include "test_init_breakdown.moc"
