// What a set of recorded invocations and service calls adds up to in the units providers bill:
// requests, GB-seconds, S3 requests by class, SQS requests in 64 KiB chunks, scheduler
// invocations. The bill of what ran and the monthly projection both price one of these.
#pragma once

#include "emulator/cost/price_book.h"
#include "emulator/project/project.h"
#include "emulator/trace/invocation_store.h"

#include <map>
#include <string>
#include <vector>

namespace fogbank {

struct FunctionUsage {
    std::string function;
    std::string architecture = "x86_64";
    int memoryMb = 128;
    double invocations = 0;
    double coldStarts = 0;
    double billedMs = 0;   // Lambda's: per started ms, init included on cold starts
    double gbSeconds = 0;  // Lambda's billedMs at the function's memory
    // The same work as the comparison providers would bill it (their rounding and memory steps).
    double gcpGbSeconds = 0;
    double gcpGhzSeconds = 0;
    double azureGbSeconds = 0;
};

struct Usage {
    std::map<std::string, FunctionUsage> functions;  // by function name
    double restRequests = 0;                         // API Gateway REST APIs
    double httpRequests = 0;                         // API Gateway HTTP APIs
    double s3PutRequests = 0;                        // PUT, COPY, POST, LIST class
    double s3GetRequests = 0;                        // GET and all others but DELETE
    double s3FreeRequests = 0;                       // DELETE, abort
    double sqsStandardRequests = 0;                  // billed requests: 64 KiB chunks
    double sqsFifoRequests = 0;
    double schedulerInvocations = 0;  // EventBridge Scheduler (ScheduleV2); rules are free

    double invocations() const;
    // Adds `other` scaled by `factor` (a projection: what one request caused, times a month's).
    void add(const Usage& other, double factor = 1);
};

// Counts invocations and service calls. Functions are looked up in `project` for their API type
// and schedule kind; spans of the Lambda Invoke API are not counted again (their invocation is).
Usage usageOf(const std::vector<StoredInvocation>& invocations,
              const std::vector<ServiceSpan>& spans, const Project& project,
              const PriceBook& prices);

// S3's request class of an operation name (PutObject, GetObject, ...): "put", "get" or "free".
const char* s3RequestClass(const std::string& operation);

}  // namespace fogbank
