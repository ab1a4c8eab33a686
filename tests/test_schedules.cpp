// Schedules end to end: the fixture's EventBridge rules and Scheduler schedules fire a real Python
// handler (fixtures/schedules) through the engine's virtual clock, advanced a week in one call;
// each firing is recorded as a Schedule invocation at the root of its own trace; the real-time
// timer fires on its own; and `fogbank schedules` lists firings and rejects a bad expression.
#include "emulator/services/scheduler/schedule_expression.h"
#include "emulator/trace/invocation_store.h"
#include "test_support.h"

#include <QUuid>

#include <atomic>
#include <set>

using namespace fbtest;
using fogbank::scheduler::AdvanceReport;
using fogbank::scheduler::formatUtc;
using fogbank::scheduler::parseUtc;

namespace {

fs::path schedulesTemplate() {
    return fixture("schedules/template.yaml");
}

QString fogbankExe() {
    return QStringLiteral(FOGBANK_BIN_DIR "/fogbank");
}

// An engine over the fixture whose clock starts, paused, at `start`.
std::unique_ptr<TestEngine> pausedEngine(const std::string& start) {
    return std::make_unique<TestEngine>(schedulesTemplate(), [&](EngineConfig& c) {
        c.clockStart = parseUtc(start);
        c.python = "/usr/bin/python3";
    });
}

AdvanceReport runAdvance(fogbank::Engine& engine, std::chrono::seconds by) {
    auto promise = std::make_shared<std::promise<AdvanceReport>>();
    auto future = promise->get_future();
    engine.advanceClock(by, [promise](AdvanceReport r) { promise->set_value(std::move(r)); });
    if (future.wait_for(std::chrono::minutes(5)) != std::future_status::ready) {
        AdvanceReport r;
        r.error = "the advance did not finish within 5 minutes";
        return r;
    }
    return future.get();
}

QString utc(fogbank::Clock::time_point t) {
    return q(formatUtc(std::chrono::floor<std::chrono::seconds>(t)));
}

// "schedule@due" for each firing, for readable comparisons.
QStringList names(const AdvanceReport& report) {
    QStringList out;
    for (const auto& f : report.fired) out << q(f.schedule + "@" + formatUtc(f.due));
    return out;
}

}  // namespace

class TestSchedules : public QObject {
    Q_OBJECT

  private slots:
    void initTestCase() { prepareTestEnvironment(); }

    // Two days from Saturday 2026-03-07 00:00Z: the one-time schedule, 48 hourly firings, and the
    // New York 02:30 job on the 7th only (2026-03-08 02:30 does not exist there).
    void advanceFiresEveryDueScheduleInOrder() {
        auto engine = pausedEngine("2026-03-07T00:00:00Z");
        (*engine)->pauseClock();
        const auto report = runAdvance(engine->engine(), std::chrono::hours(48));
        QVERIFY2(report.error.empty(), report.error.c_str());

        QStringList expected{QStringLiteral("TickerOnce@2026-03-07T00:00:02Z")};
        for (int h = 1; h <= 48; ++h) {
            const auto due = parseUtc("2026-03-07T00:00:00Z") + std::chrono::hours(h);
            expected << q("TickerHourly@" + formatUtc(due));
            if (h == 7) expected << QStringLiteral("TickerNightly@2026-03-07T07:30:00Z");
        }
        QCOMPARE(names(report), expected);
        QCOMPARE(utc(report.to), QStringLiteral("2026-03-09T00:00:00Z"));
        QCOMPARE(utc((*engine)->clockNow()), QStringLiteral("2026-03-09T00:00:00Z"));

        std::set<std::string> roots;
        auto* store = (*engine)->store();
        QVERIFY(store);
        for (const auto& f : report.fired) {
            FB_EXPECT_OK(f.result);
            const json event = payloadOf(f.result)["event"];
            if (f.schedule == "TickerHourly") {
                // EventBridge's scheduled event, with the due time as its time.
                QCOMPARE(field(event, "/time"), q(formatUtc(f.due)));
                QCOMPARE(field(event, "/detail-type"), QStringLiteral("Scheduled Event"));
                QCOMPARE(field(event, "/source"), QStringLiteral("aws.events"));
                QCOMPARE(field(event, "/version"), QStringLiteral("0"));
                QCOMPARE(field(event, "/account"), QStringLiteral("000000000000"));
                QCOMPARE(field(event, "/region"), QStringLiteral("us-east-1"));
                QCOMPARE(field(event, "/detail"), QStringLiteral("{}"));
                QCOMPARE(field(event, "/resources/0"),
                         QStringLiteral("arn:aws:events:us-east-1:000000000000:rule/"
                                        "schedules-TickerHourly"));
                QVERIFY(QUuid::fromString(field(event, "/id")).version() == QUuid::Random);
            } else if (f.schedule == "TickerNightly") {
                // Scheduler sends its Input, with the context attributes filled in.
                QCOMPARE(field(event, "/job"), QStringLiteral("nightly"));
                QCOMPARE(field(event, "/at"), QStringLiteral("2026-03-07T07:30:00Z"));
                QCOMPARE(field(event, "/arn"),
                         QStringLiteral("arn:aws:scheduler:us-east-1:000000000000:schedule/"
                                        "default/schedules-TickerNightly"));
            } else {
                QCOMPARE(field(event, "/job"), QStringLiteral("once"));
                QCOMPARE(field(event, "/at"), QStringLiteral("2026-03-07T00:00:02Z"));
            }
            // Recorded as a Schedule invocation, each the root of a trace of its own.
            const auto stored = store->find(f.result.requestId);
            QVERIFY2(stored, f.result.requestId.c_str());
            QCOMPARE(QString(fogbank::toString(stored->trigger)),
                     QString(fogbank::toString(fogbank::Trigger::Schedule)));
            QVERIFY2(stored->parentSpanId.empty(), stored->parentSpanId.c_str());
            QVERIFY(!stored->traceRoot.empty());
            roots.insert(stored->traceRoot);
        }
        QCOMPARE(roots.size(), report.fired.size());
        // The handler ran them one after another, in due order.
        for (std::size_t i = 1; i < report.fired.size(); ++i)
            QVERIFY(report.fired[i - 1].result.end <= report.fired[i].result.start);
    }

