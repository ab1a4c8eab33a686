// HTTP APIs: real HTTP requests on the engine's API port against real Node and Python handlers
// (fixtures/http_api), for every mapping rule API Gateway applies: route precedence, path and
// greedy parameters, v1 and v2 events, binary bodies, cookies, CORS, and its own error answers.
#include "test_support.h"

#include "emulator/trace/invocation_store.h"

#include <QHostAddress>
#include <QTcpSocket>

#include <atomic>
#include <future>

using namespace fbtest;

namespace {

using Headers = QList<QPair<QByteArray, QByteArray>>;

struct Reply {
    int status = 0;
    Headers headers;  // in the order received, repeated names kept
    QByteArray body;

    QList<QByteArray> all(const QByteArray& name) const {
        QList<QByteArray> out;
        for (const auto& [n, v] : headers)
            if (n.compare(name, Qt::CaseInsensitive) == 0) out << v;
        return out;
    }
    QString header(const QByteArray& name) const {
        const auto values = all(name);
        return values.isEmpty() ? QStringLiteral("<missing>") : QString::fromUtf8(values.first());
    }
    json document() const { return json::parse(body.toStdString(), nullptr, false); }
    // The event an echo handler returns.
    json event() const {
        const auto d = document();
        return d.is_object() && d.contains("event") ? d["event"] : json();
    }
    QString describe() const {
        QString text = QStringLiteral("HTTP %1\n").arg(status);
        for (const auto& [n, v] : headers) text += QString::fromUtf8(n + ": " + v + "\n");
        return text + QString::fromUtf8(body.left(2000));
    }
};

// One request on its own connection (Connection: close), read to the end. Unlike test_http.h it
// keeps repeated headers (Set-Cookie) and reads HEAD answers, which have a length but no body.
Reply send(quint16 port, const QByteArray& method, const QByteArray& target,
           const QByteArray& body = {}, const Headers& headers = {}) {
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    Reply reply;
    if (!socket.waitForConnected(10000)) return reply;
    QByteArray request =
        method + ' ' + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(port) +
        "\r\nConnection: close\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n";
    for (const auto& [name, value] : headers) request += name + ": " + value + "\r\n";
    socket.write(request + "\r\n" + body);
    QByteArray data;
    QDeadlineTimer deadline(60000);
    while (socket.state() == QAbstractSocket::ConnectedState && !deadline.hasExpired()) {
        socket.waitForReadyRead(int(std::max<qint64>(1, deadline.remainingTime())));
        data += socket.readAll();
    }
    data += socket.readAll();
    const auto end = data.indexOf("\r\n\r\n");
    if (end < 0) return reply;
    const auto lines = data.left(end).split('\n');
    reply.status = lines.value(0).mid(9, 3).toInt();
    for (const auto& line : lines.mid(1)) {
        const auto colon = line.indexOf(':');
        if (colon > 0) reply.headers.append({line.left(colon), line.mid(colon + 1).trimmed()});
    }
    reply.body = data.mid(end + 4);
    return reply;
}

QByteArray returning(const json& result) {
    return QByteArray::fromStdString(json{{"return", result}}.dump());
}

// The bytes of a tiny PNG header with a NUL and high bytes: nothing UTF-8 survives.
const QByteArray kBinary = QByteArray::fromHex("89504e470d0a1a0a0000000d49484452ff00fe01");

class StartWatcher : public fogbank::EngineObserver {
  public:
    explicit StartWatcher(std::string function) : function_(std::move(function)) {}
    void invocationStarted(const std::string&, const std::string& function,
                           fogbank::Trigger) override {
        if (function == function_ && !fired_.exchange(true)) started_.set_value();
    }
    bool wait() {
        return started_.get_future().wait_for(kInvokeDeadline) == std::future_status::ready;
    }

  private:
    std::string function_;
    std::atomic<bool> fired_{false};
    std::promise<void> started_;
};

}  // namespace

class TestHttpApi : public QObject {
    Q_OBJECT

    std::unique_ptr<TestEngine> engine_;
    quint16 port_ = 0;

    Reply get(const QByteArray& target, const Headers& headers = {}) {
        return send(port_, "GET", target, {}, headers);
    }

  private slots:
    void initTestCase() {
        prepareTestEnvironment();
        engine_ = std::make_unique<TestEngine>(fixture("http_api/template.yaml"),
                                               [](EngineConfig& c) { c.httpPort = 0; });
        port_ = (*engine_)->httpPort();
        QVERIFY(port_ != 0);
    }
    void cleanupTestCase() { engine_.reset(); }

