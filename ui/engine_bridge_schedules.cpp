// EngineBridge's part for the Schedules tab: the engine's schedules and its virtual clock. Every
// call returns at once; the engine answers on its own thread and the answer is posted back here.
#include "emulator/engine.h"
#include "ui/engine_bridge.h"

namespace fogbank::ui {

namespace {

QDateTime utc(std::chrono::system_clock::time_point time) {
    return QDateTime::fromMSecsSinceEpoch(
        std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count(),
        Qt::UTC);
}

FiringInfo toFiringInfo(const scheduler::Firing& f) {
    FiringInfo info;
    info.schedule = QString::fromStdString(f.schedule);
    info.function = QString::fromStdString(f.result.function);
    info.due = utc(f.due);
    info.requestId = QString::fromStdString(f.result.requestId);
    info.status = QString::fromLatin1(toString(f.result.status));
    info.durationMs = f.result.durationMs;
    info.error = QString::fromStdString(f.result.errorType);
    return info;
}

}  // namespace

void EngineBridge::refreshSchedules(int count) {
    Engine* running = engine();
    if (!running) return;
    if (schedulesInFlight_) {
        schedulesAgain_ = count;
        return;
    }
    schedulesInFlight_ = true;
    running->schedules(
        count, [this, generation = generation_](std::vector<scheduler::ScheduleStatus> list) {
            QList<ScheduleInfo> infos;
            for (const auto& s : list) {
                ScheduleInfo info{QString::fromStdString(s.name),
                                  QString::fromStdString(s.function),
                                  QString::fromStdString(s.source),
                                  QString::fromStdString(s.expression),
                                  QString::fromStdString(s.timeZone),
                                  s.enabled,
                                  {}};
                for (const auto& t : s.nextFirings) info.nextFirings.append(utc(t));
                infos.append(info);
            }
            post(generation, [this, infos] {
                schedulesInFlight_ = false;
                emit schedulesRefreshed(infos);
                if (const int again = std::exchange(schedulesAgain_, 0)) refreshSchedules(again);
            });
        });
}

void EngineBridge::fireSchedule(const QString& name) {
    Engine* running = engine();
    if (!running) return;
    running->fireSchedule(name.toStdString(), [this, generation = generation_](
                                                  scheduler::Firing firing, std::string error) {
        QList<FiringInfo> fired;
        if (error.empty()) fired.append(toFiringInfo(firing));
        const QString message = QString::fromStdString(error);
        post(generation, [this, fired, message] {
            emit schedulesFired(fired, message);
            refreshSchedules();
        });
    });
}

void EngineBridge::advanceClock(qint64 seconds) {
    Engine* running = engine();
    if (!running || seconds <= 0) return;
    running->advanceClock(std::chrono::seconds(seconds),
                          [this, generation = generation_](scheduler::AdvanceReport report) {
                              QList<FiringInfo> fired;
                              for (const auto& f : report.fired) fired.append(toFiringInfo(f));
                              const QString message = QString::fromStdString(report.error);
                              post(generation, [this, fired, message] {
                                  emit schedulesFired(fired, message);
                                  emit clockChanged();
                                  refreshSchedules();
                              });
                          });
}

void EngineBridge::setScheduleEnabled(const QString& name, bool enabled) {
    Engine* running = engine();
    if (!running) return;
    const QString what = (enabled ? tr("Enabled %1") : tr("Disabled %1")).arg(name);
    running->setScheduleEnabled(name.toStdString(), enabled,
                                [this, what, generation = generation_](std::string error) {
                                    const QString message = QString::fromStdString(error);
                                    post(generation, [this, what, message] {
                                        emit scheduleOperationFinished(what, message);
                                        refreshSchedules();
                                    });
                                });
}

void EngineBridge::pauseClock() {
    if (Engine* running = engine()) {
        running->pauseClock();
        emit clockChanged();
    }
}

void EngineBridge::resumeClock() {
    if (Engine* running = engine()) {
        running->resumeClock();
        emit clockChanged();
    }
}

bool EngineBridge::clockPaused() const {
    Engine* running = engine();
    return running && running->clockPaused();
}

QDateTime EngineBridge::clockNow() const {
    Engine* running = engine();
    return running ? utc(running->clockNow()) : QDateTime();
}

}  // namespace fogbank::ui
