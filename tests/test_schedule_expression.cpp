// Schedule expressions alone: AWS's documented cron examples, the edge cases of L, W and #, leap
// days, time zones across both DST changes, rate() and at(), and the errors for bad input. Every
// expected time below was worked out by hand from a calendar, not by this code.
#include "emulator/services/scheduler/schedule_expression.h"

#include <QtTest>

using fogbank::scheduler::formatUtc;
using fogbank::scheduler::parseUtc;
using fogbank::scheduler::ScheduleExpression;
using fogbank::scheduler::ScheduleExpressionError;

namespace {

// The firings strictly after `after`, as "2026-03-07T10:00:00Z".
QStringList firings(const std::string& expression, const std::string& zone,
                    const std::string& after, int count, const std::string& anchor = {}) {
    const auto e = ScheduleExpression::parse(expression, zone);
    QStringList out;
    for (const auto t : e.next(count, parseUtc(after), parseUtc(anchor.empty() ? after : anchor)))
        out << QString::fromStdString(formatUtc(t));
    return out;
}

QStringList list(std::initializer_list<const char*> items) {
    QStringList out;
    for (const char* s : items) out << QString::fromLatin1(s);
    return out;
}

}  // namespace

class TestScheduleExpression : public QObject {
    Q_OBJECT

