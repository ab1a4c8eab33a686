// Node.js functions through the engine, in the real node, with the fixtures' real handlers: what
// the handler sees (event, context, environment), what the caller gets back (payload, errors in
// Lambda's shape), and what Lambda's platform does around it (cold/warm, billing, log framing,
// timeouts, exits, memory limit, init errors).
#include "test_support.h"

using namespace fbtest;

class InvokeNodeTest : public QObject {
    Q_OBJECT

  private:
    std::unique_ptr<TestEngine> engine_;

    TestEngine& engine() { return *engine_; }

  private slots:
    void initTestCase() { prepareTestEnvironment(); }
    // A fresh engine per test: each one starts with no warm sandbox.
    void init() { engine_ = std::make_unique<TestEngine>(functionsTemplate()); }
    void cleanup() { engine_.reset(); }

    void echoesEventAndContext() {
        const auto r = engine().invoke("NodeEcho", R"({"hello":"world","n":42,"list":[1,2]})");
        FB_EXPECT_OK(r);
        const json body = payloadOf(r);
        QCOMPARE(field(body, "/event"), QStringLiteral(R"({"hello":"world","list":[1,2],"n":42})"));
        QCOMPARE(field(body, "/context/functionName"), QStringLiteral("NodeEcho"));
        QCOMPARE(field(body, "/context/functionVersion"), QStringLiteral("$LATEST"));
        QCOMPARE(field(body, "/context/memoryLimitInMB"), QStringLiteral("128"));
        QCOMPARE(field(body, "/context/invokedFunctionArn"),
                 QStringLiteral("arn:aws:lambda:us-east-1:000000000000:function:NodeEcho"));
        QCOMPARE(field(body, "/context/awsRequestId"), q(r.requestId));
        QCOMPARE(field(body, "/context/logGroupName"), QStringLiteral("/aws/lambda/NodeEcho"));
        const qint64 remaining = intField(body, "/context/remainingMs");
        QVERIFY2(remaining > 0 && remaining <= 3000, qPrintable(QString::number(remaining)));
        QCOMPARE(q(r.function), QStringLiteral("NodeEcho"));
        QCOMPARE(q(r.event), QStringLiteral(R"({"hello":"world","n":42,"list":[1,2]})"));
        QCOMPARE(r.memorySizeMb, 128);
    }

    void seesLambdaEnvironment() {
        const auto r = engine().invoke("NodeEcho");
        FB_EXPECT_OK(r);
        const json body = payloadOf(r);
        FB_CHECK(checkEnvironment(body["env"], engine(), "NodeEcho", r));
        // The working directory is the code's folder, as /var/task is on Lambda.
        QCOMPARE(canonical(field(body, "/cwd")), canonical(q(engine().spec("NodeEcho").codeUri)));
    }

    void coldThenWarm() {
        const auto cold = engine().invoke("NodeEcho");
        FB_EXPECT_OK(cold);
        QVERIFY(cold.cold);
        FB_CHECK(checkBilling(cold));

        const auto warm = engine().invoke("NodeEcho");
        FB_EXPECT_OK(warm);
        QVERIFY(!warm.cold);
        QCOMPARE(warm.initMs, 0.0);
        FB_CHECK(checkBilling(warm));
        QCOMPARE(intField(payloadOf(warm), "/pid"), intField(payloadOf(cold), "/pid"));
        QCOMPARE(q(warm.sandboxId), q(cold.sandboxId));
        QVERIFY(warm.requestId != cold.requestId);
        QVERIFY(warm.traceRoot != cold.traceRoot);
        QCOMPARE(engine().sandboxCount("NodeEcho"), 1);
    }

    void logsAreFramedAsLambdaFramesThem() {
        const auto cold = engine().invoke("NodeEcho");
        FB_EXPECT_OK(cold);
        FB_CHECK(checkLogFraming(cold, QStringLiteral("echo called")));
        // console.log: ISO time, request id, level, message.
        const QString line = logLines(cold).at(findLine(cold, QStringLiteral("echo called"), true));
        QVERIFY2(QRegularExpression(
                     QStringLiteral("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z\\t") +
                     QRegularExpression::escape(q(cold.requestId)) +
                     QStringLiteral("\\tINFO\\techo called$"))
                     .match(line)
                     .hasMatch(),
                 qPrintable(line));

        const auto warm = engine().invoke("NodeEcho");
        FB_EXPECT_OK(warm);
        FB_CHECK(checkLogFraming(warm, QStringLiteral("echo called")));
        QCOMPARE(findLine(warm, QStringLiteral("START RequestId: ") + q(cold.requestId)), -1);
    }

