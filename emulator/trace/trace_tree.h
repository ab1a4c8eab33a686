// One trace as a tree: its invocations and the service calls between them, each under the span
// that caused it. Pure over stored data, so that the CLI, the OTLP export and the window's
// waterfall draw the same tree.
#pragma once

#include "emulator/trace/invocation_store.h"
#include "emulator/trace/service_span.h"

#include <cstddef>
#include <string>
#include <vector>

namespace fogbank {

struct TraceNode {
    enum class Kind { Invocation, ServiceCall };
    Kind kind = Kind::Invocation;
    std::size_t index = 0;  // into TraceTree::invocations or TraceTree::calls, by kind
    std::string spanId;
    std::string parentSpanId;  // as recorded, even when that span is not in the trace
    int depth = 0;
    std::vector<std::size_t> children;  // into TraceTree::nodes, by start time
    // True when its recorded parent is not in the trace: a caller outside Fogbank, or a span
    // that retention has dropped. Such a node is drawn as a root.
    bool orphan = false;
    bool lastChild = true;  // the last of its parent's (or of the roots') children
};

struct TraceTree {
    std::string traceRoot;
    std::vector<StoredInvocation> invocations;
    std::vector<ServiceSpan> calls;
    // Depth first, parents before children, siblings by start time: the order of a waterfall.
    std::vector<TraceNode> nodes;
    std::vector<std::size_t> roots;  // into nodes
    Clock::time_point start;
    Clock::time_point end;

    bool empty() const { return nodes.empty(); }
    double durationMs() const;
    int errors() const;

    // What every view shows of a node, whatever its kind.
    const StoredInvocation* invocation(const TraceNode& node) const;
    const ServiceSpan* call(const TraceNode& node) const;
    Clock::time_point startOf(const TraceNode& node) const;
    Clock::time_point endOf(const TraceNode& node) const;
    double offsetMs(const TraceNode& node) const;  // since the trace's start
    double durationMs(const TraceNode& node) const;
    bool failed(const TraceNode& node) const;
    // "my-function" for an invocation, "lambda.Invoke my-function" for a call.
    std::string name(const TraceNode& node) const;
    // "success", "timeout", ... for an invocation; "200", "404 ResourceNotFoundException" for a
    // call.
    std::string status(const TraceNode& node) const;
};

// Builds the tree of one trace. Records of other traces are ignored; a parent that is missing or
// that would close a loop makes its child a root.
TraceTree buildTraceTree(std::string traceRoot, std::vector<StoredInvocation> invocations,
                         std::vector<ServiceSpan> calls);

// The store's invocations and calls of one trace, as a tree; empty when the store has none.
TraceTree loadTraceTree(InvocationStore& store, const std::string& traceRoot);

}  // namespace fogbank
