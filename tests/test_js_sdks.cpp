// The third client: the AWS SDK for JavaScript v3 from npm (@aws-sdk/client-s3 with its default
// CRC32 checksums, lib-storage's multipart Upload, the presigner, @aws-sdk/client-sqs over the
// JSON protocol) against `fogbank serve`, as a JavaScript user runs it. The scenarios and their
// assertions live in tests/js/*.mjs; this test starts the server, runs each script with Node and
// fails with the script's output when it exits non-zero.
#include "test_http.h"
#include "test_support.h"

using namespace fbtest;

namespace {

const QString kJsDir = QStringLiteral(FOGBANK_SOURCE_DIR "/tests/js");

// Debian's Node first, as the other runtimes' tests resolve interpreters explicitly.
QString nodeExe() {
    if (QFileInfo(QStringLiteral("/usr/bin/node")).isExecutable())
        return QStringLiteral("/usr/bin/node");
    return QStandardPaths::findExecutable(QStringLiteral("node"));
}

}  // namespace

class JsSdksTest : public QObject {
    Q_OBJECT

  private:
    QTemporaryDir scratch_;
    QProcess server_;
    QString serverOutput_;
    QString endpoint_;

    QProcessEnvironment clientEnvironment() const {
        return awsClientEnvironment(scratch_.filePath(QStringLiteral("home")));
    }

    void runScript(const QString& script) {
        if (!QFileInfo::exists(kJsDir + QStringLiteral("/node_modules/@aws-sdk/client-s3")))
            QSKIP(qPrintable(QStringLiteral("the AWS SDK for JavaScript is not installed in %1: "
                                            "run `npm ci --prefix tests/js` (packaging/dev.sh "
                                            "test does)")
                                 .arg(kJsDir)));
        const QString node = nodeExe();
        QVERIFY2(!node.isEmpty(), "no node (nodejs) on this machine");
        const Run run = runProcess(node, {kJsDir + '/' + script, endpoint_}, {}, kJsDir,
                                   clientEnvironment(), 300000);
        serverOutput_ += QString::fromUtf8(server_.readAll());
        QVERIFY2(run.exitCode == 0,
                 qPrintable(run.describe() + QStringLiteral("\n--- fogbank serve:\n") +
                            serverOutput_.right(4000)));
        QVERIFY2(run.out.contains(QStringLiteral(": all steps passed")),
                 qPrintable(run.describe()));
        // A client's mistakes never take the server down.
        QCOMPARE(server_.state(), QProcess::Running);
    }

  private slots:
    void initTestCase() {
        QVERIFY(scratch_.isValid());
        const quint16 port = freePort();
        QVERIFY(port != 0);
        endpoint_ = QStringLiteral("http://127.0.0.1:%1").arg(port);
        FB_CHECK(startServe(server_, fixture("js_sdks/template.yaml"), port,
                            scratch_.filePath(QStringLiteral("state")), &serverOutput_));
    }

    void cleanupTestCase() {
        if (server_.state() == QProcess::NotRunning) return;
        server_.terminate();
        if (!server_.waitForFinished(15000)) server_.kill();
    }

    // Buckets, checksummed puts and gets, ranges, copies, listings, Upload, presigned URLs, errors.
    void s3Client() { FB_CHECK(runScript(QStringLiteral("s3_sdk.mjs"))); }

    // Standard and FIFO queues, attributes and MD5s, batches, long polls, visibility, errors.
    void sqsClient() { FB_CHECK(runScript(QStringLiteral("sqs_sdk.mjs"))); }
};

QTEST_GUILESS_MAIN(JsSdksTest)
#include "test_js_sdks.moc"
