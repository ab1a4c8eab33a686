// The SQS-compatible service, driven by unmodified clients: Debian's aws CLI v2 and boto3 1.26
// (the query/XML protocol), the aws CLI on PATH when it is another one (a current botocore speaks
// the JSON protocol), and raw HTTP for the error shapes. Real Node handlers behind the event
// source mappings; `fogbank serve` killed with SIGKILL for durability.
#include "test_http.h"
#include "test_support.h"

#include "emulator/trace/invocation_store.h"

#include <QCryptographicHash>
#include <QtEndian>

#include <csignal>
#include <mutex>
#include <set>

using namespace fbtest;

namespace {

const QString kPython = QStringLiteral("/usr/bin/python3");
const QString kDebianAws = QStringLiteral("/usr/bin/aws");

QString md5(const QByteArray& bytes) {
    return QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Md5).toHex());
}

// AWS's documented MD5OfMessageAttributes, written again here from the documentation so that
// the service's implementation is checked against an independent one.
QString attributesMd5(const QList<std::tuple<QByteArray, QByteArray, QByteArray>>& sorted) {
    QByteArray buffer;
    auto add = [&](const QByteArray& bytes) {
        char size[4];
        qToBigEndian<quint32>(quint32(bytes.size()), size);
        buffer.append(size, 4).append(bytes);
    };
    for (const auto& [name, type, value] : sorted) {
        add(name);
        add(type);
        buffer.append(type.startsWith("Binary") ? '\2' : '\1');
        add(value);
    }
    return md5(buffer);
}

// Collects every finished invocation, from the engine's thread.
class Recorder : public fogbank::EngineObserver {
  public:
    void invocationFinished(const InvocationResult& result) override {
        std::lock_guard lock(mutex_);
        results_.push_back(result);
    }
    std::vector<InvocationResult> of(const std::string& function) {
        std::lock_guard lock(mutex_);
        std::vector<InvocationResult> out;
        for (const auto& r : results_)
            if (r.function == function) out.push_back(r);
        return out;
    }

  private:
    std::mutex mutex_;
    std::vector<InvocationResult> results_;
};

// How many of `function`'s invocations carried a record with this body.
int deliveries(const std::vector<InvocationResult>& results, const std::string& body) {
    int n = 0;
    for (const auto& r : results) {
        const json event = json::parse(r.event, nullptr, false);
        if (!event.is_object() || !event.contains("Records")) continue;
        for (const auto& record : event["Records"])
            if (record.value("body", "") == body) ++n;
    }
    return n;
}

}  // namespace

class SqsTest : public QObject {
    Q_OBJECT

  private:
    QTemporaryDir scratch_;
    std::unique_ptr<TestEngine> engine_;
    Recorder recorder_;

    QString endpoint() const {
        return QStringLiteral("http://127.0.0.1:%1").arg((*engine_)->edgePort());
    }

    QProcessEnvironment clientEnvironment() const {
        return awsClientEnvironment(scratch_.filePath(QStringLiteral("home")));
    }

    Run aws(const QString& program, const QStringList& args) {
        return runProcess(program,
                          QStringList{QStringLiteral("sqs")} + args +
                              QStringList{QStringLiteral("--endpoint-url"), endpoint(),
                                          QStringLiteral("--output"), QStringLiteral("json")},
                          {}, scratch_.path(), clientEnvironment());
    }

    // One boto3 scenario of fixtures/sqs/client.py; its JSON output.
    json boto(const QString& scenario, const QString& url, const QStringList& extra = {},
              Run* run = nullptr) {
        const Run r =
            runProcess(kPython, QStringList{q(fixture("sqs/client.py")), scenario, url} + extra, {},
                       scratch_.path(), clientEnvironment());
        if (run) *run = r;
        if (r.exitCode != 0) qWarning("%s", qPrintable(r.describe()));
        return json::parse(r.out.toStdString(), nullptr, false);
    }

