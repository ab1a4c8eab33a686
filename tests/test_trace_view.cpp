// The Traces tab over a real trace: traces-caller (Python, boto3) invokes traces-callee through
// the Invoke API once asynchronously and once synchronously. The window must list that one trace,
// draw it as a tree of five spans with the calls under the caller and each callee invocation under
// the call that caused it, show a chosen span's timings and event, and open on it from the
// invocation table.
#include "ui/engine_bridge.h"
#include "ui/history_table_model.h"
#include "ui/invocation_detail_panel.h"
#include "ui/main_window.h"
#include "ui/trace_list_model.h"
#include "ui/trace_view.h"
#include "ui/trace_waterfall_model.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QPlainTextEdit>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTreeView>
#include <QtTest>

#include <spdlog/spdlog.h>

using fogbank::EngineConfig;
using fogbank::ui::HistoryTableModel;
using fogbank::ui::MainWindow;
using fogbank::ui::TraceListModel;
using fogbank::ui::TraceView;
using fogbank::ui::TraceWaterfallModel;

namespace {

constexpr int kOpenTimeoutMs = 30'000;
constexpr int kInvokeTimeoutMs = 120'000;

QString text(const QModelIndex& index, int column) {
    return index.sibling(index.row(), column).data().toString();
}

}  // namespace

class TestTraceView : public QObject {
    Q_OBJECT

    QTemporaryDir state_;
    std::unique_ptr<MainWindow> window_;
    QString callerRequest_;

    TraceView* view() const { return window_->traceView(); }
    TraceWaterfallModel* waterfall() const { return view()->waterfallModel(); }

