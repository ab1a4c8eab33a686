// Traces as OpenTelemetry OTLP/JSON (an ExportTraceServiceRequest: resourceSpans -> scopeSpans
// -> spans), the file format that Jaeger and other OTLP viewers open.
//
// Invocations are spans of a resource per function (service.name = the function's name), with
// OpenTelemetry's FaaS attributes (faas.invocation_id, faas.coldstart, ...); a cold start's init
// phase is a child span "Init"; log lines are span events. Service calls are spans of a resource
// per AWS service (service.name = "lambda", ...) with the AWS SDK attributes (rpc.*).
#pragma once

#include "emulator/trace/trace_tree.h"

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace fogbank {

struct OtlpOptions {
    std::string region;               // cloud.region; omitted when empty
    std::size_t maxLogEvents = 1000;  // per invocation; the rest are counted as dropped
};

nlohmann::json toOtlp(const std::vector<TraceTree>& traces, const OtlpOptions& options = {});

// "1-5759e988-bd862e3fe1be46a994272793" -> "5759e988bd862e3fe1be46a994272793", as the X-Ray
// to OpenTelemetry propagators map it. A root of another shape is hashed into 32 hex digits.
std::string otlpTraceId(std::string_view xrayRoot);
// 16 lower-case hex digits: the X-Ray span id itself when it has that shape, else a hash of it.
std::string otlpSpanId(std::string_view spanId);
// The reverse of otlpTraceId for 32 hex digits (any case); empty for anything else.
std::string xrayRootFromOtlp(std::string_view traceId);

}  // namespace fogbank
