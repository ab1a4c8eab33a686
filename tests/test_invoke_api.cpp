// The Lambda Invoke API of `fogbank serve`, driven by unmodified clients: Debian's aws CLI (v2),
// the aws CLI v1 on PATH, boto3, and raw HTTP for what the clients never send.
#include "test_http.h"
#include "test_support.h"

using namespace fbtest;

namespace {

QString fogbankExe() {
    return QStringLiteral(FOGBANK_BIN_DIR "/fogbank");
}

QByteArray invocationsPath(const QByteArray& function) {
    return "/2015-03-31/functions/" + function + "/invocations";
}

}  // namespace

class InvokeApiTest : public QObject {
    Q_OBJECT

  private:
    QTemporaryDir scratch_;
    quint16 port_ = 0;
    std::unique_ptr<QProcess> server_;  // its destructor kills what cleanupTestCase did not stop
    QString serverOut_;

    QString endpoint() const { return QStringLiteral("http://127.0.0.1:%1").arg(port_); }

    QString serverOutput() {
        serverOut_ += QString::fromUtf8(server_->readAllStandardOutput());
        return serverOut_;
    }
    int reportLines() { return int(serverOutput().count(QStringLiteral("REPORT RequestId: "))); }

    // The clients' environment: dummy credentials, a region, no pager, and a HOME of its own so
    // that no user config or profile gets in.
    QProcessEnvironment clientEnvironment() const {
        return awsClientEnvironment(scratch_.filePath(QStringLiteral("home")));
    }

    // `aws lambda invoke --endpoint-url ... ARGS OUTFILE`; the output file's content in `written`.
    Run awsInvoke(const QString& aws, const QStringList& args, QByteArray* written = nullptr) {
        static int counter = 0;
        const QString outFile = scratch_.filePath(QStringLiteral("out-%1.json").arg(++counter));
        const Run run = runProcess(aws,
                                   QStringList{QStringLiteral("lambda"), QStringLiteral("invoke"),
                                               QStringLiteral("--endpoint-url"), endpoint()} +
                                       args + QStringList{outFile},
                                   {}, scratch_.path(), clientEnvironment());
        if (written) {
            QFile file(outFile);
            *written = file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray("<no file>");
        }
        return run;
    }

    // v2 takes --payload as base64 unless told otherwise; v1 sends it raw and knows no such flag.
    static QStringList payloadArgs(const char* function, const char* payload, bool v2 = true) {
        QStringList args = {QStringLiteral("--function-name"), QLatin1String(function),
                            QStringLiteral("--payload"), QLatin1String(payload)};
        if (v2)
            args << QStringLiteral("--cli-binary-format") << QStringLiteral("raw-in-base64-out");
        return args;
    }

    // The basic round trip every client must manage.
    void basicInvoke(const QString& aws) {
        const Run version = runProcess(aws, {QStringLiteral("--version")}, {}, scratch_.path(),
                                       clientEnvironment());
        QVERIFY2(version.exitCode == 0, qPrintable(version.describe()));
        const bool v2 = !(version.out + version.err).startsWith(QStringLiteral("aws-cli/1."));
        QByteArray written;
        const Run run = awsInvoke(aws, payloadArgs("NodeEcho", R"({"a":1})", v2), &written);
        QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
        const json output = json::parse(run.out.toStdString(), nullptr, false);
        QCOMPARE(field(output, "/StatusCode"), QStringLiteral("200"));
        QCOMPARE(field(output, "/ExecutedVersion"), QStringLiteral("$LATEST"));
        QCOMPARE(field(output, "/FunctionError"), QStringLiteral("<missing>"));
        const json response = json::parse(written.toStdString(), nullptr, false);
        QCOMPARE(field(response, "/event"), QStringLiteral(R"({"a":1})"));
        QCOMPARE(field(response, "/context/functionName"), QStringLiteral("NodeEcho"));
    }

  private slots:
    void initTestCase() {
        QVERIFY(scratch_.isValid());
        QDir(scratch_.path()).mkpath(QStringLiteral("home"));
        port_ = freePort();
        QVERIFY(port_ != 0);
        server_ = std::make_unique<QProcess>();
        server_->start(fogbankExe(),
                       {QStringLiteral("serve"), QStringLiteral("-t"), q(functionsTemplate()),
                        QStringLiteral("--edge-port"), QString::number(port_),
                        QStringLiteral("--state-dir"), scratch_.filePath(QStringLiteral("state"))});
        QVERIFY2(server_->waitForStarted(30000), qPrintable(server_->errorString()));
        QTRY_VERIFY2_WITH_TIMEOUT(serverOutput().contains(QStringLiteral("Ready.")) ||
                                      server_->state() == QProcess::NotRunning,
                                  qPrintable(serverOut_), 30000);
        QVERIFY2(server_->state() == QProcess::Running,
                 qPrintable(serverOut_ + QString::fromUtf8(server_->readAllStandardError())));
        QVERIFY2(serverOut_.contains(endpoint()), qPrintable(serverOut_));
    }

