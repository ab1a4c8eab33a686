// `fogbank generate-event SERVICE TYPE [--field value ...]`: every template makes an event in the
// shape AWS sends (real field names, types and formats), fields fill it with the right JSON types
// and encodings, mistakes are named with the valid choices, and the output piped into
// `fogbank invoke` is read by real Python and Node handlers as AWS's events are.
#include "emulator/crypto/digest.h"
#include "emulator/events/event_template_library.h"
#include "test_support.h"

#include <QCryptographicHash>

using namespace fbtest;
using fogbank::EventTemplateLibrary;

namespace {

QString fogbankExe() {
    return QStringLiteral(FOGBANK_BIN_DIR "/fogbank");
}

QString md5(const QString& text) {
    return QString::fromLatin1(
        QCryptographicHash::hash(text.toUtf8(), QCryptographicHash::Md5).toHex());
}

// 2024-02-29T13:14:15.678Z
const std::chrono::system_clock::time_point kFixedNow{std::chrono::milliseconds(1709212455678)};

}  // namespace

class GenerateEventTest : public QObject {
    Q_OBJECT

  private:
    QTemporaryDir dir_;  // a copy of fixtures/replay: invocations record beside their template

    QString recordsTemplate() const { return dir_.path() + QStringLiteral("/template.yaml"); }

    Run generate(const QStringList& args) {
        return runProcess(fogbankExe(), QStringList{QStringLiteral("generate-event")} + args);
    }

    // The event printed by a successful generate-event, or a failed test.
    json generated(const QStringList& args, Run* runOut = nullptr) {
        const Run run = generate(args);
        if (runOut) *runOut = run;
        [&] {
            QVERIFY2(run.exitCode == 0, qPrintable(args.join(' ') + ": " + run.describe()));
            QVERIFY2(run.err.isEmpty(), qPrintable(run.describe()));
        }();
        return json::parse(run.out.toStdString(), nullptr, false);
    }

  private slots:
    void initTestCase() {
        prepareTestEnvironment();
        QVERIFY2(QFileInfo(fogbankExe()).isExecutable(), qPrintable(fogbankExe()));
        QVERIFY(dir_.isValid());
        fs::copy(fixture("replay"), fs::path(dir_.path().toStdString()),
                 fs::copy_options::recursive);
    }

    // Every template the library ships, through the library: no placeholder left unfilled.
    void everyTemplateGenerates() {
        const EventTemplateLibrary library;
        int count = 0;
        for (const auto& service : library.services()) {
            for (const auto* t : library.templates(service)) {
                ++count;
                const auto event = EventTemplateLibrary::generate(*t, {}, kFixedNow);
                const std::string text = event.dump();
                QVERIFY2(text.find("{{") == std::string::npos, qPrintable(q(text)));
                QVERIFY2(!t->description.empty(), qPrintable(q(t->file)));
                for (const auto& f : t->fields)
                    QVERIFY2(!f.description.empty(), qPrintable(q(t->file) + " " + q(f.name)));
            }
        }
        QVERIFY2(count >= 11, qPrintable(QString::number(count)));
    }