    void namesTheInterpreter() {
        const auto r = engine().invoke("NodeEcho");
        FB_EXPECT_OK(r);
        const QString node = QStandardPaths::findExecutable(QStringLiteral("node"));
        QVERIFY2(!node.isEmpty(), "node is not on PATH");
        const Run version = runProcess(node, {QStringLiteral("--version")});
        QCOMPARE(q(r.interpreter),
                 QStringLiteral("%1 (%2)").arg(canonical(node), version.out.trimmed()));
        QCOMPARE(lineStartingWith(r, QStringLiteral("INIT_START ")),
                 QStringLiteral("INIT_START Runtime Version: nodejs20.x\tInterpreter: ") +
                     q(r.interpreter));
    }

    void findsFunctionsByArn() {
        const auto r = engine().invoke("arn:aws:lambda:us-east-1:000000000000:function:NodeEcho");
        FB_EXPECT_OK(r);
        QCOMPARE(q(r.function), QStringLiteral("NodeEcho"));
    }

    void thrownErrorHasLambdasShape() {
        const auto r = engine().invoke("NodeThrow", R"({"field":"email"})");
        FB_EXPECT_STATUS(r, FunctionError);
        QCOMPARE(q(r.errorType), QStringLiteral("ValidationError"));
        const json body = payloadOf(r);
        QCOMPARE(field(body, "/errorType"), QStringLiteral("ValidationError"));
        QCOMPARE(field(body, "/errorMessage"), QStringLiteral("bad input: email"));
        // Node's runtime calls the stack "trace", one line per entry.
        QVERIFY2(body.contains("trace") && body["trace"].is_array() && !body["trace"].empty(),
                 qPrintable(q(r.payload)));
        QCOMPARE(field(body, "/trace/0"), QStringLiteral("ValidationError: bad input: email"));
        QVERIFY2(field(body, "/trace").contains(QStringLiteral("throw.js")),
                 qPrintable(q(r.payload)));
        QVERIFY2(findLine(r, QStringLiteral("\tERROR\tInvoke Error "), true) >= 0,
                 qPrintable(describe(r)));
        FB_CHECK(checkLogFraming(r));

        // A handled error leaves the sandbox warm, as on Lambda.
        const auto again = engine().invoke("NodeThrow", R"({"field":"name"})");
        FB_EXPECT_STATUS(again, FunctionError);
        QVERIFY(!again.cold);
        QCOMPARE(field(payloadOf(again), "/errorMessage"), QStringLiteral("bad input: name"));
    }

    void timeoutKillsTheSandbox() {
        const auto r = engine().invoke("NodeSleep", R"({"ms":2000})");
        FB_EXPECT_STATUS(r, Timeout);
        QCOMPARE(q(r.errorType), QStringLiteral("Sandbox.Timedout"));
        QVERIFY2(field(payloadOf(r), "/errorMessage")
                     .endsWith(QStringLiteral("Task timed out after 1.00 seconds")),
                 qPrintable(q(r.payload)));
        QVERIFY2(r.durationMs >= 1000, qPrintable(QString::number(r.durationMs)));
        QVERIFY(r.end - r.start >= std::chrono::milliseconds(1000));
        QVERIFY2(findLine(r, q(r.requestId) + QStringLiteral(" Task timed out after 1.00 seconds"),
                          true) >= 0,
                 qPrintable(describe(r)));
        QVERIFY2(logLines(r).last().endsWith(QStringLiteral("\tStatus: timeout")),
                 qPrintable(describe(r)));

        const auto next = engine().invoke("NodeSleep", R"({"ms":10})");
        FB_EXPECT_OK(next);
        QVERIFY(next.cold);
        QVERIFY(next.sandboxId != r.sandboxId);
        QCOMPARE(field(payloadOf(next), "/slept"), QStringLiteral("10"));
    }

    // The process of a timed-out sandbox is gone, and the next call runs in a new one.
    void timeoutReplacesTheProcess() {
        TestEngine own(engineTemplate());
        const auto warmup = own.invoke("NodeShort", R"({"ms":1})");
        FB_EXPECT_OK(warmup);
        const qint64 oldPid = intField(payloadOf(warmup), "/pid");
        QVERIFY(processAlive(oldPid));

        const auto timedOut = own.invoke("NodeShort", R"({"ms":3000})");
        FB_EXPECT_STATUS(timedOut, Timeout);
        QTRY_VERIFY_WITH_TIMEOUT(!processAlive(oldPid), 10000);

        const auto next = own.invoke("NodeShort", R"({"ms":1})");
        FB_EXPECT_OK(next);
        QVERIFY(next.cold);
        const qint64 newPid = intField(payloadOf(next), "/pid");
        QVERIFY(newPid > 0 && newPid != oldPid);
    }

