// What the memory sweep panel shows: one sweep's sizes with their duration and cost per
// invocation, and which size is the cheapest and which the fastest. A Qt copy of the engine's
// MemorySweepResult, made once off the window's thread.
#pragma once

#include <QList>
#include <QMetaType>
#include <QString>

namespace fogbank::ui {

struct SweepRowInfo {
    int memoryMb = 0;
    double cpuShare = 0;
    QString cpuMode;
    double coldMs = 0;
    int runs = 0;
    double meanMs = 0;
    double p50Ms = 0;
    double meanBilledMs = 0;
    double costPerInvocation = 0;  // USD
    QString error;
};

struct MemorySweepInfo {
    QString function;
    QString architecture;
    QString pricesAsOf;
    QString cpuMode;
    QString cpuWhy;  // why the durations are estimated, when they are
    QList<SweepRowInfo> rows;
    int cheapest = -1;  // index into rows, -1 when none ran
    int fastest = -1;
    QString error;
};

}  // namespace fogbank::ui

Q_DECLARE_METATYPE(fogbank::ui::MemorySweepInfo)
