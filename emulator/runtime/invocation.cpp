#include "emulator/runtime/invocation.h"

#include <fmt/format.h>

namespace fogbank {

const char* toString(Trigger trigger) {
    switch (trigger) {
        case Trigger::Manual:
            return "manual";
        case Trigger::InvokeApi:
            return "invoke-api";
        case Trigger::Http:
            return "http";
        case Trigger::S3:
            return "s3";
        case Trigger::Sqs:
            return "sqs";
        case Trigger::Schedule:
            return "schedule";
        case Trigger::Replay:
            return "replay";
        case Trigger::Async:
            return "async";
        case Trigger::Sweep:
            return "sweep";
    }
    return "unknown";
}

const char* toString(InvocationStatus status) {
    switch (status) {
        case InvocationStatus::Success:
            return "success";
        case InvocationStatus::FunctionError:
            return "error";
        case InvocationStatus::InitError:
            return "init-error";
        case InvocationStatus::Timeout:
            return "timeout";
        case InvocationStatus::OutOfMemory:
            return "out-of-memory";
        case InvocationStatus::RuntimeExit:
            return "runtime-exit";
        case InvocationStatus::Throttled:
            return "throttled";
        case InvocationStatus::NotFound:
            return "not-found";
        case InvocationStatus::LaunchError:
            return "launch-error";
    }
    return "unknown";
}

const char* toString(CpuMode mode) {
    switch (mode) {
        case CpuMode::Off:
            return "off";
        case CpuMode::CgroupV2:
            return "cgroup-v2";
        case CpuMode::CgroupV1:
            return "cgroup-v1";
        case CpuMode::Estimate:
            return "estimate";
    }
    return "off";
}

CpuMode parseCpuMode(const std::string& text) {
    for (auto mode : {CpuMode::CgroupV2, CpuMode::CgroupV1, CpuMode::Estimate})
        if (text == toString(mode)) return mode;
    return CpuMode::Off;
}

std::string InvocationResult::reportLine() const {
    std::string line = fmt::format(
        "REPORT RequestId: {}\tDuration: {:.2f} ms\tBilled Duration: {} ms\tMemory Size: {} MB\t"
        "Max Memory Used: {} MB",
        requestId, durationMs, billedMs, memorySizeMb, maxMemoryUsedMb);
    if (cold) line += fmt::format("\tInit Duration: {:.2f} ms", initMs);
    if (cpuMode == CpuMode::Estimate)
        line += fmt::format("\tEstimated Duration: {:.2f} ms (CPU share estimated)", estimatedMs);
    // Lambda adds a status to REPORT when the platform, not the handler, ended the invocation.
    switch (status) {
        case InvocationStatus::Timeout:
            line += "\tStatus: timeout";
            break;
        case InvocationStatus::OutOfMemory:
        case InvocationStatus::RuntimeExit:
        case InvocationStatus::InitError:
            line += "\tStatus: error\tError Type: " + errorType;
            break;
        default:
            break;
    }
    return line;
}

std::string InvocationResult::logTail(std::size_t maxBytes) const {
    std::string all;
    for (const auto& line : logs) {
        all += line.text;
        all += '\n';
    }
    if (all.size() > maxBytes) all.erase(0, all.size() - maxBytes);
    return all;
}

}  // namespace fogbank
