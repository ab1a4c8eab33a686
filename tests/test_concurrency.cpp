// Sandbox pools: ReservedConcurrentExecutions throttles as Lambda does, warm sandboxes are reused,
// one function's crash does not disturb another's running invocation, idle sandboxes are reaped.
#include "test_support.h"

#include <algorithm>
#include <set>

using namespace fbtest;

class ConcurrencyTest : public QObject {
    Q_OBJECT

  private:
    QTemporaryDir scratch_;

    QString goSignal(const char* name) { return scratch_.filePath(QString::fromLatin1(name)); }

  private slots:
    void initTestCase() {
        prepareTestEnvironment();
        QVERIFY(scratch_.isValid());
    }

    // NodeLimited has ReservedConcurrentExecutions: 2.
    void throttlesBeyondReservedConcurrency() {
        TestEngine engine(engineTemplate());
        std::vector<std::future<InvocationResult>> calls;
        for (int i = 0; i < 3; ++i)
            calls.push_back(engine.invokeAsync("NodeLimited", R"({"ms":700})"));
        std::vector<InvocationResult> results;
        for (auto& call : calls) results.push_back(await(std::move(call)));

        std::vector<InvocationResult> ok, throttled;
        for (auto& r : results) {
            if (r.status == InvocationStatus::Success)
                ok.push_back(r);
            else if (r.status == InvocationStatus::Throttled)
                throttled.push_back(r);
            else
                QFAIL(qPrintable(QStringLiteral("unexpected result: ") + describe(r)));
        }
        QCOMPARE(ok.size(), std::size_t(2));
        QCOMPARE(throttled.size(), std::size_t(1));

        const auto& t = throttled.front();
        QCOMPARE(q(t.errorType), QStringLiteral("TooManyRequestsException"));
        QCOMPARE(field(payloadOf(t), "/Reason"),
                 QStringLiteral("ReservedFunctionConcurrentInvocationLimitExceeded"));
        QVERIFY(t.logs.empty());  // nothing ran, nothing billed
        QCOMPARE(t.billedMs, std::int64_t(0));

        std::set<qint64> pids;
        for (auto& r : ok) {
            QVERIFY(r.cold);
            QCOMPARE(field(payloadOf(r), "/slept"), QStringLiteral("700"));
            pids.insert(intField(payloadOf(r), "/pid"));
        }
        QCOMPARE(pids.size(), std::size_t(2));
        QCOMPARE(engine.sandboxCount("NodeLimited"), 2);

        // Sequential calls reuse the two warm sandboxes and never start a third.
        for (int i = 0; i < 6; ++i) {
            const auto r = engine.invoke("NodeLimited", R"({"ms":5})");
            FB_EXPECT_OK(r);
            QVERIFY2(!r.cold, qPrintable(describe(r)));
            QVERIFY(pids.count(intField(payloadOf(r), "/pid")) == 1);
            QVERIFY(engine.sandboxCount("NodeLimited") <= 2);
        }

        // And two at a time fit.
        auto a = engine.invokeAsync("NodeLimited", R"({"ms":200})");
        auto b = engine.invokeAsync("NodeLimited", R"({"ms":200})");
        const auto ra = await(std::move(a));
        const auto rb = await(std::move(b));
        FB_EXPECT_OK(ra);
        FB_EXPECT_OK(rb);
        QVERIFY(!ra.cold && !rb.cold);
        QVERIFY(intField(payloadOf(ra), "/pid") != intField(payloadOf(rb), "/pid"));
    }

    // NodeCrash kills its runtime while NodeOther is mid-invocation (held by a go signal, so that
    // nothing depends on timing): NodeOther finishes normally in its own warm sandbox.
    void aCrashDoesNotDisturbOtherFunctions() {
        TestEngine engine(engineTemplate());
        const auto warm = engine.invoke("NodeOther");
        FB_EXPECT_OK(warm);
        const qint64 otherPid = intField(payloadOf(warm), "/pid");

        const QString go = goSignal("go-crash");
        auto running =
            engine.invokeAsync("NodeOther", json{{"waitFor", go.toStdString()}, {"ms", 1}}.dump());

        const auto crashed = engine.invoke("NodeCrash");
        FB_EXPECT_STATUS(crashed, RuntimeExit);
        QVERIFY2(field(payloadOf(crashed), "/errorMessage")
                     .endsWith(QStringLiteral("Runtime exited with error: exit status 7")),
                 qPrintable(q(crashed.payload)));
        QVERIFY2(running.wait_for(std::chrono::seconds(0)) == std::future_status::timeout,
                 "NodeOther finished before its go signal");
        QCOMPARE(engine.sandboxCount("NodeOther"), 1);
        QVERIFY(processAlive(otherPid));

        writeFile(go.toStdString(), "go");
        const auto other = await(std::move(running));
        FB_EXPECT_OK(other);
        QVERIFY(!other.cold);
        QCOMPARE(intField(payloadOf(other), "/pid"), otherPid);
        QVERIFY2(findLine(other, QStringLiteral("waiting for ") + go, true) >= 0,
                 qPrintable(describe(other)));
        QVERIFY2(findLine(other, QStringLiteral("crashing"), true) < 0,
                 qPrintable(describe(other)));

        FB_EXPECT_OK(engine.invoke("NodeOther"));
        QCOMPARE(engine.sandboxCount("NodeCrash"), 0);
    }

    // Many functions at once, each in its own pool.
    void functionsRunSideBySide() {
        TestEngine engine(engineTemplate());
        auto limited = engine.invokeAsync("NodeLimited", R"({"ms":300})");
        auto other = engine.invokeAsync("NodeOther", R"({"ms":300})");
        auto python = engine.invokeAsync("PyShort", R"({"ms":300})");
        for (auto* f : {&limited, &other, &python}) {
            const auto r = await(std::move(*f));
            FB_EXPECT_OK(r);
            QCOMPARE(field(payloadOf(r), "/slept"), QStringLiteral("300"));
        }
        QCOMPARE(engine.sandboxCount("NodeLimited"), 1);
        QCOMPARE(engine.sandboxCount("NodeOther"), 1);
        QCOMPARE(engine.sandboxCount("PyShort"), 1);
    }

    void idleSandboxesAreReaped() {
        TestEngine engine(engineTemplate(), [](EngineConfig& config) {
            config.idleTimeout = std::chrono::milliseconds(300);
        });
        const auto first = engine.invoke("NodeOther");
        FB_EXPECT_OK(first);
        QVERIFY(first.cold);
        const qint64 pid = intField(payloadOf(first), "/pid");

        QTRY_COMPARE_WITH_TIMEOUT(engine.sandboxCount("NodeOther"), 0, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(!processAlive(pid), 10000);

        const auto next = engine.invoke("NodeOther");
        FB_EXPECT_OK(next);
        QVERIFY(next.cold);
        QVERIFY(intField(payloadOf(next), "/pid") != pid);
    }

    // A sandbox in use is not reaped, however long the invocation takes.
    void busySandboxesAreNotReaped() {
        TestEngine engine(engineTemplate(), [](EngineConfig& config) {
            config.idleTimeout = std::chrono::milliseconds(200);
        });
        const auto r = engine.invoke("NodeOther", R"({"ms":1500})");
        FB_EXPECT_OK(r);
        QCOMPARE(field(payloadOf(r), "/slept"), QStringLiteral("1500"));
    }
};

QTEST_GUILESS_MAIN(ConcurrencyTest)
#include "test_concurrency.moc"