    // The real fields of each event, as AWS sends them, with every field at its default.
    void eachEventHasItsShape_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QStringList>("expected");  // JSON pointer=value (value as field() shows)
        QTest::newRow("s3 put") << QStringList{"s3", "put"}
                                << QStringList{
                                       "/Records/0/eventSource=aws:s3",
                                       "/Records/0/eventVersion=2.1",
                                       "/Records/0/eventName=ObjectCreated:Put",
                                       "/Records/0/awsRegion=us-east-1",
                                       "/Records/0/s3/s3SchemaVersion=1.0",
                                       "/Records/0/s3/bucket/name=example-bucket",
                                       "/Records/0/s3/bucket/arn=arn:aws:s3:::example-bucket",
                                       "/Records/0/s3/object/key=uploads/example.txt",
                                       "/Records/0/s3/object/size=20",
                                       "/Records/0/s3/object/eTag=" + md5("Hello from Fogbank!\n")};
        QTest::newRow("s3 delete") << QStringList{"s3", "delete"}
                                   << QStringList{"/Records/0/eventName=ObjectRemoved:Delete",
                                                  "/Records/0/s3/object/key=uploads/example.txt",
                                                  "/Records/0/s3/object/size=<missing>",
                                                  "/Records/0/s3/object/eTag=<missing>"};
        QTest::newRow("sqs receive")
            << QStringList{"sqs", "receive"}
            << QStringList{
                   "/Records/0/eventSource=aws:sqs",
                   "/Records/0/body=Hello from SQS!",
                   "/Records/0/md5OfBody=" + md5("Hello from SQS!"),
                   "/Records/0/attributes/ApproximateReceiveCount=1",
                   "/Records/0/eventSourceARN=arn:aws:sqs:us-east-1:123456789012:example-queue",
                   "/Records/0/messageAttributes={}"};
        QTest::newRow("apigateway rest")
            << QStringList{"apigateway", "rest"}
            << QStringList{"/httpMethod=POST",
                           "/path=/hello",
                           "/resource=/{proxy+}",
                           "/pathParameters/proxy=hello",
                           "/queryStringParameters=null",
                           "/multiValueQueryStringParameters=null",
                           "/isBase64Encoded=false",
                           R"(/body={"message": "hello"})",
                           "/requestContext/stage=prod",
                           "/requestContext/path=/prod/hello",
                           "/requestContext/resourcePath=/{proxy+}",
                           "/multiValueHeaders/Content-Type=[\"application/json\"]"};
        QTest::newRow("apigateway http") << QStringList{"apigateway", "http"}
                                         << QStringList{"/version=2.0",
                                                        "/routeKey=$default",
                                                        "/rawPath=/hello",
                                                        "/rawQueryString=",
                                                        "/queryStringParameters=<missing>",
                                                        "/cookies=<missing>",
                                                        "/pathParameters=<missing>",
                                                        "/requestContext/http/method=POST",
                                                        "/requestContext/http/path=/hello",
                                                        "/requestContext/stage=$default",
                                                        "/headers/content-length=20",
                                                        "/isBase64Encoded=false"};
        QTest::newRow("eventbridge scheduled")
            << QStringList{"eventbridge", "scheduled"}
            << QStringList{
                   "/version=0", "/detail-type=Scheduled Event", "/source=aws.events", "/detail={}",
                   "/resources/0=arn:aws:events:us-east-1:123456789012:rule/example-schedule"};
        QTest::newRow("eventbridge custom")
            << QStringList{"eventbridge", "custom"}
            << QStringList{"/detail-type=OrderPlaced", "/source=com.example.orders",
                           "/detail/amount=42", "/resources=[]"};
        QTest::newRow("sns notification")
            << QStringList{"sns", "notification"}
            << QStringList{
                   "/Records/0/EventSource=aws:sns",
                   "/Records/0/EventVersion=1.0",
                   "/Records/0/Sns/Type=Notification",
                   "/Records/0/Sns/Message=Hello from SNS!",
                   "/Records/0/Sns/Subject=null",
                   "/Records/0/Sns/TopicArn=arn:aws:sns:us-east-1:123456789012:example-topic"};
        QTest::newRow("dynamodb insert")
            << QStringList{"dynamodb", "insert"}
            << QStringList{"/Records/0/eventSource=aws:dynamodb",
                           "/Records/0/eventName=INSERT",
                           "/Records/0/dynamodb/Keys/Id/N=101",
                           "/Records/0/dynamodb/NewImage/Message/S=New item!",
                           "/Records/0/dynamodb/OldImage=<missing>",
                           "/Records/0/dynamodb/StreamViewType=NEW_AND_OLD_IMAGES"};
        QTest::newRow("dynamodb modify")
            << QStringList{"dynamodb", "modify"}
            << QStringList{"/Records/0/eventName=MODIFY",
                           "/Records/0/dynamodb/OldImage/Message/S=New item!"};
        QTest::newRow("dynamodb remove")
            << QStringList{"dynamodb", "remove"}
            << QStringList{"/Records/0/eventName=REMOVE", "/Records/0/dynamodb/NewImage=<missing>"};
    }
    void eachEventHasItsShape() {
        QFETCH(QStringList, args);
        QFETCH(QStringList, expected);
        Run run;
        const json event = generated(args, &run);
        if (QTest::currentTestFailed()) return;
        QVERIFY2(event.is_object(), qPrintable(run.describe()));
        // Pretty: one value per line, indented.
        QVERIFY2(run.out.startsWith(QStringLiteral("{\n  \"")), qPrintable(run.out));
        for (const QString& check : expected) {
            const int eq = check.indexOf('=');
            QCOMPARE(field(event, check.left(eq).toStdString()), check.mid(eq + 1));
        }
    }

    // Times are now, each in the format its service uses; numbers where AWS sends numbers.
    void timesAreNowInEachServicesFormat() {
        const EventTemplateLibrary library;
        const auto at = [&](const char* service, const char* type) {
            const auto* t = library.find(service, type);
            if (!t) throw std::runtime_error(std::string("no template ") + service + " " + type);
            return json::parse(EventTemplateLibrary::generate(*t, {}, kFixedNow).dump());
        };
        QCOMPARE(field(at("s3", "put"), "/Records/0/eventTime"),
                 QStringLiteral("2024-02-29T13:14:15.678Z"));
        QCOMPARE(field(at("s3", "put"), "/Records/0/s3/object/sequencer"),
                 QStringLiteral("000000018DF50052FE"));
        QCOMPARE(field(at("sns", "notification"), "/Records/0/Sns/Timestamp"),
                 QStringLiteral("2024-02-29T13:14:15.678Z"));
        QCOMPARE(field(at("eventbridge", "scheduled"), "/time"),
                 QStringLiteral("2024-02-29T13:14:15Z"));
        QCOMPARE(field(at("eventbridge", "custom"), "/time"),
                 QStringLiteral("2024-02-29T13:14:15Z"));
        const json sqs = at("sqs", "receive");
        QVERIFY(sqs.at("/Records/0/attributes/SentTimestamp"_json_pointer).is_string());
        QCOMPARE(field(sqs, "/Records/0/attributes/SentTimestamp"),
                 QStringLiteral("1709212455678"));
        const json rest = at("apigateway", "rest");
        QCOMPARE(field(rest, "/requestContext/requestTime"),
                 QStringLiteral("29/Feb/2024:13:14:15 +0000"));
        QVERIFY(rest.at("/requestContext/requestTimeEpoch"_json_pointer).is_number_integer());
        QCOMPARE(intField(rest, "/requestContext/requestTimeEpoch"), qint64(1709212455678));
        QVERIFY2(field(rest, "/headers/X-Amzn-Trace-Id").startsWith("Root=1-65e08327-"),
                 qPrintable(field(rest, "/headers/X-Amzn-Trace-Id")));
        const json http = at("apigateway", "http");
        QCOMPARE(field(http, "/requestContext/time"), QStringLiteral("29/Feb/2024:13:14:15 +0000"));
        QCOMPARE(intField(http, "/requestContext/timeEpoch"), qint64(1709212455678));
        const json ddb = at("dynamodb", "insert");
        QVERIFY(ddb.at("/Records/0/dynamodb/ApproximateCreationDateTime"_json_pointer)
                    .is_number_integer());
        QCOMPARE(intField(ddb, "/Records/0/dynamodb/ApproximateCreationDateTime"),
                 qint64(1709212455));

        // And from the command line, now: within a day of this test's clock, whatever the zone.
        const json live = generated({"s3", "put"});
        const QDateTime time =
            QDateTime::fromString(field(live, "/Records/0/eventTime"), Qt::ISODateWithMs);
        QVERIFY2(time.isValid(), qPrintable(field(live, "/Records/0/eventTime")));
        QVERIFY(std::abs(time.secsTo(QDateTime::currentDateTimeUtc())) < 86400);
    }

    void s3FieldsAreFilledAndEncoded() {
        const json event =
            generated({"s3", "put", "--bucket", "photos", "--key", "holiday pics/día 1 (a)+b.jpg",
                       "--content=hello", "--region", "eu-west-1"});
        QCOMPARE(field(event, "/Records/0/s3/bucket/name"), QStringLiteral("photos"));
        QCOMPARE(field(event, "/Records/0/s3/bucket/arn"), QStringLiteral("arn:aws:s3:::photos"));
        QCOMPARE(field(event, "/Records/0/awsRegion"), QStringLiteral("eu-west-1"));
        // URL-encoded as S3 puts keys in notifications: a space as '+', '/' kept.
        QCOMPARE(field(event, "/Records/0/s3/object/key"),
                 QStringLiteral("holiday+pics/d%C3%ADa+1+%28a%29%2Bb.jpg"));
        // Size and eTag follow the content; the size is a number.
        QVERIFY(event.at("/Records/0/s3/object/size"_json_pointer).is_number_integer());
        QCOMPARE(intField(event, "/Records/0/s3/object/size"), qint64(5));
        QCOMPARE(field(event, "/Records/0/s3/object/eTag"), md5(QStringLiteral("hello")));

        const json sized = generated({"s3", "put", "--size", "2048", "--etag", "abc"});
        QVERIFY(sized.at("/Records/0/s3/object/size"_json_pointer).is_number_integer());
        QCOMPARE(intField(sized, "/Records/0/s3/object/size"), qint64(2048));
        QCOMPARE(field(sized, "/Records/0/s3/object/eTag"), QStringLiteral("abc"));
    }

    void sqsBodyIsEscapedAndHashed() {
        const QString body =
            QStringLiteral("{\"order\": \"a\\\"b\", \"lines\": [\"x\\ny\", \"ü\"]}");
        const json event = generated(
            {"sqs", "receive", "--body", body, "--queue", "orders", "--receive-count", "3"});
        QVERIFY(event.at("/Records/0/body"_json_pointer).is_string());
        QCOMPARE(field(event, "/Records/0/body"), body);
        QCOMPARE(field(event, "/Records/0/md5OfBody"), md5(body));
        QCOMPARE(field(event, "/Records/0/eventSourceARN"),
                 QStringLiteral("arn:aws:sqs:us-east-1:123456789012:orders"));
        QCOMPARE(field(event, "/Records/0/attributes/ApproximateReceiveCount"),
                 QStringLiteral("3"));
        QVERIFY(event.at("/Records/0/attributes/ApproximateReceiveCount"_json_pointer).is_string());
        QVERIFY(QRegularExpression(QStringLiteral("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-"))
                    .match(field(event, "/Records/0/messageId"))
                    .hasMatch());
    }

    void apiGatewayRequestsFollowTheirPayloadFormats() {
        const json rest = generated({"apigateway", "rest", "--method", "get", "--path", "/items/42",
                                     "--query", "a=1&b=x%20y&a=3", "--body", ""});
        QCOMPARE(field(rest, "/httpMethod"), QStringLiteral("GET"));
        QCOMPARE(field(rest, "/path"), QStringLiteral("/items/42"));
        QCOMPARE(field(rest, "/pathParameters/proxy"), QStringLiteral("items/42"));
        QCOMPARE(field(rest, "/requestContext/path"), QStringLiteral("/prod/items/42"));
        QCOMPARE(field(rest, "/queryStringParameters"), QStringLiteral(R"({"a":"3","b":"x y"})"));
        QCOMPARE(field(rest, "/multiValueQueryStringParameters"),
                 QStringLiteral(R"({"a":["1","3"],"b":["x y"]})"));
        QCOMPARE(field(rest, "/body"), QStringLiteral("null"));

        const json http = generated({"apigateway", "http", "--method", "put", "--path", "/items/42",
                                     "--route-key", "PUT /items/{id}", "--path-parameters",
                                     R"({"id":"42"})", "--query", "a=1&a=2", "--body", "[1]"});
        QCOMPARE(field(http, "/routeKey"), QStringLiteral("PUT /items/{id}"));
        QCOMPARE(field(http, "/requestContext/http/method"), QStringLiteral("PUT"));
        QCOMPARE(field(http, "/pathParameters/id"), QStringLiteral("42"));
        QCOMPARE(field(http, "/rawQueryString"), QStringLiteral("a=1&a=2"));
        QCOMPARE(field(http, "/queryStringParameters/a"), QStringLiteral("1,2"));
        QCOMPARE(field(http, "/body"), QStringLiteral("[1]"));
        QVERIFY(http.at("/body"_json_pointer).is_string());
        QCOMPARE(field(http, "/headers/content-length"), QStringLiteral("3"));
        const json empty = generated({"apigateway", "http", "--body", ""});
        QCOMPARE(field(empty, "/body"), QStringLiteral("<missing>"));
    }

    void jsonFieldsTakeJson() {
        const json custom = generated({"eventbridge", "custom", "--detail", R"({"x":[1,2.5,"y"]})",
                                       "--detail-type", "Thing Happened", "--source", "my.app"});
        QCOMPARE(field(custom, "/detail"), QStringLiteral(R"({"x":[1,2.5,"y"]})"));
        QCOMPARE(field(custom, "/detail-type"), QStringLiteral("Thing Happened"));
        QCOMPARE(field(custom, "/source"), QStringLiteral("my.app"));
        const json sns =
            generated({"sns", "notification", "--subject", "Hi", "--message", R"({"a":1})",
                       "--message-attributes", R"({"k":{"Type":"String","Value":"v"}})"});
        QCOMPARE(field(sns, "/Records/0/Sns/Subject"), QStringLiteral("Hi"));
        QCOMPARE(field(sns, "/Records/0/Sns/Message"), QStringLiteral(R"({"a":1})"));
        QCOMPARE(field(sns, "/Records/0/Sns/MessageAttributes/k/Value"), QStringLiteral("v"));
    }

    // Mistakes exit 2 and name the valid choices.
    void mistakesListTheChoices_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QStringList>("mentions");
        QTest::newRow("nothing") << QStringList{}
                                 << QStringList{"s3",  "sqs",      "apigateway", "eventbridge",
                                                "sns", "dynamodb", "put",        "receive"};
        QTest::newRow("unknown service")
            << QStringList{"kinesiss"} << QStringList{"kinesiss", "s3", "sqs", "apigateway"};
        QTest::newRow("service only")
            << QStringList{"s3"}
            << QStringList{"put", "delete", "--bucket", "--key", "example-bucket"};
        QTest::newRow("unknown type")
            << QStringList{"s3", "copy"} << QStringList{"copy", "put", "delete"};
        QTest::newRow("unknown field") << QStringList{"s3", "put", "--buckett", "b"}
                                       << QStringList{"--buckett", "--bucket", "--key", "--size"};
        QTest::newRow("not a number")
            << QStringList{"s3", "put", "--size", "big"} << QStringList{"--size", "integer", "big"};
        QTest::newRow("not JSON") << QStringList{"eventbridge", "custom", "--detail", "{oops"}
                                  << QStringList{"--detail", "JSON", "{oops"};
        QTest::newRow("no value") << QStringList{"s3", "put", "--key"}
                                  << QStringList{"--key", "value"};
        QTest::newRow("not a field") << QStringList{"s3", "put", "stray"} << QStringList{"stray"};
    }
    void mistakesListTheChoices() {
        QFETCH(QStringList, args);
        QFETCH(QStringList, mentions);
        const Run run = generate(args);
        QVERIFY2(run.exitCode == 2, qPrintable(run.describe()));
        QVERIFY2(run.out.isEmpty(), qPrintable(run.describe()));
        for (const QString& word : mentions)
            QVERIFY2(run.err.contains(word), qPrintable(word + " not in: " + run.describe()));
    }

    // The output, piped into `fogbank invoke`, is read by real handlers as AWS's events are.
    void handlersReadTheGeneratedEvents_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("function");
        QTest::addColumn<QStringList>("expected");
        const QStringList s3 = {"s3", "put", "--bucket", "photos", "--key", "in box/photo 1.jpg"};
        const QStringList s3Expected = {"/eventSource=aws:s3",
                                        "/bucket=photos",
                                        "/key=in+box/photo+1.jpg",
                                        "/decodedKey=in box/photo 1.jpg",
                                        "/size=20",
                                        "/eventName=ObjectCreated:Put"};
        const QString body = QStringLiteral("{\"orderId\": 7, \"note\": \"say \\\"hi\\\"\\n\"}");
        const QStringList sqs = {"sqs", "receive", "--body", body};
        const QStringList sqsExpected = {"/eventSource=aws:sqs", "/body=" + body,
                                         "/md5OfBody=" + md5(body), "/md5Matches=true"};
        QTest::newRow("s3 put -> python") << s3 << "PyRecords" << s3Expected;
        QTest::newRow("s3 put -> node") << s3 << "NodeRecords" << s3Expected;
        QTest::newRow("sqs receive -> python") << sqs << "PyRecords" << sqsExpected;
        QTest::newRow("sqs receive -> node") << sqs << "NodeRecords" << sqsExpected;
    }
    void handlersReadTheGeneratedEvents() {
        QFETCH(QStringList, args);
        QFETCH(QString, function);
        QFETCH(QStringList, expected);
        const Run event = generate(args);
        QVERIFY2(event.exitCode == 0, qPrintable(event.describe()));
        const Run run = runProcess(fogbankExe(),
                                   {QStringLiteral("invoke"), function, QStringLiteral("-t"),
                                    recordsTemplate(), QStringLiteral("-e"), QStringLiteral("-")},
                                   event.out.toUtf8(), dir_.path());
        QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
        const json response = json::parse(run.out.toStdString(), nullptr, false);
        QVERIFY2(response.is_object(), qPrintable(run.describe()));
        for (const QString& check : expected) {
            const int eq = check.indexOf('=');
            QCOMPARE(field(response, check.left(eq).toStdString()), check.mid(eq + 1));
        }
    }

    // ------------------------------------------------------------------------------------------
    // The library's template language, on templates of this test's own.

    void placeholdersKeepTypesAndFiltersWork() {
        QTemporaryDir dir;
        writeFile(fs::path(dir.path().toStdString()) / "demo" / "all.json", R"({
          "description": "demo",
          "fields": {
            "n": { "default": 5, "type": "number", "description": "a number" },
            "flag": { "default": false, "description": "a boolean" },
            "name": { "default": "a b/c", "description": "text" },
            "id": { "default": "{{$uuid}}", "description": "once per event" },
            "list": { "default": [], "description": "json" },
            "empty": { "default": "", "description": "empty" }
          },
          "event": {
            "n": "{{n}}", "nText": "n={{n}}", "flag": "{{flag}}",
            "key": "{{name|s3key}}", "upper": "{{name|upper}}", "md5": "{{name|md5}}",
            "len": "{{name|length}}", "id1": "{{id}}", "id2": "{{id}}",
            "gone": "{{empty|or-omit}}", "nothing": "{{empty|or-null}}",
            "arr": ["{{empty|or-omit}}", "{{list}}", "x{{empty}}y"],
            "hex": "{{$hex:8}}", "digits": "{{$digits:5}}", "b64": "{{$base64:3}}",
            "now": "{{$now}}", "nowSeconds": "{{$now|epoch}}"
          }
        })");
        const EventTemplateLibrary library(dir.path().toStdString());
        const auto* t = library.find("demo", "all");
        QVERIFY(t);
        const json a = json::parse(EventTemplateLibrary::generate(*t, {}, kFixedNow).dump());
        QVERIFY(a["n"].is_number_integer());
        QCOMPARE(a["n"].get<int>(), 5);
        QCOMPARE(field(a, "/nText"), QStringLiteral("n=5"));
        QVERIFY(a["flag"].is_boolean());
        QCOMPARE(field(a, "/key"), QStringLiteral("a+b/c"));
        QCOMPARE(field(a, "/upper"), QStringLiteral("A B/C"));
        QCOMPARE(field(a, "/md5"), md5(QStringLiteral("a b/c")));
        QCOMPARE(field(a, "/len"), QStringLiteral("5"));
        QCOMPARE(field(a, "/id1"), field(a, "/id2"));
        QVERIFY(!a.contains("gone"));
        QVERIFY(a["nothing"].is_null());
        QCOMPARE(field(a, "/arr"), QStringLiteral(R"([[],"xy"])"));
        QVERIFY(QRegularExpression("^[0-9a-f]{8}$").match(field(a, "/hex")).hasMatch());
        QVERIFY(QRegularExpression("^[0-9]{5}$").match(field(a, "/digits")).hasMatch());
        QCOMPARE(field(a, "/b64").size(), 4);
        QCOMPARE(intField(a, "/now"), qint64(1709212455678));
        QCOMPARE(intField(a, "/nowSeconds"), qint64(1709212455));

        const json b = json::parse(
            EventTemplateLibrary::generate(
                *t, {{"n", "2.5"}, {"flag", "true"}, {"list", "[1]"}, {"empty", "e"}}, kFixedNow)
                .dump());
        QVERIFY(b["n"].is_number_float());
        QCOMPARE(field(b, "/flag"), QStringLiteral("true"));
        QCOMPARE(field(b, "/gone"), QStringLiteral("e"));
        QCOMPARE(field(b, "/arr"), QStringLiteral(R"(["e",[1],"xey"])"));
    }

    void brokenTemplatesAreNamed() {
        const auto failure = [](const std::string& text) -> QString {
            QTemporaryDir dir;
            writeFile(fs::path(dir.path().toStdString()) / "demo" / "bad.json", text);
            try {
                const EventTemplateLibrary library(dir.path().toStdString());
                EventTemplateLibrary::generate(*library.find("demo", "bad"), {});
            } catch (const fogbank::EventTemplateError& e) {
                return QString::fromStdString(e.what());
            }
            return QStringLiteral("<no error>");
        };
        QString message = failure("{not json");
        QVERIFY2(message.contains("bad.json") && message.contains("not valid JSON"),
                 qPrintable(message));
        message = failure(R"({"event": {"a": "{{missing}}"}})");
        QVERIFY2(message.contains("bad.json") && message.contains("missing") &&
                     message.contains("event.a"),
                 qPrintable(message));
        message =
            failure(R"({"event": {"a": "{{x|frobnicate}}"}, "fields": {"x": {"default": 1}}})");
        QVERIFY2(message.contains("frobnicate"), qPrintable(message));
        message = failure(
            R"({"event": {"a": "{{x}}"}, "fields": {"x": {"default": "{{y}}"}, "y": {"default": "{{x}}"}}})");
        QVERIFY2(message.contains("depends on itself"), qPrintable(message));
        message = failure(R"({"event": {}, "fields": {"Bad_Name": {"default": 1}}})");
        QVERIFY2(message.contains("Bad_Name"), qPrintable(message));
    }

    void md5AndKeyEncoding() {
        QCOMPARE(q(fogbank::md5Hex("")), QStringLiteral("d41d8cd98f00b204e9800998ecf8427e"));
        QCOMPARE(q(fogbank::md5Hex("hello")), QStringLiteral("5d41402abc4b2a76b9719d911017c592"));
        QCOMPARE(q(fogbank::s3EventKey("a b/c=d&e+f.txt")),
                 QStringLiteral("a+b/c%3Dd%26e%2Bf.txt"));
        QCOMPARE(q(fogbank::s3EventKey("plain/Key_1-2.*")), QStringLiteral("plain/Key_1-2.*"));
    }
};

QTEST_GUILESS_MAIN(GenerateEventTest)
#include "test_generate_event.moc"
