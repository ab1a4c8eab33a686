#include "emulator/cost/traffic.h"

#include <cctype>
#include <cstdlib>
#include <stdexcept>

namespace fogbank {

namespace {

std::string trim(std::string s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
    std::size_t i = 0;
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
    return s.substr(i);
}

double perMonth(const std::string& unit) {
    if (unit == "s" || unit == "sec" || unit == "second") return kSecondsPerMonth;
    if (unit == "min" || unit == "minute") return kSecondsPerMonth / 60;
    if (unit == "h" || unit == "hour") return 730;
    if (unit == "day") return 730.0 / 24;
    if (unit == "month") return 1;
    return -1;
}

}  // namespace

TrafficEntry parseTrafficEntry(const std::string& input) {
    TrafficEntry entry;
    entry.text = trim(input);
    const auto eq = entry.text.rfind('=');
    auto bad = [&entry](const std::string& why) {
        return std::invalid_argument("traffic \"" + entry.text + "\": " + why +
                                     " (expected ENTRY=RATE/UNIT, e.g. \"GET /hello=5/s\" or "
                                     "\"MyFunction=2000000/month\"; units s, min, h, day, month)");
    };
    if (eq == std::string::npos) throw bad("no '='");
    const std::string target = trim(entry.text.substr(0, eq));
    const std::string rate = trim(entry.text.substr(eq + 1));
    const auto slash = rate.find('/');
    if (slash == std::string::npos) throw bad("the rate has no unit");
    char* end = nullptr;
    const std::string number = trim(rate.substr(0, slash));
    const double count = std::strtod(number.c_str(), &end);
    if (number.empty() || *end != '\0' || !(count >= 0))
        throw bad("\"" + number + "\" is not a rate");
    const double factor = perMonth(trim(rate.substr(slash + 1)));
    if (factor < 0) throw bad("unknown unit \"" + trim(rate.substr(slash + 1)) + "\"");
    entry.perMonth = count * factor;
    if (target.empty()) throw bad("no entry point before '='");
    if (const auto space = target.find(' '); space != std::string::npos) {
        entry.method = target.substr(0, space);
        for (auto& c : entry.method)
            c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        entry.path = trim(target.substr(space + 1));
        if (entry.path.empty() || (entry.path.front() != '/' && entry.path != "$default"))
            throw bad("a route is METHOD /path");
    } else {
        entry.function = target;
    }
    return entry;
}

std::vector<TrafficEntry> parseTraffic(const std::string& text) {
    std::vector<TrafficEntry> entries;
    std::size_t begin = 0;
    while (begin <= text.size()) {
        const auto end = std::min(text.find_first_of(",;", begin), text.size());
        if (const auto part = trim(text.substr(begin, end - begin)); !part.empty())
            entries.push_back(parseTrafficEntry(part));
        begin = end + 1;
    }
    return entries;
}

}  // namespace fogbank
