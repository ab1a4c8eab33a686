// The debugger model driven over real handlers: Node under its inspector (CDP) and Python under
// debugpy (DAP), the same handler in both (fixtures/debug, same line numbers). Each test runs for
// both runtimes: a breakpoint hit with the right line and locals, stepping over, into and out of
// a helper, evaluation, a conditional breakpoint, an exception stopped where it was thrown, the
// timeout held while paused, a second invocation while one is paused, a stop on the handler's
// first line, ending a session mid-pause, and an IDE attaching on the port instead.
#include "emulator/debug/cdp_connection.h"
#include "emulator/debug/dap_connection.h"
#include "emulator/debug/debugger.h"
#include "emulator/trace/cold_start_stats.h"
#include "test_support.h"

#include <boost/asio/io_context.hpp>

#include <condition_variable>
#include <deque>
#include <thread>

using namespace fbtest;
using namespace fogbank::debug;
using fogbank::DebugRequest;

namespace {

constexpr auto kWait = std::chrono::seconds(60);

fs::path debugTemplate() {
    return fixture("debug/template.yaml");
}

struct Event {
    std::string kind;  // started, waiting, stopped, resumed, ended
    SessionInfo session;
    std::string requestId;
    StopEvent stop;
    std::string why;
};

// What the debugger reports, kept in order; tests take the events they wait for. Registered for
// its lifetime, so that a test that stops early leaves no dangling observer behind.
class Recorder : public DebugObserver {
  public:
    explicit Recorder(Debugger& debugger) : debugger_(debugger) { debugger_.addObserver(this); }
    ~Recorder() override { debugger_.removeObserver(this); }

    void sessionStarted(const SessionInfo& s) override { push({"started", s, {}, {}, {}}); }
    void waitingForIde(const SessionInfo& s) override { push({"waiting", s, {}, {}, {}}); }
    void stopped(const SessionInfo& s, const std::string& requestId, const StopEvent& e) override {
        push({"stopped", s, requestId, e, {}});
    }
    void resumed(const SessionInfo& s) override { push({"resumed", s, {}, {}, {}}); }
    void sessionEnded(const SessionInfo& s, const std::string& why) override {
        push({"ended", s, {}, {}, why});
    }

    // The first event of `kind` (of `session` when not 0), taken out; nullopt after kWait.
    std::optional<Event> take(const std::string& kind, int session = 0) {
        std::unique_lock lock(mutex_);
        std::optional<Event> found;
        cv_.wait_for(lock, kWait, [&] {
            for (auto it = events_.begin(); it != events_.end(); ++it) {
                if (it->kind == kind && (session == 0 || it->session.id == session)) {
                    found = *it;
                    events_.erase(it);
                    return true;
                }
            }
            return false;
        });
        return found;
    }
    int count(const std::string& kind) {
        std::lock_guard lock(mutex_);
        return static_cast<int>(std::count_if(events_.begin(), events_.end(),
                                              [&](const Event& e) { return e.kind == kind; }));
    }

  private:
    void push(Event e) {
        {
            std::lock_guard lock(mutex_);
            events_.push_back(std::move(e));
        }
        cv_.notify_all();
    }
    Debugger& debugger_;
    std::mutex mutex_;
    std::condition_variable cv_;
    std::deque<Event> events_;
};

template <class T>
struct Answer {
    T value{};
    std::string error;
};

// Calls an asynchronous debugger method and waits for its one answer.
template <class T, class Start>
Answer<T> ask(Start&& start) {
    auto promise = std::make_shared<std::promise<Answer<T>>>();
    auto future = promise->get_future();
    start([promise](T value, std::string error) {
        promise->set_value({std::move(value), std::move(error)});
    });
    if (future.wait_for(kWait) != std::future_status::ready) return {T{}, "no answer in 60 s"};
    return future.get();
}
template <class Start>
std::string askError(Start&& start) {
    auto promise = std::make_shared<std::promise<std::string>>();
    auto future = promise->get_future();
    start([promise](std::string error) { promise->set_value(std::move(error)); });
    if (future.wait_for(kWait) != std::future_status::ready) return "no answer in 60 s";
    return future.get();
}

QString describe(const StopEvent& e) {
    QString text = QStringLiteral("%1 \"%2\"").arg(toString(e.reason), q(e.description));
    for (const auto& f : e.frames)
        text += QStringLiteral("\n    at %1 %2:%3").arg(q(f.name), q(f.file)).arg(f.line);
    return text;
}

}  // namespace

