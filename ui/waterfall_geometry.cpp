#include "ui/waterfall_geometry.h"

#include <algorithm>
#include <cmath>

namespace fogbank::ui {

WaterfallScale::WaterfallScale(double traceMs, double left, double width)
    // A trace of one instant still needs an axis to divide by.
    : traceMs_(traceMs > 0 && std::isfinite(traceMs) ? traceMs : 1.0),
      left_(left),
      width_(std::max(width, 1.0)) {}

double WaterfallScale::xOf(double ms) const {
    return left_ + std::clamp(ms, 0.0, traceMs_) * pixelsPerMs();
}

SpanBar WaterfallScale::bar(double offsetMs, double durationMs, double initMs) const {
    SpanBar out;
    const double start = xOf(offsetMs);
    const double end = xOf(offsetMs + std::max(durationMs, 0.0));
    out.width = std::max(end - start, kMinBarWidth);
    // A minimum-width bar at the right edge is pulled back inside.
    out.x = std::min(start, left_ + width_ - out.width);
    out.x = std::max(out.x, left_);
    if (initMs > 0) {
        out.initWidth = std::min(std::max(initMs, 0.0) * pixelsPerMs(), out.width);
    }
    return out;
}

std::vector<AxisTick> WaterfallScale::ticks(double minSpacing) const {
    std::vector<AxisTick> out;
    const double wantMs = std::max(minSpacing, 1.0) / pixelsPerMs();
    double magnitude = std::pow(10.0, std::floor(std::log10(wantMs)));
    double step = magnitude;
    for (double factor : {1.0, 2.0, 5.0, 10.0}) {
        step = factor * magnitude;
        if (step >= wantMs * (1 - 1e-9)) break;
    }
    // Floating steps drift (0.1 * 3 != 0.3); counting them does not.
    for (int i = 0;; ++i) {
        const double ms = step * i;
        if (ms > traceMs_ * (1 + 1e-9)) break;
        out.push_back({xOf(ms), ms});
    }
    return out;
}

QString formatDurationMs(double ms) {
    if (!std::isfinite(ms)) return QStringLiteral("?");
    if (ms == 0) return QStringLiteral("0");
    if (ms < 1) return QStringLiteral("%1 µs").arg(std::round(ms * 1000), 0, 'f', 0);
    if (ms < 10) return QStringLiteral("%1 ms").arg(ms, 0, 'f', 2);
    if (ms < 1000) return QStringLiteral("%1 ms").arg(ms, 0, 'f', 1);
    return QStringLiteral("%1 s").arg(ms / 1000, 0, 'f', 2);
}

}  // namespace fogbank::ui
