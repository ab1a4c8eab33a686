// Traces across functions, with real handlers: Caller (Python) invokes Callee through boto3 and
// the Lambda Invoke API on the edge, once with InvocationType=Event and once synchronously.
// boto3 sends the X-Amzn-Trace-Id it finds in _X_AMZN_TRACE_ID, so both calls become spans under
// Caller's invocation and both of Callee's invocations spans under those calls, in one trace;
// `fogbank traces` lists it, `fogbank trace` prints it as a tree and exports it as OTLP/JSON.
#include "emulator/trace/invocation_store.h"
#include "emulator/trace/otlp_export.h"
#include "emulator/trace/trace_tree.h"
#include "test_support.h"

#include <map>
#include <set>

using namespace fbtest;
using fogbank::ServiceSpan;
using fogbank::StoredInvocation;
using fogbank::Trigger;

namespace {

const QString kPython = QStringLiteral("/usr/bin/python3");

QString fogbankExe() {
    return QStringLiteral(FOGBANK_BIN_DIR "/fogbank");
}

fs::path tracesTemplate() {
    return fixture("traces/template.yaml");
}

std::string attributeOf(const ServiceSpan& span, const std::string& key) {
    auto it = span.attributes.find(key);
    return it == span.attributes.end() ? std::string("<missing>") : it->second;
}

}  // namespace

class TracesTest : public QObject {
    Q_OBJECT

  private:
    QTemporaryDir state_;  // before the engine: it records there until destroyed
    std::unique_ptr<TestEngine> engine_;
    InvocationResult caller_;

    fogbank::InvocationStore& store() { return *engine_->engine().store(); }
    QString stateDir() const { return state_.path(); }

    std::vector<StoredInvocation> invocationsOf(const std::string& root) {
        fogbank::InvocationQuery query;
        query.traceRoot = root;
        query.limit = 100;
        return store().list(query);
    }

    Run fogbank(const QStringList& args) {
        return runProcess(fogbankExe(), args, {}, state_.path());
    }

    json rawInvoke(const QString& function, const QString& header = {}) {
        // A client outside any function: no AWS_LAMBDA_FUNCTION_NAME, no header unless given.
        const Run run =
            runProcess(kPython, {q(fixture("traces/raw_invoke.py")),
                                 QString::number((*engine_)->edgePort()), function, header});
        if (run.exitCode != 0) return json{{"failed", run.describe().toStdString()}};
        return json::parse(run.out.toStdString(), nullptr, false);
    }

  private slots:
    void initTestCase() {
        prepareTestEnvironment();
        QVERIFY(state_.isValid());
        QVERIFY2(QFileInfo(fogbankExe()).isExecutable(), qPrintable(fogbankExe()));
        const Run check =
            runProcess(kPython, {QStringLiteral("-c"), QStringLiteral("import boto3")});
        if (check.exitCode != 0) QSKIP("no boto3 for /usr/bin/python3 (python3-boto3)");
        engine_ = std::make_unique<TestEngine>(tracesTemplate(), [this](EngineConfig& config) {
            config.stateDir = state_.path().toStdString();
            // Debian's interpreter, which has boto3, whatever python3 is first on PATH.
            config.python = kPython.toStdString();
        });
        QVERIFY((*engine_)->store() != nullptr);

        caller_ = engine_->invoke("Caller");
        FB_EXPECT_OK(caller_);
        const json body = payloadOf(caller_);
        QCOMPARE(field(body, "/eventStatus"), QStringLiteral("202"));
        QCOMPARE(field(body, "/syncStatus"), QStringLiteral("200"));
        QCOMPARE(field(body, "/sync/via"), QStringLiteral("sync"));
        // Callee's asynchronous invocation is recorded once it has run.
        QTRY_VERIFY_WITH_TIMEOUT(invocationsOf(caller_.traceRoot).size() >= 3, 60000);
        QTRY_VERIFY_WITH_TIMEOUT(store().spans(caller_.traceRoot).size() >= 2, 10000);
    }

