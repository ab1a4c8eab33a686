// The invocation store: what it keeps, what it drops, and that nothing a client was answered for
// is lost when `fogbank serve` is killed with SIGKILL in the middle of a burst.
#include "emulator/trace/invocation_store.h"

#include "test_http.h"
#include "test_support.h"

#include <QProcess>

#include <csignal>

#include <atomic>
#include <mutex>
#include <set>
#include <thread>

using namespace fbtest;
using namespace fogbank;

namespace {

InvocationResult syntheticResult(int i, const std::string& function = "Fn") {
    InvocationResult r;
    r.requestId = "req-" + std::to_string(i);
    r.function = function;
    r.status = i % 7 == 0 ? InvocationStatus::FunctionError : InvocationStatus::Success;
    r.payload = R"({"i":)" + std::to_string(i) + "}";
    r.event = R"({"n":)" + std::to_string(i) + "}";
    r.start = Clock::now();
    r.end = r.start + std::chrono::milliseconds(3);
    r.durationMs = 3;
    r.billedMs = 3;
    r.memorySizeMb = 128;
    r.traceRoot = "1-00000000-" + std::string(24, 'a');
    return r;
}

void recordAll(InvocationStore& store, int from, int to, const std::string& function = "Fn") {
    for (int i = from; i < to; ++i) store.record(syntheticResult(i, function), [](auto) {});
    store.flush();
}

}  // namespace

class InvocationStoreTest : public QObject {
    Q_OBJECT

  private slots:
    void initTestCase() { prepareTestEnvironment(); }

    void keepsWhatItIsGiven() {
        QTemporaryDir dir;
        InvocationStore store(dir.path().toStdString());
        InvocationResult r = syntheticResult(1);
        r.logs.push_back({Clock::now(), "START RequestId: req-1"});
        r.logs.push_back({Clock::now(), "hello \xe2\x9c\x93"});
        r.costUsd = 0.0000002;
        r.cold = true;
        r.initMs = 41.5;
        bool committed = false;
        store.record(r, [&](const InvocationResult&) { committed = true; });
        store.flush();
        QVERIFY(committed);
        const auto found = store.find("req-1");
        QVERIFY(found.has_value());
        QCOMPARE(QString::fromStdString(found->payload), QStringLiteral(R"({"i":1})"));
        QCOMPARE(QString::fromStdString(found->event), QStringLiteral(R"({"n":1})"));
        QCOMPARE(found->logs.size(), std::size_t(2));
        QCOMPARE(QString::fromStdString(found->logs[1].text), QStringLiteral("hello ✓"));
        QVERIFY(found->cold);
        QCOMPARE(found->initMs, 41.5);
        QVERIFY(found->costUsd > 0);
        QVERIFY(!store.find("req-2").has_value());
    }

    // Retention drops the oldest rows, never the newest, and survives reopening the file.
    void retentionKeepsTheNewest() {
        QTemporaryDir dir;
        {
            InvocationStore store(dir.path().toStdString(), 50);
            recordAll(store, 0, 120);
            QCOMPARE(store.count(), std::int64_t(50));
            QVERIFY(store.find("req-119").has_value());
            QVERIFY(store.find("req-70").has_value());
            QVERIFY(!store.find("req-69").has_value());
            const auto newest = store.list(
                InvocationQuery{.function = {}, .traceRoot = {}, .offset = 0, .limit = 1});
            QCOMPARE(newest.size(), std::size_t(1));
            QCOMPARE(QString::fromStdString(newest[0].requestId), QStringLiteral("req-119"));
        }
        InvocationStore reopened(dir.path().toStdString(), 50);
        QCOMPARE(reopened.count(), std::int64_t(50));
        recordAll(reopened, 120, 130);
        QCOMPARE(reopened.count(), std::int64_t(50));
        QVERIFY(reopened.find("req-129").has_value());
        QVERIFY(!reopened.find("req-79").has_value());
    }

    void listsByFunction() {
        QTemporaryDir dir;
        InvocationStore store(dir.path().toStdString());
        recordAll(store, 0, 10, "A");
        recordAll(store, 10, 13, "B");
        QCOMPARE(store.count("A"), std::int64_t(10));
        QCOMPARE(store.count("B"), std::int64_t(3));
        const auto rows = store.list(
            InvocationQuery{.function = "B", .traceRoot = {}, .offset = 0, .limit = 100});
        QCOMPARE(rows.size(), std::size_t(3));
        QCOMPARE(QString::fromStdString(rows.front().requestId), QStringLiteral("req-12"));
    }

