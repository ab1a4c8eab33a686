// Where a span's bar goes in the waterfall: one time axis for a whole trace, mapped onto the
// pixels of a column. A value type with no Qt widgets in it, so that the arithmetic the delegate
// draws with is tested on its own.
#pragma once

#include <QString>

#include <vector>

namespace fogbank::ui {

struct SpanBar {
    double x = 0;          // left edge, in the column's pixels
    double width = 0;      // never below WaterfallScale::kMinBarWidth
    double initWidth = 0;  // the cold start's part, drawn from x; 0 when warm
};

struct AxisTick {
    double x = 0;
    double ms = 0;  // since the trace's start
};

class WaterfallScale {
  public:
    // A span shorter than a pixel still shows.
    static constexpr double kMinBarWidth = 2.0;

    // `traceMs` is the trace's length; `left` and `width` the column's pixels (a margin is the
    // caller's choice).
    WaterfallScale(double traceMs, double left, double width);

    double xOf(double ms) const;
    // A span starting `offsetMs` after the trace's start and lasting `durationMs`, of which the
    // first `initMs` were the cold start. Bars never leave the column.
    SpanBar bar(double offsetMs, double durationMs, double initMs = 0) const;
    // Round-valued ticks (1, 2 or 5 times a power of ten ms) at least `minSpacing` pixels apart,
    // from 0 to the end of the trace.
    std::vector<AxisTick> ticks(double minSpacing) const;

    double traceMs() const { return traceMs_; }
    double pixelsPerMs() const { return width_ / traceMs_; }

  private:
    double traceMs_;
    double left_;
    double width_;
};

// "850 µs", "12.5 ms", "1.20 s": an axis label or a span's length.
QString formatDurationMs(double ms);

}  // namespace fogbank::ui