    // The table the CLI prints: every route once, most specific first, with its API and payload.
    void routeTableListsEveryRoute() {
        const auto routes = (*engine_)->httpRoutes();
        const auto find = [&](const std::string& method, const std::string& path) {
            return std::find_if(routes.begin(), routes.end(), [&](const auto& r) {
                return r.method == method && r.path == path;
            });
        };
        const auto special = find("GET", "/items/special");
        const auto item = find("GET", "/items/{id}");
        QVERIFY(special != routes.end() && item != routes.end());
        QVERIFY2(special < item, "a literal segment must be matched before a parameter");
        QCOMPARE(q(item->function), QStringLiteral("NodeEcho"));
        QCOMPARE(q(item->api), QStringLiteral("ServerlessRestApi"));
        QCOMPARE(q(item->apiType), QStringLiteral("REST"));
        QCOMPARE(q(item->stage), QStringLiteral("Prod"));
        QCOMPARE(q(item->payloadVersion), QStringLiteral("1.0"));
        const auto admin = find("POST", "/admin/users/{userId}");
        QVERIFY(admin != routes.end());
        QCOMPARE(q(admin->api), QStringLiteral("AdminApi"));
        QCOMPARE(q(admin->stage), QStringLiteral("admin"));
        const auto shop = find("GET", "/shop/items/{id}");
        QVERIFY(shop != routes.end());
        QCOMPARE(q(shop->apiType), QStringLiteral("HTTP"));
        QCOMPARE(q(shop->stage), QStringLiteral("v1"));
        QCOMPARE(q(shop->payloadVersion), QStringLiteral("2.0"));
        QCOMPARE(q(find("POST", "/legacy/{id}")->payloadVersion), QStringLiteral("1.0"));
        QVERIFY(find("ANY", "/shop/{proxy+}") > find("POST", "/shop/respond"));

        // PyEcho's /items/{itemId} is the same route as NodeEcho's /items/{id}: reported, unserved.
        QVERIFY(find("GET", "/items/{itemId}") == routes.end());
        const auto& warnings = (*engine_)->project().warnings;
        QVERIFY(std::any_of(warnings.begin(), warnings.end(), [](const fogbank::Warning& w) {
            return w.message.find("/items/{itemId}") != std::string::npos &&
                   w.message.find("not served") != std::string::npos && w.where.line > 0;
        }));
    }

    // Format 1.0 on the REST API, field for field.
    void restEventCarriesTheRequest() {
        const auto reply = get("/items/42?color=red&color=blue&size=L%20XL",
                               {{"X-Multi", "a"}, {"X-Multi", "b"}, {"User-Agent", "fbtest/1"}});
        QVERIFY2(reply.status == 200, qPrintable(reply.describe()));
        QCOMPARE(reply.header("X-Handler"), QStringLiteral("node"));
        const auto e = reply.event();
        QCOMPARE(field(e, "/resource"), QStringLiteral("/items/{id}"));
        QCOMPARE(field(e, "/path"), QStringLiteral("/items/42"));
        QCOMPARE(field(e, "/httpMethod"), QStringLiteral("GET"));
        QCOMPARE(field(e, "/pathParameters/id"), QStringLiteral("42"));
        QCOMPARE(field(e, "/queryStringParameters/color"), QStringLiteral("blue"));
        QCOMPARE(field(e, "/queryStringParameters/size"), QStringLiteral("L XL"));
        QCOMPARE(field(e, "/multiValueQueryStringParameters/color"),
                 QStringLiteral(R"(["red","blue"])"));
        QCOMPARE(field(e, "/headers/X-Multi"), QStringLiteral("b"));
        QCOMPARE(field(e, "/multiValueHeaders/X-Multi"), QStringLiteral(R"(["a","b"])"));
        QCOMPARE(field(e, "/headers/User-Agent"), QStringLiteral("fbtest/1"));
        QCOMPARE(field(e, "/headers/X-Forwarded-For"), QStringLiteral("127.0.0.1"));
        QCOMPARE(field(e, "/body"), QStringLiteral("null"));
        QCOMPARE(field(e, "/isBase64Encoded"), QStringLiteral("false"));
        QCOMPARE(field(e, "/stageVariables"), QStringLiteral("null"));
        QCOMPARE(field(e, "/version"), QStringLiteral("<missing>"));
        QCOMPARE(field(e, "/requestContext/resourcePath"), QStringLiteral("/items/{id}"));
        QCOMPARE(field(e, "/requestContext/stage"), QStringLiteral("Prod"));
        QCOMPARE(field(e, "/requestContext/path"), QStringLiteral("/Prod/items/42"));
        QCOMPARE(field(e, "/requestContext/httpMethod"), QStringLiteral("GET"));
        QCOMPARE(field(e, "/requestContext/identity/sourceIp"), QStringLiteral("127.0.0.1"));
        QCOMPARE(field(e, "/requestContext/identity/userAgent"), QStringLiteral("fbtest/1"));
        QCOMPARE(field(e, "/requestContext/accountId"), QStringLiteral("000000000000"));
        QCOMPARE(field(e, "/requestContext/protocol"), QStringLiteral("HTTP/1.1"));
        QVERIFY(
            QRegularExpression(QStringLiteral("^\\d\\d/[A-Z][a-z]{2}/\\d{4}:\\d\\d:\\d\\d:\\d\\d "
                                              "\\+0000$"))
                .match(field(e, "/requestContext/requestTime"))
                .hasMatch());
        QVERIFY(intField(e, "/requestContext/requestTimeEpoch") > 1600000000000);
        const QString gatewayId = field(e, "/requestContext/requestId");
        QVERIFY(!gatewayId.isEmpty() && gatewayId != "<missing>");
        QCOMPARE(reply.header("x-amzn-RequestId"), gatewayId);
        // API Gateway's id is its own, not the invocation's.
        QVERIFY(field(reply.document(), "/requestId") != gatewayId);
    }

