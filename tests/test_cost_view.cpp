// The Cost and Cold starts tabs over a real engine and real Python handlers (tests/fixtures/cost):
// one upload invoked from the window runs Upload and, through its S3 notification, Thumbnail; the
// Cost tab prices what ran and projects a stated traffic per provider (with the price tables'
// date on every line and a bar per provider), says what is wrong with bad traffic, and the Cold
// starts tab shows Upload's cold start in its charts, with where its init went. Then, over the
// cold-start fixtures, the tab keeps sandboxes warm and sweeps a CPU-bound handler's memory.
#include "ui/cold_start_view.h"
#include "ui/cost_view.h"
#include "ui/engine_bridge.h"
#include "ui/main_window.h"
#include "ui/memory_sweep_view.h"

#include <QAbstractBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTreeWidget>
#include <QXYSeries>
#include <QtTest>

#include <spdlog/spdlog.h>

#include <memory>

using fogbank::EngineConfig;
using fogbank::ui::ColdStartView;
using fogbank::ui::CostView;
using fogbank::ui::MainWindow;

namespace {
constexpr int kOpenTimeoutMs = 30'000;
constexpr int kAnswerTimeoutMs = 120'000;

QTreeWidgetItem* group(QTreeWidget* tree, const QString& title) {
    for (int i = 0; i < tree->topLevelItemCount(); ++i)
        if (tree->topLevelItem(i)->text(0) == title) return tree->topLevelItem(i);
    return nullptr;
}
}  // namespace

class TestCostView : public QObject {
    Q_OBJECT
    QTemporaryDir state_;
    std::unique_ptr<MainWindow> window_;