  private slots:
    void initTestCase() {
        spdlog::set_level(spdlog::level::warn);
        QProcess check;
        check.start(QStringLiteral("/usr/bin/python3"),
                    {QStringLiteral("-c"), QStringLiteral("import boto3")});
        if (!check.waitForFinished(30'000) || check.exitCode() != 0)
            QSKIP("no boto3 for /usr/bin/python3 (python3-boto3)");
        QVERIFY(state_.isValid());

        window_ = std::make_unique<MainWindow>();
        new QAbstractItemModelTester(view()->listModel(),
                                     QAbstractItemModelTester::FailureReportingMode::QtTest,
                                     window_.get());
        new QAbstractItemModelTester(
            waterfall(), QAbstractItemModelTester::FailureReportingMode::QtTest, window_.get());
        window_->show();
        QVERIFY(QTest::qWaitForWindowExposed(window_.get()));
        EngineConfig config;
        config.templatePath = FOGBANK_FIXTURES "/traces/template.yaml";
        config.edgePort = 0;
        config.stateDir = state_.path().toStdString();
        window_->bridge()->openProject(config);
        QTRY_VERIFY_WITH_TIMEOUT(window_->bridge()->isOpen(), kOpenTimeoutMs);

        QVERIFY(window_->selectFunction(QStringLiteral("traces-caller")));
        window_->setEventText(QStringLiteral("{\"from\": \"the trace view test\"}"));
        QSignalSpy returned(window_->bridge(), &fogbank::ui::EngineBridge::invokeReturned);
        QVERIFY(window_->invokeSelected() != 0);
        QTRY_VERIFY_WITH_TIMEOUT(!returned.isEmpty(), kInvokeTimeoutMs);
        const auto record = returned.first().at(1).value<fogbank::ui::InvocationRecord>();
        QVERIFY2(record.ok(), qPrintable(record.payload));
        callerRequest_ = record.requestId;
        // The asynchronous callee finishes on its own time; the trace is whole with it.
        QTRY_VERIFY_WITH_TIMEOUT(view()->listModel()->rowCount() == 1 &&
                                     view()->listModel()->traceAt(0)->invocations == 3,
                                 kInvokeTimeoutMs);
    }

    // One trace, entered at the caller, with three invocations and two calls.
    void listShowsTheTrace() {
        const auto* trace = view()->listModel()->traceAt(0);
        QVERIFY(trace);
        QCOMPARE(QString::fromStdString(trace->rootFunction), QStringLiteral("traces-caller"));
        QCOMPARE(trace->spans, 2);
        QCOMPARE(trace->errors, 0);
        const QModelIndex row = view()->listModel()->index(0, TraceListModel::RootFunction);
        QCOMPARE(row.data().toString(), QStringLiteral("traces-caller"));

        // Filtered to the callee the trace is still there (it ran in it); the filter's list
        // holds the project's functions.
        auto* filter = view()->findChild<QComboBox*>(QStringLiteral("traceFunctionFilter"));
        QVERIFY(filter);
        QCOMPARE(filter->count(), 3);
        QSignalSpy loaded(view(), &TraceView::traceListLoaded);
        view()->setFunctionFilter(QStringLiteral("traces-callee"));
        QTRY_VERIFY_WITH_TIMEOUT(!loaded.isEmpty(), 10'000);
        QCOMPARE(view()->listModel()->rowCount(), 1);
        loaded.clear();
        view()->setFunctionFilter({});
        QTRY_VERIFY_WITH_TIMEOUT(!loaded.isEmpty(), 10'000);
        QCOMPARE(view()->listModel()->rowCount(), 1);
    }

    // The newest trace opens by itself; its waterfall is caller > call > callee, twice.
    void waterfallNestsCallsUnderTheirCaller() {
        // Read again as the trace grew: the callee's asynchronous run may have been stored first.
        QTRY_VERIFY_WITH_TIMEOUT(waterfall()->tree() && waterfall()->tree()->nodes.size() == 5,
                                 10'000);
        QCOMPARE(waterfall()->rowCount(), 1);
        const QModelIndex caller = waterfall()->index(0, TraceWaterfallModel::Name);
        QCOMPARE(caller.data().toString(), QStringLiteral("traces-caller"));
        QVERIFY(caller.data(TraceWaterfallModel::IsInvocationRole).toBool());
        QCOMPARE(caller.data(TraceWaterfallModel::RequestIdRole).toString(), callerRequest_);
        QCOMPARE(caller.data(TraceWaterfallModel::OffsetMsRole).toDouble(), 0.0);
        // A cold start: its init is the head of the caller's bar.
        QVERIFY(text(caller, TraceWaterfallModel::Status).contains(QStringLiteral("cold")));
        QVERIFY(caller.data(TraceWaterfallModel::InitMsRole).toDouble() > 0);
        const double traceMs = caller.data(TraceWaterfallModel::TraceMsRole).toDouble();
        QVERIFY(traceMs >= caller.data(TraceWaterfallModel::DurationMsRole).toDouble());

        QCOMPARE(waterfall()->rowCount(caller), 2);
        QStringList statuses;
        for (int r = 0; r < 2; ++r) {
            const QModelIndex call = waterfall()->index(r, 0, caller);
            QCOMPARE(call.data().toString(), QStringLiteral("lambda.Invoke traces-callee"));
            QVERIFY(!call.data(TraceWaterfallModel::IsInvocationRole).toBool());
            statuses << text(call, TraceWaterfallModel::Status);
            // Inside the caller's time, after the caller started.
            const double offset = call.data(TraceWaterfallModel::OffsetMsRole).toDouble();
            QVERIFY(offset > 0 &&
                    offset < caller.data(TraceWaterfallModel::DurationMsRole).toDouble());
            QCOMPARE(waterfall()->rowCount(call), 1);
            const QModelIndex callee = waterfall()->index(0, 0, call);
            QCOMPARE(callee.data().toString(), QStringLiteral("traces-callee"));
            QVERIFY(callee.data(TraceWaterfallModel::IsInvocationRole).toBool());
            QCOMPARE(waterfall()->parent(callee), call.siblingAtColumn(0));
            QCOMPARE(waterfall()->rowCount(callee), 0);
        }
        // The asynchronous call is answered 202 before the callee runs, the synchronous one 200.
        statuses.sort();
        QCOMPARE(statuses, QStringList({QStringLiteral("200"), QStringLiteral("202")}));

        // The tree is drawn expanded, bars and all, without a failure.
        QVERIFY(view()->waterfallView()->isExpanded(caller));
        QVERIFY(!view()->waterfallView()->grab().isNull());
    }

    // Choosing a span shows its timings; an invocation also its event and response.
    void clickingASpanShowsIt() {
        const QModelIndex caller = waterfall()->index(0, 0);
        const QModelIndex call = waterfall()->index(0, 0, caller);
        const QModelIndex callee = waterfall()->index(0, 0, call);

        QSignalSpy shown(view(), &TraceView::spanShown);
        view()->waterfallView()->setCurrentIndex(callee);
        QVERIFY(!shown.isEmpty());
        const QString summary = view()->spanSummary()->toPlainText();
        QVERIFY2(summary.contains(QStringLiteral("traces-callee")), qPrintable(summary));
        QVERIFY2(summary.contains(callee.data(TraceWaterfallModel::RequestIdRole).toString()),
                 qPrintable(summary));
        // The event the caller sent it through boto3.
        QVERIFY2(view()->spanEvent()->toPlainText().contains(QStringLiteral("\"via\"")),
                 qPrintable(view()->spanEvent()->toPlainText()));
        QVERIFY(view()->spanDetail()->isTabEnabled(1));

        view()->waterfallView()->setCurrentIndex(call);
        const QString callSummary = view()->spanSummary()->toPlainText();
        QVERIFY2(callSummary.contains(QStringLiteral("Invoke")), qPrintable(callSummary));
        QVERIFY2(callSummary.contains(QStringLiteral("lambda")), qPrintable(callSummary));
        QVERIFY(!view()->spanDetail()->isTabEnabled(1));

        view()->waterfallView()->setCurrentIndex(caller);
        QVERIFY(view()->spanEvent()->toPlainText().contains(QStringLiteral("the trace view test")));
        const QString response = view()->spanInvocation()->responseView()->toPlainText();
        QVERIFY2(response.contains(QStringLiteral("\"syncStatus\": 200")), qPrintable(response));
    }

    // A double click on a callee's row in the invocation table opens its trace with its span
    // chosen.
    void historyRowOpensItsTrace() {
        auto* table = window_->findChild<QTableView*>(QStringLiteral("invocationTable"));
        QVERIFY(table);
        HistoryTableModel* history = window_->historyModel();
        QTRY_VERIFY_WITH_TIMEOUT(
            history->rowCount() == 3 && history->isRowLoaded(0) && history->isRowLoaded(2), 10'000);
        int calleeRow = -1;
        for (int r = 0; r < history->rowCount(); ++r)
            if (history->index(r, 0).data(HistoryTableModel::FunctionNameRole).toString() ==
                QStringLiteral("traces-callee"))
                calleeRow = r;
        QVERIFY(calleeRow >= 0);
        const QModelIndex row = history->index(calleeRow, HistoryTableModel::Function);
        const QString request = row.data(HistoryTableModel::RequestIdRole).toString();
        QCOMPARE(row.data(HistoryTableModel::TraceRootRole).toString(), view()->shownTrace());

        window_->viewTabs()->setCurrentIndex(0);
        QSignalSpy shown(view(), &TraceView::spanShown);
        emit table->doubleClicked(row);
        QCOMPARE(window_->viewTabs()->currentWidget(), view());
        QTRY_VERIFY_WITH_TIMEOUT(!shown.isEmpty(), 10'000);
        const QModelIndex current = view()->waterfallView()->currentIndex();
        QCOMPARE(current.data(TraceWaterfallModel::RequestIdRole).toString(), request);
    }

    // The list follows new traces until the user picks an older one; then it stays put.
    void followsNewestUntilAPick() {
        auto invokeCaller = [this] {
            QSignalSpy returned(window_->bridge(), &fogbank::ui::EngineBridge::invokeReturned);
            window_->viewTabs()->setCurrentIndex(0);
            QVERIFY(window_->selectFunction(QStringLiteral("traces-caller")));
            QVERIFY(window_->invokeSelected() != 0);
            QTRY_VERIFY_WITH_TIMEOUT(!returned.isEmpty(), kInvokeTimeoutMs);
        };
        QTableView* table = view()->traceTable();
        const auto click = [table](int row) {
            const QRect cell = table->visualRect(table->model()->index(row, 0));
            QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, cell.center());
        };
        click(0);
        const int before = view()->listModel()->rowCount();
        invokeCaller();
        if (QTest::currentTestFailed()) return;
        QTRY_VERIFY_WITH_TIMEOUT(view()->listModel()->rowCount() == before + 1, kInvokeTimeoutMs);
        const QString newest =
            view()->listModel()->index(0, 0).data(TraceListModel::TraceIdRole).toString();
        QTRY_COMPARE_WITH_TIMEOUT(view()->shownTrace(), newest, 10'000);

        click(1);
        const QString picked =
            view()->listModel()->index(1, 0).data(TraceListModel::TraceIdRole).toString();
        QCOMPARE(view()->shownTrace(), picked);
        invokeCaller();
        if (QTest::currentTestFailed()) return;
        QTRY_VERIFY_WITH_TIMEOUT(view()->listModel()->rowCount() == before + 2, kInvokeTimeoutMs);
        QCOMPARE(view()->shownTrace(), picked);
        QCOMPARE(
            table->selectionModel()->currentIndex().data(TraceListModel::TraceIdRole).toString(),
            picked);
    }

    void cleanupTestCase() { window_.reset(); }
};

QTEST_MAIN(TestTraceView)
#include "test_trace_view.moc"
