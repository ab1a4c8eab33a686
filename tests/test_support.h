// Helpers shared by the engine's behaviour tests: an engine over a fixture template with its state
// in a temporary folder, invocations with a generous deadline, JSON and log access, the checks
// that every runtime must pass (environment, log framing, billing), and child processes.
#pragma once

#include "emulator/engine.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>
#include <QtTest>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <string>

namespace fbtest {

namespace fs = std::filesystem;
using fogbank::EngineConfig;
using fogbank::InvocationResult;
using fogbank::InvocationStatus;
using nlohmann::json;

inline QString q(const std::string& s) {
    return QString::fromStdString(s);
}
inline QString q(const fs::path& p) {
    return QString::fromStdString(p.string());
}

inline fs::path fixture(const std::string& relative) {
    return fs::path(FOGBANK_FIXTURES) / relative;
}
// The runtime fixtures (NodeEcho, PyThrow, BashProvided, ...).
inline fs::path functionsTemplate() {
    return fixture("functions/template.yaml");
}
// These tests' own fixtures (NodeLimited, NodeShort, PyBadImport, ...).
inline fs::path engineTemplate() {
    return fixture("engine/template.yaml");
}

inline QString canonical(const QString& path) {
    const QString c = QFileInfo(path).canonicalFilePath();
    return c.isEmpty() ? path : c;
}

// Generous: a cold start under ASan on a loaded machine takes seconds, never a minute.
constexpr auto kInvokeDeadline = std::chrono::seconds(60);

// What a test gets when the engine never answers: a failure that says so, not a hang.
inline InvocationResult await(std::future<InvocationResult> future) {
    if (future.wait_for(kInvokeDeadline) != std::future_status::ready) {
        InvocationResult result;
        result.status = InvocationStatus::LaunchError;
        result.errorType = "Test.NoAnswer";
        result.payload = R"({"errorMessage":"the engine did not answer within 60 s"})";
        return result;
    }
    return future.get();
}

// An engine over `templatePath`, edge on an ephemeral port, recording into a temporary folder,
// started. `tweak` adjusts the config first.
class TestEngine {
  public:
    explicit TestEngine(const fs::path& templatePath,
                        const std::function<void(EngineConfig&)>& tweak = {}) {
        EngineConfig config;
        config.templatePath = templatePath;
        config.edgePort = 0;
        config.stateDir = state_.path().toStdString();
        if (tweak) tweak(config);
        engine_ = std::make_unique<fogbank::Engine>(std::move(config));
        engine_->start();
    }

    fogbank::Engine& engine() { return *engine_; }
    fogbank::Engine* operator->() { return engine_.get(); }

    std::future<InvocationResult> invokeAsync(const std::string& function,
                                              const std::string& payload = "{}") {
        fogbank::InvokeRequest request;
        request.function = function;
        request.payload = payload;
        return engine_->invoke(std::move(request));
    }
    InvocationResult invoke(const std::string& function, const std::string& payload = "{}") {
        return await(invokeAsync(function, payload));
    }

    // Warm sandboxes (idle + busy) of one function; 0 when it never ran.
    int sandboxCount(const std::string& function) {
        const auto counts = engine_->sandboxCounts();
        const auto it = counts.find(function);
        return it == counts.end() ? 0 : it->second;
    }

    const fogbank::FunctionSpec& spec(const std::string& function) {
        const auto* fn = engine_->project().findFunction(function);
        if (!fn) throw std::runtime_error("no function " + function + " in the fixture");
        return *fn;
    }

