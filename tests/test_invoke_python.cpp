// Python functions through the engine, in a real python3, with the fixtures' real handlers: the
// same contract as the Node tests (context, environment, cold/warm, framing, errors, timeouts,
// exits, memory, init errors), plus Python's logging format and the choice of interpreter.
#include "test_support.h"

using namespace fbtest;

namespace {

// Where an interpreter really lives (through pyenv shims and symlinks), as the engine reports it.
QString realExecutable(const QString& python) {
    const Run run = runProcess(
        python, {QStringLiteral("-c"), QStringLiteral("import sys; print(sys.executable)")});
    return run.exitCode == 0 ? run.out.trimmed() : QString();
}

}  // namespace

class InvokePythonTest : public QObject {
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
        const auto r = engine().invoke("PyEcho", R"({"hello":"world","n":42,"list":[1,2]})");
        FB_EXPECT_OK(r);
        const json body = payloadOf(r);
        QCOMPARE(field(body, "/event"), QStringLiteral(R"({"hello":"world","list":[1,2],"n":42})"));
        QCOMPARE(field(body, "/context/function_name"), QStringLiteral("PyEcho"));
        QCOMPARE(field(body, "/context/function_version"), QStringLiteral("$LATEST"));
        QCOMPARE(field(body, "/context/memory_limit_in_mb"), QStringLiteral("128"));
        QCOMPARE(field(body, "/context/invoked_function_arn"),
                 QStringLiteral("arn:aws:lambda:us-east-1:000000000000:function:PyEcho"));
        QCOMPARE(field(body, "/context/aws_request_id"), q(r.requestId));
        QCOMPARE(field(body, "/context/log_group_name"), QStringLiteral("/aws/lambda/PyEcho"));
        const qint64 remaining = intField(body, "/context/remaining_ms");
        QVERIFY2(remaining > 0 && remaining <= 3000, qPrintable(QString::number(remaining)));
    }

    void seesLambdaEnvironment() {
        const auto r = engine().invoke("PyEcho");
        FB_EXPECT_OK(r);
        const json body = payloadOf(r);
        FB_CHECK(checkEnvironment(body["env"], engine(), "PyEcho", r));
        QCOMPARE(canonical(field(body, "/cwd")), canonical(q(engine().spec("PyEcho").codeUri)));
    }

    void coldThenWarm() {
        const auto cold = engine().invoke("PyEcho");
        FB_EXPECT_OK(cold);
        QVERIFY(cold.cold);
        FB_CHECK(checkBilling(cold));
        FB_CHECK(checkLogFraming(cold, QStringLiteral("echo called")));

        const auto warm = engine().invoke("PyEcho");
        FB_EXPECT_OK(warm);
        QVERIFY(!warm.cold);
        QCOMPARE(warm.initMs, 0.0);
        FB_CHECK(checkBilling(warm));
        FB_CHECK(checkLogFraming(warm, QStringLiteral("echo called")));
        QCOMPARE(intField(payloadOf(warm), "/pid"), intField(payloadOf(cold), "/pid"));
        QCOMPARE(engine().sandboxCount("PyEcho"), 1);
    }

    // By default: Debian's /usr/bin/python3 (it has boto3, like Lambda's image), named in
    // INIT_START and in the result as the executable that really ran.
    void namesTheInterpreter() {
        const auto r = engine().invoke("PyEcho");
        FB_EXPECT_OK(r);
        const QString executable = field(payloadOf(r), "/executable");
        if (QFileInfo::exists(QStringLiteral("/usr/bin/python3")))
            QCOMPARE(executable, realExecutable(QStringLiteral("/usr/bin/python3")));
        QVERIFY2(q(r.interpreter).startsWith(executable + QStringLiteral(" (Python 3.")),
                 qPrintable(q(r.interpreter)));
        QCOMPARE(lineStartingWith(r, QStringLiteral("INIT_START ")),
                 QStringLiteral("INIT_START Runtime Version: python3.11\tInterpreter: ") +
                     q(r.interpreter));
    }

    // EngineConfig::python picks another interpreter; the result names the one that really ran.
    void configuredInterpreter() {
        const QString python = QStandardPaths::findExecutable(QStringLiteral("python3"));
        if (python.isEmpty()) QSKIP("no python3 on PATH");
        const QString real = realExecutable(python);
        QVERIFY2(!real.isEmpty(), qPrintable(python + " does not run"));
        if (real == realExecutable(QStringLiteral("/usr/bin/python3")))
            QSKIP("python3 on PATH is /usr/bin/python3");

        TestEngine own(functionsTemplate(),
                       [&](EngineConfig& config) { config.python = python.toStdString(); });
        const auto r = own.invoke("PyEcho");
        FB_EXPECT_OK(r);
        QCOMPARE(field(payloadOf(r), "/executable"), real);
        QVERIFY2(q(r.interpreter).startsWith(real + QStringLiteral(" (Python ")),
                 qPrintable(q(r.interpreter)));
        QVERIFY2(lineStartingWith(r, QStringLiteral("INIT_START ")).contains(real),
                 qPrintable(describe(r)));
    }

    void raisedErrorHasLambdasShape() {
        const auto r = engine().invoke("PyThrow", R"({"field":"email"})");
        FB_EXPECT_STATUS(r, FunctionError);
        QCOMPARE(q(r.errorType), QStringLiteral("ValueError"));
        const json body = payloadOf(r);
        QCOMPARE(field(body, "/errorType"), QStringLiteral("ValueError"));
        QCOMPARE(field(body, "/errorMessage"), QStringLiteral("bad input: email"));
        QVERIFY2(body.contains("stackTrace") && body["stackTrace"].is_array() &&
                     !body["stackTrace"].empty(),
                 qPrintable(q(r.payload)));
        // The user's frames only, as awslambdaric shows them.
        const QString trace = field(body, "/stackTrace");
        QVERIFY2(trace.contains(QStringLiteral("throw.py")), qPrintable(trace));
        QVERIFY2(trace.contains(QStringLiteral("in lambda_handler")), qPrintable(trace));
        QVERIFY2(!trace.contains(QStringLiteral("bootstrap.py")), qPrintable(trace));
        QVERIFY2(findLine(r, QStringLiteral("[ERROR] ValueError: bad input: email")) >= 0,
                 qPrintable(describe(r)));
        FB_CHECK(checkLogFraming(r));

        const auto again = engine().invoke("PyThrow", R"({"field":"name"})");
        FB_EXPECT_STATUS(again, FunctionError);
        QVERIFY(!again.cold);
    }

    void timeoutKillsTheSandbox() {
        const auto r = engine().invoke("PySleep", R"({"ms":2000})");
        FB_EXPECT_STATUS(r, Timeout);
        QCOMPARE(q(r.errorType), QStringLiteral("Sandbox.Timedout"));
        QVERIFY2(field(payloadOf(r), "/errorMessage")
                     .endsWith(QStringLiteral("Task timed out after 1.00 seconds")),
                 qPrintable(q(r.payload)));
        QVERIFY2(r.durationMs >= 1000, qPrintable(QString::number(r.durationMs)));
        QVERIFY(r.end - r.start >= std::chrono::milliseconds(1000));
        QVERIFY2(logLines(r).last().endsWith(QStringLiteral("\tStatus: timeout")),
                 qPrintable(describe(r)));

        const auto next = engine().invoke("PySleep", R"({"ms":10})");
        FB_EXPECT_OK(next);
        QVERIFY(next.cold);
        QVERIFY(next.sandboxId != r.sandboxId);
    }

    void timeoutReplacesTheProcess() {
        TestEngine own(engineTemplate());
        const auto warmup = own.invoke("PyShort", R"({"ms":1})");
        FB_EXPECT_OK(warmup);
        const qint64 oldPid = intField(payloadOf(warmup), "/pid");
        QVERIFY(processAlive(oldPid));

        const auto timedOut = own.invoke("PyShort", R"({"ms":3000})");
        FB_EXPECT_STATUS(timedOut, Timeout);
        QTRY_VERIFY_WITH_TIMEOUT(!processAlive(oldPid), 10000);

        const auto next = own.invoke("PyShort", R"({"ms":1})");
        FB_EXPECT_OK(next);
        QVERIFY(next.cold);
        const qint64 newPid = intField(payloadOf(next), "/pid");
        QVERIFY(newPid > 0 && newPid != oldPid);
    }

    void sysExitIsARuntimeExit() {
        const auto r = engine().invoke("PyExit");
        FB_EXPECT_STATUS(r, RuntimeExit);
        QCOMPARE(q(r.errorType), QStringLiteral("Runtime.ExitError"));
        QVERIFY2(field(payloadOf(r), "/errorMessage")
                     .endsWith(QStringLiteral("Runtime exited with error: exit status 2")),
                 qPrintable(q(r.payload)));
        QVERIFY2(findLine(r, QStringLiteral("exiting with status 2"), true) >= 0,
                 qPrintable(describe(r)));
        QTRY_COMPARE_WITH_TIMEOUT(engine().sandboxCount("PyExit"), 0, 10000);

        const auto next = engine().invoke("PyExit");
        FB_EXPECT_STATUS(next, RuntimeExit);
        QVERIFY(next.cold);
        FB_EXPECT_OK(engine().invoke("PyEcho"));
    }

    void memoryOverTheLimitIsKilled() {
        const auto r = engine().invoke("PyHog", R"({"mb":200,"holdMs":1000})");
        FB_EXPECT_STATUS(r, OutOfMemory);
        QCOMPARE(q(r.errorType), QStringLiteral("Runtime.OutOfMemory"));
        QVERIFY2(r.maxMemoryUsedMb >= 128, qPrintable(QString::number(r.maxMemoryUsedMb)));

        const auto small = engine().invoke("PyHog", R"({"mb":16})");
        FB_EXPECT_OK(small);
        QVERIFY(small.cold);
        QCOMPARE(intField(payloadOf(small), "/bytes"), qint64(16) * 1024 * 1024);
        QVERIFY2(small.maxMemoryUsedMb > 16 && small.maxMemoryUsedMb < 128,
                 qPrintable(QString::number(small.maxMemoryUsedMb)));
    }

    // The root logger writes "[LEVEL]\tISO time\trequest id\tmessage", as on Lambda.
    void loggingModuleFormat() {
        const auto r = engine().invoke("PyLogging");
        FB_EXPECT_OK(r);
        QCOMPARE(q(r.payload), QStringLiteral(R"("ok")"));
        const QString line = lineStartingWith(r, QStringLiteral("[INFO]"));
        QVERIFY2(QRegularExpression(
                     QStringLiteral(
                         "^\\[INFO\\]\\t\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z\\t") +
                     QRegularExpression::escape(q(r.requestId)) +
                     QStringLiteral("\\thello from logging$"))
                     .match(line)
                     .hasMatch(),
                 qPrintable(describe(r)));
        FB_CHECK(checkLogFraming(r, QStringLiteral("hello from logging")));
    }

    void importErrorIsAnInitError() {
        TestEngine own(engineTemplate());
        const auto r = own.invoke("PyBadImport");
        FB_EXPECT_STATUS(r, InitError);
        QCOMPARE(q(r.errorType), QStringLiteral("Runtime.ImportModuleError"));
        QVERIFY(r.cold);
        QVERIFY2(field(payloadOf(r), "/errorMessage")
                     .startsWith(QStringLiteral("Unable to import module 'bad_import': ")),
                 qPrintable(q(r.payload)));
        QVERIFY2(field(payloadOf(r), "/errorMessage")
                     .contains(QStringLiteral("fogbank_fixture_module_that_does_not_exist")),
                 qPrintable(q(r.payload)));
        QVERIFY2(lineStartingWith(r, QStringLiteral("INIT_REPORT "))
                     .contains(QStringLiteral("Error Type: Runtime.ImportModuleError")),
                 qPrintable(describe(r)));
    }
};

QTEST_GUILESS_MAIN(InvokePythonTest)
#include "test_invoke_python.moc"
