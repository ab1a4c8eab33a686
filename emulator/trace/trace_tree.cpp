#include "emulator/trace/trace_tree.h"

#include <algorithm>
#include <unordered_map>

namespace fogbank {

namespace {

double msBetween(Clock::time_point from, Clock::time_point to) {
    return std::chrono::duration<double, std::milli>(to - from).count();
}

}  // namespace

const StoredInvocation* TraceTree::invocation(const TraceNode& node) const {
    return node.kind == TraceNode::Kind::Invocation ? &invocations[node.index] : nullptr;
}

const ServiceSpan* TraceTree::call(const TraceNode& node) const {
    return node.kind == TraceNode::Kind::ServiceCall ? &calls[node.index] : nullptr;
}

Clock::time_point TraceTree::startOf(const TraceNode& node) const {
    if (const auto* i = invocation(node)) return i->start;
    return calls[node.index].start;
}

Clock::time_point TraceTree::endOf(const TraceNode& node) const {
    if (const auto* i = invocation(node)) return std::max(i->start, i->end);
    return std::max(calls[node.index].start, calls[node.index].end);
}

double TraceTree::offsetMs(const TraceNode& node) const {
    return msBetween(start, startOf(node));
}

double TraceTree::durationMs(const TraceNode& node) const {
    return msBetween(startOf(node), endOf(node));
}

double TraceTree::durationMs() const {
    return empty() ? 0 : msBetween(start, end);
}

bool TraceTree::failed(const TraceNode& node) const {
    if (const auto* i = invocation(node)) return !i->ok();
    return calls[node.index].failed();
}

int TraceTree::errors() const {
    return static_cast<int>(
        std::count_if(nodes.begin(), nodes.end(), [&](const TraceNode& n) { return failed(n); }));
}

std::string TraceTree::name(const TraceNode& node) const {
    if (const auto* i = invocation(node)) return i->function;
    const auto& c = calls[node.index];
    std::string out = c.service;
    if (!c.operation.empty()) out += "." + c.operation;
    if (!c.resource.empty()) out += " " + c.resource;
    return out;
}

std::string TraceTree::status(const TraceNode& node) const {
    if (const auto* i = invocation(node)) return toString(i->status);
    const auto& c = calls[node.index];
    std::string out = c.statusCode ? std::to_string(c.statusCode) : std::string("-");
    if (!c.error.empty()) out += " " + c.error;
    return out;
}

TraceTree buildTraceTree(std::string traceRoot, std::vector<StoredInvocation> invocations,
                         std::vector<ServiceSpan> calls) {
    TraceTree tree;
    tree.traceRoot = std::move(traceRoot);
    std::erase_if(invocations,
                  [&](const StoredInvocation& i) { return i.traceRoot != tree.traceRoot; });
    std::erase_if(calls, [&](const ServiceSpan& c) { return c.traceRoot != tree.traceRoot; });
    tree.invocations = std::move(invocations);
    tree.calls = std::move(calls);

    std::vector<TraceNode> flat;
    for (std::size_t i = 0; i < tree.invocations.size(); ++i) {
        TraceNode node;
        node.kind = TraceNode::Kind::Invocation;
        node.index = i;
        node.spanId = tree.invocations[i].spanId;
        node.parentSpanId = tree.invocations[i].parentSpanId;
        flat.push_back(std::move(node));
    }
    for (std::size_t i = 0; i < tree.calls.size(); ++i) {
        TraceNode node;
        node.kind = TraceNode::Kind::ServiceCall;
        node.index = i;
        node.spanId = tree.calls[i].spanId;
        node.parentSpanId = tree.calls[i].parentSpanId;
        flat.push_back(std::move(node));
    }
    if (flat.empty()) return tree;

    // Everything below follows this order: siblings, roots and the walk are in start order.
    std::stable_sort(flat.begin(), flat.end(), [&](const TraceNode& a, const TraceNode& b) {
        return tree.startOf(a) < tree.startOf(b);
    });
    std::unordered_map<std::string, std::size_t> bySpan;
    for (std::size_t i = 0; i < flat.size(); ++i)
        if (!flat[i].spanId.empty()) bySpan.try_emplace(flat[i].spanId, i);

    constexpr std::size_t kNone = static_cast<std::size_t>(-1);
    std::vector<std::vector<std::size_t>> children(flat.size());
    std::vector<std::size_t> parentOf(flat.size(), kNone);
    std::vector<std::size_t> roots;
    for (std::size_t i = 0; i < flat.size(); ++i) {
        auto parent =
            flat[i].parentSpanId.empty() ? bySpan.end() : bySpan.find(flat[i].parentSpanId);
        if (parent == bySpan.end() || parent->second == i) {
            flat[i].orphan = !flat[i].parentSpanId.empty();
            roots.push_back(i);
        } else {
            parentOf[i] = parent->second;
            children[parent->second].push_back(i);
        }
    }

    // Depth first from the roots, so that each node's subtree follows it: a waterfall's rows.
    std::vector<std::size_t> position(flat.size(), kNone);  // flat -> tree.nodes
    auto walk = [&](std::size_t root) {
        std::vector<std::pair<std::size_t, int>> stack{{root, 0}};
        while (!stack.empty()) {
            auto [at, depth] = stack.back();
            stack.pop_back();
            position[at] = tree.nodes.size();
            TraceNode node = flat[at];
            node.depth = depth;
            tree.nodes.push_back(std::move(node));
            const auto& kids = children[at];
            for (std::size_t k = kids.size(); k-- > 0;) stack.push_back({kids[k], depth + 1});
        }
    };
    auto walkAll = [&] {
        tree.nodes.clear();
        tree.roots.clear();
        std::fill(position.begin(), position.end(), kNone);
        for (auto root : roots) {
            tree.roots.push_back(tree.nodes.size());
            walk(root);
        }
    };
    walkAll();
    // What no root reaches sits on a loop of parents (only bad data makes one): the earliest
    // node of each loop is cut from its parent and becomes a root, in start order with the rest.
    if (tree.nodes.size() < flat.size()) {
        for (std::size_t i = 0; i < flat.size(); ++i) {
            if (position[i] != kNone) continue;
            auto& siblings = children[parentOf[i]];
            siblings.erase(std::find(siblings.begin(), siblings.end(), i));
            flat[i].orphan = true;
            roots.push_back(i);
            walk(i);
        }
        std::sort(roots.begin(), roots.end());
        walkAll();
    }
    for (std::size_t i = 0; i < flat.size(); ++i) {
        auto& kids = tree.nodes[position[i]].children;
        for (auto child : children[i]) kids.push_back(position[child]);
        for (std::size_t k = 0; k < kids.size(); ++k)
            tree.nodes[kids[k]].lastChild = k + 1 == kids.size();
    }
    for (std::size_t r = 0; r < tree.roots.size(); ++r)
        tree.nodes[tree.roots[r]].lastChild = r + 1 == tree.roots.size();
    tree.start = tree.startOf(tree.nodes.front());
    tree.end = tree.endOf(tree.nodes.front());
    for (const auto& node : tree.nodes) {
        tree.start = std::min(tree.start, tree.startOf(node));
        tree.end = std::max(tree.end, tree.endOf(node));
    }
    return tree;
}

TraceTree loadTraceTree(InvocationStore& store, const std::string& traceRoot) {
    InvocationQuery query;
    query.traceRoot = traceRoot;
    query.limit = -1;  // SQLite: no limit
    auto invocations = store.list(query);
    return buildTraceTree(traceRoot, std::move(invocations), store.spans(traceRoot));
}

}  // namespace fogbank