    void cleanupTestCase() { engine_.reset(); }

    void chainIsOneTrace() {
        const std::string root = caller_.traceRoot;
        QVERIFY2(q(root).startsWith(QStringLiteral("1-")), root.c_str());
        QVERIFY(caller_.parentSpanId.empty());  // invoked directly: the trace's root

        const auto invocations = invocationsOf(root);
        QCOMPARE(invocations.size(), std::size_t(3));
        const auto calls = store().spans(root);
        QCOMPARE(calls.size(), std::size_t(2));

        std::map<std::string, const ServiceSpan*> callByType;
        for (const auto& call : calls) {
            QCOMPARE(call.traceRoot, root);
            QCOMPARE(call.service, std::string("lambda"));
            QCOMPARE(call.operation, std::string("Invoke"));
            QCOMPARE(call.resource, std::string("traces-callee"));
            QVERIFY2(call.error.empty(), call.error.c_str());
            // boto3 inside Caller sent Caller's span as Parent.
            QCOMPARE(call.parentSpanId, caller_.spanId);
            QVERIFY(call.start >= caller_.start && call.end <= caller_.end);
            callByType[attributeOf(call, "aws.lambda.invocation_type")] = &call;
        }
        QVERIFY(callByType.count("Event") && callByType.count("RequestResponse"));
        QCOMPARE(callByType["Event"]->statusCode, 202);
        QCOMPARE(callByType["RequestResponse"]->statusCode, 200);

        int callees = 0;
        for (const auto& invocation : invocations) {
            QCOMPARE(invocation.traceRoot, root);
            if (invocation.requestId == caller_.requestId) {
                QCOMPARE(invocation.spanId, caller_.spanId);
                continue;
            }
            ++callees;
            QCOMPARE(invocation.function, std::string("traces-callee"));
            QVERIFY2(invocation.ok(), qPrintable(describe(invocation)));
            const ServiceSpan* cause = invocation.trigger == Trigger::Async
                                           ? callByType["Event"]
                                           : callByType["RequestResponse"];
            QVERIFY2(
                invocation.trigger == Trigger::Async || invocation.trigger == Trigger::InvokeApi,
                fogbank::toString(invocation.trigger));
            QCOMPARE(invocation.parentSpanId, cause->spanId);
            QCOMPARE(attributeOf(*cause, "aws.request_id"), invocation.requestId);
            // What Callee's own calls would carry: its trace, its own span as Parent.
            QCOMPARE(
                q(invocation.traceId),
                QStringLiteral("Root=%1;Parent=%2;Sampled=1").arg(q(root), q(invocation.spanId)));
        }
        QCOMPARE(callees, 2);
        // The synchronous Callee saw that header in _X_AMZN_TRACE_ID.
        const json body = payloadOf(caller_);
        const QString syncTrace = field(body, "/sync/trace");
        QVERIFY2(syncTrace.contains(QStringLiteral("Root=") + q(root)), qPrintable(syncTrace));
        QCOMPARE(field(body, "/trace"), q(caller_.traceId));

        const auto tree = fogbank::loadTraceTree(store(), root);
        QCOMPARE(tree.nodes.size(), std::size_t(5));
        QCOMPARE(tree.roots.size(), std::size_t(1));
        QCOMPARE(tree.nodes[0].spanId, caller_.spanId);
        std::vector<int> depths;
        for (const auto& node : tree.nodes) depths.push_back(node.depth);
        QCOMPARE(depths, (std::vector<int>{0, 1, 2, 1, 2}));
        QCOMPARE(tree.errors(), 0);
    }

