// Identifiers with the shapes AWS uses: request ids (UUID v4) and X-Ray trace headers
// (Root=1-<8 hex epoch seconds>-<24 hex>;Parent=<16 hex>;Sampled=1).
//
// This folder owns trace identity and (later) the invocation store; it must never start
// processes or serve anything.
#pragma once

#include <string>
#include <string_view>

namespace fogbank {

std::string newRequestId();
std::string randomHex(std::size_t digits);

struct TraceHeader {
    std::string root;    // 1-xxxxxxxx-xxxxxxxxxxxxxxxxxxxxxxxx
    std::string parent;  // 16 hex digits; empty at a trace's root
    bool sampled = true;

    // Parses an X-Amzn-Trace-Id value; an empty root when it carries none.
    static TraceHeader parse(std::string_view header);
    static TraceHeader newRoot();
    std::string toString() const;
    // The same trace, one level down: a new span id as parent.
    TraceHeader child() const;
};

}  // namespace fogbank