class DebuggerTest : public QObject {
    Q_OBJECT

    // The function names of the row being run: "NodeDebug"/"NodeFails" or "PyDebug"/"PyFails".
    std::string debugFn() const {
        return QTest::currentDataTag() == QStringLiteral("node") ? "NodeDebug" : "PyDebug";
    }
    std::string failsFn() const {
        return QTest::currentDataTag() == QStringLiteral("node") ? "NodeFails" : "PyFails";
    }
    fs::path appFile() const {
        return fs::canonical(fixture(QTest::currentDataTag() == QStringLiteral("node")
                                         ? "debug/node/app.js"
                                         : "debug/python/app.py"));
    }
    bool node() const { return QTest::currentDataTag() == QStringLiteral("node"); }

    std::future<InvocationResult> debugInvoke(TestEngine& engine, const std::string& function,
                                              const std::string& payload, DebugRequest debug = {}) {
        fogbank::InvokeRequest request;
        request.function = function;
        request.payload = payload;
        request.debug = debug;
        return engine->invoke(std::move(request));
    }

    void setBreakpoint(TestEngine& engine, const std::string& function, int line,
                       const std::string& condition = {}) {
        const auto answer = ask<std::vector<BreakpointState>>([&](auto done) {
            engine->debugger().setBreakpoints(function, appFile(), {{appFile(), line, condition}},
                                              done);
        });
        QVERIFY2(answer.error.empty(), answer.error.c_str());
        QCOMPARE(answer.value.size(), std::size_t(1));
    }

    // The locals of the innermost frame, by name, as the language prints them.
    std::map<std::string, std::string> locals(TestEngine& engine, const Event& stop) {
        auto& debugger = engine->debugger();
        const int session = stop.session.id;
        const auto scopes = ask<std::vector<Scope>>(
            [&](auto done) { debugger.scopes(session, stop.stop.frames.at(0).id, done); });
        if (!scopes.error.empty() || scopes.value.empty()) return {{"<error>", scopes.error}};
        const auto vars = ask<std::vector<Variable>>(
            [&](auto done) { debugger.variables(session, scopes.value[0].reference, done); });
        std::map<std::string, std::string> out;
        for (const auto& v : vars.value) out[v.name] = v.value;
        if (!vars.error.empty()) out["<error>"] = vars.error;
        return out;
    }

    void step(TestEngine& engine, int session, StepKind kind) {
        const auto error =
            askError([&](auto done) { engine->debugger().step(session, kind, done); });
        QVERIFY2(error.empty(), error.c_str());
    }

    // The next stop, checked to be in app.js/app.py at one of `lines`.
    std::optional<Event> stopAt(Recorder& recorder, std::initializer_list<int> lines,
                                StopReason reason, int session = 0) {
        auto stop = recorder.take("stopped", session);
        if (!stop) {
            QTest::qFail("the debugger never stopped", __FILE__, __LINE__);
            return std::nullopt;
        }
        const auto& frames = stop->stop.frames;
        const bool where = !frames.empty() && frames[0].file == appFile() &&
                           std::find(lines.begin(), lines.end(), frames[0].line) != lines.end();
        if (!where || stop->stop.reason != reason) {
            QTest::qFail(qPrintable(QStringLiteral("expected a %1 stop, got %2")
                                        .arg(toString(reason), describe(stop->stop))),
                         __FILE__, __LINE__);
            return std::nullopt;
        }
        return stop;
    }