    void tracesListsIt() {
        const Run run =
            fogbank({QStringLiteral("traces"), QStringLiteral("--state-dir"), stateDir()});
        QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
        const QStringList lines = run.out.split('\n', Qt::SkipEmptyParts);
        QVERIFY2(lines.size() >= 2, qPrintable(run.describe()));
        QVERIFY2(lines[0].startsWith(QStringLiteral("TRACE")), qPrintable(run.describe()));
        QString line;
        for (const auto& l : lines)
            if (l.startsWith(q(caller_.traceRoot))) line = l;
        QVERIFY2(!line.isEmpty(), qPrintable(run.describe()));
        const QStringList columns = line.split(' ', Qt::SkipEmptyParts);
        // trace, date, time, function, invocations, calls, errors, duration, "ms"
        QCOMPARE(columns.size(), 9);
        QCOMPARE(columns[3], QStringLiteral("traces-caller"));
        QCOMPARE(columns[4], QStringLiteral("3"));
        QCOMPARE(columns[5], QStringLiteral("2"));
        QCOMPARE(columns[6], QStringLiteral("0"));

        // --function takes the logical id when the template says what it is.
        const Run filtered =
            fogbank({QStringLiteral("traces"), QStringLiteral("-t"), q(tracesTemplate()),
                     QStringLiteral("--state-dir"), stateDir(), QStringLiteral("--function"),
                     QStringLiteral("Callee"), QStringLiteral("--last"), QStringLiteral("50")});
        QVERIFY2(filtered.exitCode == 0, qPrintable(filtered.describe()));
        QVERIFY2(filtered.out.contains(q(caller_.traceRoot)), qPrintable(filtered.describe()));
        const Run none =
            fogbank({QStringLiteral("traces"), QStringLiteral("--state-dir"), stateDir(),
                     QStringLiteral("--function"), QStringLiteral("no-such-function")});
        QVERIFY2(none.exitCode == 0, qPrintable(none.describe()));
        QVERIFY2(!none.out.contains(q(caller_.traceRoot)), qPrintable(none.describe()));
    }

    void tracePrintsTheTree() {
        const Run run = fogbank({QStringLiteral("trace"), q(caller_.traceRoot),
                                 QStringLiteral("--state-dir"), stateDir()});
        QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
        QVERIFY2(run.out.startsWith(QStringLiteral("Trace ") + q(caller_.traceRoot)),
                 qPrintable(run.out));
        QVERIFY2(run.out.contains(QStringLiteral("3 invocation(s), 2 service call(s), 0 error(s)")),
                 qPrintable(run.out));
        // The five spans in waterfall order, each indented under its cause.
        const QStringList expected = {
            QStringLiteral("invocation traces-caller (manual"),
            QStringLiteral("├─ call lambda.Invoke traces-callee (Event)"),
            QStringLiteral("│  └─ invocation traces-callee (async"),
            QStringLiteral("└─ call lambda.Invoke traces-callee (RequestResponse)"),
            QStringLiteral("   └─ invocation traces-callee (invoke-api"),
        };
        QStringList rows;
        for (const QString& line : run.out.split('\n'))
            if (line.contains(QStringLiteral("invocation ")) ||
                line.contains(QStringLiteral("call ")))
                rows << line;
        QCOMPARE(rows.size(), expected.size());
        int column = -1;
        for (int i = 0; i < rows.size(); ++i) {
            const int at = int(rows[i].indexOf(expected[i]));
            QVERIFY2(at > 0, qPrintable(rows[i] + "\n---\n" + run.out));
            if (column < 0) column = at;
            QCOMPARE(at, column);  // the tree starts in one column; its depth is in the prefix
        }
        // Offsets, durations and the status on every row; init time on the cold ones.
        static const QRegularExpression row(QStringLiteral(
            "^\\s*(\\d+\\.\\d\\d)\\s+(\\d+\\.\\d\\d)\\s+(\\d+\\.\\d\\d)?\\s+(success|202|200)\\s"));
        for (const QString& r : rows) QVERIFY2(row.match(r).hasMatch(), qPrintable(r));
        QVERIFY2(row.match(rows[0]).captured(1) == QStringLiteral("0.00"), qPrintable(rows[0]));
        QVERIFY2(!row.match(rows[0]).captured(3).isEmpty(), qPrintable(rows[0]));  // cold
        QVERIFY2(rows[0].contains(q(caller_.requestId)), qPrintable(rows[0]));

        // The same trace by its OTLP id and by one of its request ids.
        for (const QString& id :
             {q(fogbank::otlpTraceId(caller_.traceRoot)), q(caller_.requestId)}) {
            const Run again =
                fogbank({QStringLiteral("trace"), id, QStringLiteral("--state-dir"), stateDir()});
            QVERIFY2(again.exitCode == 0, qPrintable(again.describe()));
            QCOMPARE(again.out, run.out);
        }
    }

