// The waterfall's arithmetic: where a span's bar, its cold-start part and the axis ticks go for a
// trace of a given length drawn in a column of a given width.
#include "ui/waterfall_geometry.h"

#include <QtTest>

using fogbank::ui::formatDurationMs;
using fogbank::ui::SpanBar;
using fogbank::ui::WaterfallScale;

class TestWaterfallGeometry : public QObject {
    Q_OBJECT

  private slots:
    // A 200 ms trace in 400 px from x = 10: 2 px per ms.
    void barsSitOnOneAxis() {
        const WaterfallScale scale(200, 10, 400);
        QCOMPARE(scale.pixelsPerMs(), 2.0);
        const SpanBar whole = scale.bar(0, 200);
        QCOMPARE(whole.x, 10.0);
        QCOMPARE(whole.width, 400.0);
        QCOMPARE(whole.initWidth, 0.0);
        const SpanBar middle = scale.bar(50, 25);
        QCOMPARE(middle.x, 110.0);
        QCOMPARE(middle.width, 50.0);
    }

    // The cold start is the head of the bar, never longer than the bar itself.
    void initIsTheBarsHead() {
        const WaterfallScale scale(100, 0, 1000);
        const SpanBar cold = scale.bar(10, 60, 40);
        QCOMPARE(cold.x, 100.0);
        QCOMPARE(cold.width, 600.0);
        QCOMPARE(cold.initWidth, 400.0);
        QCOMPARE(scale.bar(10, 60, 500).initWidth, 600.0);
        QCOMPARE(scale.bar(10, 60, -5).initWidth, 0.0);
    }

    // A span of no length still shows, and a bar at the very end stays inside the column.
    void tinySpansStayVisibleAndInside() {
        const WaterfallScale scale(1000, 0, 500);
        const SpanBar instant = scale.bar(300, 0);
        QCOMPARE(instant.width, WaterfallScale::kMinBarWidth);
        QCOMPARE(instant.x, 150.0);
        const SpanBar last = scale.bar(1000, 0.001);
        QCOMPARE(last.x + last.width, 500.0);
        // Past the end (a clock step) or before the start: clamped, not drawn outside.
        const SpanBar late = scale.bar(5000, 10);
        QVERIFY(late.x >= 0 && late.x + late.width <= 500.0);
        const SpanBar early = scale.bar(-50, 10);
        QCOMPARE(early.x, 0.0);
    }

    // A trace of one instant (every span at once) still has an axis.
    void emptyTraceHasAnAxis() {
        const WaterfallScale scale(0, 0, 300);
        QVERIFY(scale.traceMs() > 0);
        const SpanBar bar = scale.bar(0, 0);
        QCOMPARE(bar.x, 0.0);
        QVERIFY(bar.width >= WaterfallScale::kMinBarWidth);
        QVERIFY(!scale.ticks(50).empty());
    }

    // Ticks are 1, 2 or 5 times a power of ten, at least the asked spacing apart, from 0 to the
    // end and no further.
    void ticksAreRoundAndSpaced() {
        const WaterfallScale scale(1680, 0, 900);  // the shape of a real two-function trace
        const auto ticks = scale.ticks(80);
        QVERIFY(ticks.size() >= 2);
        QCOMPARE(ticks.front().ms, 0.0);
        const double step = ticks[1].ms - ticks[0].ms;
        QCOMPARE(step, 200.0);  // 80 px is 149 ms here; the next round step is 200
        for (std::size_t i = 1; i < ticks.size(); ++i) {
            QVERIFY(ticks[i].x - ticks[i - 1].x >= 80 - 1e-9);
            QVERIFY(qFuzzyCompare(ticks[i].ms - ticks[i - 1].ms, step));
        }
        QVERIFY(ticks.back().ms <= 1680);
        QVERIFY(ticks.back().ms + step > 1680);

        const auto fine = WaterfallScale(0.3, 0, 600).ticks(100);
        QCOMPARE(fine[1].ms - fine[0].ms, 0.05);
        QCOMPARE(fine.size(), std::size_t(7));  // 0, .05, ... .30, with no floating drift
    }

    void durationsReadWell() {
        QCOMPARE(formatDurationMs(0), QStringLiteral("0"));
        QCOMPARE(formatDurationMs(0.85), QStringLiteral("850 µs"));
        QCOMPARE(formatDurationMs(1.7234), QStringLiteral("1.72 ms"));
        QCOMPARE(formatDurationMs(996.62), QStringLiteral("996.6 ms"));
        QCOMPARE(formatDurationMs(1680), QStringLiteral("1.68 s"));
    }
};

QTEST_APPLESS_MAIN(TestWaterfallGeometry)
#include "test_waterfall_geometry.moc"