  private slots:
    void firings_data() {
        QTest::addColumn<QString>("expression");
        QTest::addColumn<QString>("zone");
        QTest::addColumn<QString>("after");
        QTest::addColumn<QStringList>("expected");

        // AWS's examples (EventBridge "Schedule expressions for rules"). 2026-03-07 is a Saturday.
        QTest::newRow("10:00 every day")
            << "cron(0 10 * * ? *)"
            << ""
            << "2026-03-07T00:00:00Z"
            << list({"2026-03-07T10:00:00Z", "2026-03-08T10:00:00Z", "2026-03-09T10:00:00Z"});
        QTest::newRow("12:15 every day")
            << "cron(15 12 * * ? *)"
            << ""
            << "2026-03-07T12:15:00Z" << list({"2026-03-08T12:15:00Z", "2026-03-09T12:15:00Z"});
        QTest::newRow("18:00 MON-FRI")
            << "cron(0 18 ? * MON-FRI *)"
            << ""
            << "2026-03-07T00:00:00Z" << list({"2026-03-09T18:00:00Z", "2026-03-10T18:00:00Z"});
        QTest::newRow("8:00 on the 1st")
            << "cron(0 8 1 * ? *)"
            << ""
            << "2026-03-07T00:00:00Z" << list({"2026-04-01T08:00:00Z", "2026-05-01T08:00:00Z"});
        QTest::newRow("every 15 minutes")
            << "cron(0/15 * * * ? *)"
            << ""
            << "2026-03-07T23:40:00Z"
            << list({"2026-03-07T23:45:00Z", "2026-03-08T00:00:00Z", "2026-03-08T00:15:00Z"});
        QTest::newRow("every 10 minutes MON-FRI")
            << "cron(0/10 * ? * MON-FRI *)"
            << ""
            << "2026-03-06T23:45:00Z"
            << list({"2026-03-06T23:50:00Z", "2026-03-09T00:00:00Z", "2026-03-09T00:10:00Z"});
        QTest::newRow("every 5 minutes 8-17 MON-FRI")
            << "cron(0/5 8-17 ? * MON-FRI *)"
            << ""
            << "2026-03-06T17:50:00Z"
            << list({"2026-03-06T17:55:00Z", "2026-03-09T08:00:00Z", "2026-03-09T08:05:00Z"});
        QTest::newRow("9:00 first Monday")
            << "cron(0 9 ? * 2#1 *)"
            << ""
            << "2026-03-07T00:00:00Z"
            << list({"2026-04-06T09:00:00Z", "2026-05-04T09:00:00Z", "2026-06-01T09:00:00Z"});
        QTest::newRow("names in any case")
            << "cron(0 0 ? mar sun *)"
            << ""
            << "2026-03-07T00:00:00Z" << list({"2026-03-08T00:00:00Z", "2026-03-15T00:00:00Z"});
        QTest::newRow("list and range")
            << "cron(5,35 1-2 * * ? *)"
            << ""
            << "2026-03-07T00:00:00Z"
            << list({"2026-03-07T01:05:00Z", "2026-03-07T01:35:00Z", "2026-03-07T02:05:00Z",
                     "2026-03-07T02:35:00Z", "2026-03-08T01:05:00Z"});
        QTest::newRow("day-of-week range wraps")
            << "cron(0 12 ? * FRI-MON *)"
            << ""
            << "2026-03-05T00:00:00Z"
            << list({"2026-03-06T12:00:00Z", "2026-03-07T12:00:00Z", "2026-03-08T12:00:00Z",
                     "2026-03-09T12:00:00Z", "2026-03-13T12:00:00Z"});
        QTest::newRow("year range ends")
            << "cron(0 0 1 1 ? 2027-2028)"
            << ""
            << "2026-06-01T00:00:00Z" << list({"2027-01-01T00:00:00Z", "2028-01-01T00:00:00Z"});

        // Leap day: only leap years have one.
        QTest::newRow("leap day") << "cron(0 12 29 2 ? *)"
                                  << ""
                                  << "2026-01-01T00:00:00Z"
                                  << list({"2028-02-29T12:00:00Z", "2032-02-29T12:00:00Z"});
        // L: the month's last day, 29 in a leap February.
        QTest::newRow("L day-of-month") << "cron(0 0 L * ? *)"
                                        << ""
                                        << "2028-01-15T00:00:00Z"
                                        << list({"2028-01-31T00:00:00Z", "2028-02-29T00:00:00Z",
                                                 "2028-03-31T00:00:00Z", "2028-04-30T00:00:00Z"});
        // LW: Jan 31 2026 is a Saturday, Feb 28 a Saturday, Mar 31 a Tuesday, May 31 a Sunday.
        QTest::newRow("LW") << "cron(0 0 LW * ? *)"
                            << ""
                            << "2026-01-01T00:00:00Z"
                            << list({"2026-01-30T00:00:00Z", "2026-02-27T00:00:00Z",
                                     "2026-03-31T00:00:00Z", "2026-04-30T00:00:00Z",
                                     "2026-05-29T00:00:00Z"});
        // 31W at month ends: never into the next month, and 30-day months and February have no 31.
        QTest::newRow("31W") << "cron(0 0 31W * ? *)"
                             << ""
                             << "2026-01-01T00:00:00Z"
                             << list({"2026-01-30T00:00:00Z", "2026-03-31T00:00:00Z",
                                      "2026-05-29T00:00:00Z", "2026-07-31T00:00:00Z"});
        // 1W: Aug 1 2026 is a Saturday (Monday the 3rd, not Friday in July); Nov 1 a Sunday.
        QTest::newRow("1W") << "cron(0 0 1W * ? *)"
                            << ""
                            << "2026-07-15T00:00:00Z"
                            << list({"2026-08-03T00:00:00Z", "2026-09-01T00:00:00Z",
                                     "2026-10-01T00:00:00Z", "2026-11-02T00:00:00Z"});
        // 15W on a weekday is the 15th itself; Mar 15 2026 is a Sunday: Monday 16th.
        QTest::newRow("15W") << "cron(0 0 15W * ? *)"
                             << ""
                             << "2026-03-01T00:00:00Z"
                             << list({"2026-03-16T00:00:00Z", "2026-04-15T00:00:00Z"});
        // #5: the fifth Friday; February to April 2026 have only four, so they are skipped.
        QTest::newRow("fifth Friday") << "cron(0 0 ? * 6#5 *)"
                                      << ""
                                      << "2026-01-01T00:00:00Z"
                                      << list({"2026-01-30T00:00:00Z", "2026-05-29T00:00:00Z",
                                               "2026-07-31T00:00:00Z", "2026-10-30T00:00:00Z"});
        QTest::newRow("last Friday 6L")
            << "cron(0 0 ? * 6L *)"
            << ""
            << "2026-01-01T00:00:00Z"
            << list({"2026-01-30T00:00:00Z", "2026-02-27T00:00:00Z", "2026-03-27T00:00:00Z"});
        QTest::newRow("L day-of-week is Saturday")
            << "cron(0 0 ? * L *)"
            << ""
            << "2026-03-05T00:00:00Z" << list({"2026-03-07T00:00:00Z", "2026-03-14T00:00:00Z"});

        // Time zones. New York: EST (-5) until 2026-03-08 02:00, then EDT (-4) until 11-01 02:00.
        QTest::newRow("zone, plain")
            << "cron(0 9 * * ? *)"
            << "America/New_York"
            << "2026-03-06T00:00:00Z"
            << list({"2026-03-06T14:00:00Z", "2026-03-07T14:00:00Z", "2026-03-08T13:00:00Z"});
        // 02:30 does not exist on 2026-03-08: that day is skipped, as Scheduler does.
        QTest::newRow("DST skipped hour")
            << "cron(30 2 * * ? *)"
            << "America/New_York"
            << "2026-03-07T00:00:00Z"
            << list({"2026-03-07T07:30:00Z", "2026-03-09T06:30:00Z", "2026-03-10T06:30:00Z"});
        QTest::newRow("DST skipped hour, every 15 min")
            << "cron(0/15 2 * * ? *)"
            << "America/New_York"
            << "2026-03-08T06:50:00Z" << list({"2026-03-09T06:00:00Z", "2026-03-09T06:15:00Z"});
        // 01:00-01:59 happens twice on 2026-11-01: fired once, at the first (EDT) occurrence.
        QTest::newRow("DST repeated hour")
            << "cron(30 1 * * ? *)"
            << "America/New_York"
            << "2026-10-31T00:00:00Z"
            << list({"2026-10-31T05:30:00Z", "2026-11-01T05:30:00Z", "2026-11-02T06:30:00Z"});
        QTest::newRow("DST repeated hour, every 30 min")
            << "cron(0/30 1 * * ? *)"
            << "America/New_York"
            << "2026-11-01T04:00:00Z"
            << list({"2026-11-01T05:00:00Z", "2026-11-01T05:30:00Z", "2026-11-02T06:00:00Z"});
        // Asked from inside the second 01:xx: the repeat is not fired again.
        QTest::newRow("DST repeated hour, asked during the repeat")
            << "cron(45 1 * * ? *)"
            << "America/New_York"
            << "2026-11-01T06:10:00Z" << list({"2026-11-02T06:45:00Z"});
        QTest::newRow("zone east of UTC")
            << "cron(0 0 * * ? *)"
            << "Asia/Kolkata"
            << "2026-03-07T00:00:00Z" << list({"2026-03-07T18:30:00Z", "2026-03-08T18:30:00Z"});
    }

