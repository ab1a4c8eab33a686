// The window's bridge to the engine, driven headless: open the runtime fixtures, invoke through
// it, and check that what the engine's thread reports arrives as Qt signals carrying the result.
#include "ui/engine_bridge.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using fogbank::EngineConfig;
using fogbank::InvocationStatus;
using fogbank::ui::EngineBridge;
using fogbank::ui::InvocationRecord;

namespace {

constexpr int kOpenTimeoutMs = 30'000;
// A cold Node start on a loaded CI machine can take seconds.
constexpr int kInvokeTimeoutMs = 60'000;

// Holds a loopback port in LISTEN state so that nobody else can bind it.
class PortHolder {
  public:
    PortHolder() {
        fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        addr.sin_port = 0;
        if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
            ::listen(fd_, 1) != 0) {
            return;
        }
        socklen_t length = sizeof addr;
        if (::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &length) == 0) {
            port_ = ntohs(addr.sin_port);
        }
    }
    ~PortHolder() {
        if (fd_ >= 0) ::close(fd_);
    }
    PortHolder(const PortHolder&) = delete;
    PortHolder& operator=(const PortHolder&) = delete;
    int port() const { return port_; }

  private:
    int fd_ = -1;
    int port_ = 0;
};

InvocationRecord recordAt(const QSignalSpy& spy, int call, int argument) {
    return spy.at(call).at(argument).value<InvocationRecord>();
}

}  // namespace

class TestEngineBridge : public QObject {
    Q_OBJECT

    QTemporaryDir stateDir_;

    EngineConfig fixtureConfig() const {
        EngineConfig config;
        config.templatePath = FOGBANK_FIXTURES "/functions/template.yaml";
        config.edgePort = 0;
        config.stateDir = stateDir_.path().toStdString();
        return config;
    }

    // Opens `config` and fails the test unless projectOpened follows.
    static void openOrFail(EngineBridge& bridge, const EngineConfig& config) {
        QSignalSpy opened(&bridge, &EngineBridge::projectOpened);
        QSignalSpy failed(&bridge, &EngineBridge::projectFailed);
        bridge.openProject(config);
        QVERIFY(bridge.isOpening());
        QTRY_VERIFY_WITH_TIMEOUT(opened.count() + failed.count() > 0, kOpenTimeoutMs);
        QVERIFY2(failed.isEmpty(), qPrintable(failed.value(0).value(0).toString()));
        QVERIFY(bridge.isOpen());
    }

  private slots:
    void initTestCase() { QVERIFY(stateDir_.isValid()); }

    void opensTheFixtures() {
        EngineBridge bridge;
        openOrFail(bridge, fixtureConfig());
        if (QTest::currentTestFailed()) return;
        QVERIFY(bridge.edgePort() > 0);
        const auto* echo = bridge.findFunction(QStringLiteral("NodeEcho"));
        QVERIFY(echo);
        QCOMPARE(echo->runtime, QStringLiteral("nodejs20.x"));
        QCOMPARE(echo->memoryMb, 128);
        QCOMPARE(echo->timeoutSeconds, 3.0);
        QVERIFY(bridge.findFunction(QStringLiteral("NodeThrow")));
        QVERIFY(bridge.templatePath().endsWith(QStringLiteral("template.yaml")));
    }

    void invokeDeliversTheResult() {
        EngineBridge bridge;
        openOrFail(bridge, fixtureConfig());
        if (QTest::currentTestFailed()) return;

        QSignalSpy started(&bridge, &EngineBridge::invocationStarted);
        QSignalSpy lines(&bridge, &EngineBridge::logLine);
        QSignalSpy finished(&bridge, &EngineBridge::invocationFinished);
        QSignalSpy returned(&bridge, &EngineBridge::invokeReturned);

        const quint64 ticket =
            bridge.invoke(QStringLiteral("NodeEcho"), QStringLiteral(R"({"probe": "bridge-42"})"));
        QVERIFY(ticket != 0);
        // Nothing is delivered synchronously: the answer comes through this thread's event loop.
        QCOMPARE(returned.count(), 0);
        QVERIFY(returned.wait(kInvokeTimeoutMs));
        QCOMPARE(returned.count(), 1);
        QCOMPARE(returned.at(0).at(0).value<quint64>(), ticket);

        const InvocationRecord result = recordAt(returned, 0, 1);
        QVERIFY2(result.ok(), qPrintable(result.payload));
        QVERIFY(!result.requestId.isEmpty());
        QVERIFY(result.cold);
        QVERIFY(result.durationMs > 0);
        const QJsonObject response = QJsonDocument::fromJson(result.payload.toUtf8()).object();
        QCOMPARE(response.value(QStringLiteral("event"))
                     .toObject()
                     .value(QStringLiteral("probe"))
                     .toString(),
                 QStringLiteral("bridge-42"));

        // The observer's view of the same invocation: started, its log lines, finished.
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kInvokeTimeoutMs);
        QCOMPARE(recordAt(finished, 0, 0).requestId, result.requestId);
        QVERIFY(!started.isEmpty());
        QCOMPARE(started.at(0).at(0).toString(), result.requestId);
        QStringList streamed;
        for (const auto& call : lines) {
            if (call.at(0).toString() == result.requestId) streamed << call.at(2).toString();
        }
        // Cold starts open with INIT_START, as Lambda's do; then START ... REPORT.
        const QString log = streamed.join('\n');
        QVERIFY2(log.contains(QStringLiteral("START RequestId: ") + result.requestId),
                 qPrintable(log));
        QVERIFY(log.contains(QStringLiteral("echo called")));
        QVERIFY(streamed.last().startsWith(QStringLiteral("REPORT")));
        QVERIFY(result.logs.join('\n').contains(QStringLiteral("REPORT RequestId: ") +
                                                result.requestId));

