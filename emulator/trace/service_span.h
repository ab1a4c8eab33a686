// A call that a client (often a handler, through an AWS SDK) made to one of Fogbank's services on
// the edge: one span of the trace named by the request's X-Amzn-Trace-Id. Invocations it causes
// (an async invoke, later an S3 notification or a queued message) name it as their parent.
//
// A plain value, so that the edge can make it without knowing the store, and the store, the CLI
// and the window can read it without knowing HTTP.
#pragma once

#include "emulator/runtime/invocation.h"

#include <cstdint>
#include <map>
#include <string>

namespace fogbank {

struct ServiceSpan {
    std::int64_t seq = 0;      // insertion order once stored; 0 before
    std::string traceRoot;     // 1-xxxxxxxx-xxxxxxxxxxxxxxxxxxxxxxxx
    std::string spanId;        // 16 hex digits: the Parent that what it causes carries
    std::string parentSpanId;  // the caller's span (an invocation's); empty when it sent none
    std::string service;       // "lambda", later "s3", "sqs"
    std::string operation;     // "Invoke"
    std::string resource;      // the function, bucket or queue, as the client named it
    Clock::time_point start;   // request received
    Clock::time_point end;     // response sent
    int statusCode = 0;        // HTTP status of the response; 0 when none was sent
    std::string error;         // empty when the call succeeded, else the AWS error code
    // What else the service knows of the call ("aws.lambda.invocation_type" -> "Event", ...), in
    // OpenTelemetry's attribute names where one exists.
    std::map<std::string, std::string> attributes;

    bool failed() const { return !error.empty(); }
    double durationMs() const {
        return std::chrono::duration<double, std::milli>(end - start).count();
    }
};

}  // namespace fogbank
