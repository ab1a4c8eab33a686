// What the Schedules tab shows: each schedule with its next firings, and what fired (by "fire
// now" or by advancing the virtual clock). Qt copies of the engine's reports, made once on the
// bridge's thread and never changed afterwards.
#pragma once

#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QString>

namespace fogbank::ui {

struct ScheduleInfo {
    QString name;
    QString function;
    QString source;  // Schedule, ScheduleV2, AWS::Events::Rule, AWS::Scheduler::Schedule
    QString expression;
    QString timeZone;
    bool enabled = true;
    QList<QDateTime> nextFirings;  // UTC; empty while disabled or never again
    friend bool operator==(const ScheduleInfo&, const ScheduleInfo&) = default;
};

// "2026-03-07 07:30:00 UTC": how the Schedules tab writes every time, the clock's included.
inline QString utcText(const QDateTime& time) {
    return time.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss 'UTC'"));
}

struct FiringInfo {
    QString schedule;
    QString function;
    QDateTime due;  // UTC: the event's time
    QString requestId;
    QString status;  // the engine's name for how it ended: success, FunctionError, ...
    double durationMs = 0;
    QString error;  // the function's error type, or why nothing could fire
};

}  // namespace fogbank::ui

Q_DECLARE_METATYPE(fogbank::ui::ScheduleInfo)
Q_DECLARE_METATYPE(fogbank::ui::FiringInfo)