        // The second call lands in the warm sandbox.
        bridge.invoke(QStringLiteral("NodeEcho"), QStringLiteral("{}"));
        QVERIFY(returned.wait(kInvokeTimeoutMs));
        QVERIFY(!recordAt(returned, 1, 1).cold);

        QSignalSpy counted(&bridge, &EngineBridge::sandboxCountsChanged);
        bridge.refreshSandboxCounts();
        QVERIFY(counted.wait(kInvokeTimeoutMs));
        QCOMPARE(bridge.sandboxCounts().value(echoName(bridge)), 1);
    }

    void handlerErrorsKeepLambdasShape() {
        EngineBridge bridge;
        openOrFail(bridge, fixtureConfig());
        if (QTest::currentTestFailed()) return;
        QSignalSpy returned(&bridge, &EngineBridge::invokeReturned);
        bridge.invoke(QStringLiteral("NodeThrow"), QStringLiteral(R"({"field": "zip"})"));
        QVERIFY(returned.wait(kInvokeTimeoutMs));
        const InvocationRecord result = recordAt(returned, 0, 1);
        QCOMPARE(result.status, InvocationStatus::FunctionError);
        QCOMPARE(result.errorType, QStringLiteral("ValidationError"));
        const QJsonObject error = QJsonDocument::fromJson(result.payload.toUtf8()).object();
        QCOMPARE(error.value(QStringLiteral("errorMessage")).toString(),
                 QStringLiteral("bad input: zip"));
    }

    void unknownFunctionIsNotFound() {
        EngineBridge bridge;
        openOrFail(bridge, fixtureConfig());
        if (QTest::currentTestFailed()) return;
        QSignalSpy returned(&bridge, &EngineBridge::invokeReturned);
        bridge.invoke(QStringLiteral("NoSuchFunction"), QStringLiteral("{}"));
        QVERIFY(returned.wait(kInvokeTimeoutMs));
        QCOMPARE(recordAt(returned, 0, 1).status, InvocationStatus::NotFound);
    }

    void brokenTemplateNamesThePlace() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QFile file(dir.filePath(QStringLiteral("template.yaml")));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(
            "AWSTemplateFormatVersion: '2010-09-09'\n"
            "Resources:\n"
            "  Broken: {Type: AWS::Serverless::Function, Properties: [unclosed\n");
        file.close();

        EngineBridge bridge;
        QSignalSpy opened(&bridge, &EngineBridge::projectOpened);
        QSignalSpy failed(&bridge, &EngineBridge::projectFailed);
        EngineConfig config = fixtureConfig();
        config.templatePath = file.fileName().toStdString();
        bridge.openProject(config);
        QVERIFY(failed.wait(kOpenTimeoutMs));
        QCOMPARE(opened.count(), 0);
        const QString message = failed.at(0).at(0).toString();
        const auto match =
            QRegularExpression(QStringLiteral(R"(template\.yaml:(\d+):(\d+))")).match(message);
        QVERIFY2(match.hasMatch(), qPrintable(message));
        QVERIFY2(match.captured(1).toInt() >= 3, qPrintable(message));
        QVERIFY(!bridge.isOpen());
        QVERIFY(!bridge.isOpening());
        QCOMPARE(bridge.invoke(QStringLiteral("NodeEcho"), QStringLiteral("{}")), quint64(0));
    }

    void busyEdgePortFallsBackToAFreeOne() {
        PortHolder holder;
        QVERIFY(holder.port() > 0);
        EngineConfig config = fixtureConfig();
        config.edgePort = holder.port();
        EngineBridge bridge;
        openOrFail(bridge, config);
        if (QTest::currentTestFailed()) return;
        QVERIFY(bridge.edgePort() > 0);
        QVERIFY(bridge.edgePort() != holder.port());
        QVERIFY2(bridge.warnings().join('\n').contains(QString::number(holder.port())),
                 qPrintable(bridge.warnings().join('\n')));
    }

    void reopeningReplacesTheEngine() {
        EngineBridge bridge;
        openOrFail(bridge, fixtureConfig());
        if (QTest::currentTestFailed()) return;
        QSignalSpy closed(&bridge, &EngineBridge::projectClosed);
        openOrFail(bridge, fixtureConfig());
        if (QTest::currentTestFailed()) return;
        QCOMPARE(closed.count(), 1);
        QSignalSpy returned(&bridge, &EngineBridge::invokeReturned);
        bridge.invoke(QStringLiteral("NodeEcho"), QStringLiteral("{}"));
        QVERIFY(returned.wait(kInvokeTimeoutMs));
        QVERIFY(recordAt(returned, 0, 1).ok());
    }

  private:
    static QString echoName(const EngineBridge& bridge) {
        const auto* fn = bridge.findFunction(QStringLiteral("NodeEcho"));
        return fn ? fn->name : QString();
    }
};

QTEST_GUILESS_MAIN(TestEngineBridge)
#include "test_engine_bridge.moc"