    // Format 2.0 on the HTTP API: raw path and query, joined values, cookies apart.
    void httpApiEventIsVersion2() {
        const auto reply = get(
            "/shop/items/9?a=1&a=2&b=x%20y",
            {{"X-Multi", "a"}, {"X-Multi", "b"}, {"Cookie", "c1=v1; c2=v2"}, {"Cookie", "c3=v3"}});
        QVERIFY2(reply.status == 200, qPrintable(reply.describe()));
        const auto e = reply.event();
        QCOMPARE(field(e, "/version"), QStringLiteral("2.0"));
        QCOMPARE(field(e, "/routeKey"), QStringLiteral("GET /shop/items/{id}"));
        QCOMPARE(field(e, "/rawPath"), QStringLiteral("/shop/items/9"));
        QCOMPARE(field(e, "/rawQueryString"), QStringLiteral("a=1&a=2&b=x%20y"));
        QCOMPARE(field(e, "/queryStringParameters/a"), QStringLiteral("1,2"));
        QCOMPARE(field(e, "/queryStringParameters/b"), QStringLiteral("x y"));
        QCOMPARE(field(e, "/cookies"), QStringLiteral(R"(["c1=v1","c2=v2","c3=v3"])"));
        QCOMPARE(field(e, "/headers/x-multi"), QStringLiteral("a,b"));
        QCOMPARE(field(e, "/headers/cookie"), QStringLiteral("<missing>"));
        QCOMPARE(field(e, "/pathParameters/id"), QStringLiteral("9"));
        QCOMPARE(field(e, "/body"), QStringLiteral("<missing>"));
        QCOMPARE(field(e, "/isBase64Encoded"), QStringLiteral("false"));
        QCOMPARE(field(e, "/requestContext/http/method"), QStringLiteral("GET"));
        QCOMPARE(field(e, "/requestContext/http/path"), QStringLiteral("/shop/items/9"));
        QCOMPARE(field(e, "/requestContext/http/sourceIp"), QStringLiteral("127.0.0.1"));
        QCOMPARE(field(e, "/requestContext/routeKey"), QStringLiteral("GET /shop/items/{id}"));
        QCOMPARE(field(e, "/requestContext/stage"), QStringLiteral("v1"));
        QVERIFY(intField(e, "/requestContext/timeEpoch") > 1600000000000);
        QCOMPARE(reply.header("apigw-requestid"), field(e, "/requestContext/requestId"));

        // Without query, cookies or parameters, 2.0 leaves the fields out.
        const auto bare =
            send(port_, "PUT", "/shop/x", "{}", {{"Content-Type", "application/json"}});
        QVERIFY2(bare.status == 200, qPrintable(bare.describe()));
        const auto b = bare.event();
        QCOMPARE(field(b, "/routeKey"), QStringLiteral("ANY /shop/{proxy+}"));
        QCOMPARE(field(b, "/pathParameters/proxy"), QStringLiteral("x"));
        QCOMPARE(field(b, "/queryStringParameters"), QStringLiteral("<missing>"));
        QCOMPARE(field(b, "/cookies"), QStringLiteral("<missing>"));
        QCOMPARE(field(b, "/rawQueryString"), QStringLiteral(""));
        QCOMPARE(field(b, "/body"), QStringLiteral("{}"));
    }