    // A week in one call: the Monday rule fires once, with its Input verbatim; the disabled
    // schedule never does.
    void aWeekInOneCall() {
        auto engine = pausedEngine("2026-03-07T00:00:00Z");
        (*engine)->pauseClock();
        const auto report = runAdvance(engine->engine(), std::chrono::hours(24 * 7));
        QVERIFY2(report.error.empty(), report.error.c_str());
        int hourly = 0, nightly = 0, weekly = 0;
        for (const auto& f : report.fired) {
            FB_EXPECT_OK(f.result);
            QVERIFY2(f.schedule != "TickerPaused", "a disabled schedule fired");
            hourly += f.schedule == "TickerHourly";
            nightly += f.schedule == "TickerNightly";
            if (f.schedule == "WeeklyRule") {
                ++weekly;
                QCOMPARE(q(formatUtc(f.due)), QStringLiteral("2026-03-09T12:00:00Z"));
                QCOMPARE(q(payloadOf(f.result)["event"].dump()),
                         QStringLiteral(R"({"job":"weekly"})"));
            }
        }
        QCOMPARE(hourly, 168);
        QCOMPARE(nightly, 6);  // the 7th and 9th to 13th; the 8th's 02:30 does not exist
        QCOMPARE(weekly, 1);
    }

    void enablingAndFiringNow() {
        auto engine = pausedEngine("2026-03-07T00:00:00Z");
        (*engine)->pauseClock();
        std::promise<std::string> enabled;
        (*engine)->setScheduleEnabled("TickerPaused", true,
                                      [&](std::string e) { enabled.set_value(std::move(e)); });
        QCOMPARE(q(enabled.get_future().get()), QString());
        const auto report = runAdvance(engine->engine(), std::chrono::minutes(3));
        QCOMPARE(names(report), QStringList({QStringLiteral("TickerOnce@2026-03-07T00:00:02Z"),
                                             QStringLiteral("TickerPaused@2026-03-07T00:01:00Z"),
                                             QStringLiteral("TickerPaused@2026-03-07T00:02:00Z"),
                                             QStringLiteral("TickerPaused@2026-03-07T00:03:00Z")}));

        std::promise<std::pair<fogbank::scheduler::Firing, std::string>> fired;
        (*engine)->fireSchedule("TickerHourly", [&](fogbank::scheduler::Firing f, std::string e) {
            fired.set_value({std::move(f), std::move(e)});
        });
        const auto [firing, error] = fired.get_future().get();
        QCOMPARE(q(error), QString());
        FB_EXPECT_OK(firing.result);
        QCOMPARE(field(payloadOf(firing.result)["event"], "/time"),
                 QStringLiteral("2026-03-07T00:03:00Z"));

        std::promise<std::string> unknown;
        (*engine)->fireSchedule("NoSuchSchedule", [&](fogbank::scheduler::Firing, std::string e) {
            unknown.set_value(std::move(e));
        });
        QVERIFY(q(unknown.get_future().get()).contains(QStringLiteral("NoSuchSchedule")));

        std::promise<std::vector<fogbank::scheduler::ScheduleStatus>> listed;
        (*engine)->schedules(2, [&](auto list) { listed.set_value(std::move(list)); });
        QStringList nightly;
        for (const auto& s : listed.get_future().get())
            if (s.name == "TickerNightly") {
                QCOMPARE(q(s.timeZone), QStringLiteral("America/New_York"));
                for (auto t : s.nextFirings) nightly << q(formatUtc(t));
            }
        QCOMPARE(nightly, QStringList({QStringLiteral("2026-03-07T07:30:00Z"),
                                       QStringLiteral("2026-03-09T06:30:00Z")}));
    }