    // What an IDE does to attach and let the handler run (VS Code's js-debug and debugpy
    // extensions): Node: enable, release, go on from the pause on start; Python: initialize,
    // attach, configurationDone. Answers with an error, empty once the runtime was released.
    std::string attachAsIde(const std::string& endpoint, int port) {
        boost::asio::io_context io;
        std::optional<std::string> outcome;
        auto answer = [&](std::string e) {
            if (!outcome) outcome = std::move(e);
        };
        std::shared_ptr<CdpConnection> cdp;
        std::unique_ptr<DapConnection> dap;
        if (node()) {
            cdp = CdpConnection::create(io.get_executor(),
                                        [&](const std::string& method, const json&) {
                                            if (method == "Debugger.paused")
                                                cdp->send("Debugger.resume", {});
                                        },
                                        {});
            cdp->connect(endpoint, [&](std::string e) {
                if (!e.empty()) return answer(e);
                cdp->send("Debugger.enable", {});
                cdp->send("Runtime.runIfWaitingForDebugger", {},
                          [&](json, std::string e) { answer(e); });
            });
        } else {
            dap = std::make_unique<DapConnection>(
                io.get_executor(),
                [&](const std::string& event, const json&) {
                    if (event == "initialized")
                        dap->request("configurationDone", json::object(),
                                     [&](json, std::string e) { answer(e); });
                },
                [](const std::string&) {});
            dap->connect(port, std::chrono::seconds(20), [&](std::string e) {
                if (!e.empty()) return answer(e);
                dap->request("initialize", {{"adapterID", "debugpy"}});
                dap->request("attach", json::object());
            });
        }
        const auto giveUp = std::chrono::steady_clock::now() + std::chrono::seconds(40);
        while (!outcome && std::chrono::steady_clock::now() < giveUp)
            io.run_for(std::chrono::milliseconds(100));
        return outcome.value_or("the fake IDE got no answer");
    }

  private slots:
    void initTestCase() {
        prepareTestEnvironment();
        if (qEnvironmentVariableIsSet("FB_TRACE")) spdlog::set_level(spdlog::level::trace);
    }

    void breakpointLocalsStepsAndEvaluate_data() { rows(); }
    void breakpointLocalsStepsAndEvaluate() {
        TestEngine engine(debugTemplate());
        Recorder recorder(engine->debugger());
        FB_CHECK(setBreakpoint(engine, debugFn(), 13));
        auto result = debugInvoke(engine, debugFn(), R"({"name": "Ada", "count": 2})");

        auto stop = stopAt(recorder, {13}, StopReason::Breakpoint);
        if (!stop) return;
        QVERIFY(!stop->requestId.empty());
        QCOMPARE(q(stop->session.function), q(engine.spec(debugFn()).functionName));
        auto vars = locals(engine, *stop);
        QVERIFY2(vars.count("name") && vars.count("count"), qPrintable(q(json(vars).dump())));
        QCOMPARE(q(vars["name"]), node() ? QStringLiteral("\"Ada\"") : QStringLiteral("'Ada'"));
        QCOMPARE(q(vars["count"]), QStringLiteral("2"));

        const int session = stop->session.id;
        // The event is an object: its children come on demand.
        const auto scopes = ask<std::vector<Scope>>(
            [&](auto done) { engine->debugger().scopes(session, stop->stop.frames[0].id, done); });
        QVERIFY2(!scopes.value.empty(), scopes.error.c_str());
        const auto top = ask<std::vector<Variable>>([&](auto done) {
            engine->debugger().variables(session, scopes.value[0].reference, done);
        });
        const auto event = std::find_if(top.value.begin(), top.value.end(),
                                        [](const Variable& v) { return v.name == "event"; });
        QVERIFY(event != top.value.end());
        QVERIFY2(event->reference > 0, event->value.c_str());
        const auto fields = ask<std::vector<Variable>>(
            [&](auto done) { engine->debugger().variables(session, event->reference, done); });
        std::map<std::string, std::string> eventFields;
        for (const auto& v : fields.value) eventFields[v.name] = v.value;
        // Python shows a dict's entries by their repr'd keys.
        const std::string nameKey = node() ? "name" : "'name'";
        QVERIFY2(eventFields.count(nameKey), qPrintable(q(json(eventFields).dump())));
        QCOMPARE(q(eventFields[nameKey]),
                 node() ? QStringLiteral("\"Ada\"") : QStringLiteral("'Ada'"));

        const auto value = ask<Variable>([&](auto done) {
            engine->debugger().evaluate(session, stop->stop.frames[0].id, "count * 21", done);
        });
        QVERIFY2(value.error.empty(), value.error.c_str());
        QCOMPARE(q(value.value.value), QStringLiteral("42"));
        const auto bad = ask<Variable>([&](auto done) {
            engine->debugger().evaluate(session, stop->stop.frames[0].id, "no_such_name + 1", done);
        });
        QVERIFY2(q(bad.error).contains(QStringLiteral("no_such_name")), bad.error.c_str());

        // Into the helper, out of it, then over the next line.
        FB_CHECK(step(engine, session, StepKind::Into));
        auto inside = stopAt(recorder, {6}, StopReason::Step, session);
        if (!inside) return;
        QCOMPARE(q(inside->stop.frames[0].name), QStringLiteral("shout"));
        QVERIFY2(inside->stop.frames.size() >= 2 && inside->stop.frames[1].line == 13,
                 qPrintable(describe(inside->stop)));
        QCOMPARE(q(locals(engine, *inside)["name"]),
                 node() ? QStringLiteral("\"Ada\"") : QStringLiteral("'Ada'"));
        FB_CHECK(step(engine, session, StepKind::Out));
        // Back in the handler: on the call's line (the assignment is still to come) or past it.
        auto back = stopAt(recorder, {13, 14}, StopReason::Step, session);
        if (!back) return;
        if (back->stop.frames[0].line == 13) {
            FB_CHECK(step(engine, session, StepKind::Over));
            back = stopAt(recorder, {14}, StopReason::Step, session);
            if (!back) return;
        }
        QCOMPARE(q(locals(engine, *back)["message"]),
                 node() ? QStringLiteral("\"Hello, ADA!\"") : QStringLiteral("'Hello, ADA!'"));

        FB_CHECK(step(engine, session, StepKind::Continue));
        const auto done = await(std::move(result));
        FB_EXPECT_OK(done);
        QCOMPARE(field(payloadOf(done), "/message"), QStringLiteral("Hello, ADA!"));
        QVERIFY2(done.sandboxId.find("@debug#") != std::string::npos, done.sandboxId.c_str());
    }

