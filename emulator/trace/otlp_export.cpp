#include "emulator/trace/otlp_export.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <map>

namespace fogbank {

using nlohmann::json;

namespace {

bool isHex(std::string_view text, std::size_t digits) {
    return text.size() == digits && std::all_of(text.begin(), text.end(), [](char c) {
               return std::isxdigit(static_cast<unsigned char>(c)) != 0;
           });
}

std::string lower(std::string_view text) {
    std::string out(text);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::string hashHex(std::string_view text, std::uint64_t seed) {
    std::uint64_t hash = 1469598103934665603ull ^ seed;  // FNV-1a
    for (unsigned char c : text) {
        hash ^= c;
        hash *= 1099511628211ull;
    }
    char out[17];
    std::snprintf(out, sizeof out, "%016llx", static_cast<unsigned long long>(hash));
    return out;
}

std::string nanos(Clock::time_point t) {
    return std::to_string(
        std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count());
}

json attribute(const std::string& key, const std::string& value) {
    return {{"key", key}, {"value", {{"stringValue", value}}}};
}
json attribute(const std::string& key, std::int64_t value) {
    // OTLP/JSON follows protobuf's JSON mapping: 64-bit integers are strings.
    return {{"key", key}, {"value", {{"intValue", std::to_string(value)}}}};
}
json attribute(const std::string& key, double value) {
    return {{"key", key}, {"value", {{"doubleValue", value}}}};
}
json attribute(const std::string& key, bool value) {
    return {{"key", key}, {"value", {{"boolValue", value}}}};
}

// OpenTelemetry's SpanKind values.
constexpr int kInternal = 1;
constexpr int kServer = 2;
constexpr int kConsumer = 5;

// OpenTelemetry's faas.trigger values.
const char* faasTrigger(Trigger trigger) {
    switch (trigger) {
        case Trigger::Http:
            return "http";
        case Trigger::S3:
            return "datasource";
        case Trigger::Sqs:
            return "pubsub";
        case Trigger::Schedule:
            return "timer";
        default:
            return "other";
    }
}

// Whoever waits for the answer is served; events and messages are consumed.
int invocationKind(Trigger trigger) {
    switch (trigger) {
        case Trigger::Async:
        case Trigger::S3:
        case Trigger::Sqs:
        case Trigger::Schedule:
            return kConsumer;
        default:
            return kServer;
    }
}

// The AWS SDKs' names for the services (rpc.service), by SigV4 scope name.
std::string rpcService(const std::string& service) {
    static const std::map<std::string, std::string> names = {
        {"lambda", "Lambda"},     {"s3", "S3"},
        {"sqs", "SQS"},           {"sns", "SNS"},
        {"dynamodb", "DynamoDB"}, {"events", "EventBridge"}};
    if (auto it = names.find(service); it != names.end()) return it->second;
    return service;
}

json status(bool failed, const std::string& message) {
    if (!failed) return {{"code", 0}};
    return {{"code", 2}, {"message", message}};
}

struct Resource {
    json attributes = json::array();
    json spans = json::array();
};

class Exporter {
  public:
    explicit Exporter(const OtlpOptions& options) : options_(options) {}

    void add(const TraceTree& tree) {
        const std::string traceId = otlpTraceId(tree.traceRoot);
        for (const auto& node : tree.nodes) {
            json span = {{"traceId", traceId},
                         {"spanId", spanIdOf(tree, node)},
                         {"startTimeUnixNano", nanos(tree.startOf(node))},
                         {"endTimeUnixNano", nanos(tree.endOf(node))}};
            json attributes = json::array();
            // A parent outside the file would leave viewers with a dangling reference; it is
            // kept as an attribute instead.
            if (!node.parentSpanId.empty()) {
                if (node.orphan)
                    attributes.push_back(
                        attribute("fogbank.remote_parent_span_id", node.parentSpanId));
                else
                    span["parentSpanId"] = otlpSpanId(node.parentSpanId);
            }
            if (const auto* invocation = tree.invocation(node))
                addInvocation(traceId, span, attributes, *invocation);
            else
                addCall(span, attributes, *tree.call(node));
        }
    }

    json result() const {
        json resourceSpans = json::array();
        for (const auto& [name, resource] : resources_) {
            resourceSpans.push_back(
                {{"resource", {{"attributes", resource.attributes}}},
                 {"scopeSpans",
                  json::array({{{"scope", {{"name", "fogbank"}, {"version", FOGBANK_VERSION}}},
                                {"spans", resource.spans}}})}});
        }
        return {{"resourceSpans", resourceSpans}};
    }

  private:
    static std::string spanIdOf(const TraceTree& tree, const TraceNode& node) {
        if (node.spanId.empty()) {
            // Never the case for what Fogbank records; a viewer still needs an id.
            const auto* invocation = tree.invocation(node);
            return hashHex(invocation ? invocation->requestId : tree.name(node), 0);
        }
        return otlpSpanId(node.spanId);
    }

    Resource& resource(const std::string& serviceName, const std::function<void(json&)>& extra) {
        auto [it, added] = resources_.try_emplace(serviceName);
        if (added) {
            auto& attributes = it->second.attributes;
            attributes.push_back(attribute("service.name", serviceName));
            attributes.push_back(attribute("cloud.provider", std::string("aws")));
            if (!options_.region.empty())
                attributes.push_back(attribute("cloud.region", options_.region));
            extra(attributes);
        }
        return it->second;
    }

    void addInvocation(const std::string& traceId, json& span, json& attributes,
                       const StoredInvocation& invocation) {
        auto& target = resource(invocation.function, [&](json& attributes) {
            attributes.push_back(attribute("cloud.platform", std::string("aws_lambda")));
            attributes.push_back(attribute("faas.name", invocation.function));
            attributes.push_back(attribute("faas.version", std::string("$LATEST")));
            attributes.push_back(
                attribute("faas.max_memory", std::int64_t(invocation.memorySizeMb) * 1024 * 1024));
        });
        span["name"] = invocation.function;
        span["kind"] = invocationKind(invocation.trigger);
        attributes.push_back(attribute("faas.invocation_id", invocation.requestId));
        attributes.push_back(attribute("faas.name", invocation.function));
        attributes.push_back(attribute("faas.coldstart", invocation.cold));
        attributes.push_back(
            attribute("faas.trigger", std::string(faasTrigger(invocation.trigger))));
        if (!options_.region.empty())
            attributes.push_back(attribute("cloud.region", options_.region));
        attributes.push_back(
            attribute("fogbank.trigger", std::string(toString(invocation.trigger))));
        attributes.push_back(attribute("fogbank.status", std::string(toString(invocation.status))));
        attributes.push_back(attribute("fogbank.duration_ms", invocation.durationMs));
        if (invocation.cold) attributes.push_back(attribute("fogbank.init_ms", invocation.initMs));
        attributes.push_back(attribute("fogbank.billed_ms", std::int64_t(invocation.billedMs)));
        attributes.push_back(
            attribute("fogbank.max_memory_used_mb", std::int64_t(invocation.maxMemoryUsedMb)));
        attributes.push_back(attribute("fogbank.cost_usd", invocation.costUsd));
        if (!invocation.sandboxId.empty())
            attributes.push_back(attribute("fogbank.sandbox_id", invocation.sandboxId));
        if (!invocation.ok()) attributes.push_back(attribute("error.type", invocation.errorType));
        span["attributes"] = std::move(attributes);
        span["status"] = status(!invocation.ok(), invocation.errorType);

        json events = json::array();
        for (std::size_t i = 0; i < invocation.logs.size() && i < options_.maxLogEvents; ++i) {
            const auto& line = invocation.logs[i];
            events.push_back({{"timeUnixNano", nanos(line.time)},
                              {"name", "log"},
                              {"attributes", json::array({attribute("message", line.text)})}});
        }
        span["events"] = std::move(events);
        if (invocation.logs.size() > options_.maxLogEvents)
            span["droppedEventsCount"] = invocation.logs.size() - options_.maxLogEvents;

        // The init phase as a span of its own, as X-Ray's Initialization subsegment: a viewer
        // then draws the cold start apart from the handler's time.
        json init;
        if (invocation.cold && invocation.initMs > 0) {
            const auto initEnd =
                std::min(std::max(invocation.start, invocation.end),
                         invocation.start +
                             std::chrono::duration_cast<Clock::duration>(
                                 std::chrono::duration<double, std::milli>(invocation.initMs)));
            init = {{"traceId", traceId},
                    {"spanId", hashHex(span["spanId"].get<std::string>() + "/init", 1)},
                    {"parentSpanId", span["spanId"]},
                    {"name", "Init"},
                    {"kind", kInternal},
                    {"startTimeUnixNano", nanos(invocation.start)},
                    {"endTimeUnixNano", nanos(initEnd)},
                    {"attributes", json::array({attribute("faas.coldstart", true),
                                                attribute("fogbank.init_ms", invocation.initMs)})},
                    {"status", status(invocation.status == InvocationStatus::InitError,
                                      invocation.errorType)}};
        }
        target.spans.push_back(std::move(span));
        if (!init.is_null()) target.spans.push_back(std::move(init));
    }

    void addCall(json& span, json& attributes, const ServiceSpan& call) {
        auto& target = resource(call.service, [](json&) {});
        const std::string service = rpcService(call.service);
        span["name"] = call.operation.empty() ? service : service + "." + call.operation;
        span["kind"] = kServer;
        attributes.push_back(attribute("rpc.system", std::string("aws-api")));
        attributes.push_back(attribute("rpc.service", service));
        if (!call.operation.empty()) attributes.push_back(attribute("rpc.method", call.operation));
        if (!options_.region.empty())
            attributes.push_back(attribute("cloud.region", options_.region));
        if (call.statusCode)
            attributes.push_back(
                attribute("http.response.status_code", std::int64_t(call.statusCode)));
        if (call.service == "lambda" && !call.resource.empty()) {
            attributes.push_back(attribute("faas.invoked_name", call.resource));
            attributes.push_back(attribute("faas.invoked_provider", std::string("aws")));
            if (!options_.region.empty())
                attributes.push_back(attribute("faas.invoked_region", options_.region));
        } else if (!call.resource.empty()) {
            attributes.push_back(attribute("fogbank.resource", call.resource));
        }
        for (const auto& [key, value] : call.attributes)
            attributes.push_back(attribute(key, value));
        if (call.failed()) attributes.push_back(attribute("error.type", call.error));
        span["attributes"] = std::move(attributes);
        span["status"] = status(call.failed(), call.error);
        target.spans.push_back(std::move(span));
    }

    const OtlpOptions& options_;
    std::map<std::string, Resource> resources_;  // by service.name
};

}  // namespace

std::string otlpTraceId(std::string_view xrayRoot) {
    // 1-<8 hex epoch>-<24 hex>
    if (xrayRoot.size() == 35 && xrayRoot.starts_with("1-") && xrayRoot[10] == '-') {
        std::string hex = std::string(xrayRoot.substr(2, 8)) + std::string(xrayRoot.substr(11));
        if (isHex(hex, 32)) return lower(hex);
    }
    return hashHex(xrayRoot, 0) + hashHex(xrayRoot, 0x9e3779b97f4a7c15ull);
}

std::string otlpSpanId(std::string_view spanId) {
    if (isHex(spanId, 16)) return lower(spanId);
    return hashHex(spanId, 0);
}

std::string xrayRootFromOtlp(std::string_view traceId) {
    if (!isHex(traceId, 32)) return {};
    const std::string hex = lower(traceId);
    return "1-" + hex.substr(0, 8) + "-" + hex.substr(8);
}

json toOtlp(const std::vector<TraceTree>& traces, const OtlpOptions& options) {
    Exporter exporter(options);
    for (const auto& tree : traces) exporter.add(tree);
    return exporter.result();
}

}  // namespace fogbank
