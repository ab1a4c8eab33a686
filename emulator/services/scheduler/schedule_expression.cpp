// GCC 12 at -O2 sees date::parse's seconds field as maybe-uninitialized (a false positive inside
// date.h, reported at <chrono>'s line, so a push/pop around the include would not cover it).
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

#include "emulator/services/scheduler/schedule_expression.h"

#include <date/tz.h>

#include <cctype>
#include <charconv>
#include <sstream>

namespace fogbank::scheduler {

namespace {

using namespace std::chrono;

[[noreturn]] void fail(const std::string& text, const std::string& why) {
    throw ScheduleExpressionError("invalid schedule expression \"" + text + "\": " + why);
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

// The text between `name(` and the closing `)`, or nullopt when `text` is not that call.
std::optional<std::string_view> inside(std::string_view text, std::string_view name) {
    if (!text.starts_with(name) || text.size() < name.size() + 2 || text[name.size()] != '(')
        return std::nullopt;
    if (text.back() != ')') return std::nullopt;
    return text.substr(name.size() + 1, text.size() - name.size() - 2);
}

seconds parseRate(const std::string& text, std::string_view body) {
    body = trim(body);
    const auto space = body.find_first_of(" \t");
    if (space == std::string_view::npos)
        fail(text, "rate() needs a value and a unit, as in rate(5 minutes)");
    const auto valueText = body.substr(0, space);
    const auto unit = trim(body.substr(space));
    long long value = 0;
    const auto [end, ec] =
        std::from_chars(valueText.data(), valueText.data() + valueText.size(), value);
    if (ec != std::errc() || end != valueText.data() + valueText.size() || value < 1)
        fail(text,
             "the rate's value \"" + std::string(valueText) + "\" must be a positive whole number");
    struct Unit {
        std::string_view singular, plural;
        seconds length;
    };
    static constexpr Unit kUnits[] = {
        {"minute", "minutes", minutes(1)}, {"hour", "hours", hours(1)}, {"day", "days", hours(24)}};
    for (const auto& u : kUnits) {
        if (unit != u.singular && unit != u.plural) continue;
        if (value == 1 && unit != u.singular)
            fail(text, "the rate's unit must be singular (\"" + std::string(u.singular) +
                           "\") when the value is 1");
        if (value > 1 && unit != u.plural)
            fail(text, "the rate's unit must be plural (\"" + std::string(u.plural) +
                           "\") when the value is more than 1");
        return value * u.length;
    }
    fail(text,
         "the rate's unit \"" + std::string(unit) + "\" must be minute(s), hour(s) or day(s)");
}

}  // namespace

ScheduleExpression ScheduleExpression::parse(const std::string& text, const std::string& timeZone) {
    ScheduleExpression e;
    e.text_ = text;
    if (!timeZone.empty() && timeZone != "UTC" && timeZone != "Etc/UTC") {
        try {
            e.zone_ = date::locate_zone(timeZone);
        } catch (const std::exception&) {
            throw ScheduleExpressionError("unknown time zone \"" + timeZone + "\" for \"" + text +
                                          "\" (an IANA name such as America/New_York)");
        }
        e.zoneName_ = timeZone;
    }
    const std::string_view t = trim(text);
    if (const auto body = inside(t, "rate")) {
        e.kind_ = Kind::Rate;
        e.period_ = parseRate(text, *body);
    } else if (const auto body = inside(t, "cron")) {
        e.kind_ = Kind::Cron;
        e.cron_ = CronExpression::parse(*body, text);
    } else if (const auto body = inside(t, "at")) {
        e.kind_ = Kind::At;
        std::istringstream in{std::string(trim(*body))};
        date::local_seconds local;
        in >> date::parse("%Y-%m-%dT%H:%M:%S", local);
        if (in.fail() || in.peek() != std::char_traits<char>::eof())
            fail(text, "at() needs a date and time as yyyy-mm-ddThh:mm:ss");
        if (e.zone_) {
            const auto info = e.zone_->get_info(local);
            if (info.result == date::local_info::nonexistent)
                fail(text, "that wall time does not exist in " + e.zoneName_ +
                               " (daylight saving time skips it)");
            e.at_ = TimePoint{local.time_since_epoch() - info.first.offset};
        } else {
            e.at_ = TimePoint{local.time_since_epoch()};
        }
    } else {
        fail(text,
             "a schedule is rate(value unit), cron(minutes hours day-of-month month "
             "day-of-week year) or at(yyyy-mm-ddThh:mm:ss)");
    }
    return e;
}

std::optional<TimePoint> ScheduleExpression::nextAfter(TimePoint after, TimePoint anchor) const {
    switch (kind_) {
        case Kind::Rate: {
            if (after < anchor) return anchor + period_;
            const auto periods = (after - anchor) / period_ + 1;
            return anchor + periods * period_;
        }
        case Kind::Cron:
            return cron_->nextAfter(after, zone_);
        case Kind::At:
            if (at_ > after) return at_;
            return std::nullopt;
    }
    return std::nullopt;
}

std::vector<TimePoint> ScheduleExpression::next(int count, TimePoint after,
                                                TimePoint anchor) const {
    std::vector<TimePoint> out;
    for (int i = 0; i < count; ++i) {
        const auto n = nextAfter(after, anchor);
        if (!n) break;
        out.push_back(*n);
        after = *n;
    }
    return out;
}

std::string ScheduleExpression::localTime(TimePoint t) const {
    if (!zone_) return date::format("%F %R UTC", t);
    return date::format("%F %R %Z", date::make_zoned(zone_, t));
}

std::string formatUtc(TimePoint t) {
    return date::format("%FT%TZ", t);
}

TimePoint parseUtc(const std::string& text) {
    for (const char* format : {"%FT%TZ", "%FT%RZ", "%FT%T%Ez", "%FT%R%Ez", "%FT%T", "%F"}) {
        std::istringstream in(text);
        TimePoint t;
        in >> date::parse(format, t);
        if (!in.fail() && in.peek() == std::char_traits<char>::eof()) return t;
    }
    throw std::invalid_argument("\"" + text +
                                "\" is not a time like 2026-03-08T07:00:00Z, "
                                "2026-03-08T02:00:00-05:00 or 2026-03-08");
}

}  // namespace fogbank::scheduler
