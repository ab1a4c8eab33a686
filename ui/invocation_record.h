// One finished invocation as the window sees it: Qt value types, implicitly shared, so that a
// record can cross from the engine's thread in a queued signal and sit in a model cheaply.
#pragma once

#include "emulator/runtime/invocation.h"

#include <QDateTime>
#include <QMetaType>
#include <QString>
#include <QStringList>

namespace fogbank::ui {

struct InvocationRecord {
    QString requestId;
    QString function;
    QString trigger;
    InvocationStatus status = InvocationStatus::Success;
    QString payload;  // the response, or Lambda's error document
    QString errorType;
    QString event;
    bool cold = false;
    double initMs = 0;
    // The init's parts (InitBreakdown); negative when the runtime did not report them.
    double initProcessMs = -1;
    double initRuntimeMs = -1;
    double initModuleMs = -1;
    bool provisioned = false;  // in a pre-warmed sandbox
    QString cpuMode;           // "off", "cgroup-v1", "cgroup-v2", "estimate"
    double estimatedMs = 0;    // estimate mode's duration at the memory's CPU share
    double durationMs = 0;
    qint64 billedMs = 0;
    int memorySizeMb = 0;
    int maxMemoryUsedMb = 0;
    QString sandboxId;
    QString interpreter;
    QString traceId;
    QDateTime start;
    QDateTime end;
    QStringList logs;

    bool ok() const { return status == InvocationStatus::Success; }

    static InvocationRecord fromResult(const InvocationResult& result);
};

// Short words for the table and the detail header; the engine's toString() is for logs.
QString statusLabel(InvocationStatus status);
QString triggerLabel(Trigger trigger);

}  // namespace fogbank::ui

Q_DECLARE_METATYPE(fogbank::ui::InvocationRecord)