  private:
    QTemporaryDir state_;  // declared first: the engine writes into it until it is destroyed
    std::unique_ptr<fogbank::Engine> engine_;
};

// ---------------------------------------------------------------------------------------------
// Results

inline QStringList logLines(const InvocationResult& result) {
    QStringList lines;
    for (const auto& line : result.logs) lines << q(line.text);
    return lines;
}

inline QString describe(const InvocationResult& result) {
    QString text = QStringLiteral("status %1, errorType \"%2\", payload %3")
                       .arg(QString::fromLatin1(fogbank::toString(result.status)),
                            q(result.errorType), q(result.payload));
    for (const auto& line : result.logs) text += QStringLiteral("\n    | ") + q(line.text);
    return text;
}

// The index of the first log line that starts with `prefix` (contains it, with `anywhere`), or -1.
inline int findLine(const InvocationResult& result, const QString& text, bool anywhere = false) {
    const QStringList lines = logLines(result);
    for (int i = 0; i < lines.size(); ++i) {
        if (anywhere ? lines[i].contains(text) : lines[i].startsWith(text)) return i;
    }
    return -1;
}
inline QString lineStartingWith(const InvocationResult& result, const QString& prefix) {
    const int i = findLine(result, prefix);
    return i < 0 ? QString() : logLines(result).at(i);
}

inline json payloadOf(const InvocationResult& result) {
    return json::parse(result.payload, nullptr, false);
}

// A value in a JSON document by JSON pointer ("/context/functionName"): strings as they are,
// anything else dumped, "<missing>" when absent.
inline QString field(const json& document, const std::string& pointer) {
    if (document.is_discarded()) return QStringLiteral("<not JSON>");
    const json::json_pointer p(pointer);
    if (!document.contains(p)) return QStringLiteral("<missing>");
    const json& value = document.at(p);
    return value.is_string() ? q(value.get<std::string>()) : q(value.dump());
}
inline qint64 intField(const json& document, const std::string& pointer) {
    bool ok = false;
    const qint64 value = field(document, pointer).toLongLong(&ok);
    return ok ? value : -1;
}

}  // namespace fbtest