    // Pause stops a busy handler where it is; the time paused is not its duration.
    void pauseARunningHandler_data() { rows(); }
    void pauseARunningHandler() {
        TestEngine engine(debugTemplate());
        Recorder recorder(engine->debugger());
        const std::string spin = node() ? "NodeSpin" : "PySpin";
        auto result = debugInvoke(engine, spin, R"({"ms": 4000})");
        auto started = recorder.take("started");
        QVERIFY(started);
        // Once the handler spins (its log has START): pause.
        QTest::qWait(1500);
        QCOMPARE(q(askError([&](auto d) { engine->debugger().pause(started->session.id, d); })),
                 QString());
        auto stop = stopAt(recorder, {24, 25, 26}, StopReason::Pause, started->session.id);
        if (!stop) return;
        const auto turns = ask<Variable>([&](auto done) {
            engine->debugger().evaluate(started->session.id, stop->stop.frames[0].id, "turns > 0",
                                        done);
        });
        QCOMPARE(q(turns.value.value), node() ? QStringLiteral("true") : QStringLiteral("True"));
        QTest::qWait(1000);
        FB_CHECK(step(engine, stop->session.id, StepKind::Continue));
        const auto done = await(std::move(result));
        FB_EXPECT_OK(done);
        QVERIFY2(intField(payloadOf(done), "/turns") > 0, done.payload.c_str());
        QVERIFY2(findLine(done, QStringLiteral("Fogbank: paused ")) >= 0,
                 qPrintable(describe(done)));
    }

