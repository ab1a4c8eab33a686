#include "emulator/cost/usage.h"

#include <algorithm>
#include <cmath>

namespace fogbank {

double Usage::invocations() const {
    double n = 0;
    for (const auto& [name, f] : functions) n += f.invocations;
    return n;
}

void Usage::add(const Usage& other, double factor) {
    for (const auto& [name, f] : other.functions) {
        auto& mine = functions[name];
        mine.function = f.function;
        mine.architecture = f.architecture;
        mine.memoryMb = f.memoryMb;
        mine.invocations += f.invocations * factor;
        mine.coldStarts += f.coldStarts * factor;
        mine.billedMs += f.billedMs * factor;
        mine.gbSeconds += f.gbSeconds * factor;
        mine.gcpGbSeconds += f.gcpGbSeconds * factor;
        mine.gcpGhzSeconds += f.gcpGhzSeconds * factor;
        mine.azureGbSeconds += f.azureGbSeconds * factor;
    }
    restRequests += other.restRequests * factor;
    httpRequests += other.httpRequests * factor;
    s3PutRequests += other.s3PutRequests * factor;
    s3GetRequests += other.s3GetRequests * factor;
    s3FreeRequests += other.s3FreeRequests * factor;
    sqsStandardRequests += other.sqsStandardRequests * factor;
    sqsFifoRequests += other.sqsFifoRequests * factor;
    schedulerInvocations += other.schedulerInvocations * factor;
}

const char* s3RequestClass(const std::string& operation) {
    for (const char* prefix : {"Delete", "Abort"})
        if (operation.starts_with(prefix)) return "free";
    for (const char* prefix :
         {"Put", "Copy", "Post", "List", "Create", "UploadPart", "Complete", "Restore"})
        if (operation.starts_with(prefix)) return "put";
    return "get";
}

namespace {

const FunctionSpec* findFunction(const Project& project, const std::string& name) {
    for (const auto& f : project.functions)
        if (f.functionName == name || f.logicalId == name) return &f;
    return nullptr;
}

bool hasEvent(const FunctionSpec* f, std::initializer_list<const char*> types) {
    if (!f) return false;
    for (const auto& e : f->events)
        for (const char* type : types)
            if (e.type == type) return true;
    return false;
}

double roundUp(double ms, double step) {
    return std::ceil(ms / step) * step;
}

}  // namespace

Usage usageOf(const std::vector<StoredInvocation>& invocations,
              const std::vector<ServiceSpan>& spans, const Project& project,
              const PriceBook& prices) {
    Usage usage;
    for (const auto& inv : invocations) {
        // Nothing ran, so nothing is billed; a memory sweep's runs measured the function at other
        // sizes than it has, and are not the application's traffic.
        if (inv.status == InvocationStatus::Throttled || inv.status == InvocationStatus::NotFound ||
            inv.status == InvocationStatus::LaunchError || inv.trigger == Trigger::Sweep)
            continue;
        auto& f = usage.functions[inv.function];
        f.function = inv.function;
        f.architecture = inv.architecture;
        f.memoryMb = inv.memorySizeMb > 0 ? inv.memorySizeMb : f.memoryMb;
        f.invocations += 1;
        f.coldStarts += inv.cold ? 1 : 0;
        f.billedMs += static_cast<double>(inv.billedMs);
        f.gbSeconds += static_cast<double>(inv.billedMs) / 1000.0 * f.memoryMb / 1024.0;
        const double ranMs = inv.durationMs + inv.initMs;
        const auto& gcp = prices.gcp;
        const double gcpMs = roundUp(std::max(ranMs, 1.0), gcp.roundUpMs);
        f.gcpGbSeconds += gcpMs / 1000.0 * f.memoryMb / 1024.0;
        double ghz = 0;
        for (const auto& step : gcp.ghzByMemory) {
            ghz = step.price;
            if (f.memoryMb <= step.upTo) break;
        }
        f.gcpGhzSeconds += gcpMs / 1000.0 * ghz;
        const auto& azure = prices.azure;
        const double azureMs =
            std::max(roundUp(std::max(ranMs, 1.0), azure.roundUpMs), azure.minimumMs);
        const double azureMb =
            azure.memoryStepMb > 0 ? roundUp(f.memoryMb, azure.memoryStepMb) : f.memoryMb;
        f.azureGbSeconds += azureMs / 1000.0 * azureMb / 1024.0;

        const auto* spec = findFunction(project, inv.function);
        if (inv.trigger == Trigger::Http) {
            // A function on both kinds of API is counted as HTTP API, the cheaper guess.
            if (hasEvent(spec, {"HttpApi"}) || !hasEvent(spec, {"Api"}))
                usage.httpRequests += 1;
            else
                usage.restRequests += 1;
        }
        if (inv.trigger == Trigger::Schedule && hasEvent(spec, {"ScheduleV2"}))
            usage.schedulerInvocations += 1;
    }
    for (const auto& span : spans) {
        if (span.service == "s3") {
            const std::string cls = s3RequestClass(span.operation);
            (cls == "put"   ? usage.s3PutRequests
             : cls == "get" ? usage.s3GetRequests
                            : usage.s3FreeRequests) += 1;
        } else if (span.service == "sqs") {
            double bytes = 0;
            if (auto it = span.attributes.find("aws.sqs.payload_bytes");
                it != span.attributes.end()) {
                try {
                    bytes = std::stod(it->second);
                } catch (const std::exception&) {
                    bytes = 0;
                }
            }
            const double chunks = std::max(1.0, std::ceil(bytes / prices.sqs.chunkBytes));
            (span.resource.ends_with(".fifo") ? usage.sqsFifoRequests
                                              : usage.sqsStandardRequests) += chunks;
        }
    }
    return usage;
}

}  // namespace fogbank