    // An HttpApi event with PayloadFormatVersion 1.0 gets format 1.0, stamped as such.
    void httpApiPayloadVersion1() {
        const auto reply = send(port_, "POST", "/legacy/5?k=v", R"({"n":1})",
                                {{"Content-Type", "application/json"}});
        QVERIFY2(reply.status == 200, qPrintable(reply.describe()));
        const auto e = reply.event();
        QCOMPARE(field(e, "/version"), QStringLiteral("1.0"));
        QCOMPARE(field(e, "/resource"), QStringLiteral("/legacy/{id}"));
        QCOMPARE(field(e, "/pathParameters/id"), QStringLiteral("5"));
        QCOMPARE(field(e, "/multiValueQueryStringParameters/k"), QStringLiteral(R"(["v"])"));
        QCOMPARE(field(e, "/body"), QStringLiteral(R"({"n":1})"));
        QCOMPARE(field(e, "/requestContext/stage"), QStringLiteral("v1"));
        QCOMPARE(field(e, "/requestContext/routeKey"), QStringLiteral("POST /legacy/{id}"));
    }

    // Literal over parameter over greedy, the method over ANY, and 404 where nothing matches.
    void routePrecedence() {
        auto reply = get("/items/special");
        QVERIFY2(reply.status == 200, qPrintable(reply.describe()));
        QCOMPARE(field(reply.document(), "/handler"), QStringLiteral("python"));
        QCOMPARE(field(reply.event(), "/pathParameters"), QStringLiteral("null"));
        reply = get("/items/7/");
        QCOMPARE(field(reply.document(), "/handler"), QStringLiteral("node"));
        QCOMPARE(field(reply.event(), "/pathParameters/id"), QStringLiteral("7"));

        reply = send(port_, "DELETE", "/files/a/b%20c/d.txt");
        QVERIFY2(reply.status == 200, qPrintable(reply.describe()));
        QCOMPARE(field(reply.event(), "/pathParameters/proxy"), QStringLiteral("a/b c/d.txt"));
        QCOMPARE(field(reply.event(), "/resource"), QStringLiteral("/files/{proxy+}"));

        reply = send(port_, "POST", "/shop/respond", returning("exact"),
                     {{"Content-Type", "application/json"}});
        QCOMPARE(reply.body, QByteArray("exact"));  // not the greedy /shop/{proxy+}

        for (const auto& [method, target] : {std::pair<QByteArray, QByteArray>{"GET", "/files"},
                                             {"DELETE", "/items/7"},
                                             {"GET", "/items/7/more"},
                                             {"GET", "/nowhere"},
                                             {"GET", "/"}}) {
            reply = send(port_, method, target);
            QVERIFY2(reply.status == 404,
                     qPrintable(method + " " + target + "\n" + reply.describe()));
            QCOMPARE(field(reply.document(), "/message"), QStringLiteral("Not Found"));
        }
    }

    // An explicit REST API named by RestApiId, with its own stage.
    void explicitRestApi() {
        const auto reply =
            send(port_, "POST", "/admin/users/u-1", "hello", {{"Content-Type", "text/plain"}});
        QVERIFY2(reply.status == 200, qPrintable(reply.describe()));
        const auto e = reply.event();
        QCOMPARE(field(e, "/requestContext/stage"), QStringLiteral("admin"));
        QCOMPARE(field(e, "/requestContext/path"), QStringLiteral("/admin/admin/users/u-1"));
        QCOMPARE(field(e, "/pathParameters/userId"), QStringLiteral("u-1"));
        QCOMPARE(field(e, "/body"), QStringLiteral("hello"));
    }