    void firings() {
        QFETCH(QString, expression);
        QFETCH(QString, zone);
        QFETCH(QString, after);
        QFETCH(QStringList, expected);
        QCOMPARE(::firings(expression.toStdString(), zone.toStdString(), after.toStdString(),
                           static_cast<int>(expected.size())),
                 expected);
    }

    // rate() counts whole periods from the anchor (the clock's start), in absolute time.
    void rates() {
        QCOMPARE(::firings("rate(5 minutes)", "", "2026-03-07T00:00:00Z", 3),
                 list({"2026-03-07T00:05:00Z", "2026-03-07T00:10:00Z", "2026-03-07T00:15:00Z"}));
        QCOMPARE(
            ::firings("rate(5 minutes)", "", "2026-03-07T00:07:30Z", 2, "2026-03-07T00:00:00Z"),
            list({"2026-03-07T00:10:00Z", "2026-03-07T00:15:00Z"}));
        QCOMPARE(::firings("rate(1 minute)", "", "2026-03-07T00:00:00Z", 2),
                 list({"2026-03-07T00:01:00Z", "2026-03-07T00:02:00Z"}));
        QCOMPARE(::firings("rate(1 hour)", "", "2026-03-07T23:30:00Z", 2),
                 list({"2026-03-08T00:30:00Z", "2026-03-08T01:30:00Z"}));
        // A day is 24 hours even across a DST change in the schedule's zone.
        QCOMPARE(::firings("rate(1 day)", "America/New_York", "2026-03-07T12:00:00Z", 2),
                 list({"2026-03-08T12:00:00Z", "2026-03-09T12:00:00Z"}));
        QCOMPARE(::firings("rate(2 days)", "", "2026-02-27T00:00:00Z", 2),
                 list({"2026-03-01T00:00:00Z", "2026-03-03T00:00:00Z"}));
    }

    // Scheduler's one-time at(), in the schedule's zone (EDT on 2026-03-08 10:00).
    void oneTime() {
        QCOMPARE(
            ::firings("at(2026-03-08T10:00:00)", "America/New_York", "2026-03-01T00:00:00Z", 3),
            list({"2026-03-08T14:00:00Z"}));
        QCOMPARE(::firings("at(2026-03-08T10:00:00)", "", "2026-03-08T10:00:00Z", 1),
                 QStringList());
    }

    void localTime() {
        const auto e = ScheduleExpression::parse("cron(30 2 * * ? *)", "America/New_York");
        QCOMPARE(QString::fromStdString(e.localTime(parseUtc("2026-03-09T06:30:00Z"))),
                 QStringLiteral("2026-03-09 02:30 EDT"));
        QCOMPARE(QString::fromStdString(e.timeZone()), QStringLiteral("America/New_York"));
        QCOMPARE(QString::fromStdString(ScheduleExpression::parse("rate(1 day)").timeZone()),
                 QStringLiteral("UTC"));
    }