    void cleanupTestCase() {
        if (!server_) return;
        server_->terminate();  // SIGTERM: a clean stop
        if (!server_->waitForFinished(15000)) {
            server_->kill();
            server_->waitForFinished(5000);
            QFAIL("fogbank serve did not stop on SIGTERM");
        }
        QCOMPARE(server_->exitStatus(), QProcess::NormalExit);
        QCOMPARE(server_->exitCode(), 0);
        QVERIFY2(serverOutput().contains(QStringLiteral("Stopping.")), qPrintable(serverOut_));
    }

    // (a) Debian's aws CLI v2.
    void debianAwsCli() {
        const QString aws = QStringLiteral("/usr/bin/aws");
        if (!QFileInfo(aws).isExecutable()) QSKIP("no /usr/bin/aws (Debian's awscli)");
        const int reportsBefore = reportLines();
        FB_CHECK(basicInvoke(aws));
        // serve prints each invocation's REPORT line.
        QTRY_VERIFY_WITH_TIMEOUT(reportLines() > reportsBefore, 10000);
    }

    void debianAwsCliLogTail() {
        const QString aws = QStringLiteral("/usr/bin/aws");
        if (!QFileInfo(aws).isExecutable()) QSKIP("no /usr/bin/aws (Debian's awscli)");
        const Run run =
            awsInvoke(aws, payloadArgs("NodeEcho", "{}") +
                               QStringList{QStringLiteral("--log-type"), QStringLiteral("Tail")});
        QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
        const json output = json::parse(run.out.toStdString(), nullptr, false);
        const QString log =
            QString::fromUtf8(QByteArray::fromBase64(field(output, "/LogResult").toLatin1()));
        QVERIFY2(log.contains(QStringLiteral("START RequestId: ")), qPrintable(run.describe()));
        QVERIFY2(log.contains(QStringLiteral("echo called")), qPrintable(log));
        QVERIFY2(log.contains(QStringLiteral("REPORT RequestId: ")), qPrintable(log));
    }

    void debianAwsCliFunctionError() {
        const QString aws = QStringLiteral("/usr/bin/aws");
        if (!QFileInfo(aws).isExecutable()) QSKIP("no /usr/bin/aws (Debian's awscli)");
        QByteArray written;
        const Run run = awsInvoke(aws, payloadArgs("NodeThrow", R"({"field":"f"})"), &written);
        QVERIFY2(run.exitCode == 0,
                 qPrintable(run.describe()));  // the call worked; the function failed
        const json output = json::parse(run.out.toStdString(), nullptr, false);
        QCOMPARE(field(output, "/StatusCode"), QStringLiteral("200"));
        QCOMPARE(field(output, "/FunctionError"), QStringLiteral("Unhandled"));
        const json error = json::parse(written.toStdString(), nullptr, false);
        QCOMPARE(field(error, "/errorType"), QStringLiteral("ValidationError"));
        QCOMPARE(field(error, "/errorMessage"), QStringLiteral("bad input: f"));
    }

    void debianAwsCliUnknownFunction() {
        const QString aws = QStringLiteral("/usr/bin/aws");
        if (!QFileInfo(aws).isExecutable()) QSKIP("no /usr/bin/aws (Debian's awscli)");
        const Run run = awsInvoke(aws, payloadArgs("NoSuchFunction", "{}"));
        QVERIFY2(run.finished && run.exitCode != 0, qPrintable(run.describe()));
        QVERIFY2(run.err.contains(QStringLiteral("ResourceNotFoundException")),
                 qPrintable(run.describe()));
        QVERIFY2(run.err.contains(QStringLiteral("NoSuchFunction")), qPrintable(run.describe()));
    }

    void debianAwsCliEventAndDryRun() {
        const QString aws = QStringLiteral("/usr/bin/aws");
        if (!QFileInfo(aws).isExecutable()) QSKIP("no /usr/bin/aws (Debian's awscli)");
        const int reportsBefore = reportLines();
        const Run event = awsInvoke(
            aws, payloadArgs("PyEcho", "{}") +
                     QStringList{QStringLiteral("--invocation-type"), QStringLiteral("Event")});
        QVERIFY2(event.exitCode == 0, qPrintable(event.describe()));
        QCOMPARE(field(json::parse(event.out.toStdString(), nullptr, false), "/StatusCode"),
                 QStringLiteral("202"));
        // Accepted now, run later: its REPORT line shows up on serve's output.
        QTRY_VERIFY_WITH_TIMEOUT(reportLines() > reportsBefore, 30000);

        const int reportsAfterEvent = reportLines();
        const Run dryRun = awsInvoke(
            aws, payloadArgs("NodeEcho", "{}") +
                     QStringList{QStringLiteral("--invocation-type"), QStringLiteral("DryRun")});
        QVERIFY2(dryRun.exitCode == 0, qPrintable(dryRun.describe()));
        QCOMPARE(field(json::parse(dryRun.out.toStdString(), nullptr, false), "/StatusCode"),
                 QStringLiteral("204"));
        QCOMPARE(reportLines(), reportsAfterEvent);  // a dry run runs nothing
    }