  private slots:
    void initTestCase() {
        spdlog::set_level(spdlog::level::warn);
        QVERIFY(state_.isValid());
        window_ = std::make_unique<MainWindow>();
        window_->resize(1300, 850);
        window_->show();
        QVERIFY(QTest::qWaitForWindowExposed(window_.get()));
        EngineConfig config;
        config.templatePath = FOGBANK_FIXTURES "/cost/template.yaml";
        config.edgePort = 0;
        config.httpPort = 0;
        config.python = "/usr/bin/python3";
        config.stateDir = state_.path().toStdString();
        window_->bridge()->openProject(config);
        QTRY_VERIFY_WITH_TIMEOUT(window_->bridge()->isOpen(), kOpenTimeoutMs);

        QSignalSpy finished(window_->bridge(), &fogbank::ui::EngineBridge::invocationFinished);
        QVERIFY(window_->bridge()->invoke(QStringLiteral("cost-upload"),
                                          QStringLiteral(R"({"body": "a cat"})")) != 0);
        // Upload, then Thumbnail from the notification.
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, kAnswerTimeoutMs);
    }

    void pricesWhatRanAndProjectsTraffic() {
        auto* view = window_->costView();
        window_->viewTabs()->setCurrentWidget(view);
        QSignalSpy shown(view, &CostView::reportShown);
        view->setTraffic(QStringLiteral("cost-upload=1000000/month"));
        QTRY_VERIFY_WITH_TIMEOUT(
            !shown.isEmpty() &&
                view->report().traffic == QStringLiteral("cost-upload=1000000/month"),
            kAnswerTimeoutMs);
        const auto& report = view->report();
        QVERIFY2(report.error.isEmpty(), qPrintable(report.error));
        QCOMPARE(report.invocations, 2);
        QVERIFY(report.ranTotal > 0);

        // What ran: Lambda's lines per function, S3's PUT and GET, each with its table's date.
        auto* lambda = group(view->ranTree(), QStringLiteral("AWS lambda"));
        QVERIFY(lambda);
        QStringList functions;
        for (int i = 0; i < lambda->childCount(); ++i) {
            functions << lambda->child(i)->text(1);
            QCOMPARE(lambda->child(i)->text(5), QStringLiteral("2026-11-23"));
        }
        QVERIFY(functions.contains(QStringLiteral("cost-upload")));
        QVERIFY(functions.contains(QStringLiteral("cost-thumbnail")));
        QVERIFY(group(view->ranTree(), QStringLiteral("AWS s3")));

        // The projection: three providers, each a bar with and without the free tier.
        QCOMPARE(report.projection.size(), 3);
        QVERIFY(report.projection[0].withoutFreeTier > report.projection[0].withFreeTier);
        QVERIFY(!view->projectionTree()->isHidden());
        auto* chart = view->providerChart()->chart();
        QCOMPARE(chart->series().size(), 1);
        auto* bars = qobject_cast<QAbstractBarSeries*>(chart->series().front());
        QVERIFY(bars);
        QCOMPARE(bars->barSets().size(), 2);
        QCOMPARE(bars->barSets().front()->count(), 3);
        QCOMPARE(bars->barSets().front()->at(0), report.projection[0].withoutFreeTier);
        QVERIFY(view->footer()->text().contains(QStringLiteral("Prices as of 2026-11-23")));

        // Bad traffic: the footer says what is wrong; what ran is still shown.
        view->setTraffic(QStringLiteral("cost-upload=5/fortnight"));
        QTRY_VERIFY_WITH_TIMEOUT(
            view->report().traffic == QStringLiteral("cost-upload=5/fortnight"), kAnswerTimeoutMs);
        QVERIFY(view->footer()->text().contains(QStringLiteral("unknown unit")));
    }

    void coldStartsChartTheRecordedInit() {
        auto* view = window_->coldStartView();
        window_->viewTabs()->setCurrentWidget(view);
        QSignalSpy shown(view, &ColdStartView::statsShown);
        QVERIFY(view->selectFunction(QStringLiteral("cost-upload")));
        view->refresh();
        QTRY_VERIFY_WITH_TIMEOUT(
            !shown.isEmpty() && view->stats().function == QStringLiteral("cost-upload"),
            kAnswerTimeoutMs);
        QCOMPARE(view->stats().cold, 1);
        QCOMPARE(view->stats().warm, 0);
        QCOMPARE(view->stats().inits.size(), 1);
        QVERIFY(view->stats().inits.front().initMs > 0);
        auto* inits = view->initChart()->chart();
        auto* line = qobject_cast<QXYSeries*>(inits->series().front());
        QVERIFY(line);
        QCOMPARE(line->count(), 1);
        QCOMPARE(line->at(0).y(), view->stats().inits.front().initMs);
        QVERIFY(view->summary()->text().contains(QStringLiteral("1 cold and 0 warm")));

        // Where the init went: process, runtime and module load stacked, their p50 first.
        const auto& stats = view->stats();
        QVERIFY(stats.moduleMs >= 0 && stats.runtimeMs > 0 && stats.processMs >= 0);
        QVERIFY(stats.processMs + stats.runtimeMs + stats.moduleMs <= stats.initP50 + 0.001);
        auto* breakdown =
            qobject_cast<QAbstractBarSeries*>(view->breakdownChart()->chart()->series().front());
        QVERIFY(breakdown);
        QCOMPARE(breakdown->barSets().size(), 3);
        QCOMPARE(breakdown->barSets().at(0)->count(), 2);  // p50, and the one cold start
        QCOMPARE(breakdown->barSets().at(2)->at(0), stats.moduleMs);
        QVERIFY(view->summary()->text().contains(QStringLiteral("loading the handler's module")));
    }

    void keepsWarmAndSweepsMemory() {
        QTemporaryDir state;
        EngineConfig config;
        config.templatePath = FOGBANK_FIXTURES "/cold_start/template.yaml";
        config.edgePort = 0;
        config.httpPort = -1;
        config.stateDir = state.path().toStdString();
        auto* bridge = window_->bridge();
        bridge->openProject(config);
        QTRY_VERIFY_WITH_TIMEOUT(bridge->isOpen(), kOpenTimeoutMs);
        auto* view = window_->coldStartView();
        window_->viewTabs()->setCurrentWidget(view);

        const QString plain = bridge->findFunction(QStringLiteral("PyPlain"))->name;
        QVERIFY(view->selectFunction(plain));
        view->prewarmBox()->setValue(1);
        view->prewarmButton()->click();
        QTRY_VERIFY_WITH_TIMEOUT(
            (bridge->refreshSandboxCounts(), bridge->sandboxCounts().value(plain) == 1),
            kAnswerTimeoutMs);

        QVERIFY(view->selectFunction(bridge->findFunction(QStringLiteral("PyCpuBound"))->name));
        auto* sweep = view->sweepView();
        QSignalSpy shown(sweep, &fogbank::ui::MemorySweepView::sweepShown);
        sweep->memoryEdit()->setText(QStringLiteral("128, 1769"));
        sweep->eventEdit()->setText(QStringLiteral(R"({"n": 300000})"));
        sweep->runsBox()->setValue(1);
        QVERIFY(sweep->start());
        QVERIFY(!sweep->runButton()->isEnabled());
        QVERIFY(!sweep->start());  // one at a time
        QTRY_VERIFY_WITH_TIMEOUT(!shown.isEmpty(), kAnswerTimeoutMs);
        const auto& result = sweep->sweep();
        QVERIFY2(result.error.isEmpty(), qPrintable(result.error));
        QCOMPARE(result.rows.size(), 2);
        QVERIFY(result.rows[0].meanMs > result.rows[1].meanMs);
        QCOMPARE(result.fastest, 1);
        QCOMPARE(result.cheapest,
                 result.rows[0].costPerInvocation <= result.rows[1].costPerInvocation ? 0 : 1);
        QVERIFY2(sweep->verdict()->text().contains(QStringLiteral("Fastest:</b> 1769 MB")),
                 qPrintable(sweep->verdict()->text()));
        QVERIFY(sweep->runButton()->isEnabled());
        // Duration as bars, cost as a line, both against the sizes.
        const auto series = sweep->chart()->chart()->series();
        QCOMPARE(series.size(), 2);
        auto* bars = qobject_cast<QAbstractBarSeries*>(series.at(0));
        QVERIFY(bars);
        QCOMPARE(bars->barSets().front()->at(0), result.rows[0].meanMs);
        auto* cost = qobject_cast<QXYSeries*>(series.at(1));
        QVERIFY(cost);
        QCOMPARE(cost->at(1).y(), result.rows[1].costPerInvocation);

        sweep->memoryEdit()->setText(QStringLiteral("64"));
        QVERIFY(!sweep->start());
        bridge->closeProject();
    }
};

QTEST_MAIN(TestCostView)
#include "test_cost_view.moc"
