// SQS durability at scale: 10,000 messages received and not yet deleted (all in flight) when
// `fogbank serve` is killed with SIGKILL; after a restart on the same state dir and the
// visibility timeout, every one of them is delivered again, with its body, its id and a receive
// count that remembers the first delivery. boto3 (fixtures/sqs/client.py) is the client.
#include "test_http.h"
#include "test_support.h"

#include <csignal>

using namespace fbtest;

namespace {

const QString kPython = QStringLiteral("/usr/bin/python3");
constexpr int kMessages = 10000;

}  // namespace

class SqsDurabilityTest : public QObject {
    Q_OBJECT

  private:
    QTemporaryDir scratch_;

    QProcessEnvironment clientEnvironment() const {
        return awsClientEnvironment(scratch_.filePath(QStringLiteral("home")));
    }

    // One scenario of fixtures/sqs/client.py; its JSON output, or a failed check with its output.
    void boto(json& out, const QString& scenario, const QString& url, const QStringList& extra) {
        const Run r =
            runProcess(kPython, QStringList{q(fixture("sqs/client.py")), scenario, url} + extra, {},
                       scratch_.path(), clientEnvironment(), 600000);
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe().left(4000)));
        out = json::parse(r.out.toStdString(), nullptr, false);
        QVERIFY2(out.is_object(), qPrintable(r.describe().left(4000)));
    }

  private slots:
    void initTestCase() {
        QVERIFY(scratch_.isValid());
        if (runProcess(kPython, {QStringLiteral("-c"), QStringLiteral("import boto3")}).exitCode)
            QSKIP("no boto3 for /usr/bin/python3 (python3-boto3)");
    }

    void killMinusNineWithTenThousandInFlightLosesNone() {
        const QString state = scratch_.filePath(QStringLiteral("state"));
        const quint16 port = freePort();
        QVERIFY(port != 0);
        const QString url = QStringLiteral("http://127.0.0.1:%1").arg(port);
        const QString queue = QStringLiteral("durable");

        QProcess server;
        FB_CHECK(startServe(server, fixture("sqs/template.yaml"), port, state));
        json filled;
        FB_CHECK(boto(filled, QStringLiteral("fill_in_flight"), url,
                      {queue, QString::number(kMessages)}));
        const json& sent = filled["sent"];
        QCOMPARE(sent.size(), std::size_t(kMessages));
        QCOMPARE(filled["received"].size(), std::size_t(kMessages));
        // Every message in flight, none visible, at the moment of the kill.
        QCOMPARE(field(filled, "/counts/ApproximateNumberOfMessagesNotVisible"),
                 QString::number(kMessages));
        QCOMPARE(field(filled, "/counts/ApproximateNumberOfMessages"), QStringLiteral("0"));

        ::kill(static_cast<pid_t>(server.processId()), SIGKILL);
        QVERIFY(server.waitForFinished(10000));
        QCOMPARE(server.exitStatus(), QProcess::CrashExit);

        QProcess again;
        FB_CHECK(startServe(again, fixture("sqs/template.yaml"), port, state));
        // Right after the restart: all 10,000 still there, whether still invisible or not.
        json counts;
        FB_CHECK(boto(counts, QStringLiteral("counts"), url, {queue}));
        QCOMPARE(intField(counts, "/ApproximateNumberOfMessages") +
                     intField(counts, "/ApproximateNumberOfMessagesNotVisible"),
                 qint64(kMessages));

        const int wait = filled["visibility"].get<int>() + 240;
        json redelivered;
        FB_CHECK(boto(redelivered, QStringLiteral("redeliver_all"), url,
                      {queue, QString::number(kMessages), QString::number(wait)}));
        again.terminate();
        again.waitForFinished(15000);

        const json& messages = redelivered["messages"];
        int missing = 0, wrongBody = 0, notCounted = 0;
        QString example;
        for (const auto& entry : sent.items()) {
            const std::string& id = entry.key();
            const std::string body = entry.value().get<std::string>();
            if (!messages.contains(id)) {
                if (!missing++) example = QStringLiteral("missing %1 (%2)").arg(q(id), q(body));
                continue;
            }
            const json& back = messages[id];
            if (back[0].get<std::string>() != body && !wrongBody++)
                example = QStringLiteral("%1 came back as %2").arg(q(id), q(back[0].dump()));
            // Received once before the kill, once now: the count survived the restart.
            if (std::stoi(back[1].get<std::string>()) < 2 && !notCounted++)
                example = QStringLiteral("%1 has ApproximateReceiveCount %2")
                              .arg(q(id), q(back[1].get<std::string>()));
        }
        QVERIFY2(missing == 0 && wrongBody == 0 && notCounted == 0,
                 qPrintable(QStringLiteral("of %1 in flight at the kill: %2 missing, %3 with "
                                           "another body, %4 not counted as received; e.g. %5")
                                .arg(kMessages)
                                .arg(missing)
                                .arg(wrongBody)
                                .arg(notCounted)
                                .arg(example)));
        QCOMPARE(messages.size(), std::size_t(kMessages));
    }
};

QTEST_GUILESS_MAIN(SqsDurabilityTest)
#include "test_sqs_durability.moc"