    // (b) Another aws CLI (v1 with a newer botocore) from PATH.
    void pathAwsCli() {
        const QString aws = QStandardPaths::findExecutable(QStringLiteral("aws"));
        if (aws.isEmpty()) QSKIP("no aws on PATH");
        if (canonical(aws) == canonical(QStringLiteral("/usr/bin/aws")))
            QSKIP("aws on PATH is /usr/bin/aws");
        FB_CHECK(basicInvoke(aws));
    }

    // (c) boto3, as a handler or a script would call it.
    void boto3Client() {
        const QString python = QStringLiteral("/usr/bin/python3");
        const Run check =
            runProcess(python, {QStringLiteral("-c"), QStringLiteral("import boto3")});
        if (check.exitCode != 0) QSKIP("no boto3 for /usr/bin/python3 (python3-boto3)");
        const char* script = R"(
import json, sys, boto3
c = boto3.client('lambda', endpoint_url=sys.argv[1], region_name='us-east-1',
                 aws_access_key_id='x', aws_secret_access_key='x')
r = c.invoke(FunctionName='PyEcho', Payload=b'{"via": "boto3"}')
out = {'status': r['StatusCode'], 'payload': json.loads(r['Payload'].read())}
e = c.invoke(FunctionName='PyThrow', Payload=b'{"field": "b"}')
out['functionError'] = e.get('FunctionError')
out['error'] = json.loads(e['Payload'].read())
try:
    c.invoke(FunctionName='NoSuchFunction', Payload=b'{}')
    out['missing'] = 'no exception'
except c.exceptions.ResourceNotFoundException as x:
    out['missing'] = x.response['Error']['Code']
print(json.dumps(out))
)";
        const Run run =
            runProcess(python, {QStringLiteral("-c"), QLatin1String(script), endpoint()}, {},
                       scratch_.path(), clientEnvironment());
        QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
        const json out = json::parse(run.out.toStdString(), nullptr, false);
        QCOMPARE(field(out, "/status"), QStringLiteral("200"));
        QCOMPARE(field(out, "/payload/event"), QStringLiteral(R"({"via":"boto3"})"));
        QCOMPARE(field(out, "/payload/context/function_name"), QStringLiteral("PyEcho"));
        QCOMPARE(field(out, "/functionError"), QStringLiteral("Unhandled"));
        QCOMPARE(field(out, "/error/errorType"), QStringLiteral("ValueError"));
        QCOMPARE(field(out, "/missing"), QStringLiteral("ResourceNotFoundException"));
    }

    // (d) What the SDKs never send.
    void payloadThatIsNotJson() {
        const HttpReply reply = httpRequest(port_, "POST", invocationsPath("NodeEcho"), "not json");
        QCOMPARE(reply.status, 400);
        QCOMPARE(reply.headers.value(QStringLiteral("x-amzn-errortype")),
                 QStringLiteral("InvalidRequestContentException"));
        QVERIFY2(reply.body.contains("JSON") || reply.body.contains("json"),
                 reply.body.constData());
    }

    void rawInvokeContinuesTheCallersTrace() {
        const QByteArray root = "1-5759e988-bd862e3fe1be46a994272793";
        const HttpReply reply = httpRequest(
            port_, "POST", invocationsPath("NodeEcho"), R"({"raw":true})",
            {{"X-Amzn-Trace-Id", "Root=" + root + ";Parent=53995c3f42cd8ad8;Sampled=1"}});
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.headers.value(QStringLiteral("x-amz-executed-version")),
                 QStringLiteral("$LATEST"));
        const json body = json::parse(reply.body.toStdString(), nullptr, false);
        QCOMPARE(field(body, "/event"), QStringLiteral(R"({"raw":true})"));
        QCOMPARE(reply.headers.value(QStringLiteral("x-amzn-requestid")),
                 field(body, "/context/awsRequestId"));
        QVERIFY2(field(body, "/env/_X_AMZN_TRACE_ID").startsWith(QStringLiteral("Root=") + root),
                 qPrintable(field(body, "/env/_X_AMZN_TRACE_ID")));
        QVERIFY2(reply.headers.value(QStringLiteral("x-amzn-trace-id")).contains(root),
                 qPrintable(reply.headers.value(QStringLiteral("x-amzn-trace-id"))));
    }

    void rawUnknownFunctionIs404() {
        const HttpReply reply = httpRequest(port_, "POST", invocationsPath("Nope"), "{}");
        QCOMPARE(reply.status, 404);
        QCOMPARE(reply.headers.value(QStringLiteral("x-amzn-errortype")),
                 QStringLiteral("ResourceNotFoundException"));
    }
};

QTEST_GUILESS_MAIN(InvokeApiTest)
#include "test_invoke_api.moc"
