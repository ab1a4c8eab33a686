// EngineBridge's part for the Cost and Cold starts tabs. Both read the whole history, so they run
// on the bridge's pool; while one runs, a newer request waits and replaces any older waiting one.
#include "emulator/cost/projection.h"
#include "emulator/cost/ran_bill.h"
#include "emulator/engine.h"
#include "emulator/trace/cold_start_stats.h"
#include "ui/engine_bridge.h"

#include <QMetaObject>

namespace fogbank::ui {

namespace {

QString qs(const std::string& text) {
    return QString::fromStdString(text);
}

QList<CostLineInfo> lines(const Bill& bill) {
    QList<CostLineInfo> out;
    for (const auto& l : bill.lines)
        out.append(CostLineInfo{qs(l.provider), qs(l.service), qs(l.item), qs(l.function),
                                l.quantity, qs(l.unit), l.amount, qs(l.pricesAsOf)});
    return out;
}

QDateTime local(Clock::time_point time) {
    return QDateTime::fromMSecsSinceEpoch(
        std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count());
}

CostReport costReport(Engine& engine, const QString& traffic, const QString& freeTierName) {
    CostReport report;
    report.traffic = traffic;
    report.freeTier = freeTierName;
    try {
        const FreeTier freeTier = parseFreeTier(freeTierName.toStdString());
        const auto entries = parseTraffic(traffic.toStdString());
        const PriceBook prices = PriceBook::load(PriceBook::defaultDir());
        report.pricesAsOf = qs(prices.newestDate());
        InvocationStore* store = engine.store();
        if (!store) {
            report.error = QStringLiteral("Recording is off, so there is nothing to price.");
            return report;
        }
        const RanBill ran = billOfWhatRan(*store, engine.project(), prices);
        report.ranLines = lines(ran.bill);
        report.ranTotal = ran.bill.total();
        report.invocations = ran.invocations;
        if (!entries.empty()) {
            const auto projection =
                projectMonthly(*store, engine.project(), entries, prices, freeTier);
            QStringList problems;
            for (const auto& e : projection.entries)
                if (!e.error.empty()) problems << qs(e.entry.text + ": " + e.error);
            if (!problems.isEmpty()) report.error = problems.join(QStringLiteral("; "));
            for (const auto& p : projection.providers)
                report.projection.append(ProviderTotalInfo{
                    qs(p.provider), p.withoutFreeTier.total(), p.withFreeTier.total(),
                    p.provider == "gcp"     ? qs(prices.gcp.asOf)
                    : p.provider == "azure" ? qs(prices.azure.asOf)
                                            : qs(prices.lambda.pricesAsOf())});
            if (!projection.providers.empty())
                report.projectionLines = lines(projection.providers.front().withFreeTier);
        }
    } catch (const std::exception& e) {
        report.error = QString::fromLocal8Bit(e.what());
    }
    return report;
}

ColdStartStatsInfo statsInfo(Engine& engine, const QString& function) {
    ColdStartStatsInfo info;
    info.function = function;
    InvocationStore* store = engine.store();
    if (!store) return info;
    const auto stats = coldStartStats(*store, function.toStdString());
    info.cold = stats.cold.count;
    info.warm = stats.warm.count;
    info.coldRatio = stats.coldRatio;
    info.coldP50 = stats.cold.p50;
    info.coldP90 = stats.cold.p90;
    info.coldP99 = stats.cold.p99;
    info.warmP50 = stats.warm.p50;
    info.warmP90 = stats.warm.p90;
    info.warmP99 = stats.warm.p99;
    info.provisioned = stats.provisioned.count;
    info.provisionedP50 = stats.provisioned.p50;
    info.provisionedP90 = stats.provisioned.p90;
    info.provisionedP99 = stats.provisioned.p99;
    info.initP50 = stats.init.p50;
    if (stats.initModule.count) {
        info.processMs = stats.initProcess.p50;
        info.runtimeMs = stats.initRuntime.p50;
        info.moduleMs = stats.initModule.p50;
    }
    QStringList modes;
    for (const auto& [mode, count] : stats.cpuModes)
        modes << QStringLiteral("%1 %2").arg(count).arg(qs(mode));
    info.cpuModes = modes.join(QStringLiteral(", "));
    for (const auto& sample : stats.inits) {
        const auto& p = sample.parts;
        info.inits.append(InitSampleInfo{local(sample.time), sample.initMs, p ? p->processMs : -1,
                                         p ? p->runtimeMs : -1, p ? p->moduleMs : -1});
    }
    return info;
}

}  // namespace

void EngineBridge::refreshCost(const QString& traffic, const QString& freeTier) {
    if (costInFlight_) {
        costAgain_ = {traffic, freeTier};
        return;
    }
    costInFlight_ = onPool([this, generation = generation_, traffic, freeTier](Engine& engine) {
        auto report = costReport(engine, traffic, freeTier);
        QMetaObject::invokeMethod(
            this,
            [this, generation, report] {
                costInFlight_ = false;
                if (generation != generation_) return;
                emit costReady(report);
                if (costAgain_) {
                    const auto [traffic, freeTier] = *std::exchange(costAgain_, std::nullopt);
                    refreshCost(traffic, freeTier);
                }
            },
            Qt::QueuedConnection);
    });
}

void EngineBridge::refreshColdStarts(const QString& function) {
    if (statsInFlight_) {
        statsAgain_ = function;
        return;
    }
    statsInFlight_ = onPool([this, generation = generation_, function](Engine& engine) {
        auto info = statsInfo(engine, function);
        QMetaObject::invokeMethod(
            this,
            [this, generation, info] {
                statsInFlight_ = false;
                if (generation != generation_) return;
                emit coldStartsReady(info);
                if (!statsAgain_.isEmpty()) refreshColdStarts(std::exchange(statsAgain_, {}));
            },
            Qt::QueuedConnection);
    });
}

}  // namespace fogbank::ui
