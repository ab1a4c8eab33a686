#include "ui/invocation_record.h"

#include <chrono>

namespace fogbank::ui {

namespace {

QDateTime toDateTime(Clock::time_point point) {
    if (point == Clock::time_point{}) return {};
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(point.time_since_epoch());
    return QDateTime::fromMSecsSinceEpoch(ms.count());
}

}  // namespace

InvocationRecord InvocationRecord::fromResult(const InvocationResult& result) {
    InvocationRecord record;
    record.requestId = QString::fromStdString(result.requestId);
    record.function = QString::fromStdString(result.function);
    record.trigger = triggerLabel(result.trigger);
    record.status = result.status;
    record.payload = QString::fromStdString(result.payload);
    record.errorType = QString::fromStdString(result.errorType);
    record.event = QString::fromStdString(result.event);
    record.cold = result.cold;
    record.initMs = result.initMs;
    if (result.initParts) {
        record.initProcessMs = result.initParts->processMs;
        record.initRuntimeMs = result.initParts->runtimeMs;
        record.initModuleMs = result.initParts->moduleMs;
    }
    record.provisioned = result.provisioned;
    record.cpuMode = QString::fromLatin1(toString(result.cpuMode));
    record.estimatedMs = result.estimatedMs;
    record.durationMs = result.durationMs;
    record.billedMs = result.billedMs;
    record.memorySizeMb = result.memorySizeMb;
    record.maxMemoryUsedMb = result.maxMemoryUsedMb;
    record.sandboxId = QString::fromStdString(result.sandboxId);
    record.interpreter = QString::fromStdString(result.interpreter);
    record.traceId = QString::fromStdString(result.traceId);
    record.start = toDateTime(result.start);
    record.end = toDateTime(result.end);
    record.logs.reserve(static_cast<qsizetype>(result.logs.size()));
    for (const LogLine& line : result.logs) record.logs.append(QString::fromStdString(line.text));
    return record;
}

QString statusLabel(InvocationStatus status) {
    switch (status) {
        case InvocationStatus::Success:
            return QStringLiteral("OK");
        case InvocationStatus::FunctionError:
            return QStringLiteral("Error");
        case InvocationStatus::InitError:
            return QStringLiteral("Init error");
        case InvocationStatus::Timeout:
            return QStringLiteral("Timeout");
        case InvocationStatus::OutOfMemory:
            return QStringLiteral("Out of memory");
        case InvocationStatus::RuntimeExit:
            return QStringLiteral("Runtime exited");
        case InvocationStatus::Throttled:
            return QStringLiteral("Throttled");
        case InvocationStatus::NotFound:
            return QStringLiteral("Not found");
        case InvocationStatus::LaunchError:
            return QStringLiteral("Launch error");
    }
    return QStringLiteral("?");
}

QString triggerLabel(Trigger trigger) {
    switch (trigger) {
        case Trigger::Manual:
            return QStringLiteral("manual");
        case Trigger::InvokeApi:
            return QStringLiteral("invoke API");
        case Trigger::Http:
            return QStringLiteral("HTTP");
        case Trigger::S3:
            return QStringLiteral("S3");
        case Trigger::Sqs:
            return QStringLiteral("SQS");
        case Trigger::Schedule:
            return QStringLiteral("schedule");
        case Trigger::Replay:
            return QStringLiteral("replay");
        case Trigger::Async:
            return QStringLiteral("async");
        case Trigger::Sweep:
            return QStringLiteral("memory sweep");
    }
    return QStringLiteral("?");
}

}  // namespace fogbank::ui
