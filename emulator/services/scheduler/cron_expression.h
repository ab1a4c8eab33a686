// AWS's six-field cron (EventBridge rules and EventBridge Scheduler): minutes hours day-of-month
// month day-of-week year, with `, - * / ? L W #`, day-of-week 1 = SUN ... 7 = SAT.
#pragma once

#include <bitset>
#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace date {
class time_zone;
}

namespace fogbank::scheduler {

using TimePoint = std::chrono::sys_seconds;

// An expression that cannot be scheduled; what() quotes it and names the field at fault.
class ScheduleExpressionError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

class CronExpression {
  public:
    // `fields` is the text between "cron(" and ")"; `quoted` is the whole expression, for errors.
    // Throws ScheduleExpressionError.
    static CronExpression parse(std::string_view fields, const std::string& quoted);

    // The first matching minute strictly after `after`, matched against the wall clock of `zone`
    // (UTC when null). A wall time that a DST change skips never fires; one it repeats fires
    // once, at its first occurrence, as EventBridge Scheduler does. Nothing after 2199: nullopt.
    std::optional<TimePoint> nextAfter(TimePoint after, const date::time_zone* zone) const;

  private:
    CronExpression() = default;
    bool matchesDay(int year, unsigned month, unsigned day) const;

    std::bitset<60> minutes_;
    std::bitset<24> hours_;
    std::bitset<13> months_;  // 1..12
    static constexpr int kFirstYear = 1970;
    static constexpr int kLastYear = 2199;
    std::bitset<kLastYear - kFirstYear + 1> years_;

    // Day of month, used when day-of-week is `?`.
    bool anyDayOfMonth_ = false;            // this field is `?`
    std::bitset<32> days_;                  // 1..31
    bool lastDay_ = false;                  // L
    bool lastWeekday_ = false;              // LW
    std::vector<unsigned> nearestWeekday_;  // nW

    // Day of week, used when day-of-month is `?`.
    bool anyDayOfWeek_ = false;
    std::bitset<8> weekdays_;                         // 1 = SUN .. 7 = SAT
    std::vector<std::pair<unsigned, unsigned>> nth_;  // d#n: (weekday, n)
    std::vector<unsigned> lastOfMonth_;               // dL: the month's last such weekday
};

}  // namespace fogbank::scheduler
