#include "emulator/trace/ids.h"

#include <chrono>
#include <cstdio>
#include <random>

namespace fogbank {

namespace {

std::mt19937_64& generator() {
    // Per thread: ids are made on the engine thread and by callers of the CLI alike.
    thread_local std::mt19937_64 engine{std::random_device{}()};
    return engine;
}

}  // namespace

std::string randomHex(std::size_t digits) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out(digits, '0');
    std::uint64_t bits = 0;
    for (std::size_t i = 0; i < digits; ++i) {
        if (i % 16 == 0) bits = generator()();
        out[i] = kHex[bits & 0xf];
        bits >>= 4;
    }
    return out;
}

std::string newRequestId() {
    std::string hex = randomHex(32);
    hex[12] = '4';                                                            // version 4
    hex[16] = "89ab"[std::uniform_int_distribution<int>(0, 3)(generator())];  // variant
    return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
           hex.substr(16, 4) + "-" + hex.substr(20);
}

TraceHeader TraceHeader::parse(std::string_view header) {
    TraceHeader out;
    while (!header.empty()) {
        auto semi = header.find(';');
        auto part = header.substr(0, semi);
        header = semi == std::string_view::npos ? std::string_view() : header.substr(semi + 1);
        while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
        auto eq = part.find('=');
        if (eq == std::string_view::npos) continue;
        auto key = part.substr(0, eq);
        auto value = part.substr(eq + 1);
        if (key == "Root")
            out.root = value;
        else if (key == "Parent")
            out.parent = value;
        else if (key == "Sampled")
            out.sampled = value != "0";
    }
    return out;
}

TraceHeader TraceHeader::newRoot() {
    auto seconds = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
    char epoch[16];
    std::snprintf(epoch, sizeof epoch, "%08llx", static_cast<unsigned long long>(seconds));
    TraceHeader out;
    out.root = std::string("1-") + epoch + "-" + randomHex(24);
    return out;
}

std::string TraceHeader::toString() const {
    std::string out = "Root=" + root;
    if (!parent.empty()) out += ";Parent=" + parent;
    out += sampled ? ";Sampled=1" : ";Sampled=0";
    return out;
}

TraceHeader TraceHeader::child() const {
    TraceHeader out = *this;
    out.parent = randomHex(16);
    return out;
}

}  // namespace fogbank