    // Request bodies: base64 for the REST API's binary media types, and for an HTTP API whenever
    // the content is not text.
    void binaryRequestBodies() {
        auto reply = send(port_, "POST", "/upload", kBinary, {{"Content-Type", "image/png"}});
        QVERIFY2(reply.status == 200, qPrintable(reply.describe()));
        QCOMPARE(field(reply.event(), "/isBase64Encoded"), QStringLiteral("true"));
        QCOMPARE(field(reply.event(), "/body"), QString::fromLatin1(kBinary.toBase64()));

        reply = send(port_, "POST", "/upload", "plain words", {{"Content-Type", "text/plain"}});
        QCOMPARE(field(reply.event(), "/isBase64Encoded"), QStringLiteral("false"));
        QCOMPARE(field(reply.event(), "/body"), QStringLiteral("plain words"));

        reply = send(port_, "POST", "/shop/blob", kBinary,
                     {{"Content-Type", "application/octet-stream"}});
        QVERIFY2(reply.status == 200, qPrintable(reply.describe()));
        QCOMPARE(field(reply.event(), "/isBase64Encoded"), QStringLiteral("true"));
        QCOMPARE(field(reply.event(), "/body"), QString::fromLatin1(kBinary.toBase64()));

        reply = send(port_, "POST", "/shop/blob", R"({"a":1})",
                     {{"Content-Type", "application/json; charset=utf-8"}});
        QCOMPARE(field(reply.event(), "/isBase64Encoded"), QStringLiteral("false"));
        QCOMPARE(field(reply.event(), "/body"), QStringLiteral(R"({"a":1})"));
    }

    // Response bodies marked base64: bytes for the binary media types (or always, on an HTTP
    // API); a REST API hands anything else back as the base64 text.
    void binaryResponses() {
        const std::string encoded = kBinary.toBase64().toStdString();
        const auto result = json{{"statusCode", 200},
                                 {"headers", {{"Content-Type", "image/png"}}},
                                 {"body", encoded},
                                 {"isBase64Encoded", true}};
        auto reply = send(port_, "POST", "/respond", returning(result),
                          {{"Content-Type", "application/json"}, {"Accept", "image/png"}});
        QVERIFY2(reply.status == 200, qPrintable(reply.describe()));
        QCOMPARE(reply.body, kBinary);
        QCOMPARE(reply.header("Content-Type"), QStringLiteral("image/png"));

        auto text = result;
        text["headers"]["Content-Type"] = "text/plain";
        reply = send(port_, "POST", "/respond", returning(text),
                     {{"Content-Type", "application/json"}, {"Accept", "text/plain"}});
        QCOMPARE(reply.body, QByteArray::fromStdString(encoded));

        reply = send(port_, "POST", "/shop/respond", returning(text),
                     {{"Content-Type", "application/json"}});
        QCOMPARE(reply.body, kBinary);
    }

    // Status, headers merged with multiValueHeaders, 2.0's cookies, a REST default content type.
    void responseMapping() {
        auto reply =
            send(port_, "POST", "/respond",
                 returning({{"statusCode", 201},
                            {"headers", {{"X-One", "1"}, {"X-Both", "from-headers"}}},
                            {"multiValueHeaders",
                             {{"Set-Cookie", {"a=1; Path=/", "b=2"}}, {"X-Both", {"m1", "m2"}}}},
                            {"body", "created"}}),
                 {{"Content-Type", "application/json"}});
        QVERIFY2(reply.status == 201, qPrintable(reply.describe()));
        QCOMPARE(reply.body, QByteArray("created"));
        QCOMPARE(reply.header("X-One"), QStringLiteral("1"));
        QCOMPARE(reply.all("Set-Cookie"), (QList<QByteArray>{"a=1; Path=/", "b=2"}));
        QCOMPARE(reply.all("X-Both"), (QList<QByteArray>{"m1", "m2"}));
        QCOMPARE(reply.header("Content-Type"), QStringLiteral("application/json"));

        reply = send(port_, "POST", "/shop/respond",
                     returning({{"statusCode", 202},
                                {"cookies", {"s=1; HttpOnly", "t=2"}},
                                {"headers", {{"content-type", "text/plain"}}},
                                {"body", "accepted"}}),
                     {{"Content-Type", "application/json"}});
        QVERIFY2(reply.status == 202, qPrintable(reply.describe()));
        QCOMPARE(reply.all("Set-Cookie"), (QList<QByteArray>{"s=1; HttpOnly", "t=2"}));
        QCOMPARE(reply.body, QByteArray("accepted"));

        // 2.0's shorthand: JSON without a statusCode is a 200 JSON body; a string is the body.
        reply = send(port_, "POST", "/shop/respond", returning({{"hello", "world"}}),
                     {{"Content-Type", "application/json"}});
        QVERIFY2(reply.status == 200, qPrintable(reply.describe()));
        QCOMPARE(reply.header("Content-Type"), QStringLiteral("application/json"));
        QCOMPARE(json::parse(reply.body.toStdString(), nullptr, false), (json{{"hello", "world"}}));
        reply = send(port_, "POST", "/shop/respond", returning("just text"),
                     {{"Content-Type", "application/json"}});
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.body, QByteArray("just text"));