    static bool haveBoto3() {
        return runProcess(kPython, {QStringLiteral("-c"), QStringLiteral("import boto3")})
                   .exitCode == 0;
    }

    // The round trip every CLI must manage, in whichever protocol it speaks.
    void cliRoundTrip(const QString& program, const QString& queue) {
        Run r =
            aws(program, {QStringLiteral("create-queue"), QStringLiteral("--queue-name"), queue,
                          QStringLiteral("--attributes"), QStringLiteral("VisibilityTimeout=5")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        const QString url = field(json::parse(r.out.toStdString(), nullptr, false), "/QueueUrl");
        QCOMPARE(url, endpoint() + QStringLiteral("/000000000000/") + queue);

        r = aws(program, {QStringLiteral("get-queue-url"), QStringLiteral("--queue-name"), queue});
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        QCOMPARE(field(json::parse(r.out.toStdString(), nullptr, false), "/QueueUrl"), url);

        const QString body = QStringLiteral("héllo <world> & \"friends\"\r\nline two");
        r = aws(program,
                {QStringLiteral("send-message"), QStringLiteral("--queue-url"), url,
                 QStringLiteral("--message-body"), body, QStringLiteral("--message-attributes"),
                 QStringLiteral(R"({"city":{"DataType":"String","StringValue":"Oslo"},)"
                                R"("count":{"DataType":"Number","StringValue":"7"}})")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        const json sent = json::parse(r.out.toStdString(), nullptr, false);
        QCOMPARE(field(sent, "/MD5OfMessageBody"), md5(body.toUtf8()));
        const QString attributesDigest =
            attributesMd5({{"city", "String", "Oslo"}, {"count", "Number", "7"}});
        QCOMPARE(field(sent, "/MD5OfMessageAttributes"), attributesDigest);

        r = aws(program, {QStringLiteral("receive-message"), QStringLiteral("--queue-url"), url,
                          QStringLiteral("--attribute-names"), QStringLiteral("All"),
                          QStringLiteral("--message-attribute-names"), QStringLiteral("All"),
                          QStringLiteral("--wait-time-seconds"), QStringLiteral("5")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        const json received = json::parse(r.out.toStdString(), nullptr, false);
        QCOMPARE(field(received, "/Messages/0/Body"), body);
        QCOMPARE(field(received, "/Messages/0/MessageId"), field(sent, "/MessageId"));
        QCOMPARE(field(received, "/Messages/0/MD5OfBody"), md5(body.toUtf8()));
        QCOMPARE(field(received, "/Messages/0/MD5OfMessageAttributes"), attributesDigest);
        QCOMPARE(field(received, "/Messages/0/MessageAttributes/city/StringValue"),
                 QStringLiteral("Oslo"));
        QCOMPARE(field(received, "/Messages/0/Attributes/ApproximateReceiveCount"),
                 QStringLiteral("1"));
        const qint64 sentAt = field(received, "/Messages/0/Attributes/SentTimestamp").toLongLong();
        QVERIFY(std::abs(sentAt - QDateTime::currentMSecsSinceEpoch()) < 60000);
        QVERIFY(field(received, "/Messages/0/Attributes/ApproximateFirstReceiveTimestamp")
                    .toLongLong() >= sentAt);

        r = aws(program, {QStringLiteral("get-queue-attributes"), QStringLiteral("--queue-url"),
                          url, QStringLiteral("--attribute-names"), QStringLiteral("All")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        json attributes = json::parse(r.out.toStdString(), nullptr, false);
        QCOMPARE(field(attributes, "/Attributes/VisibilityTimeout"), QStringLiteral("5"));
        QCOMPARE(field(attributes, "/Attributes/ApproximateNumberOfMessagesNotVisible"),
                 QStringLiteral("1"));
        QCOMPARE(field(attributes, "/Attributes/QueueArn"),
                 QStringLiteral("arn:aws:sqs:us-east-1:000000000000:") + queue);

        r = aws(program,
                {QStringLiteral("delete-message"), QStringLiteral("--queue-url"), url,
                 QStringLiteral("--receipt-handle"), field(received, "/Messages/0/ReceiptHandle")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        r = aws(program,
                {QStringLiteral("get-queue-attributes"), QStringLiteral("--queue-url"), url,
                 QStringLiteral("--attribute-names"), QStringLiteral("ApproximateNumberOfMessages"),
                 QStringLiteral("ApproximateNumberOfMessagesNotVisible")});
        attributes = json::parse(r.out.toStdString(), nullptr, false);
        QCOMPARE(field(attributes, "/Attributes/ApproximateNumberOfMessages"), QStringLiteral("0"));
        QCOMPARE(field(attributes, "/Attributes/ApproximateNumberOfMessagesNotVisible"),
                 QStringLiteral("0"));

        r = aws(program,
                {QStringLiteral("set-queue-attributes"), QStringLiteral("--queue-url"), url,
                 QStringLiteral("--attributes"), QStringLiteral("DelaySeconds=1000")});
        QVERIFY2(r.exitCode != 0 && r.err.contains(QStringLiteral("InvalidParameterValue")),
                 qPrintable(r.describe()));

        r = aws(program,
                {QStringLiteral("list-queues"), QStringLiteral("--queue-name-prefix"), queue});
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        QCOMPARE(field(json::parse(r.out.toStdString(), nullptr, false), "/QueueUrls/0"), url);

        r = aws(program, {QStringLiteral("delete-queue"), QStringLiteral("--queue-url"), url});
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        r = aws(program, {QStringLiteral("get-queue-url"), QStringLiteral("--queue-name"), queue});
        QVERIFY2(r.exitCode != 0 && (r.err.contains(QStringLiteral("NonExistentQueue")) ||
                                     r.err.contains(QStringLiteral("QueueDoesNotExist"))),
                 qPrintable(r.describe()));
    }

  private slots:
    void initTestCase() {
        prepareTestEnvironment();
        QVERIFY(scratch_.isValid());
        QDir(scratch_.path()).mkpath(QStringLiteral("home"));
        engine_ = std::make_unique<TestEngine>(fixture("sqs/template.yaml"));
        (*engine_)->addObserver(&recorder_);
    }

    void cleanupTestCase() {
        if (engine_) (*engine_)->removeObserver(&recorder_);
        engine_.reset();
    }

    void queryProtocolWithDebianAwsCli() {
        if (!QFileInfo(kDebianAws).isExecutable()) QSKIP("no /usr/bin/aws (Debian's awscli)");
        FB_CHECK(cliRoundTrip(kDebianAws, QStringLiteral("cli-query")));
    }

    // The aws on PATH, when it is another one (a pyenv aws CLI v1 with a current botocore sends
    // the JSON protocol).
    void jsonProtocolWithAwsOnPath() {
        const QString onPath = QStandardPaths::findExecutable(QStringLiteral("aws"));
        if (onPath.isEmpty() || canonical(onPath) == canonical(kDebianAws))
            QSKIP("no other aws CLI on PATH");
        FB_CHECK(cliRoundTrip(onPath, QStringLiteral("cli-json")));
    }

    // The template's queue URLs (what !Ref of a queue hands a handler) name the port the edge
    // really bound, and a query-protocol call without a signature (`--no-sign-request`, curl)
    // still reaches SQS.
    void queueUrlsAndUnsignedQueries() {
        const quint16 port = (*engine_)->edgePort();
        const auto& project = (*engine_)->project();
        QVERIFY(!project.queues.empty());
        for (const auto& queue : project.queues)
            QVERIFY2(q(project.queueUrl(queue))
                         .startsWith(QStringLiteral("http://127.0.0.1:%1/").arg(port)),
                     project.queueUrl(queue).c_str());
        const HttpReply reply =
            httpRequest(port, "POST", "/", "Action=GetQueueUrl&QueueName=work&Version=2012-11-05",
                        {{"Content-Type", "application/x-www-form-urlencoded"}});
        QVERIFY2(reply.status == 200, reply.body.constData());
        QVERIFY2(reply.body.contains("<QueueUrl>"), reply.body.constData());
    }

    // What no client sends on purpose: errors in each protocol's own shape.
    void errorShapes() {
        const QByteArray auth =
            "AWS4-HMAC-SHA256 Credential=test/20261123/us-east-1/sqs/aws4_request, "
            "SignedHeaders=host, Signature=0";
        const quint16 port = (*engine_)->edgePort();
        HttpReply reply =
            httpRequest(port, "POST", "/", R"({"QueueName":"missing"})",
                        {{"X-Amz-Target", "AmazonSQS.GetQueueUrl"}, {"Authorization", auth}});
        QCOMPARE(reply.status, 400);
        const json body = json::parse(reply.body.toStdString(), nullptr, false);
        QCOMPARE(field(body, "/__type"), QStringLiteral("com.amazonaws.sqs#QueueDoesNotExist"));
        QVERIFY2(field(body, "/message").contains(QStringLiteral("missing")),
                 reply.body.constData());
        QCOMPARE(reply.headers.value(QStringLiteral("x-amzn-query-error")),
                 QStringLiteral("AWS.SimpleQueueService.NonExistentQueue;Sender"));

        reply = httpRequest(port, "POST", "/",
                            "Action=SendMessage&Version=2012-11-05&QueueUrl=http%3A%2F%2F127.0.0.1"
                            "%2F000000000000%2Fplain",
                            {{"Authorization", auth}});
        QCOMPARE(reply.status, 400);
        QVERIFY2(reply.body.contains("<Type>Sender</Type>") &&
                     reply.body.contains("<Code>MissingParameter</Code>") &&
                     reply.body.contains("MessageBody"),
                 reply.body.constData());

        reply = httpRequest(port, "POST", "/",
                            "Action=GetQueueUrl&Version=2012-11-05&QueueName=nowhere",
                            {{"Authorization", auth}});
        QCOMPARE(reply.status, 400);
        QVERIFY2(reply.body.contains("<ErrorResponse") &&
                     reply.body.contains("<Code>AWS.SimpleQueueService.NonExistentQueue</Code>"),
                 reply.body.constData());

        reply = httpRequest(port, "POST", "/", R"({"QueueUrl":"x/plain","ReceiptHandle":"bad"})",
                            {{"X-Amz-Target", "AmazonSQS.DeleteMessage"}, {"Authorization", auth}});
        QCOMPARE(reply.status, 400);
        QCOMPARE(field(json::parse(reply.body.toStdString(), nullptr, false), "/__type"),
                 QStringLiteral("com.amazonaws.sqs#ReceiptHandleIsInvalid"));

        reply =
            httpRequest(port, "POST", "/", R"({"QueueUrl":"x/plain","Entries":[]})",
                        {{"X-Amz-Target", "AmazonSQS.SendMessageBatch"}, {"Authorization", auth}});
        QCOMPARE(reply.status, 400);
        QCOMPARE(reply.headers.value(QStringLiteral("x-amzn-query-error")),
                 QStringLiteral("AWS.SimpleQueueService.EmptyBatchRequest;Sender"));

        // A control character cannot travel in the query protocol's XML: SQS refuses it.
        const json bad = {{"QueueUrl", "x/plain"}, {"MessageBody", std::string("a\x01b")}};
        reply = httpRequest(port, "POST", "/", QByteArray::fromStdString(bad.dump()),
                            {{"X-Amz-Target", "AmazonSQS.SendMessage"}, {"Authorization", auth}});
        QCOMPARE(reply.status, 400);
        QCOMPARE(field(json::parse(reply.body.toStdString(), nullptr, false), "/__type"),
                 QStringLiteral("com.amazonaws.sqs#InvalidMessageContents"));
    }

    void boto3VisibilityBatchesAndDelays() {
        if (!haveBoto3()) QSKIP("no boto3 for /usr/bin/python3 (python3-boto3)");
        Run run;
        const json out = boto(QStringLiteral("visibility"), endpoint(), {}, &run);
        QVERIFY2(out.is_object(), qPrintable(run.describe()));
        QCOMPARE(out["sent"].size(), std::size_t(3));
        QCOMPARE(out["sentFailed"].size(), std::size_t(0));
        QCOMPARE(out["first"].size(), std::size_t(3));
        // The attribute digest over String, Number and Binary values, sorted by name.
        const QString digest = attributesMd5({{"blob", "Binary", QByteArray("\x00\x01\xff", 3)},
                                              {"colour", "String", "blue"},
                                              {"size", "Number", "42"}});
        QCOMPARE(field(out, "/sent/0/MD5OfMessageAttributes"), digest);
        QCOMPARE(field(out, "/first/0/Body"), QStringLiteral("alpha"));
        QCOMPARE(field(out, "/first/0/MD5OfMessageAttributes"), digest);
        QCOMPARE(field(out, "/first/0/MessageAttributes/size/StringValue"), QStringLiteral("42"));
        QCOMPARE(field(out, "/afterFirst/ApproximateNumberOfMessagesNotVisible"),
                 QStringLiteral("3"));
        QCOMPARE(field(out, "/afterFirst/ApproximateNumberOfMessages"), QStringLiteral("0"));
        QCOMPARE(out["immediately"].size(), std::size_t(0));
        // Back after their visibility timeout, received a second time.
        QCOMPARE(out["again"].size(), std::size_t(3));
        for (const auto& m : out["again"])
            QCOMPARE(field(m, "/Attributes/ApproximateReceiveCount"), QStringLiteral("2"));
        QCOMPARE(out["afterChange"].size(), std::size_t(1));
        QCOMPARE(field(out, "/afterChange/0/MessageId"), field(out, "/again/0/MessageId"));
        // The stale handle deleted nothing.
        QCOMPARE(field(out, "/afterStaleDelete/ApproximateNumberOfMessages").toInt() +
                     field(out, "/afterStaleDelete/ApproximateNumberOfMessagesNotVisible").toInt(),
                 3);
        QCOMPARE(intField(out, "/deleted"), 3);
        QCOMPARE(field(out, "/afterDelete/ApproximateNumberOfMessages"), QStringLiteral("0"));
        QCOMPARE(field(out, "/afterDelete/ApproximateNumberOfMessagesNotVisible"),
                 QStringLiteral("0"));
        QCOMPARE(field(out, "/delayedCount/ApproximateNumberOfMessagesDelayed"),
                 QStringLiteral("1"));
        QCOMPARE(field(out, "/delayed/0"), QStringLiteral("later"));
        QVERIFY2(out["delayedAfter"].get<double>() >= 1.5, qPrintable(q(out.dump())));
        QCOMPARE(field(out, "/badHandle"), QStringLiteral("ReceiptHandleIsInvalid"));
        QCOMPARE(field(out, "/afterDeleteQueue"),
                 QStringLiteral("AWS.SimpleQueueService.NonExistentQueue"));
    }

    void boto3FifoOrderAndDeduplication() {
        if (!haveBoto3()) QSKIP("no boto3 for /usr/bin/python3 (python3-boto3)");
        Run run;
        const json out = boto(QStringLiteral("fifo"), endpoint(), {}, &run);
        QVERIFY2(out.is_object(), qPrintable(run.describe()));
        // Content-based deduplication: the same body answers with the first message's id.
        QCOMPARE(field(out, "/duplicateContent"), field(out, "/ids/a1"));
        QCOMPARE(field(out, "/explicitDedup/0"), field(out, "/explicitDedup/1"));
        QCOMPARE(field(out, "/count/ApproximateNumberOfMessages"), QStringLiteral("6"));
        const json expected = json::parse(R"([["a1"],["b1"],["x-one"],[],["a2","a3"],["b2"]])");
        QCOMPARE(q(out["received"].dump()), q(expected.dump()));
        QCOMPARE(field(out, "/attributes/MessageGroupId"), QStringLiteral("g1"));
        QVERIFY(!field(out, "/attributes/SequenceNumber").isEmpty());
        QVERIFY(out["sequence"].is_array());
        for (std::size_t i = 1; i < out["sequence"].size(); ++i)
            QVERIFY(out["sequence"][i - 1].get<std::string>() <
                    out["sequence"][i].get<std::string>());
        QCOMPARE(field(out, "/noGroup"), QStringLiteral("MissingParameter"));
    }

    void boto3RedriveToDeadLetterQueue() {
        if (!haveBoto3()) QSKIP("no boto3 for /usr/bin/python3 (python3-boto3)");
        Run run;
        const json out = boto(QStringLiteral("redrive"), endpoint(), {}, &run);
        QVERIFY2(out.is_object(), qPrintable(run.describe()));
        QCOMPARE(q(out["receiveCounts"].dump()), QStringLiteral(R"(["1","2"])"));
        QCOMPARE(out["third"].size(), std::size_t(0));
        QCOMPARE(out["dlq"].size(), std::size_t(1));
        QCOMPARE(field(out, "/dlq/0/id"), field(out, "/messageId"));
        QCOMPARE(field(out, "/dlq/0/body"), QStringLiteral("poison"));
        QCOMPARE(field(out, "/sources/0"), endpoint() + QStringLiteral("/000000000000/boto-src"));
        QCOMPARE(q(out["tags"].dump()), QStringLiteral(R"({"team":"fog"})"));
        const QString listed = q(out["listed"].dump());
        QVERIFY2(listed.contains(QStringLiteral("/000000000000/boto-src\"")) &&
                     listed.contains(QStringLiteral("/000000000000/boto-dlq\"")),
                 qPrintable(listed));
    }

    // A receive waiting on an empty queue returns with the message as soon as it is sent, and
    // waiting costs the engine no CPU.
    void longPollWakesOnSendAndIdlesFree() {
        if (!haveBoto3()) QSKIP("no boto3 for /usr/bin/python3 (python3-boto3)");
        Run run;
        const json out = boto(QStringLiteral("longpoll"), endpoint(), {}, &run);
        QVERIFY2(out.is_object(), qPrintable(run.describe()));
        QCOMPARE(field(out, "/bodies/0"), QStringLiteral("wake up"));
        // Far below the 20 s wait: the send woke it (a timer-driven poll would still answer, but
        // only when its wait ran out).
        QVERIFY2(out["waited"].get<double>() < 15.0, qPrintable(q(out.dump())));
        // Generous for a loaded machine; a wake-up that waited for a timer tick or the end of the
        // wait would miss it by far.
        QVERIFY2(out["wakeAfterSend"].get<double>() < 3.0, qPrintable(q(out.dump())));

        auto cpuSeconds = [] {
            QFile stat(QStringLiteral("/proc/self/stat"));
            if (!stat.open(QIODevice::ReadOnly)) return -1.0;
            const QByteArray text = stat.readAll();
            const QList<QByteArray> f = text.mid(text.lastIndexOf(')') + 2).split(' ');
            return (f.value(11).toDouble() + f.value(12).toDouble()) / 100.0;  // utime + stime
        };
        const double before = cpuSeconds();
        const json idle = boto(QStringLiteral("idle"), endpoint(), {QStringLiteral("4")}, &run);
        const double used = cpuSeconds() - before;
        QVERIFY2(idle.is_object(), qPrintable(run.describe()));
        QCOMPARE(intField(idle, "/messages"), 0);
        QVERIFY2(idle["waited"].get<double>() >= 3.5, qPrintable(q(idle.dump())));
        // The whole test process (engine included) while one long poll waits 4 s.
        QVERIFY2(used < 1.0, qPrintable(QStringLiteral("%1 s of CPU").arg(used)));
    }

    // Work's mapping reports partial failures: the good records are deleted after one delivery,
    // the failing one comes back after the visibility timeout and then reaches work-dlq. The
    // invocation continues the trace of the SendMessageBatch that queued it.
    void partialBatchFailureThroughRealHandler() {
        if (!haveBoto3()) QSKIP("no boto3 for /usr/bin/python3 (python3-boto3)");
        const QByteArray auth =
            "AWS4-HMAC-SHA256 Credential=test/20261123/us-east-1/sqs/aws4_request, "
            "SignedHeaders=host, Signature=0";
        const std::string root =
            "1-" + QString::number(QDateTime::currentSecsSinceEpoch(), 16).toStdString() +
            "-0123456789abcdef01234567";
        const json batch = {
            {"QueueUrl", endpoint().toStdString() + "/000000000000/work"},
            {"Entries",
             {{{"Id", "1"}, {"MessageBody", "ok-1"}},
              {{"Id", "2"},
               {"MessageBody", "fail-1"},
               {"MessageAttributes", {{"kind", {{"DataType", "String"}, {"StringValue", "bad"}}}}}},
              {{"Id", "3"}, {"MessageBody", "ok-2"}}}}};
        const QByteArray body = QByteArray::fromStdString(batch.dump());
        const HttpReply reply =
            httpRequest((*engine_)->edgePort(), "POST", "/", body,
                        {{"X-Amz-Target", "AmazonSQS.SendMessageBatch"},
                         {"Content-Type", "application/x-amz-json-1.0"},
                         {"Authorization", auth},
                         {"X-Amzn-Trace-Id", QByteArray("Root=") + root.c_str() + ";Sampled=1"}});
        QVERIFY2(reply.status == 200, reply.body.constData());
        QCOMPARE(json::parse(reply.body.toStdString())["Successful"].size(), std::size_t(3));

        const json dlq = boto(QStringLiteral("drain_named"), endpoint(),
                              {QStringLiteral("work-dlq"), QStringLiteral("1")});
        QCOMPARE(field(dlq, "/bodies/0"), QStringLiteral("fail-1"));

        const auto results = recorder_.of("sqs-partial");
        QCOMPARE(deliveries(results, "ok-1"), 1);
        QCOMPARE(deliveries(results, "ok-2"), 1);
        QCOMPARE(deliveries(results, "fail-1"), 2);  // maxReceiveCount
        QVERIFY(!results.empty());
        const auto& first = results.front();
        FB_EXPECT_OK(first);
        QCOMPARE(first.trigger, fogbank::Trigger::Sqs);
        const json event = json::parse(first.event);
        const json& record = event["Records"][0];
        QCOMPARE(field(record, "/eventSource"), QStringLiteral("aws:sqs"));
        QCOMPARE(field(record, "/eventSourceARN"),
                 QStringLiteral("arn:aws:sqs:us-east-1:000000000000:work"));
        QCOMPARE(field(record, "/awsRegion"), QStringLiteral("us-east-1"));
        QCOMPARE(field(record, "/md5OfBody"), md5(q(record.value("body", "")).toUtf8()));
        QCOMPARE(field(record, "/attributes/ApproximateReceiveCount"), QStringLiteral("1"));
        QVERIFY(!field(record, "/receiptHandle").isEmpty());
        QVERIFY(!field(record, "/attributes/SentTimestamp").isEmpty());
        for (const auto& r : event["Records"])
            if (r.value("body", "") == "fail-1") {
                QCOMPARE(field(r, "/messageAttributes/kind/stringValue"), QStringLiteral("bad"));
                QCOMPARE(field(r, "/messageAttributes/kind/dataType"), QStringLiteral("String"));
            }

        // The trace: the SendMessageBatch span is the invocation's parent.
        QCOMPARE(q(first.traceRoot), q(root));
        auto* store = (*engine_)->store();
        QVERIFY(store);
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                for (const auto& span : store->spans(root))
                    if (span.operation == "SendMessageBatch" && span.spanId == first.parentSpanId)
                        return true;
                return false;
            }(),
            10000);
    }

    // A handler that always throws: the record comes back, then lands in poison-dlq.
    void failingHandlerSendsToDeadLetterQueue() {
        if (!haveBoto3()) QSKIP("no boto3 for /usr/bin/python3 (python3-boto3)");
        const json sent = boto(QStringLiteral("send_named"), endpoint(),
                               {QStringLiteral("poison"), QStringLiteral("doomed")});
        QVERIFY(!field(sent, "/id").isEmpty());
        const json dlq = boto(QStringLiteral("drain_named"), endpoint(),
                              {QStringLiteral("poison-dlq"), QStringLiteral("1")});
        QCOMPARE(field(dlq, "/bodies/0"), QStringLiteral("doomed"));
        QCOMPARE(field(dlq, "/ids/0"), field(sent, "/id"));
        const auto results = recorder_.of("sqs-failing");
        QCOMPARE(deliveries(results, "doomed"), 2);
        for (const auto& r : results) FB_EXPECT_STATUS(r, FunctionError);
    }

    // `fogbank serve` killed with SIGKILL while a client sends: after a restart, every
    // acknowledged message is delivered again, the in-flight ones after their visibility timeout.
    void killMinusNineLosesNoAcknowledgedMessage() {
        if (!haveBoto3()) QSKIP("no boto3 for /usr/bin/python3 (python3-boto3)");
        const QString state = scratch_.filePath(QStringLiteral("serve-state"));
        const quint16 port = freePort();
        QVERIFY(port != 0);
        const QString url = QStringLiteral("http://127.0.0.1:%1").arg(port);

        QProcess server;
        FB_CHECK(startServe(server, fixture("sqs/template.yaml"), port, state));
        QProcess sender;
        sender.setProcessEnvironment(clientEnvironment());
        sender.start(kPython, {q(fixture("sqs/client.py")), QStringLiteral("send_forever"), url});
        QVERIFY(sender.waitForStarted(30000));
        QString sent;
        QTRY_VERIFY2_WITH_TIMEOUT((sent += QString::fromUtf8(sender.readAllStandardOutput()))
                                              .count(QStringLiteral("ACK ")) >= 200 ||
                                      sender.state() == QProcess::NotRunning,
                                  qPrintable(sent), 120000);
        ::kill(static_cast<pid_t>(server.processId()), SIGKILL);
        QVERIFY(server.waitForFinished(10000));
        QCOMPARE(server.exitStatus(), QProcess::CrashExit);
        QVERIFY(sender.waitForFinished(60000));
        sent += QString::fromUtf8(sender.readAllStandardOutput());

        std::set<QString> acknowledged, inFlight;
        for (const QString& line : sent.split('\n')) {
            if (line.startsWith(QStringLiteral("ACK "))) acknowledged.insert(line.mid(4).trimmed());
            if (line.startsWith(QStringLiteral("INFLIGHT ")))
                inFlight.insert(line.mid(9).trimmed());
        }
        QVERIFY2(acknowledged.size() >= 200, qPrintable(sent.right(2000)));
        QCOMPARE(inFlight.size(), std::size_t(5));

        QProcess again;
        FB_CHECK(startServe(again, fixture("sqs/template.yaml"), port, state));
        const json drained = boto(QStringLiteral("drain"), url);
        again.terminate();
        again.waitForFinished(15000);
        QVERIFY(drained.is_object());
        std::set<QString> delivered;
        for (const auto& id : drained["ids"]) delivered.insert(q(id.get<std::string>()));
        int missing = 0;
        QString example;
        for (const auto& id : acknowledged)
            if (!delivered.contains(id) && !missing++) example = id;
        for (const auto& id : inFlight)
            if (!delivered.contains(id) && !missing++) example = id;
        QVERIFY2(missing == 0, qPrintable(QStringLiteral("%1 of %2 acknowledged messages lost, "
                                                         "e.g. %3")
                                              .arg(missing)
                                              .arg(acknowledged.size() + inFlight.size())
                                              .arg(example)));
    }
};

QTEST_GUILESS_MAIN(SqsTest)
#include "test_sqs.moc"
