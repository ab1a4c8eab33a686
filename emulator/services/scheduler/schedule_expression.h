// A schedule expression as EventBridge and EventBridge Scheduler read it: rate(N unit),
// cron(six fields) or Scheduler's one-time at(yyyy-mm-ddThh:mm:ss), in UTC or a named time zone.
#pragma once

#include "emulator/services/scheduler/cron_expression.h"

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace fogbank::scheduler {

class ScheduleExpression {
  public:
    enum class Kind { Rate, Cron, At };

    // Throws ScheduleExpressionError quoting `text` and naming what is wrong (a cron field, the
    // rate's unit, an unknown time zone). `timeZone` is an IANA name; empty means UTC.
    static ScheduleExpression parse(const std::string& text, const std::string& timeZone = {});

    // The first firing strictly after `after`. Rates count whole periods from `anchor` (when the
    // schedule was created: here, when the clock started), so they do not drift.
    std::optional<TimePoint> nextAfter(TimePoint after, TimePoint anchor) const;
    // Up to `count` firings after `after`.
    std::vector<TimePoint> next(int count, TimePoint after, TimePoint anchor) const;

    Kind kind() const { return kind_; }
    const std::string& text() const { return text_; }
    const std::string& timeZone() const { return zoneName_; }  // "UTC" when none was given
    // The wall time of `t` in the expression's zone, "2026-03-08 03:00 EDT".
    std::string localTime(TimePoint t) const;

  private:
    ScheduleExpression() = default;

    Kind kind_ = Kind::Rate;
    std::string text_;
    std::string zoneName_ = "UTC";
    const date::time_zone* zone_ = nullptr;  // null: UTC
    std::chrono::seconds period_{0};
    std::optional<CronExpression> cron_;
    TimePoint at_{};
};

// "2026-03-08T07:00:00Z": how EventBridge writes an event's time.
std::string formatUtc(TimePoint t);
// Reads "2026-03-08T07:00:00Z", "2026-03-08T02:00:00-05:00", "2026-03-08T07:00Z" or
// "2026-03-08" (midnight UTC). Throws std::invalid_argument naming the text.
TimePoint parseUtc(const std::string& text);

}  // namespace fogbank::scheduler