#define FB_EXPECT_STATUS(result, expected)                      \
    QVERIFY2(                                                   \
        (result).status == fogbank::InvocationStatus::expected, \
        qPrintable(QStringLiteral("expected " #expected ", got ") + fbtest::describe(result)))
#define FB_EXPECT_OK(result) FB_EXPECT_STATUS(result, Success)
// Stops the calling test when a helper that checks with QVERIFY/QCOMPARE failed.
#define FB_CHECK(call)                          \
    do {                                        \
        call;                                   \
        if (QTest::currentTestFailed()) return; \
    } while (false)

namespace fbtest {

// ---------------------------------------------------------------------------------------------
// Checks every runtime must pass

// Lambda bills started milliseconds of the handler, plus the init phase on a cold start.
inline void checkBilling(const InvocationResult& result) {
    QVERIFY2(result.durationMs > 0, qPrintable(describe(result)));
    if (result.cold) {
        QVERIFY2(result.initMs > 0, qPrintable(describe(result)));
        QCOMPARE(
            result.billedMs,
            std::max<std::int64_t>(1, std::int64_t(std::ceil(result.durationMs + result.initMs))));
    } else {
        QCOMPARE(result.initMs, 0.0);
        QCOMPARE(result.billedMs,
                 std::max<std::int64_t>(1, std::int64_t(std::ceil(result.durationMs))));
    }
}

// START ... handler lines ... END, then REPORT last, with Lambda's fields; Init Duration only on
// a cold start. `handlerLine`, when given, must appear between START and END.
inline void checkLogFraming(const InvocationResult& result, const QString& handlerLine = {}) {
    const QString id = q(result.requestId);
    const QStringList lines = logLines(result);
    const int start = findLine(result, QStringLiteral("START RequestId: "));
    const int end = findLine(result, QStringLiteral("END RequestId: "));
    const int report = findLine(result, QStringLiteral("REPORT RequestId: "));
    QVERIFY2(start >= 0 && end > start && report > end, qPrintable(describe(result)));
    QCOMPARE(lines[start], QStringLiteral("START RequestId: %1 Version: $LATEST").arg(id));
    QCOMPARE(lines[end], QStringLiteral("END RequestId: %1").arg(id));
    QCOMPARE(report, lines.size() - 1);
    if (!handlerLine.isEmpty()) {
        const int at = findLine(result, handlerLine, true);
        QVERIFY2(at > start && at < end, qPrintable(describe(result)));
    }
    if (result.cold) {
        const int init = findLine(result, QStringLiteral("INIT_START "));
        QVERIFY2(init >= 0 && init < start, qPrintable(describe(result)));
    } else {
        QCOMPARE(findLine(result, QStringLiteral("INIT_START ")), -1);
    }

    static const QRegularExpression shape(QStringLiteral(
        "^REPORT RequestId: (\\S+)\\tDuration: (\\d+\\.\\d\\d) ms\\tBilled Duration: (\\d+) ms\\t"
        "Memory Size: (\\d+) MB\\tMax Memory Used: (\\d+) MB(\\tInit Duration: (\\d+\\.\\d\\d) "
        "ms)?"));
    const auto m = shape.match(lines[report]);
    QVERIFY2(m.hasMatch(), qPrintable(lines[report]));
    QCOMPARE(m.captured(1), id);
    QCOMPARE(m.captured(3).toLongLong(), result.billedMs);
    QCOMPARE(m.captured(4).toInt(), result.memorySizeMb);
    QCOMPARE(m.captured(5).toInt(), result.maxMemoryUsedMb);
    QCOMPARE(m.captured(6).isEmpty(), !result.cold);
    QCOMPARE(q(result.reportLine()), lines[report]);
}

// The variables a Lambda sandbox sees (as echo.js / echo.py return them in "env").
inline void checkEnvironment(const json& env, TestEngine& engine, const std::string& function,
                             const InvocationResult& result) {
    const auto& spec = engine.spec(function);
    QCOMPARE(field(env, "/AWS_LAMBDA_FUNCTION_NAME"), q(spec.functionName));
    QCOMPARE(field(env, "/AWS_LAMBDA_FUNCTION_MEMORY_SIZE"), QString::number(spec.memoryMb));
    QCOMPARE(field(env, "/AWS_LAMBDA_FUNCTION_VERSION"), QStringLiteral("$LATEST"));
    QCOMPARE(field(env, "/AWS_LAMBDA_LOG_GROUP_NAME"), "/aws/lambda/" + q(spec.functionName));
    QVERIFY2(field(env, "/AWS_LAMBDA_LOG_STREAM_NAME").contains(QStringLiteral("[$LATEST]")),
             qPrintable(field(env, "/AWS_LAMBDA_LOG_STREAM_NAME")));
    QCOMPARE(field(env, "/AWS_REGION"), QStringLiteral("us-east-1"));
    QCOMPARE(field(env, "/AWS_DEFAULT_REGION"), QStringLiteral("us-east-1"));
    QVERIFY2(QRegularExpression(QStringLiteral("^127\\.0\\.0\\.1:\\d+$"))
                 .match(field(env, "/AWS_LAMBDA_RUNTIME_API"))
                 .hasMatch(),
             qPrintable(field(env, "/AWS_LAMBDA_RUNTIME_API")));
    QCOMPARE(canonical(field(env, "/LAMBDA_TASK_ROOT")), canonical(q(spec.codeUri)));
    QCOMPARE(field(env, "/_HANDLER"), q(spec.handler));
    QCOMPARE(field(env, "/TZ"), QStringLiteral(":UTC"));

    // Dummy credentials, never the host's (prepareTestEnvironment plants recognisable ones).
    for (const char* name : {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"}) {
        const QString value = field(env, std::string("/") + name);
        QVERIFY2(!value.isEmpty() && value != QStringLiteral("<missing>") && value != "null", name);
        QVERIFY2(value != qEnvironmentVariable(name), qPrintable(QString(name) + " = " + value));
    }
    QCOMPARE(field(env, "/AWS_ENDPOINT_URL"),
             QStringLiteral("http://127.0.0.1:%1").arg(engine->edgePort()));

    QCOMPARE(field(env, "/GLOBAL_VAR"), QStringLiteral("from-globals"));
    QCOMPARE(field(env, "/FUNCTION_VAR"), QStringLiteral("from-function"));

    const QString trace = field(env, "/_X_AMZN_TRACE_ID");
    QVERIFY2(trace.startsWith(QStringLiteral("Root=1-")), qPrintable(trace));
    QCOMPARE(trace, q(result.traceId));
    QVERIFY2(trace.contains(q(result.traceRoot)), qPrintable(trace));
}

// For initTestCase: the engine's info lines off (warnings stay), and host credentials that must
// never reach a sandbox.
inline void prepareTestEnvironment() {
    spdlog::set_level(spdlog::level::warn);
    qputenv("AWS_ACCESS_KEY_ID", "AKIAHOSTREALKEYDONTLEAK");
    qputenv("AWS_SECRET_ACCESS_KEY", "host/secret/that/must/not/leak");
    qputenv("AWS_SESSION_TOKEN", "host-session-token");
}

// ---------------------------------------------------------------------------------------------
// Processes and files

// The environment for an AWS client a test runs (the aws CLIs, boto3, the JS SDK): none of the
// machine's AWS_* settings (profiles, endpoints, checksum modes, the host's keys), test keys, and
// a HOME of its own so that no ~/.aws applies.
inline QProcessEnvironment awsClientEnvironment(const QString& home) {
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const QString& key : env.keys())
        if (key.startsWith(QStringLiteral("AWS_"))) env.remove(key);
    env.insert(QStringLiteral("AWS_ACCESS_KEY_ID"), QStringLiteral("test"));
    env.insert(QStringLiteral("AWS_SECRET_ACCESS_KEY"), QStringLiteral("test"));
    env.insert(QStringLiteral("AWS_DEFAULT_REGION"), QStringLiteral("us-east-1"));
    env.insert(QStringLiteral("AWS_PAGER"), QString());
    env.insert(QStringLiteral("AWS_EC2_METADATA_DISABLED"), QStringLiteral("true"));
    env.insert(QStringLiteral("HOME"), home);
    return env;
}

// `fogbank serve` as a user runs it, on `port` with a state folder of its own; returns once it
// has printed "Ready." (call it through FB_CHECK). What it printed is appended to `output`.
inline void startServe(QProcess& server, const fs::path& templatePath, quint16 port,
                       const QString& stateDir, QString* output = nullptr) {
    server.setProcessChannelMode(QProcess::MergedChannels);
    server.start(QStringLiteral(FOGBANK_BIN_DIR "/fogbank"),
                 {QStringLiteral("serve"), QStringLiteral("-t"), q(templatePath),
                  QStringLiteral("--edge-port"), QString::number(port),
                  QStringLiteral("--state-dir"), stateDir});
    QVERIFY2(server.waitForStarted(30000), qPrintable(server.errorString()));
    QString local;
    QString& out = output ? *output : local;
    QTRY_VERIFY2_WITH_TIMEOUT(
        (out += QString::fromUtf8(server.readAll())).contains(QStringLiteral("Ready.")),
        qPrintable(out), 60000);
}

// True while `pid` exists and is not a zombie.
inline bool processAlive(qint64 pid) {
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (pid <= 0 || !stat.open(QIODevice::ReadOnly)) return false;
    const QByteArray text = stat.readAll();
    const int paren = text.lastIndexOf(')');
    return paren > 0 && paren + 2 < text.size() && text[paren + 2] != 'Z' && text[paren + 2] != 'X';
}

inline void writeFile(const fs::path& path, const std::string& content,
                      std::optional<fs::perms> perms = std::nullopt) {
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary | std::ios::trunc) << content;
    if (perms) fs::permissions(path, *perms);
}

struct Run {
    bool finished = false;
    int exitCode = -1;
    QString out;
    QString err;
    QString describe() const {
        return QStringLiteral("exit %1%2\n--- stdout:\n%3\n--- stderr:\n%4")
            .arg(exitCode)
            .arg(finished ? QString() : QStringLiteral(" (did not finish)"), out, err);
    }
};

// Runs a program to completion (or kills it after `timeoutMs`).
inline Run runProcess(const QString& program, const QStringList& args, const QByteArray& input = {},
                      const QString& workingDirectory = {},
                      const std::optional<QProcessEnvironment>& env = std::nullopt,
                      int timeoutMs = 120000) {
    QProcess process;
    if (!workingDirectory.isEmpty()) process.setWorkingDirectory(workingDirectory);
    if (env) process.setProcessEnvironment(*env);
    process.start(program, args);
    Run run;
    if (!process.waitForStarted(30000)) {
        run.err = QStringLiteral("cannot start %1: %2").arg(program, process.errorString());
        return run;
    }
    if (!input.isEmpty()) process.write(input);
    process.closeWriteChannel();
    run.finished = process.waitForFinished(timeoutMs);
    if (!run.finished) {
        process.kill();
        process.waitForFinished(5000);
    }
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.out = QString::fromUtf8(process.readAllStandardOutput());
    run.err = QString::fromUtf8(process.readAllStandardError());
    return run;
}

}  // namespace fbtest
