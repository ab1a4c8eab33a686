// The trace tree and its OTLP/JSON export over hand-made invocations and service calls, and the
// store's spans table: ordering, nesting, callers outside the trace, loops in bad data, and ids
// that an OTLP viewer can resolve.
#include "emulator/trace/invocation_store.h"
#include "emulator/trace/otlp_export.h"
#include "emulator/trace/trace_tree.h"

#include <QTemporaryDir>
#include <QtTest>

#include <nlohmann/json.hpp>

#include <map>
#include <set>

using namespace fogbank;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

const std::string kRoot = "1-5759e988-bd862e3fe1be46a994272793";
const std::string kHexRoot = "5759e988bd862e3fe1be46a994272793";
const Clock::time_point kT0 = Clock::time_point(std::chrono::seconds(1'700'000'000));

StoredInvocation invocation(const std::string& function, const std::string& span,
                            const std::string& parent, std::chrono::milliseconds start,
                            std::chrono::milliseconds length, Trigger trigger = Trigger::Manual) {
    StoredInvocation i;
    i.requestId = "req-" + function + "-" + span;
    i.function = function;
    i.trigger = trigger;
    i.traceRoot = kRoot;
    i.spanId = span;
    i.parentSpanId = parent;
    i.start = kT0 + start;
    i.end = i.start + length;
    i.durationMs = double(length.count());
    i.memorySizeMb = 128;
    i.logs = {{i.start + 1ms, "START RequestId: " + i.requestId}, {i.end, "END"}};
    return i;
}

ServiceSpan call(const std::string& span, const std::string& parent,
                 std::chrono::milliseconds start, std::chrono::milliseconds length,
                 int status = 200) {
    ServiceSpan c;
    c.traceRoot = kRoot;
    c.spanId = span;
    c.parentSpanId = parent;
    c.service = "lambda";
    c.operation = "Invoke";
    c.resource = "callee";
    c.start = kT0 + start;
    c.end = c.start + length;
    c.statusCode = status;
    return c;
}

// A calls B twice: asynchronously (call 1, 202) and synchronously (call 2, 200); the synchronous
// B fails. A was a cold start.
struct Chain {
    std::vector<StoredInvocation> invocations;
    std::vector<ServiceSpan> calls;
    Chain() {
        auto a = invocation("caller", "aaaaaaaaaaaaaaaa", "", 0ms, 500ms);
        a.cold = true;
        a.initMs = 120;
        auto b1 = invocation("callee", "b1b1b1b1b1b1b1b1", "c1c1c1c1c1c1c1c1", 210ms, 100ms,
                             Trigger::Async);
        auto b2 = invocation("callee", "b2b2b2b2b2b2b2b2", "c2c2c2c2c2c2c2c2", 221ms, 150ms,
                             Trigger::InvokeApi);
        b2.status = InvocationStatus::FunctionError;
        b2.errorType = "ValueError";
        auto c1 = call("c1c1c1c1c1c1c1c1", "aaaaaaaaaaaaaaaa", 200ms, 5ms, 202);
        c1.attributes["aws.lambda.invocation_type"] = "Event";
        auto c2 = call("c2c2c2c2c2c2c2c2", "aaaaaaaaaaaaaaaa", 220ms, 160ms);
        // Stored newest first, as the store lists them: the tree must not depend on it.
        invocations = {b2, b1, a};
        calls = {c2, c1};
    }
};

std::vector<std::string> names(const TraceTree& tree) {
    std::vector<std::string> out;
    for (const auto& node : tree.nodes)
        out.push_back(std::string(node.depth * 2, ' ') + tree.name(node));
    return out;
}

QString dump(const std::vector<std::string>& lines) {
    QString out;
    for (const auto& line : lines) out += QString::fromStdString(line) + '\n';
    return out;
}

std::string attr(const json& span, const std::string& key) {
    for (const auto& a : span["attributes"]) {
        if (a["key"] != key) continue;
        const auto& v = a["value"];
        if (v.contains("stringValue")) return v["stringValue"];
        if (v.contains("intValue")) return v["intValue"];
        if (v.contains("boolValue")) return v["boolValue"].get<bool>() ? "true" : "false";
        if (v.contains("doubleValue")) return std::to_string(v["doubleValue"].get<double>());
    }
    return "<missing>";
}

struct ExportedSpan {
    json span;
    std::string service;  // the resource's service.name
};

std::vector<ExportedSpan> spansOf(const json& otlp) {
    std::vector<ExportedSpan> out;
    for (const auto& resource : otlp["resourceSpans"]) {
        std::string service;
        for (const auto& a : resource["resource"]["attributes"])
            if (a["key"] == "service.name") service = a["value"]["stringValue"];
        for (const auto& scope : resource["scopeSpans"])
            for (const auto& span : scope["spans"]) out.push_back({span, service});
    }
    return out;
}

}  // namespace

class TraceTreeTest : public QObject {
    Q_OBJECT

  private slots:
    void chainNestsCallsUnderTheirCaller() {
        Chain chain;
        const auto tree = buildTraceTree(kRoot, chain.invocations, chain.calls);
        const std::vector<std::string> expected = {
            "caller",     "  lambda.Invoke callee", "    callee", "  lambda.Invoke callee",
            "    callee",
        };
        QCOMPARE(dump(names(tree)), dump(expected));
        QCOMPARE(tree.roots, std::vector<std::size_t>{0});
        // The asynchronous branch first: siblings by start time.
        QCOMPARE(tree.invocation(tree.nodes[2])->trigger, Trigger::Async);
        QCOMPARE(tree.invocation(tree.nodes[4])->trigger, Trigger::InvokeApi);
        QCOMPARE(tree.nodes[0].children, (std::vector<std::size_t>{1, 3}));
        QCOMPARE(tree.nodes[1].children, std::vector<std::size_t>{2});
        QVERIFY(!tree.nodes[1].lastChild);
        QVERIFY(tree.nodes[3].lastChild);
        QVERIFY(tree.nodes[2].lastChild);
        for (const auto& node : tree.nodes) QVERIFY(!node.orphan);

        QCOMPARE(tree.start, kT0);
        QCOMPARE(tree.end, kT0 + 500ms);
        QCOMPARE(tree.durationMs(), 500.0);
        QCOMPARE(tree.offsetMs(tree.nodes[3]), 220.0);
        QCOMPARE(tree.durationMs(tree.nodes[3]), 160.0);
        QCOMPARE(tree.errors(), 1);
        QCOMPARE(tree.status(tree.nodes[0]), std::string("success"));
        QCOMPARE(tree.status(tree.nodes[1]), std::string("202"));
        QCOMPARE(tree.status(tree.nodes[4]), std::string("error"));
        QVERIFY(tree.failed(tree.nodes[4]));
    }

    void otherTracesAreIgnored() {
        Chain chain;
        auto stray = invocation("stray", "5555555555555555", "", 1ms, 1ms);
        stray.traceRoot = "1-00000000-000000000000000000000000";
        chain.invocations.push_back(stray);
        auto strayCall = call("6666666666666666", "aaaaaaaaaaaaaaaa", 1ms, 1ms);
        strayCall.traceRoot = stray.traceRoot;
        chain.calls.push_back(strayCall);
        const auto tree = buildTraceTree(kRoot, chain.invocations, chain.calls);
        QCOMPARE(tree.nodes.size(), std::size_t(5));
        QCOMPARE(tree.invocations.size(), std::size_t(3));
        QCOMPARE(tree.calls.size(), std::size_t(2));
    }

    void missingParentsMakeRoots() {
        // A client outside Fogbank sent its own Parent; another record's parent was dropped.
        auto outside = call("c1c1c1c1c1c1c1c1", "0123456789abcdef", 10ms, 50ms);
        auto child = invocation("callee", "b1b1b1b1b1b1b1b1", "c1c1c1c1c1c1c1c1", 11ms, 40ms);
        auto early = invocation("lonely", "dddddddddddddddd", "eeeeeeeeeeeeeeee", 0ms, 5ms);
        const auto tree = buildTraceTree(kRoot, {child, early}, {outside});
        const std::vector<std::string> expected = {"lonely", "lambda.Invoke callee", "  callee"};
        QCOMPARE(dump(names(tree)), dump(expected));
        QCOMPARE(tree.roots, (std::vector<std::size_t>{0, 1}));
        QVERIFY(tree.nodes[0].orphan);
        QVERIFY(tree.nodes[1].orphan);
        QVERIFY(!tree.nodes[2].orphan);
        QVERIFY(!tree.nodes[0].lastChild);
        QVERIFY(tree.nodes[1].lastChild);
    }

    void loopsInBadDataAreBroken() {
        auto x = invocation("x", "1111111111111111", "2222222222222222", 0ms, 10ms);
        auto y = invocation("y", "2222222222222222", "1111111111111111", 5ms, 10ms);
        auto self = invocation("self", "3333333333333333", "3333333333333333", 7ms, 1ms);
        const auto tree = buildTraceTree(kRoot, {x, y, self}, {});
        QCOMPARE(tree.nodes.size(), std::size_t(3));
        std::set<std::string> seen;
        for (const auto& node : tree.nodes) QVERIFY(seen.insert(node.spanId).second);
        // x becomes a root (earliest of the loop); y stays under it.
        QCOMPARE(dump(names(tree)), dump({"x", "  y", "self"}));
        QCOMPARE(tree.nodes[0].children, std::vector<std::size_t>{1});
    }

    void emptyTrace() {
        const auto tree = buildTraceTree(kRoot, {}, {});
        QVERIFY(tree.empty());
        QCOMPARE(tree.durationMs(), 0.0);
        const json otlp = toOtlp({tree});
        QVERIFY(otlp["resourceSpans"].is_array());
        QCOMPARE(otlp["resourceSpans"].size(), std::size_t(0));
    }

    void idsConvert() {
        QCOMPARE(otlpTraceId(kRoot), kHexRoot);
        QCOMPARE(otlpTraceId("1-5759E988-BD862E3FE1BE46A994272793"), kHexRoot);
        QCOMPARE(xrayRootFromOtlp(kHexRoot), kRoot);
        QCOMPARE(xrayRootFromOtlp("5759E988BD862E3FE1BE46A994272793"), kRoot);
        QCOMPARE(xrayRootFromOtlp("not-an-id"), std::string());
        QCOMPARE(xrayRootFromOtlp(kRoot), std::string());
        // Roots and span ids of other shapes still make valid, stable OTLP ids.
        const auto odd = otlpTraceId("my-own-trace");
        QCOMPARE(odd.size(), std::size_t(32));
        QCOMPARE(odd, otlpTraceId("my-own-trace"));
        QVERIFY(odd != otlpTraceId("my-other-trace"));
        QCOMPARE(otlpSpanId("53995C3F42CD8AD8"), std::string("53995c3f42cd8ad8"));
        const auto oddSpan = otlpSpanId("span-1");
        QCOMPARE(oddSpan.size(), std::size_t(16));
        QVERIFY(oddSpan.find_first_not_of("0123456789abcdef") == std::string::npos);
    }

    void otlpHasConsistentIds() {
        Chain chain;
        const auto tree = buildTraceTree(kRoot, chain.invocations, chain.calls);
        OtlpOptions options;
        options.region = "eu-west-1";
        const json otlp = json::parse(toOtlp({tree}, options).dump());  // survives a round trip
        const auto spans = spansOf(otlp);
        // Five spans, and the caller's init phase as a sixth.
        QCOMPARE(spans.size(), std::size_t(6));
        std::map<std::string, json> byId;
        for (const auto& [span, service] : spans) {
            QCOMPARE(span["traceId"].get<std::string>(), kHexRoot);
            const std::string id = span["spanId"];
            QCOMPARE(id.size(), std::size_t(16));
            QVERIFY2(byId.emplace(id, span).second, id.c_str());
            QVERIFY(span["startTimeUnixNano"].is_string());
            QVERIFY(span["endTimeUnixNano"].is_string());
            QVERIFY(std::stoull(span["startTimeUnixNano"].get<std::string>()) <=
                    std::stoull(span["endTimeUnixNano"].get<std::string>()));
            QVERIFY(span["kind"].is_number_integer());
            QVERIFY(span["status"].is_object());
        }
        for (const auto& [id, span] : byId)
            if (span.contains("parentSpanId"))
                QVERIFY2(byId.count(span["parentSpanId"]), span.dump().c_str());

        const json& a = byId.at("aaaaaaaaaaaaaaaa");
        QVERIFY(!a.contains("parentSpanId"));
        QCOMPARE(a["name"].get<std::string>(), std::string("caller"));
        QCOMPARE(attr(a, "faas.invocation_id"), std::string("req-caller-aaaaaaaaaaaaaaaa"));
        QCOMPARE(attr(a, "faas.coldstart"), std::string("true"));
        QCOMPARE(attr(a, "faas.name"), std::string("caller"));
        QCOMPARE(attr(a, "cloud.region"), std::string("eu-west-1"));
        QCOMPARE(a["status"]["code"].get<int>(), 0);
        QCOMPARE(a["events"].size(), std::size_t(2));
        QCOMPARE(a["startTimeUnixNano"].get<std::string>(),
                 std::to_string(
                     std::chrono::duration_cast<std::chrono::nanoseconds>(kT0.time_since_epoch())
                         .count()));

        const json& c1 = byId.at("c1c1c1c1c1c1c1c1");
        QCOMPARE(c1["parentSpanId"].get<std::string>(), std::string("aaaaaaaaaaaaaaaa"));
        QCOMPARE(c1["name"].get<std::string>(), std::string("Lambda.Invoke"));
        QCOMPARE(attr(c1, "rpc.method"), std::string("Invoke"));
        QCOMPARE(attr(c1, "faas.invoked_name"), std::string("callee"));
        QCOMPARE(attr(c1, "http.response.status_code"), std::string("202"));
        QCOMPARE(attr(c1, "aws.lambda.invocation_type"), std::string("Event"));
        QCOMPARE(byId.at("b1b1b1b1b1b1b1b1")["parentSpanId"].get<std::string>(),
                 std::string("c1c1c1c1c1c1c1c1"));

        const json& b2 = byId.at("b2b2b2b2b2b2b2b2");
        QCOMPARE(b2["status"]["code"].get<int>(), 2);
        QCOMPARE(b2["status"]["message"].get<std::string>(), std::string("ValueError"));
        QCOMPARE(attr(b2, "faas.coldstart"), std::string("false"));

        // The init phase: a child of the caller's span, its first 120 ms.
        int inits = 0;
        for (const auto& [id, span] : byId) {
            if (span["name"] != "Init") continue;
            ++inits;
            QCOMPARE(span["parentSpanId"].get<std::string>(), std::string("aaaaaaaaaaaaaaaa"));
            QCOMPARE(std::stoull(span["endTimeUnixNano"].get<std::string>()) -
                         std::stoull(span["startTimeUnixNano"].get<std::string>()),
                     120'000'000ull);
        }
        QCOMPARE(inits, 1);

        // One resource per function and one for the Lambda API, each named by service.name.
        std::map<std::string, int> perService;
        for (const auto& [span, service] : spans) ++perService[service];
        QCOMPARE(perService["caller"], 2);
        QCOMPARE(perService["callee"], 2);
        QCOMPARE(perService["lambda"], 2);
    }

    void otlpKeepsAnOutsideParentAsAnAttribute() {
        auto outside = call("c1c1c1c1c1c1c1c1", "0123456789abcdef", 0ms, 50ms);
        auto child = invocation("callee", "b1b1b1b1b1b1b1b1", "c1c1c1c1c1c1c1c1", 1ms, 40ms);
        const auto spans = spansOf(toOtlp({buildTraceTree(kRoot, {child}, {outside})}));
        QCOMPARE(spans.size(), std::size_t(2));
        for (const auto& [span, service] : spans) {
            if (span["spanId"] != "c1c1c1c1c1c1c1c1") continue;
            QVERIFY(!span.contains("parentSpanId"));
            QCOMPARE(attr(span, "fogbank.remote_parent_span_id"), std::string("0123456789abcdef"));
        }
    }

    void otlpDropsLogLinesBeyondTheLimit() {
        auto a = invocation("caller", "aaaaaaaaaaaaaaaa", "", 0ms, 10ms);
        for (int i = 0; i < 10; ++i) a.logs.push_back({a.start, "line"});
        OtlpOptions options;
        options.maxLogEvents = 5;
        const auto spans = spansOf(toOtlp({buildTraceTree(kRoot, {a}, {})}, options));
        QCOMPARE(spans.size(), std::size_t(1));
        QCOMPARE(spans[0].span["events"].size(), std::size_t(5));
        QCOMPARE(spans[0].span["droppedEventsCount"].get<int>(), 7);
    }

    // The spans table: written by the one writer with the invocations, read back whole.
    void storeKeepsSpans() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        Chain chain;
        auto missing = call("9999999999999999", "", 1000ms, 2ms, 404);
        missing.traceRoot = "1-11111111-111111111111111111111111";
        missing.error = "ResourceNotFoundException";
        missing.resource = "nope";
        {
            InvocationStore store(dir.path().toStdString());
            for (const auto& i : chain.invocations) store.record(i, {});
            for (const auto& c : chain.calls) store.recordSpan(c);
            store.recordSpan(missing);
            store.flush();

            const auto spans = store.spans(kRoot);
            QCOMPARE(spans.size(), std::size_t(2));
            QCOMPARE(spans[0].spanId, chain.calls[0].spanId);  // oldest first
            QVERIFY(spans[0].seq > 0 && spans[1].seq > spans[0].seq);
            const auto& c1 = spans[1];
            QCOMPARE(c1.parentSpanId, std::string("aaaaaaaaaaaaaaaa"));
            QCOMPARE(c1.service, std::string("lambda"));
            QCOMPARE(c1.operation, std::string("Invoke"));
            QCOMPARE(c1.resource, std::string("callee"));
            QCOMPARE(c1.statusCode, 202);
            QCOMPARE(c1.start, chain.calls[1].start);
            QCOMPARE(c1.end, chain.calls[1].end);
            QCOMPARE(c1.attributes.at("aws.lambda.invocation_type"), std::string("Event"));

            const auto traces = store.traces({}, 10);
            QCOMPARE(traces.size(), std::size_t(2));
            // Newest first: the failed call alone started last.
            QCOMPARE(traces[0].traceRoot, missing.traceRoot);
            QCOMPARE(traces[0].invocations, 0);
            QCOMPARE(traces[0].spans, 1);
            QCOMPARE(traces[0].errors, 1);
            QCOMPARE(traces[0].rootFunction, std::string());
            QCOMPARE(traces[1].traceRoot, kRoot);
            QCOMPARE(traces[1].invocations, 3);
            QCOMPARE(traces[1].spans, 2);
            QCOMPARE(traces[1].errors, 1);
            QCOMPARE(traces[1].rootFunction, std::string("caller"));
            QCOMPARE(traces[1].start, kT0);
            QCOMPARE(traces[1].end, kT0 + 500ms);

            const auto calleeTraces = store.traces("callee", 10);
            QCOMPARE(calleeTraces.size(), std::size_t(1));
            QCOMPARE(calleeTraces[0].traceRoot, kRoot);

            const auto tree = loadTraceTree(store, kRoot);
            QCOMPARE(tree.nodes.size(), std::size_t(5));
            QVERIFY(loadTraceTree(store, "1-22222222-222222222222222222222222").empty());
        }
        // Retention bounds the spans too; the newest stay.
        {
            InvocationStore store(dir.path().toStdString(), 2);
            auto extra = call("7777777777777777", "", 2000ms, 1ms);
            extra.traceRoot = "1-33333333-333333333333333333333333";
            store.recordSpan(extra);
            store.flush();
            QCOMPARE(store.spans(kRoot).size(), std::size_t(0));
            QCOMPARE(store.spans(extra.traceRoot).size(), std::size_t(1));
            QCOMPARE(store.spans(missing.traceRoot).size(), std::size_t(1));
        }
    }
};

QTEST_GUILESS_MAIN(TraceTreeTest)
#include "test_trace_tree.moc"