        // Format 1.0 on an HTTP API has no shorthand.
        reply = send(port_, "POST", "/legacy/respond", returning({{"hello", "world"}}),
                     {{"Content-Type", "application/json"}});
        QCOMPARE(reply.status, 502);
    }

    // What API Gateway cannot map, a handler that throws, a timeout, throttling: its own answers,
    // and the emulator serves on.
    void errorsAreGatewayAnswers() {
        const auto expect = [&](const Reply& reply, int status, const char* message) {
            QVERIFY2(reply.status == status, qPrintable(reply.describe()));
            QCOMPARE(field(reply.document(), "/message"), QString::fromLatin1(message));
        };
        FB_CHECK(expect(get("/boom"), 502, "Internal server error"));
        FB_CHECK(expect(get("/shop/boom"), 502, "Internal server error"));
        FB_CHECK(expect(get("/malformed"), 502, "Internal server error"));
        const Headers asJson{{"Content-Type", "application/json"}};
        // REST: no statusCode, an unknown field, a body that is not a string, bad base64.
        FB_CHECK(expect(send(port_, "POST", "/respond", returning({{"body", "x"}}), asJson), 502,
                        "Internal server error"));
        FB_CHECK(expect(send(port_, "POST", "/respond",
                             returning({{"statusCode", 200}, {"extra", true}}), asJson),
                        502, "Internal server error"));
        FB_CHECK(expect(send(port_, "POST", "/respond", returning("a string"), asJson), 502,
                        "Internal server error"));
        FB_CHECK(expect(
            send(port_, "POST", "/shop/respond",
                 returning(
                     {{"statusCode", 200}, {"isBase64Encoded", true}, {"body", "%%% not base64"}}),
                 asJson),
            502, "Internal server error"));
        FB_CHECK(
            expect(send(port_, "POST", "/shop/respond", returning({{"statusCode", 99}}), asJson),
                   502, "Internal server error"));

        // Sleeper (Timeout: 1, one at a time): the first call times out, one beside it is
        // throttled.
        StartWatcher watcher("Sleeper");
        (*engine_)->addObserver(&watcher);
        auto slow = std::async(std::launch::async, [this] { return get("/slow"); });
        QVERIFY(watcher.wait());
        const auto throttled = get("/slow");
        const auto timedOut = slow.get();
        (*engine_)->removeObserver(&watcher);
        FB_CHECK(expect(timedOut, 504, "Endpoint request timed out"));
        FB_CHECK(expect(throttled, 429, "Too Many Requests"));

        const auto after = get("/items/1");
        QVERIFY2(after.status == 200, qPrintable(after.describe()));
    }

    // REST with Cors: SAM's OPTIONS method answers on every routed path, whoever asks.
    void restCorsPreflight() {
        auto reply = send(
            port_, "OPTIONS", "/items/3", {},
            {{"Origin", "https://elsewhere.example"}, {"Access-Control-Request-Method", "GET"}});
        QVERIFY2(reply.status == 200, qPrintable(reply.describe()));
        QCOMPARE(reply.header("Access-Control-Allow-Origin"),
                 QStringLiteral("https://app.example.com"));
        QCOMPARE(reply.header("Access-Control-Allow-Methods"), QStringLiteral("GET,OPTIONS"));
        QCOMPARE(reply.header("Access-Control-Allow-Headers"),
                 QStringLiteral("Content-Type,X-Custom"));
        QCOMPARE(reply.header("Access-Control-Max-Age"), QStringLiteral("600"));

        reply = send(port_, "OPTIONS", "/admin/users/3");
        QVERIFY2(reply.status == 200, qPrintable(reply.describe()));
        QCOMPARE(reply.header("Access-Control-Allow-Origin"), QStringLiteral("*"));
        QCOMPARE(reply.header("Access-Control-Allow-Methods"), QStringLiteral("OPTIONS,POST"));

        // A REST proxy function's own responses are left as it returns them.
        reply = get("/items/3", {{"Origin", "https://app.example.com"}});
        QCOMPARE(reply.header("Access-Control-Allow-Origin"), QStringLiteral("<missing>"));
    }

    // HTTP API CorsConfiguration: preflights answered with 204, allowed origins decorated.
    void httpCors() {
        auto reply = send(port_, "OPTIONS", "/shop/items/1", {},
                          {{"Origin", "https://shop.example.com"},
                           {"Access-Control-Request-Method", "POST"},
                           {"Access-Control-Request-Headers", "content-type"}});
        QVERIFY2(reply.status == 204, qPrintable(reply.describe()));
        QCOMPARE(reply.header("access-control-allow-origin"),
                 QStringLiteral("https://shop.example.com"));
        QCOMPARE(reply.header("access-control-allow-methods"), QStringLiteral("GET,POST"));
        QCOMPARE(reply.header("access-control-allow-headers"),
                 QStringLiteral("content-type,x-api-key"));
        QCOMPARE(reply.header("access-control-max-age"), QStringLiteral("300"));
        QCOMPARE(reply.header("access-control-allow-credentials"), QStringLiteral("true"));

        reply =
            send(port_, "OPTIONS", "/shop/items/1", {},
                 {{"Origin", "https://evil.example"}, {"Access-Control-Request-Method", "GET"}});
        QCOMPARE(reply.status, 204);
        QCOMPARE(reply.header("access-control-allow-origin"), QStringLiteral("<missing>"));

        reply = get("/shop/items/1", {{"Origin", "https://shop.example.com"}});
        QVERIFY2(reply.status == 200, qPrintable(reply.describe()));
        QCOMPARE(reply.header("access-control-allow-origin"),
                 QStringLiteral("https://shop.example.com"));
        QCOMPARE(reply.header("access-control-expose-headers"), QStringLiteral("x-request-cost"));
        QCOMPARE(reply.header("access-control-allow-credentials"), QStringLiteral("true"));
        reply = get("/shop/items/1", {{"Origin", "https://evil.example"}});
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.header("access-control-allow-origin"), QStringLiteral("<missing>"));

        // An OPTIONS that is not a preflight goes to the route (ANY /shop/{proxy+}).
        reply = send(port_, "OPTIONS", "/shop/items/1");
        QVERIFY2(reply.status == 200, qPrintable(reply.describe()));
        QCOMPARE(field(reply.event(), "/routeKey"), QStringLiteral("ANY /shop/{proxy+}"));
    }

    // HEAD reaches HEAD or ANY routes and gets the length without the body.
    void headRequests() {
        const auto full = get("/files/report.txt");
        const auto head = send(port_, "HEAD", "/files/report.txt");
        QVERIFY2(head.status == 200, qPrintable(head.describe()));
        QVERIFY(head.body.isEmpty());
        QVERIFY(head.header("Content-Length").toInt() > 0);
        QCOMPARE(send(port_, "HEAD", "/items/1").status, 404);  // GET only
        QVERIFY(full.status == 200);
    }

    // Every request is an invocation in the store, triggered by HTTP, at the root of its trace.
    void requestsAreRecordedInvocations() {
        const auto reply = get("/items/recorded");
        QVERIFY2(reply.status == 200, qPrintable(reply.describe()));
        const std::string requestId = field(reply.document(), "/requestId").toStdString();
        auto* store = (*engine_)->store();
        QVERIFY(store);
        const auto stored = store->find(requestId);
        QVERIFY2(stored, requestId.c_str());
        QCOMPARE(stored->trigger, fogbank::Trigger::Http);
        QCOMPARE(q(stored->function), QStringLiteral("NodeEcho"));
        QVERIFY(!stored->traceRoot.empty());
        QVERIFY(stored->parentSpanId.empty());
        QCOMPARE(field(json::parse(stored->event), "/pathParameters/id"),
                 QStringLiteral("recorded"));
    }

    // An HttpApi event without Path and Method is the implicit API's $default route: it takes
    // what no other route matches.
    void defaultRoute() {
        QTemporaryDir dir;
        const auto code = fixture("http_api");
        writeFile(fs::path(dir.path().toStdString()) / "template.yaml",
                  "Transform: AWS::Serverless-2016-10-31\n"
                  "Resources:\n"
                  "  Fallback:\n"
                  "    Type: AWS::Serverless::Function\n"
                  "    Properties:\n"
                  "      CodeUri: " +
                      (code / "python").string() +
                      "\n"
                      "      Handler: echo.handler\n"
                      "      Runtime: python3.11\n"
                      "      Events:\n"
                      "        Everything:\n"
                      "          Type: HttpApi\n"
                      "  Items:\n"
                      "    Type: AWS::Serverless::Function\n"
                      "    Properties:\n"
                      "      CodeUri: " +
                      (code / "node").string() +
                      "\n"
                      "      Handler: echo.handler\n"
                      "      Runtime: nodejs20.x\n"
                      "      Events:\n"
                      "        Item:\n"
                      "          Type: HttpApi\n"
                      "          Properties: {Path: '/items/{id}', Method: get}\n");
        TestEngine engine(fs::path(dir.path().toStdString()) / "template.yaml",
                          [](EngineConfig& c) { c.httpPort = 0; });
        const auto port = engine->httpPort();
        auto reply = send(port, "GET", "/items/1");
        QCOMPARE(field(reply.document(), "/handler"), QStringLiteral("node"));
        reply = send(port, "DELETE", "/anything/else?x=1");
        QVERIFY2(reply.status == 200, qPrintable(reply.describe()));
        QCOMPARE(field(reply.document(), "/handler"), QStringLiteral("python"));
        QCOMPARE(field(reply.event(), "/routeKey"), QStringLiteral("$default"));
        QCOMPARE(field(reply.event(), "/requestContext/stage"), QStringLiteral("$default"));
        QCOMPARE(field(reply.event(), "/rawPath"), QStringLiteral("/anything/else"));
    }

    // A RestApiId naming nothing is the template's error, at the event's line.
    void unknownApiIsATemplateError() {
        QTemporaryDir dir;
        const auto path = fs::path(dir.path().toStdString()) / "template.yaml";
        writeFile(path,
                  "Transform: AWS::Serverless-2016-10-31\n"
                  "Resources:\n"
                  "  Fn:\n"
                  "    Type: AWS::Serverless::Function\n"
                  "    Properties:\n"
                  "      CodeUri: .\n"
                  "      Handler: app.handler\n"
                  "      Runtime: python3.11\n"
                  "      Events:\n"
                  "        Get:\n"
                  "          Type: Api\n"
                  "          Properties: {Path: /x, Method: get, RestApiId: Missing}\n");
        EngineConfig config;
        config.templatePath = path;
        try {
            fogbank::Engine engine(config);
            QFAIL("the engine accepted an Api event naming an unknown API");
        } catch (const fogbank::TemplateError& e) {
            QCOMPARE(e.where().line, 10);
            QVERIFY2(QString::fromUtf8(e.what()).contains("Missing"), e.what());
        }
    }

    // `fogbank serve` prints the route table and serves it.
    void servePrintsRoutes() {
        QTemporaryDir state;
        QProcess serve;
        serve.setProcessChannelMode(QProcess::SeparateChannels);
        serve.start(QStringLiteral(FOGBANK_BIN_DIR "/fogbank"),
                    {"serve", "-t", q(fixture("http_api/template.yaml")), "--edge-port", "0",
                     "--http-port", "0", "--state-dir", state.path()});
        QVERIFY(serve.waitForStarted());
        QByteArray out;
        QDeadlineTimer deadline(60000);
        while (!out.contains("Ready.") && !deadline.hasExpired() &&
               serve.state() == QProcess::Running) {
            serve.waitForReadyRead(1000);
            out += serve.readAllStandardOutput();
        }
        const QString text = QString::fromUtf8(out);
        const auto port =
            QRegularExpression(QStringLiteral("HTTP APIs: http://127\\.0\\.0\\.1:(\\d+)"))
                .match(text);
        QVERIFY2(port.hasMatch(), qPrintable(text + serve.readAllStandardError()));
        QVERIFY2(QRegularExpression(QStringLiteral("GET\\s+/items/special\\s+PyEcho\\s+"
                                                   "ServerlessRestApi \\(REST, stage Prod, payload "
                                                   "1\\.0\\)"))
                     .match(text)
                     .hasMatch(),
                 qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("ShopApi (HTTP, stage v1, payload 2.0)")),
                 qPrintable(text));
        const auto reply = send(quint16(port.captured(1).toUInt()), "GET", "/items/cli");
        QVERIFY2(reply.status == 200, qPrintable(reply.describe()));
        serve.terminate();
        QVERIFY(serve.waitForFinished(30000));
        QCOMPARE(serve.exitCode(), 0);
    }
};

QTEST_GUILESS_MAIN(TestHttpApi)
#include "test_http_api.moc"