    void conditionalBreakpoint_data() { rows(); }
    void conditionalBreakpoint() {
        TestEngine engine(debugTemplate());
        Recorder recorder(engine->debugger());
        FB_CHECK(setBreakpoint(engine, debugFn(), 13, "count > 5"));
        // Not met: runs through without a stop.
        const auto quiet = await(debugInvoke(engine, debugFn(), R"({"count": 1})"));
        FB_EXPECT_OK(quiet);
        QCOMPARE(recorder.count("stopped"), 0);
        // Met.
        auto result = debugInvoke(engine, debugFn(), R"({"count": 9})");
        auto stop = stopAt(recorder, {13}, StopReason::Breakpoint);
        if (!stop) return;
        QCOMPARE(q(locals(engine, *stop)["count"]), QStringLiteral("9"));
        FB_CHECK(step(engine, stop->session.id, StepKind::Continue));
        const auto met = await(std::move(result));
        FB_EXPECT_OK(met);
    }

    void exceptionStopsWhereThrown_data() { rows(); }
    void exceptionStopsWhereThrown() {
        TestEngine engine(debugTemplate());
        Recorder recorder(engine->debugger());
        auto result = debugInvoke(engine, failsFn(), R"({"detail": "boom"})");
        auto stop = stopAt(recorder, {20}, StopReason::Exception);
        if (!stop) return;
        QVERIFY2(q(stop->stop.description).contains(QStringLiteral("handler failed: boom")),
                 qPrintable(describe(stop->stop)));
        QCOMPARE(q(locals(engine, *stop)["detail"]),
                 node() ? QStringLiteral("\"boom\"") : QStringLiteral("'boom'"));
        FB_CHECK(step(engine, stop->session.id, StepKind::Continue));
        const auto done = await(std::move(result));
        FB_EXPECT_STATUS(done, FunctionError);
        QCOMPARE(q(done.errorType),
                 node() ? QStringLiteral("Error") : QStringLiteral("ValueError"));

        // None: the same error, no stop.
        QCOMPARE(q(askError(
                     [&](auto d) { engine->debugger().setExceptionMode(ExceptionMode::None, d); })),
                 QString());
        const auto unstopped = await(debugInvoke(engine, failsFn(), "{}"));
        FB_EXPECT_STATUS(unstopped, FunctionError);
        QCOMPARE(recorder.count("stopped"), 0);
    }

    void timeoutHeldWhilePaused_data() { rows(); }
    void timeoutHeldWhilePaused() {
        TestEngine engine(debugTemplate());
        Recorder recorder(engine->debugger());
        FB_CHECK(setBreakpoint(engine, debugFn(), 14));
        auto result = debugInvoke(engine, debugFn(), "{}");
        auto stop = stopAt(recorder, {14}, StopReason::Breakpoint);
        if (!stop) return;
        // Longer than the function's 2 s timeout.
        QTest::qWait(3000);
        FB_CHECK(step(engine, stop->session.id, StepKind::Continue));
        const auto done = await(std::move(result));
        FB_EXPECT_OK(done);
        // The deadline the handler saw moved on by the pause.
        QVERIFY2(intField(payloadOf(done), "/remaining") > 0, done.payload.c_str());
        QVERIFY2(done.durationMs < 2000, qPrintable(describe(done)));
        QVERIFY2(findLine(done, QStringLiteral("Fogbank: paused ")) >= 0,
                 qPrintable(describe(done)));
    }

    void secondInvocationWhilePaused_data() { rows(); }
    void secondInvocationWhilePaused() {
        TestEngine engine(debugTemplate());
        Recorder recorder(engine->debugger());
        FB_CHECK(setBreakpoint(engine, debugFn(), 13));
        auto first = debugInvoke(engine, debugFn(), R"({"name": "first"})");
        auto stop = stopAt(recorder, {13}, StopReason::Breakpoint);
        if (!stop) return;

        // Not asked to be debugged: runs in a sandbox of its own and never pauses.
        const auto plain = engine.invoke(debugFn(), R"({"name": "plain"})");
        FB_EXPECT_OK(plain);
        QCOMPARE(field(payloadOf(plain), "/message"), QStringLiteral("Hello, PLAIN!"));

        // Another debug invocation: a second session, stopped as well.
        auto second = debugInvoke(engine, debugFn(), R"({"name": "second"})");
        auto other = recorder.take("stopped");
        QVERIFY(other);
        QVERIFY(other->session.id != stop->session.id);
        QVERIFY(other->requestId != stop->requestId);
        QCOMPARE(q(locals(engine, *other)["name"]),
                 node() ? QStringLiteral("\"second\"") : QStringLiteral("'second'"));
        QCOMPARE(int(engine->debugger().sessions().size()), 2);

        FB_CHECK(step(engine, other->session.id, StepKind::Continue));
        const auto secondDone = await(std::move(second));
        FB_EXPECT_OK(secondDone);
        FB_CHECK(step(engine, stop->session.id, StepKind::Continue));
        const auto done = await(std::move(first));
        FB_EXPECT_OK(done);
        QCOMPARE(field(payloadOf(done), "/message"), QStringLiteral("Hello, FIRST!"));
    }

