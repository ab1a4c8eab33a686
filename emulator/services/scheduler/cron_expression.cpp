#include "emulator/services/scheduler/cron_expression.h"

#include <date/tz.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>

namespace fogbank::scheduler {

namespace {

using namespace std::chrono;

constexpr std::array<std::string_view, 12> kMonthNames{"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                                       "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
constexpr std::array<std::string_view, 7> kDayNames{"SUN", "MON", "TUE", "WED",
                                                    "THU", "FRI", "SAT"};

struct FieldRule {
    const char* name;
    int min;
    int max;
    const std::string_view* names = nullptr;  // names[i] stands for min + i
    std::size_t nameCount = 0;
    bool cyclic = true;  // a range may wrap (FRI-MON, 22-2)
};

const FieldRule kMinutes{"minutes", 0, 59};
const FieldRule kHours{"hours", 0, 23};
const FieldRule kDayOfMonth{"day-of-month", 1, 31, nullptr, 0, false};
const FieldRule kMonth{"month", 1, 12, kMonthNames.data(), kMonthNames.size()};
const FieldRule kDayOfWeek{"day-of-week", 1, 7, kDayNames.data(), kDayNames.size()};
const FieldRule kYear{"year", 1970, 2199, nullptr, 0, false};

std::string upper(std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

// Reports what is wrong with one field, quoting the expression and the field as written.
class FieldParser {
  public:
    FieldParser(const std::string& quoted, const FieldRule& rule, std::string_view text)
        : quoted_(quoted), rule_(rule), text_(text) {}

    [[noreturn]] void fail(const std::string& why) const {
        throw ScheduleExpressionError("invalid schedule expression \"" + quoted_ + "\": " +
                                      rule_.name + " field \"" + std::string(text_) + "\": " + why);
    }

    int value(std::string_view token) const {
        if (token.empty()) fail("a value is missing");
        int v = 0;
        if (std::isdigit(static_cast<unsigned char>(token.front()))) {
            const auto [end, ec] = std::from_chars(token.data(), token.data() + token.size(), v);
            if (ec != std::errc() || end != token.data() + token.size())
                fail("\"" + std::string(token) + "\" is not a number");
        } else {
            const std::string name = upper(token);
            const auto* found = std::find(rule_.names, rule_.names + rule_.nameCount, name);
            if (!rule_.names || found == rule_.names + rule_.nameCount) {
                std::string why = "\"" + std::string(token) + "\" is not a number";
                if (rule_.names) why += " or a name (" + std::string(rule_.names[0]) + "...)";
                fail(why);
            }
            v = rule_.min + static_cast<int>(found - rule_.names);
        }
        if (v < rule_.min || v > rule_.max)
            fail(std::to_string(v) + " is out of range " + std::to_string(rule_.min) + "-" +
                 std::to_string(rule_.max));
        return v;
    }

    // `*`, `v`, `a-b`, each optionally `/step`; calls set(v) for every value it covers.
    template <typename Set>
    void plain(std::string_view item, Set&& set) const {
        int step = 1;
        const auto slash = item.find('/');
        std::string_view base = item.substr(0, slash);
        bool hasStep = slash != std::string_view::npos;
        if (hasStep) {
            const auto stepText = item.substr(slash + 1);
            int s = 0;
            const auto [end, ec] =
                std::from_chars(stepText.data(), stepText.data() + stepText.size(), s);
            if (stepText.empty() || ec != std::errc() || end != stepText.data() + stepText.size())
                fail("the step \"" + std::string(stepText) + "\" is not a number");
            if (s < 1 || s > rule_.max - rule_.min + 1)
                fail("the step " + std::to_string(s) + " must be 1-" +
                     std::to_string(rule_.max - rule_.min + 1));
            step = s;
        }
        int from = rule_.min, to = rule_.max;
        if (base != "*") {
            const auto dash = base.find('-');
            if (dash == std::string_view::npos) {
                from = value(base);
                // `5/10` runs from 5 to the end of the range; a bare `5` is just 5.
                to = hasStep ? rule_.max : from;
            } else {
                from = value(base.substr(0, dash));
                to = value(base.substr(dash + 1));
            }
        }
        const int span = rule_.max - rule_.min + 1;
        if (from > to && !rule_.cyclic)
            fail("the range " + std::to_string(from) + "-" + std::to_string(to) +
                 " runs backwards");
        const int count = (to - from + span) % span + 1;
        for (int i = 0; i < count; i += step) set(rule_.min + (from - rule_.min + i) % span);
    }

    // Splits the field at commas; an empty item (`1,,2`, a trailing comma) is an error.
    template <typename Each>
    void items(Each&& each) const {
        std::size_t start = 0;
        for (;;) {
            const auto comma = text_.find(',', start);
            const auto item = text_.substr(start, comma - start);
            if (item.empty()) fail("an empty item in the list");
            each(item);
            if (comma == std::string_view::npos) break;
            start = comma + 1;
        }
    }

    void noSpecials(std::string_view item, const char* where) const {
        if (item == "?") fail(std::string("? is only allowed in day-of-month or day-of-week"));
        if (item.find('#') != std::string_view::npos)
            fail(std::string("# is only allowed in day-of-week") + where);
        if (item.find('W') != std::string_view::npos && rule_.names == nullptr)
            fail(std::string("W is only allowed in day-of-month") + where);
    }

  private:
    const std::string& quoted_;
    const FieldRule& rule_;
    std::string_view text_;
};

// A day-of-week value before L (6L, FRIL).
bool isDay(std::string_view upperText) {
    if (!upperText.empty() && std::all_of(upperText.begin(), upperText.end(), [](char c) {
            return std::isdigit(static_cast<unsigned char>(c));
        }))
        return true;
    return std::find(kDayNames.begin(), kDayNames.end(), upperText) != kDayNames.end();
}

unsigned lastDayOf(int year, unsigned month) {
    return static_cast<unsigned>(
        date::year_month_day_last(date::year(year) / date::month(month) / date::last).day());
}

// 1 = SUN ... 7 = SAT, AWS's numbering.
unsigned weekdayOf(int year, unsigned month, unsigned day) {
    return date::weekday(date::year(year) / date::month(month) / date::day(day)).c_encoding() + 1;
}

}  // namespace

CronExpression CronExpression::parse(std::string_view fields, const std::string& quoted) {
    std::vector<std::string_view> parts;
    std::size_t i = 0;
    while (i < fields.size()) {
        while (i < fields.size() && std::isspace(static_cast<unsigned char>(fields[i]))) ++i;
        const std::size_t start = i;
        while (i < fields.size() && !std::isspace(static_cast<unsigned char>(fields[i]))) ++i;
        if (i > start) parts.push_back(fields.substr(start, i - start));
    }
    if (parts.size() != 6)
        throw ScheduleExpressionError(
            "invalid schedule expression \"" + quoted + "\": cron() needs 6 fields (minutes " +
            "hours day-of-month month day-of-week year), got " + std::to_string(parts.size()));

    CronExpression cron;
    auto simple = [&](std::string_view text, const FieldRule& rule, auto& bits, int offset) {
        FieldParser p(quoted, rule, text);
        p.items([&](std::string_view item) {
            p.noSpecials(item, "");
            if (item.find('L') != std::string_view::npos && rule.names == nullptr)
                p.fail("L is only allowed in day-of-month or day-of-week");
            p.plain(item, [&](int v) { bits.set(static_cast<std::size_t>(v - offset)); });
        });
    };
    simple(parts[0], kMinutes, cron.minutes_, 0);
    simple(parts[1], kHours, cron.hours_, 0);
    simple(parts[3], kMonth, cron.months_, 0);
    simple(parts[5], kYear, cron.years_, kFirstYear);

    cron.anyDayOfMonth_ = parts[2] == "?";
    cron.anyDayOfWeek_ = parts[4] == "?";
    if (cron.anyDayOfMonth_ == cron.anyDayOfWeek_)
        throw ScheduleExpressionError("invalid schedule expression \"" + quoted +
                                      "\": day-of-month \"" + std::string(parts[2]) +
                                      "\" and day-of-week \"" + std::string(parts[4]) +
                                      "\": exactly one of them must be ?");

    if (!cron.anyDayOfMonth_) {
        FieldParser p(quoted, kDayOfMonth, parts[2]);
        p.items([&](std::string_view item) {
            const std::string u = upper(item);
            if (u == "L") {
                cron.lastDay_ = true;
            } else if (u == "LW") {
                cron.lastWeekday_ = true;
            } else if (u.size() > 1 && u.back() == 'W') {
                const auto dayText = item.substr(0, item.size() - 1);
                if (!std::all_of(dayText.begin(), dayText.end(), [](char c) {
                        return std::isdigit(static_cast<unsigned char>(c));
                    }))
                    p.fail("W follows one day (15W: the weekday nearest the 15th), not \"" +
                           std::string(dayText) + "\"");
                const auto day = p.value(dayText);
                cron.nearestWeekday_.push_back(static_cast<unsigned>(day));
            } else {
                if (u.find('L') != std::string::npos)
                    p.fail("L stands alone (the last day) or as LW (the last weekday)");
                if (u.find('W') != std::string::npos)
                    p.fail("W follows one day (15W), not a range or list item like \"" +
                           std::string(item) + "\"");
                p.noSpecials(item, ", not day-of-month");
                p.plain(item, [&](int v) { cron.days_.set(static_cast<std::size_t>(v)); });
            }
        });
    }
    if (!cron.anyDayOfWeek_) {
        FieldParser p(quoted, kDayOfWeek, parts[4]);
        p.items([&](std::string_view item) {
            const std::string u = upper(item);
            if (const auto hash = u.find('#'); hash != std::string::npos) {
                const auto day = p.value(item.substr(0, hash));
                const auto nText = item.substr(hash + 1);
                int n = 0;
                const auto [end, ec] =
                    std::from_chars(nText.data(), nText.data() + nText.size(), n);
                if (nText.empty() || ec != std::errc() || end != nText.data() + nText.size() ||
                    n < 1 || n > 5)
                    p.fail("after # comes which week of the month, 1-5, not \"" +
                           std::string(nText) + "\"");
                cron.nth_.emplace_back(static_cast<unsigned>(day), static_cast<unsigned>(n));
            } else if (u == "L") {
                cron.weekdays_.set(7);  // the last day of the week: Saturday
            } else if (u.size() > 1 && u.back() == 'L' && isDay(u.substr(0, u.size() - 1))) {
                const auto day = p.value(item.substr(0, item.size() - 1));
                cron.lastOfMonth_.push_back(static_cast<unsigned>(day));
            } else {
                p.plain(item, [&](int v) { cron.weekdays_.set(static_cast<std::size_t>(v)); });
            }
        });
    }
    return cron;
}

bool CronExpression::matchesDay(int year, unsigned month, unsigned day) const {
    const unsigned last = lastDayOf(year, month);
    const unsigned weekday = weekdayOf(year, month, day);
    if (anyDayOfWeek_) {
        if (days_[day] || (lastDay_ && day == last)) return true;
        if (lastWeekday_) {
            const unsigned lastWd = weekdayOf(year, month, last);
            const unsigned target = lastWd == 7 ? last - 1 : lastWd == 1 ? last - 2 : last;
            if (day == target) return true;
        }
        for (const unsigned n : nearestWeekday_) {
            if (n > last) continue;  // 31W in a 30-day month: that month has no such day
            const unsigned wd = weekdayOf(year, month, n);
            // The nearest weekday, never crossing into another month.
            unsigned target = n;
            if (wd == 7) target = n == 1 ? 3 : n - 1;
            if (wd == 1) target = n == last ? n - 2 : n + 1;
            if (day == target) return true;
        }
        return false;
    }
    if (weekdays_[weekday]) return true;
    for (const auto& [wd, n] : nth_)
        if (wd == weekday && (day - 1) / 7 + 1 == n) return true;
    for (const unsigned wd : lastOfMonth_)
        if (wd == weekday && day + 7 > last) return true;
    return false;
}

std::optional<TimePoint> CronExpression::nextAfter(TimePoint after,
                                                   const date::time_zone* zone) const {
    const date::local_seconds localAfter =
        zone ? zone->to_local(after) : date::local_seconds{after.time_since_epoch()};
    const auto start = floor<minutes>(localAfter) + minutes(1);
    date::local_days day = floor<date::days>(start);
    int firstMinute = static_cast<int>((start - day).count());
    for (;;) {
        const date::year_month_day ymd(day);
        const int y = static_cast<int>(ymd.year());
        const unsigned m = static_cast<unsigned>(ymd.month());
        if (y > kLastYear) return std::nullopt;
        if (y < kFirstYear || !years_[static_cast<std::size_t>(y - kFirstYear)]) {
            day = date::local_days(date::year(std::max(y + 1, kFirstYear)) / 1 / 1);
            firstMinute = 0;
            continue;
        }
        if (!months_[m]) {
            day = date::local_days((ymd.year() / ymd.month() + date::months(1)) / 1);
            firstMinute = 0;
            continue;
        }
        if (matchesDay(y, m, static_cast<unsigned>(ymd.day()))) {
            for (int h = firstMinute / 60; h < 24; ++h) {
                if (!hours_[static_cast<std::size_t>(h)]) continue;
                const int firstM = h == firstMinute / 60 ? firstMinute % 60 : 0;
                for (int mi = firstM; mi < 60; ++mi) {
                    if (!minutes_[static_cast<std::size_t>(mi)]) continue;
                    const date::local_seconds local = day + hours(h) + minutes(mi);
                    if (!zone) return TimePoint{local.time_since_epoch()};
                    const auto info = zone->get_info(local);
                    if (info.result == date::local_info::nonexistent) continue;
                    // Unique or repeated: the first occurrence (`first` is the earlier offset).
                    const TimePoint at{local.time_since_epoch() - info.first.offset};
                    if (at <= after) continue;  // the repeat of an hour that already fired
                    return at;
                }
            }
        }
        day += date::days(1);
        firstMinute = 0;
    }
}

}  // namespace fogbank::scheduler
