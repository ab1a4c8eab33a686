// EngineBridge's part for the memory sweep, CPU-share and pre-warming controls of the Cold starts
// tab. A
// sweep takes seconds of invocations, so it runs on the bridge's pool and reports each run back
// to this thread by queued calls.
#include "emulator/engine.h"
#include "emulator/sweep/memory_sweep.h"
#include "ui/engine_bridge.h"

#include <QMetaObject>

namespace fogbank::ui {

namespace {

QString qs(const std::string& text) {
    return QString::fromStdString(text);
}

MemorySweepInfo sweepInfo(const MemorySweepResult& r) {
    MemorySweepInfo info;
    info.function = qs(r.function);
    info.architecture = qs(r.architecture);
    info.pricesAsOf = qs(r.pricesAsOf);
    info.cpuMode = QString::fromLatin1(toString(r.cpuMode));
    info.cpuWhy = qs(r.cpuWhy);
    info.cheapest = r.cheapest;
    info.fastest = r.fastest;
    info.error = qs(r.error);
    for (const auto& row : r.rows)
        info.rows.append(SweepRowInfo{row.memoryMb, row.cpuShare,
                                      QString::fromLatin1(toString(row.cpuMode)), row.coldMs,
                                      row.runs, row.meanMs, row.p50Ms, row.meanBilledMs,
                                      row.costPerInvocation, qs(row.error)});
    return info;
}

}  // namespace

void EngineBridge::setPrewarm(const QString& function, int count) {
    Engine* e = engine();
    if (!e) {
        emit prewarmSet(function, count, tr("No project is open."));
        return;
    }
    e->setPrewarm(function.toStdString(), count,
                  [this, generation = generation_, function, count](std::string error) {
                      post(generation, [this, function, count, error = qs(error)] {
                          emit prewarmSet(function, count, error);
                          refreshSandboxCounts();
                      });
                  });
}

bool EngineBridge::cpuShare() const {
    Engine* e = engine();
    return e && e->cpuShare();
}

void EngineBridge::setCpuShare(bool on) {
    Engine* e = engine();
    if (!e) return;
    e->setCpuShare(on, [this, generation = generation_, on](Engine::CpuShareStatus status) {
        post(generation, [this, on, mode = QString::fromLatin1(toString(status.mode)),
                          why = qs(status.why)] { emit cpuShareChanged(on, mode, why); });
    });
}

bool EngineBridge::runMemorySweep(const QString& function, const QString& eventJson,
                                  const QList<int>& memoryMb, int runs) {
    if (sweepStop_ || !session_) return false;
    auto stop = std::make_shared<std::atomic<bool>>(false);
    MemorySweepOptions options;
    options.function = function.toStdString();
    options.event = eventJson.toStdString();
    options.memoryMb.assign(memoryMb.begin(), memoryMb.end());
    options.runs = runs;
    const bool started =
        onPool([this, generation = generation_, stop, options, function](Engine& engine) {
            MemorySweepResult result;
            try {
                const auto prices = LambdaPriceTable::loadDefault();
                result = fogbank::runMemorySweep(engine, options, prices, [&](int memory, int run) {
                    if (*stop) return false;
                    post(generation, [this, function, memory, run] {
                        emit memorySweepProgress(function, memory, run);
                    });
                    return true;
                });
            } catch (const std::exception& e) {
                result.function = options.function;
                result.error = e.what();
            }
            post(generation, [this, stop, info = sweepInfo(result)] {
                if (sweepStop_ == stop) sweepStop_.reset();
                emit memorySweepFinished(info);
            });
        });
    if (started) sweepStop_ = stop;
    return started;
}

}  // namespace fogbank::ui