    void stopOnEntry_data() { rows(); }
    void stopOnEntry() {
        TestEngine engine(debugTemplate());
        Recorder recorder(engine->debugger());
        DebugRequest entry;
        entry.stopOnEntry = true;
        auto result = debugInvoke(engine, debugFn(), "{}", entry);
        auto stop = stopAt(recorder, {11}, StopReason::Entry);
        if (!stop) return;
        FB_CHECK(step(engine, stop->session.id, StepKind::Continue));
        const auto entryDone = await(std::move(result));
        FB_EXPECT_OK(entryDone);
        // Once only: the warm debug sandbox runs the next one through.
        const auto warmDone = await(debugInvoke(engine, debugFn(), "{}"));
        FB_EXPECT_OK(warmDone);
        QCOMPARE(recorder.count("stopped"), 0);
        QVERIFY(warmDone.debugged() && !warmDone.cold);

        // Debugged invocations say nothing about cold starts: the statistics leave them out.
        const auto plain = engine.invoke(debugFn());
        FB_EXPECT_OK(plain);
        QVERIFY(!plain.debugged());
        const auto stats = fogbank::coldStartStats(*engine->store(), plain.function);
        QCOMPARE(stats.cold.count + stats.warm.count, std::int64_t(1));
    }

    void endingASessionLetsTheInvocationFinish_data() { rows(); }
    void endingASessionLetsTheInvocationFinish() {
        TestEngine engine(debugTemplate());
        Recorder recorder(engine->debugger());
        FB_CHECK(setBreakpoint(engine, debugFn(), 13));
        auto result = debugInvoke(engine, debugFn(), R"({"name": "left"})");
        auto stop = stopAt(recorder, {13}, StopReason::Breakpoint);
        if (!stop) return;
        QCOMPARE(q(askError([&](auto d) { engine->debugger().end(stop->session.id, d); })),
                 QString());
        const auto done = await(std::move(result));
        FB_EXPECT_OK(done);
        QCOMPARE(field(payloadOf(done), "/message"), QStringLiteral("Hello, LEFT!"));
        QVERIFY(recorder.take("ended", stop->session.id));
        QVERIFY(engine->debugger().sessions().empty());
        // The next debug invocation gets a new session and stops again.
        auto again = debugInvoke(engine, debugFn(), "{}");
        auto next = stopAt(recorder, {13}, StopReason::Breakpoint);
        if (!next) return;
        QVERIFY(next->session.id != stop->session.id);
        FB_CHECK(step(engine, next->session.id, StepKind::Continue));
        const auto againDone = await(std::move(again));
        FB_EXPECT_OK(againDone);
    }

    // An IDE instead of Fogbank: the invocation waits on the port until one attaches and
    // releases it, as VS Code does.
    void ideAttachesOnThePort_data() { rows(); }
    void ideAttachesOnThePort() {
        TestEngine engine(debugTemplate());
        Recorder recorder(engine->debugger());
        DebugRequest ide;
        ide.ide = true;
        auto result = debugInvoke(engine, debugFn(), R"({"name": "ide"})", ide);
        auto waiting = recorder.take("waiting");
        QVERIFY(waiting);
        QVERIFY(waiting->session.port > 0);
        QCOMPARE(waiting->session.id, 0);
        QVERIFY(result.wait_for(std::chrono::milliseconds(500)) == std::future_status::timeout);

        auto attached = std::async(std::launch::async, [&] {
            return attachAsIde(waiting->session.endpoint, waiting->session.port);
        });
        const auto done = await(std::move(result));
        QCOMPARE(q(attached.get()), QString());
        FB_EXPECT_OK(done);
        QCOMPARE(field(payloadOf(done), "/message"), QStringLiteral("Hello, IDE!"));
    }