    void processExitIsARuntimeExit() {
        const auto r = engine().invoke("NodeExit");
        FB_EXPECT_STATUS(r, RuntimeExit);
        QCOMPARE(q(r.errorType), QStringLiteral("Runtime.ExitError"));
        QVERIFY2(field(payloadOf(r), "/errorMessage")
                     .endsWith(QStringLiteral("Runtime exited with error: exit status 3")),
                 qPrintable(q(r.payload)));
        QVERIFY2(findLine(r, QStringLiteral("exiting with status 3"), true) >= 0,
                 qPrintable(describe(r)));
        QVERIFY2(logLines(r).last().endsWith(
                     QStringLiteral("\tStatus: error\tError Type: Runtime.ExitError")),
                 qPrintable(describe(r)));
        QTRY_COMPARE_WITH_TIMEOUT(engine().sandboxCount("NodeExit"), 0, 10000);

        // The next call gets a fresh sandbox, and the engine is unharmed.
        const auto next = engine().invoke("NodeExit");
        FB_EXPECT_STATUS(next, RuntimeExit);
        QVERIFY(next.cold);
        QVERIFY(next.sandboxId != r.sandboxId);
        FB_EXPECT_OK(engine().invoke("NodeEcho"));
    }

    void memoryOverTheLimitIsKilled() {
        const auto r = engine().invoke("NodeHog", R"({"mb":200,"holdMs":1000})");
        FB_EXPECT_STATUS(r, OutOfMemory);
        QCOMPARE(q(r.errorType), QStringLiteral("Runtime.OutOfMemory"));
        QVERIFY2(r.maxMemoryUsedMb >= 128, qPrintable(QString::number(r.maxMemoryUsedMb)));
        QVERIFY2(logLines(r).last().contains(QStringLiteral("Error Type: Runtime.OutOfMemory")),
                 qPrintable(describe(r)));

        const auto small = engine().invoke("NodeHog", R"({"mb":16})");
        FB_EXPECT_OK(small);
        QVERIFY(small.cold);  // the killed sandbox is not reused
        QCOMPARE(intField(payloadOf(small), "/bytes"), qint64(16) * 1024 * 1024);
        QVERIFY2(small.maxMemoryUsedMb > 16 && small.maxMemoryUsedMb < 128,
                 qPrintable(QString::number(small.maxMemoryUsedMb)));
    }

    void esModuleHandler() {
        const auto r = engine().invoke("NodeEsm", R"({"k":"v"})");
        FB_EXPECT_OK(r);
        QCOMPARE(q(r.payload), QStringLiteral(R"({"esm":true,"event":{"k":"v"}})"));
    }

    void callbackStyleHandler() {
        const auto ok = engine().invoke("NodeCallback", R"({"n":7})");
        FB_EXPECT_OK(ok);
        QCOMPARE(q(ok.payload), QStringLiteral(R"({"callback":true,"n":7})"));

        const auto failed = engine().invoke("NodeCallback", R"({"fail":true})");
        FB_EXPECT_STATUS(failed, FunctionError);
        QCOMPARE(q(failed.errorType), QStringLiteral("Error"));
        QCOMPARE(field(payloadOf(failed), "/errorMessage"), QStringLiteral("cb failed"));
        QVERIFY(!failed.cold);
    }

    void importErrorIsAnInitError() {
        const auto r = engine().invoke("NodeBadImport");
        FB_EXPECT_STATUS(r, InitError);
        QCOMPARE(q(r.errorType), QStringLiteral("Runtime.ImportModuleError"));
        QVERIFY(r.cold);
        QVERIFY2(field(payloadOf(r), "/errorMessage")
                     .contains(QStringLiteral("fogbank-fixture-module-that-does-not-exist")),
                 qPrintable(q(r.payload)));
        QVERIFY2(lineStartingWith(r, QStringLiteral("INIT_REPORT "))
                     .contains(QStringLiteral("Error Type: Runtime.ImportModuleError")),
                 qPrintable(describe(r)));
        QVERIFY2(
            logLines(r).last().startsWith(QStringLiteral("REPORT RequestId: ") + q(r.requestId)),
            qPrintable(describe(r)));
    }

    void unknownFunctionIsNotFound() {
        const auto r = engine().invoke("NoSuchFunction");
        FB_EXPECT_STATUS(r, NotFound);
        QCOMPARE(q(r.errorType), QStringLiteral("ResourceNotFoundException"));
        QVERIFY2(q(r.payload).contains(QStringLiteral("NoSuchFunction")), qPrintable(q(r.payload)));
        QVERIFY(!r.requestId.empty());
        QVERIFY(r.logs.empty());  // nothing ran
        QCOMPARE(r.billedMs, std::int64_t(0));
    }
};

QTEST_GUILESS_MAIN(InvokeNodeTest)
#include "test_invoke_node.moc"