    void unknownTraceIsAnError() {
        const Run run =
            fogbank({QStringLiteral("trace"), QStringLiteral("1-00000000-000000000000000000000000"),
                     QStringLiteral("--state-dir"), stateDir()});
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains(QStringLiteral("no trace 1-00000000-000000000000000000000000")),
                 qPrintable(run.describe()));
        QVERIFY2(run.out.isEmpty(), qPrintable(run.describe()));

        QTemporaryDir empty;
        const Run nothing = fogbank({QStringLiteral("trace"), QStringLiteral("whatever"),
                                     QStringLiteral("--state-dir"), empty.path()});
        QCOMPARE(nothing.exitCode, 2);
        QVERIFY2(nothing.err.contains(QStringLiteral("nothing recorded")),
                 qPrintable(nothing.describe()));
        QVERIFY2(!QFileInfo::exists(empty.filePath(QStringLiteral("fogbank.db"))),
                 "reading must not create a database");
    }

    void otlpExportIsConsistent() {
        const QString file = state_.filePath(QStringLiteral("trace.otlp.json"));
        const Run run =
            fogbank({QStringLiteral("trace"), q(caller_.traceRoot), QStringLiteral("--state-dir"),
                     stateDir(), QStringLiteral("--otlp"), file});
        QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
        QFile in(file);
        QVERIFY(in.open(QIODevice::ReadOnly));
        const json otlp = json::parse(in.readAll().toStdString(), nullptr, false);
        QVERIFY2(otlp.is_object() && otlp["resourceSpans"].is_array(), "not OTLP/JSON");

        const std::string traceId = fogbank::otlpTraceId(caller_.traceRoot);
        QCOMPARE(traceId.size(), std::size_t(32));
        std::map<std::string, json> byId;
        std::set<std::string> services;
        for (const auto& resource : otlp["resourceSpans"]) {
            for (const auto& a : resource["resource"]["attributes"])
                if (a["key"] == "service.name") services.insert(a["value"]["stringValue"]);
            for (const auto& scope : resource["scopeSpans"]) {
                for (const auto& span : scope["spans"]) {
                    QCOMPARE(span["traceId"].get<std::string>(), traceId);
                    QVERIFY(span["startTimeUnixNano"].is_string());
                    QVERIFY(byId.emplace(span["spanId"].get<std::string>(), span).second);
                }
            }
        }
        QCOMPARE(services, (std::set<std::string>{"traces-caller", "traces-callee", "lambda"}));
        // Five spans and an Init span per cold start (Caller's and at least one of Callee's).
        QVERIFY2(byId.size() >= 7, otlp.dump(1).c_str());
        for (const auto& [id, span] : byId) {
            QCOMPARE(id.size(), std::size_t(16));
            if (span.contains("parentSpanId"))
                QVERIFY2(byId.count(span["parentSpanId"]), span.dump().c_str());
        }
        QVERIFY(byId.count(caller_.spanId));
        const json& caller = byId.at(caller_.spanId);
        QVERIFY(!caller.contains("parentSpanId"));
        QCOMPARE(caller["name"].get<std::string>(), std::string("traces-caller"));
        bool found = false;
        for (const auto& a : caller["attributes"])
            if (a["key"] == "faas.invocation_id")
                found = a["value"]["stringValue"] == caller_.requestId;
        QVERIFY(found);
        for (const auto& call : store().spans(caller_.traceRoot)) {
            QVERIFY(byId.count(call.spanId));
            QCOMPARE(byId.at(call.spanId)["parentSpanId"].get<std::string>(), caller_.spanId);
        }

        const QString all = state_.filePath(QStringLiteral("all.otlp.json"));
        const Run exported = fogbank({QStringLiteral("traces"), QStringLiteral("--state-dir"),
                                      stateDir(), QStringLiteral("--export"), all});
        QVERIFY2(exported.exitCode == 0, qPrintable(exported.describe()));
        QFile allIn(all);
        QVERIFY(allIn.open(QIODevice::ReadOnly));
        const std::string text = allIn.readAll().toStdString();
        QVERIFY(json::accept(text));
        QVERIFY(text.find(caller_.spanId) != std::string::npos);
    }

    // A call from outside any function starts a trace of its own, its span the root.
    void callWithoutHeaderStartsATrace() {
        const json reply = rawInvoke(QStringLiteral("traces-callee"));
        QCOMPARE(field(reply, "/status"), QStringLiteral("200"));
        const auto invocation = store().find(reply["requestId"].get<std::string>());
        QVERIFY(invocation);
        QVERIFY(invocation->traceRoot != caller_.traceRoot);
        QTRY_COMPARE_WITH_TIMEOUT(store().spans(invocation->traceRoot).size(), std::size_t(1),
                                  10000);
        const auto span = store().spans(invocation->traceRoot).front();
        QVERIFY(span.parentSpanId.empty());
        QCOMPARE(invocation->parentSpanId, span.spanId);
        QCOMPARE(invocation->trigger, Trigger::InvokeApi);
    }

    // An incoming X-Amzn-Trace-Id is honoured: its root, its Parent as the call's parent.
    void callWithHeaderJoinsItsTrace() {
        const QString root = QStringLiteral("1-5759e988-bd862e3fe1be46a994272793");
        const json reply =
            rawInvoke(QStringLiteral("traces-callee"),
                      QStringLiteral("Root=%1;Parent=53995c3f42cd8ad8;Sampled=1").arg(root));
        QCOMPARE(field(reply, "/status"), QStringLiteral("200"));
        const auto invocation = store().find(reply["requestId"].get<std::string>());
        QVERIFY(invocation);
        QCOMPARE(q(invocation->traceRoot), root);
        QTRY_COMPARE_WITH_TIMEOUT(store().spans(root.toStdString()).size(), std::size_t(1), 10000);
        const auto span = store().spans(root.toStdString()).front();
        QCOMPARE(span.parentSpanId, std::string("53995c3f42cd8ad8"));
        QCOMPARE(invocation->parentSpanId, span.spanId);
        const auto tree = fogbank::loadTraceTree(store(), root.toStdString());
        QCOMPARE(tree.nodes.size(), std::size_t(2));
        QVERIFY(tree.nodes[0].orphan);  // its caller is not Fogbank's to know
    }

    // A failed call is a failed span, in a trace with no invocation.
    void failedCallIsRecorded() {
        const QString root = QStringLiteral("1-5759e988-00000000000000000000dead");
        const json reply = rawInvoke(QStringLiteral("no-such-function"),
                                     QStringLiteral("Root=%1;Sampled=1").arg(root));
        QCOMPARE(field(reply, "/status"), QStringLiteral("404"));
        QTRY_COMPARE_WITH_TIMEOUT(store().spans(root.toStdString()).size(), std::size_t(1), 10000);
        const auto span = store().spans(root.toStdString()).front();
        QCOMPARE(span.statusCode, 404);
        QCOMPARE(span.error, std::string("ResourceNotFoundException"));
        QCOMPARE(span.resource, std::string("no-such-function"));
        QVERIFY(span.parentSpanId.empty());
        bool listed = false;
        for (const auto& summary : store().traces({}, 100)) {
            if (summary.traceRoot != root.toStdString()) continue;
            listed = true;
            QCOMPARE(summary.invocations, 0);
            QCOMPARE(summary.spans, 1);
            QCOMPARE(summary.errors, 1);
        }
        QVERIFY(listed);
    }
};

QTEST_GUILESS_MAIN(TracesTest)
#include "test_traces.moc"
