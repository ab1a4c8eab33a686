// The traffic a user expects, per entry point: "GET /hello/{name}=5/s", "ImportFunction=2000000/
// month". An entry point is an HTTP route (METHOD /path, as the template declares it) or a
// function (any of its triggers).
#pragma once

#include <string>
#include <vector>

namespace fogbank {

struct TrafficEntry {
    std::string text;      // as given
    std::string method;    // for a route; empty for a function
    std::string path;      // for a route
    std::string function;  // for a function entry point
    double perMonth = 0;   // requests per month (730 hours)
};

constexpr double kSecondsPerMonth = 730.0 * 3600.0;

// Parses one entry; throws std::invalid_argument saying what is wrong and what is expected.
TrafficEntry parseTrafficEntry(const std::string& text);
// Entries separated by commas or semicolons.
std::vector<TrafficEntry> parseTraffic(const std::string& text);

}  // namespace fogbank