    void parsesTimes() {
        QCOMPARE(QString::fromStdString(formatUtc(parseUtc("2026-03-08T02:00:00-05:00"))),
                 QStringLiteral("2026-03-08T07:00:00Z"));
        QCOMPARE(QString::fromStdString(formatUtc(parseUtc("2026-03-08"))),
                 QStringLiteral("2026-03-08T00:00:00Z"));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, parseUtc("next tuesday"));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, parseUtc("2026-03-08T07:00:00Zjunk"));
    }

    void errors_data() {
        QTest::addColumn<QString>("expression");
        QTest::addColumn<QString>("zone");
        QTest::addColumn<QStringList>("mentions");
        QTest::newRow("hour 25") << "cron(0 25 * * ? *)"
                                 << ""
                                 << list({"\"cron(0 25 * * ? *)\"", "hours field \"25\"",
                                          "out of range 0-23"});
        QTest::newRow("minute 60") << "cron(60 * * * ? *)"
                                   << "" << list({"minutes field \"60\"", "0-59"});
        QTest::newRow("day 32") << "cron(0 0 32 * ? *)"
                                << "" << list({"day-of-month field \"32\"", "1-31"});
        QTest::newRow("month 13") << "cron(0 0 * 13 ? *)"
                                  << "" << list({"month field \"13\""});
        QTest::newRow("month name")
            << "cron(0 0 * JANUARY ? *)"
            << "" << list({"month field \"JANUARY\"", "not a number or a name"});
        QTest::newRow("weekday 8") << "cron(0 0 ? * 8 *)"
                                   << "" << list({"day-of-week field \"8\"", "1-7"});
        QTest::newRow("sixth Monday") << "cron(0 0 ? * MON#6 *)"
                                      << "" << list({"day-of-week field \"MON#6\"", "1-5"});
        QTest::newRow("year 2300") << "cron(0 0 * * ? 2300)"
                                   << "" << list({"year field \"2300\"", "1970-2199"});
        QTest::newRow("both days given")
            << "cron(0 0 * * MON *)"
            << ""
            << list({"day-of-month \"*\"", "day-of-week \"MON\"", "exactly one of them must be ?"});
        QTest::newRow("both days ?") << "cron(0 0 ? * ? *)"
                                     << "" << list({"exactly one of them must be ?"});
        QTest::newRow("five fields") << "cron(0 0 * * ?)"
                                     << "" << list({"6 fields", "got 5"});
        QTest::newRow("step 0") << "cron(*/0 * * * ? *)"
                                << "" << list({"minutes field \"*/0\"", "step"});
        QTest::newRow("W in a range") << "cron(0 0 1-5W * ? *)"
                                      << "" << list({"day-of-month field \"1-5W\""});
        QTest::newRow("L in hours") << "cron(0 L * * ? *)"
                                    << "" << list({"hours field \"L\""});
        QTest::newRow("# in day-of-month") << "cron(0 0 1#2 * ? *)"
                                           << "" << list({"day-of-month field \"1#2\""});
        QTest::newRow("backwards days")
            << "cron(0 0 20-10 * ? *)"
            << "" << list({"day-of-month field \"20-10\"", "backwards"});
        QTest::newRow("rate singular") << "rate(1 minutes)"
                                       << "" << list({"\"rate(1 minutes)\"", "singular"});
        QTest::newRow("rate plural") << "rate(5 minute)"
                                     << "" << list({"plural"});
        QTest::newRow("rate zero") << "rate(0 minutes)"
                                   << "" << list({"positive"});
        QTest::newRow("rate seconds") << "rate(30 seconds)"
                                      << "" << list({"unit \"seconds\"", "minute(s)"});
        QTest::newRow("not an expression") << "every 5 minutes"
                                           << "" << list({"\"every 5 minutes\"", "rate(", "cron("});
        QTest::newRow("unknown zone")
            << "cron(0 0 * * ? *)"
            << "Mars/Olympus_Mons" << list({"unknown time zone \"Mars/Olympus_Mons\""});
        QTest::newRow("at a skipped time") << "at(2026-03-08T02:30:00)"
                                           << "America/New_York" << list({"does not exist"});
    }

    void errors() {
        QFETCH(QString, expression);
        QFETCH(QString, zone);
        QFETCH(QStringList, mentions);
        QString message;
        try {
            ScheduleExpression::parse(expression.toStdString(), zone.toStdString());
        } catch (const ScheduleExpressionError& e) {
            message = QString::fromStdString(e.what());
        }
        QVERIFY2(!message.isEmpty(), qPrintable(expression + " was accepted"));
        for (const auto& m : mentions) QVERIFY2(message.contains(m), qPrintable(message));
    }
};

QTEST_APPLESS_MAIN(TestScheduleExpression)
#include "test_schedule_expression.moc"