    // In real time the engine's timer fires the one-time schedule two seconds after the start.
    void realTimeTimerFires() {
        struct Waiter : fogbank::EngineObserver {
            std::promise<InvocationResult> first;
            std::atomic<bool> done{false};
            void invocationFinished(const InvocationResult& r) override {
                if (!done.exchange(true)) first.set_value(r);
            }
        } waiter;
        auto future = waiter.first.get_future();
        EngineConfig config;
        config.templatePath = schedulesTemplate();
        config.edgePort = 0;
        QTemporaryDir state;
        config.stateDir = state.path().toStdString();
        config.python = "/usr/bin/python3";
        config.clockStart = parseUtc("2026-03-07T00:00:00Z");
        fogbank::Engine engine(config);
        engine.addObserver(&waiter);
        engine.start();
        QVERIFY(future.wait_for(std::chrono::seconds(60)) == std::future_status::ready);
        const auto result = future.get();
        engine.removeObserver(&waiter);
        FB_EXPECT_OK(result);
        QCOMPARE(result.trigger, fogbank::Trigger::Schedule);
        QCOMPARE(field(payloadOf(result)["event"], "/at"), QStringLiteral("2026-03-07T00:00:02Z"));
        engine.stop();
    }

    void badExpressionIsATemplateError() {
        QString message;
        try {
            EngineConfig config;
            config.templatePath = fixture("schedules/bad/template.yaml");
            fogbank::Engine engine(config);
        } catch (const fogbank::TemplateError& e) {
            message = QString::fromStdString(e.what());
        }
        QVERIFY2(message.contains(QStringLiteral("template.yaml:11:9: ")), qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("\"cron(0 25 * * ? *)\"")), qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("hours field \"25\"")), qPrintable(message));
    }

    // `fogbank schedules` as a user runs it.
    void cliListsFirings() {
        const Run run = runProcess(
            fogbankExe(), {QStringLiteral("schedules"), QStringLiteral("-t"),
                           q(schedulesTemplate()), QStringLiteral("--count"), QStringLiteral("3"),
                           QStringLiteral("--from"), QStringLiteral("2026-03-07T00:00:00Z")});
        QVERIFY2(run.finished && run.exitCode == 0, qPrintable(run.describe()));
        const QString expected = QStringLiteral(
            "TickerHourly\tSchedule\tTicker\trate(1 hour)\tUTC\tenabled\n"
            "  2026-03-07T01:00:00Z\n"
            "  2026-03-07T02:00:00Z\n"
            "  2026-03-07T03:00:00Z\n"
            "TickerNightly\tScheduleV2\tTicker\tcron(30 2 * * ? *)\tAmerica/New_York\tenabled\n"
            "  2026-03-07T07:30:00Z\t2026-03-07 02:30 EST\n"
            "  2026-03-09T06:30:00Z\t2026-03-09 02:30 EDT\n"
            "  2026-03-10T06:30:00Z\t2026-03-10 02:30 EDT\n"
            "TickerOnce\tScheduleV2\tTicker\tat(2026-03-07T00:00:02)\tUTC\tenabled\n"
            "  2026-03-07T00:00:02Z\n"
            "TickerPaused\tSchedule\tTicker\trate(1 minute)\tUTC\tdisabled\n"
            "  2026-03-07T00:01:00Z\n"
            "  2026-03-07T00:02:00Z\n"
            "  2026-03-07T00:03:00Z\n"
            "WeeklyRule\tAWS::Events::Rule\tTicker\tcron(0 12 ? * MON *)\tUTC\tenabled\n"
            "  2026-03-09T12:00:00Z\n"
            "  2026-03-16T12:00:00Z\n"
            "  2026-03-23T12:00:00Z\n");
        QCOMPARE(run.out, expected);
    }

    void cliRejectsBadExpression() {
        const Run run = runProcess(fogbankExe(), {QStringLiteral("schedules"), QStringLiteral("-t"),
                                                  q(fixture("schedules/bad/template.yaml"))});
        QVERIFY2(run.finished && run.exitCode == 2, qPrintable(run.describe()));
        QVERIFY2(run.err.contains(QStringLiteral("template.yaml:11:9: Events.Nightly (Schedule) of "
                                                 "Ticker: invalid schedule expression \"cron(0 25 "
                                                 "* * ? *)\": hours field \"25\"")),
                 qPrintable(run.describe()));

        const Run badTime =
            runProcess(fogbankExe(),
                       {QStringLiteral("schedules"), QStringLiteral("-t"), q(schedulesTemplate()),
                        QStringLiteral("--from"), QStringLiteral("yesterday")});
        QVERIFY2(badTime.finished && badTime.exitCode == 2, qPrintable(badTime.describe()));
        QVERIFY2(badTime.err.contains(QStringLiteral("\"yesterday\"")),
                 qPrintable(badTime.describe()));
    }
};

QTEST_GUILESS_MAIN(TestSchedules)
#include "test_schedules.moc"