    // `fogbank invoke --debug` as a user runs it: it says where to attach, waits, and answers
    // once an IDE has; debug-config names the same port.
    void cliInvokeWaitsForAnIde_data() { rows(); }
    void cliInvokeWaitsForAnIde() {
        QProcess invoke;
        invoke.setProcessChannelMode(QProcess::SeparateChannels);
        invoke.start(QStringLiteral(FOGBANK_BIN_DIR "/fogbank"),
                     {QStringLiteral("invoke"), q(debugFn()), QStringLiteral("-t"),
                      q(debugTemplate()), QStringLiteral("--debug"), QStringLiteral("--debug-port"),
                      QStringLiteral("0"), QStringLiteral("-e"), QStringLiteral("-")});
        QVERIFY2(invoke.waitForStarted(30000), qPrintable(invoke.errorString()));
        invoke.write(R"({"name": "cli"})");
        invoke.closeWriteChannel();
        QString err;
        static const QRegularExpression where(
            QStringLiteral("waits for a debugger on 127\\.0\\.0\\.1:(\\d+)(?: \\(Node inspector, "
                           "(ws://\\S+)\\))?"));
        QRegularExpressionMatch m;
        QTRY_VERIFY2_WITH_TIMEOUT(
            (m = where.match(err += QString::fromUtf8(invoke.readAllStandardError()))).hasMatch(),
            qPrintable(err), 60000);
        QVERIFY2(err.contains(QStringLiteral("fogbank debug-config")), qPrintable(err));
        // Nothing comes before an IDE attaches.
        QVERIFY(!invoke.waitForFinished(500));
        const auto error = attachAsIde(m.captured(2).toStdString(), m.captured(1).toInt());
        QCOMPARE(q(error), QString());
        QVERIFY2(invoke.waitForFinished(60000), qPrintable(err));
        QCOMPARE(invoke.exitCode(), 0);
        const auto out = json::parse(invoke.readAllStandardOutput().toStdString(), nullptr, false);
        QCOMPARE(field(out, "/message"), QStringLiteral("Hello, CLI!"));

        const auto config = runProcess(QStringLiteral(FOGBANK_BIN_DIR "/fogbank"),
                                       {QStringLiteral("debug-config"), q(debugFn()),
                                        QStringLiteral("-t"), q(debugTemplate())});
        QCOMPARE(config.exitCode, 0);
        const auto launch = json::parse(config.out.toStdString(), nullptr, false);
        QCOMPARE(field(launch, "/configurations/0/request"), QStringLiteral("attach"));
        if (node()) {
            QCOMPARE(field(launch, "/configurations/0/type"), QStringLiteral("node"));
            QCOMPARE(field(launch, "/configurations/0/port"), QStringLiteral("9229"));
        } else {
            QCOMPARE(field(launch, "/configurations/0/type"), QStringLiteral("debugpy"));
            QCOMPARE(field(launch, "/configurations/0/connect/port"), QStringLiteral("5678"));
        }
    }

    void customRuntimesCannotBeDebugged() {
        TestEngine engine(functionsTemplate());
        fogbank::InvokeRequest request;
        request.function = "BashProvided";
        request.debug = DebugRequest{};
        const auto result = await(engine->invoke(std::move(request)));
        FB_EXPECT_STATUS(result, LaunchError);
        QVERIFY2(q(result.payload).contains(QStringLiteral("debugs nodejs* and python3*")),
                 result.payload.c_str());
    }

  private:
    void rows() {
        QTest::addColumn<int>("unused");
        QTest::newRow("node") << 0;
        QTest::newRow("python") << 1;
    }
};

QTEST_GUILESS_MAIN(DebuggerTest)
#include "test_debugger.moc"