    // A database that is not one is reported with its path, and is left as it was.
    void corruptFileIsNamedNotOverwritten() {
        QTemporaryDir dir;
        const fs::path file = fs::path(dir.path().toStdString()) / "fogbank.db";
        writeFile(file, std::string(4096, 'x'));
        bool threw = false;
        try {
            InvocationStore store(dir.path().toStdString());
            store.count();
        } catch (const std::exception& e) {
            threw = true;
            QVERIFY2(QString::fromUtf8(e.what()).contains(q(file)), e.what());
        }
        QVERIFY(threw);
        QFile check(q(file));
        QVERIFY(check.open(QIODevice::ReadOnly));
        QCOMPARE(check.readAll(), QByteArray(4096, 'x'));
    }

    // Four clients invoke as fast as they can; once a few hundred answers are in, the server is
    // killed with SIGKILL. Every request id a client was answered with must be in the store.
    void killMinusNineLosesNothingAcknowledged() {
        QTemporaryDir scratch;
        const QString state = scratch.filePath(QStringLiteral("state"));
        const quint16 port = freePort();
        QVERIFY(port != 0);
        QProcess server;
        server.setProcessChannelMode(QProcess::MergedChannels);
        server.start(QStringLiteral(FOGBANK_BIN_DIR "/fogbank"),
                     {QStringLiteral("serve"), QStringLiteral("-t"), q(functionsTemplate()),
                      QStringLiteral("--edge-port"), QString::number(port),
                      QStringLiteral("--state-dir"), state});
        QVERIFY2(server.waitForStarted(30000), qPrintable(server.errorString()));
        QString out;
        QTRY_VERIFY2_WITH_TIMEOUT(
            (out += QString::fromUtf8(server.readAll())).contains(QStringLiteral("Ready.")),
            qPrintable(out), 30000);

        std::mutex mutex;
        std::set<std::string> acknowledged;
        std::atomic<bool> stop{false};
        std::atomic<int> answered{0};
        std::vector<std::thread> clients;
        for (int c = 0; c < 4; ++c) {
            clients.emplace_back([&, c] {
                for (int i = 0; !stop; ++i) {
                    const QByteArray body = QByteArray("{\"client\":") + QByteArray::number(c) +
                                            ",\"i\":" + QByteArray::number(i) + "}";
                    const HttpReply reply = httpRequest(
                        port, "POST", "/2015-03-31/functions/NodeEcho/invocations", body);
                    if (reply.status != 200) {
                        if (reply.status == 0) return;  // the server is gone
                        continue;                       // throttled: try again
                    }
                    std::lock_guard lock(mutex);
                    acknowledged.insert(
                        reply.headers.value(QStringLiteral("x-amzn-requestid")).toStdString());
                    ++answered;
                }
            });
        }
        QTRY_VERIFY_WITH_TIMEOUT(answered >= 300, 120000);
        ::kill(static_cast<pid_t>(server.processId()), SIGKILL);
        QVERIFY(server.waitForFinished(10000));
        QCOMPARE(server.exitStatus(), QProcess::CrashExit);
        stop = true;
        for (auto& client : clients) client.join();

        InvocationStore store(state.toStdString());
        std::size_t missing = 0;
        std::string firstMissing;
        for (const auto& id : acknowledged) {
            QVERIFY(!id.empty());
            const auto found = store.find(id);
            if (!found || found->status != InvocationStatus::Success) {
                if (!missing++) firstMissing = id;
            }
        }
        QVERIFY2(missing == 0, qPrintable(QStringLiteral("%1 of %2 acknowledged invocations lost, "
                                                         "e.g. %3")
                                              .arg(missing)
                                              .arg(acknowledged.size())
                                              .arg(q(firstMissing))));
        QVERIFY(store.count() >= static_cast<std::int64_t>(acknowledged.size()));
    }
};

QTEST_GUILESS_MAIN(InvocationStoreTest)
#include "test_invocation_store.moc"
