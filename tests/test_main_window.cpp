// The first window end to end (offscreen): open the runtime fixtures, pick NodeEcho, type an
// event, press Invoke, and see the row in the table and the echoed value in the response pane;
// then replay rows from the history table and compare the responses side by side.
#include "ui/compare_view.h"
#include "ui/engine_bridge.h"
#include "ui/event_editor.h"
#include "ui/history_table_model.h"
#include "ui/main_window.h"

#include <QDockWidget>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTableView>
#include <QTemporaryDir>
#include <QTreeWidget>
#include <QtTest>

#include <memory>

using fogbank::EngineConfig;
using fogbank::ui::CompareView;
using fogbank::ui::EventEditor;
using fogbank::ui::HistoryTableModel;
using fogbank::ui::MainWindow;

namespace {

constexpr int kOpenTimeoutMs = 30'000;
constexpr int kInvokeTimeoutMs = 60'000;

QTreeWidgetItem* itemNamed(QTreeWidget* tree, const QString& name) {
    for (int i = 0; i < tree->topLevelItemCount(); ++i) {
        if (tree->topLevelItem(i)->text(0) == name) return tree->topLevelItem(i);
    }
    return nullptr;
}

}  // namespace

class TestMainWindow : public QObject {
    Q_OBJECT

    // A fresh store per test: the table shows everything stored, not only this run's calls.
    std::unique_ptr<QTemporaryDir> stateDir_;

    EngineConfig fixtureConfig() const {
        EngineConfig config;
        config.templatePath = FOGBANK_FIXTURES "/functions/template.yaml";
        config.edgePort = 0;
        config.stateDir = stateDir_->path().toStdString();
        return config;
    }

    // Shows a window with the fixtures open and NodeEcho selected.
    static void openFixtures(MainWindow& window, const EngineConfig& config) {
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.bridge()->openProject(config);
        auto* tree = window.findChild<QTreeWidget*>(QStringLiteral("functionList"));
        QVERIFY(tree);
        QTRY_VERIFY_WITH_TIMEOUT(tree->topLevelItemCount() > 0 ||
                                     !window.findChild<QLabel*>(QStringLiteral("projectHint"))
                                          ->text()
                                          .contains(QStringLiteral("Opening")),
                                 kOpenTimeoutMs);
        QVERIFY2(window.bridge()->isOpen(),
                 qPrintable(window.findChild<QLabel*>(QStringLiteral("projectHint"))->text()));
        QTreeWidgetItem* echo = itemNamed(tree, QStringLiteral("NodeEcho"));
        QVERIFY(echo);
        tree->setCurrentItem(echo);
    }

  private slots:
    void init() {
        stateDir_ = std::make_unique<QTemporaryDir>();
        QVERIFY(stateDir_->isValid());
    }

    void editorNamesLineAndColumn() {
        EventEditor editor;
        editor.setText(QStringLiteral("{\n  \"a\": 1,\n  \"b\": \n}"));
        QVERIFY(!editor.isValid());
        QCOMPARE(editor.check().line, 4);
        QCOMPARE(editor.check().column, 1);
        auto* verdict = editor.findChild<QLabel*>(QStringLiteral("eventVerdict"));
        QVERIFY(verdict->text().startsWith(QStringLiteral("line 4, column 1: ")));

        editor.setText(QStringLiteral("{\"é\": tru}"));
        QVERIFY(!editor.isValid());
        QCOMPARE(editor.check().line, 1);
        // Columns count characters, not UTF-8 bytes: "é" is one.
        QCOMPARE(editor.check().column, 7);

        // Lambda events need not be objects.
        editor.setText(QStringLiteral("\"just a string\""));
        QVERIFY(editor.isValid());
        editor.setText(QStringLiteral("42"));
        QVERIFY(editor.isValid());
        editor.setText(QStringLiteral("1 2"));
        QVERIFY(!editor.isValid());
        editor.setText(QStringLiteral("  "));
        QVERIFY(editor.isValid());
    }

    void editorChecksAfterAPauseAndFormats() {
        EventEditor editor;
        editor.show();
        QVERIFY(QTest::qWaitForWindowExposed(&editor));
        QSignalSpy validity(&editor, &EventEditor::validityChanged);
        editor.textEdit()->selectAll();
        QTest::keyClicks(editor.textEdit(), QStringLiteral("{\"zeta\": 1, \"alpha\": [true"));
        QVERIFY(editor.isCheckPending());
        QTRY_VERIFY(!editor.isCheckPending());
        QVERIFY(!editor.isValid());
        QCOMPARE(validity.count(), 1);

        QTest::keyClicks(editor.textEdit(), QStringLiteral("]}"));
        QTRY_VERIFY(editor.isValid());
        editor.format();
        // Key order is the author's, not alphabetical.
        QCOMPARE(editor.text(),
                 QStringLiteral("{\n  \"zeta\": 1,\n  \"alpha\": [\n    true\n  ]\n}"));
    }

    void invokeShowsRowResponseAndLogs() {
        MainWindow window;
        openFixtures(window, fixtureConfig());
        if (QTest::currentTestFailed()) return;

        auto* editor = window.findChild<EventEditor*>(QStringLiteral("eventEditor"));
        auto* invoke = window.findChild<QPushButton*>(QStringLiteral("invokeButton"));
        auto* response = window.findChild<QPlainTextEdit*>(QStringLiteral("responseView"));
        auto* logs = window.findChild<QPlainTextEdit*>(QStringLiteral("logView"));
        auto* table = window.findChild<QTableView*>(QStringLiteral("invocationTable"));
        QVERIFY(editor && invoke && response && logs && table);

        editor->textEdit()->setFocus();
        editor->textEdit()->selectAll();
        QTest::keyClicks(editor->textEdit(), QStringLiteral("{\"greeting\": \"hello-window-7\"}"));
        QTRY_VERIFY(!editor->isCheckPending());
        QVERIFY2(editor->isValid(), qPrintable(editor->check().describe()));
        QVERIFY(invoke->isEnabled());
        QTest::mouseClick(invoke, Qt::LeftButton);

        QTRY_COMPARE_WITH_TIMEOUT(table->model()->rowCount(), 1, kInvokeTimeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(response->toPlainText().contains(QStringLiteral("hello-window-7")),
                                 kInvokeTimeoutMs);
        // Pretty-printed, not the handler's one-line JSON.
        QVERIFY(response->toPlainText().contains(QStringLiteral("\n  \"event\": {")));
        QVERIFY(logs->toPlainText().contains(QStringLiteral("START RequestId: ")));
        QVERIFY(logs->toPlainText().contains(QStringLiteral("REPORT RequestId: ")));
        const QModelIndex row = table->model()->index(0, HistoryTableModel::Function);
        QCOMPARE(row.data().toString(),
                 window.bridge()->findFunction(QStringLiteral("NodeEcho"))->name);
        QCOMPARE(table->model()->index(0, HistoryTableModel::Status).data().toString(),
                 QStringLiteral("OK"));
        QCOMPARE(table->model()->index(0, HistoryTableModel::ColdWarm).data().toString(),
                 QStringLiteral("cold"));
        QCOMPARE(table->model()->index(0, HistoryTableModel::TriggeredBy).data().toString(),
                 QStringLiteral("manual"));
        QVERIFY(table->model()
                    ->index(0, HistoryTableModel::CostUsd)
                    .data()
                    .toString()
                    .startsWith(QStringLiteral("$0.0000")));
        // The row of the invocation the panes show is the selected one.
        QTRY_COMPARE(table->currentIndex().row(), 0);

        // Ctrl+Return from the editor invokes again; the second run is warm, and newest first.
        editor->textEdit()->setFocus();
        QTest::keyClick(editor->textEdit(), Qt::Key_Return, Qt::ControlModifier);
        QTRY_COMPARE_WITH_TIMEOUT(table->model()->rowCount(), 2, kInvokeTimeoutMs);
        QCOMPARE(table->model()->index(0, HistoryTableModel::ColdWarm).data().toString(),
                 QStringLiteral("warm"));
        QCOMPARE(table->model()->index(1, HistoryTableModel::ColdWarm).data().toString(),
                 QStringLiteral("cold"));
        QTRY_COMPARE(table->currentIndex().row(), 0);
    }

    void errorsShowTheirTypeInRed() {
        MainWindow window;
        openFixtures(window, fixtureConfig());
        if (QTest::currentTestFailed()) return;
        QVERIFY(window.selectFunction(QStringLiteral("NodeThrow")));
        window.setEventText(QStringLiteral(R"({"field": "zip"})"));
        QVERIFY(window.invokeSelected() != 0);

        auto* status = window.findChild<QLabel*>(QStringLiteral("responseStatus"));
        auto* response = window.findChild<QPlainTextEdit*>(QStringLiteral("responseView"));
        QTRY_VERIFY_WITH_TIMEOUT(status->text().contains(QStringLiteral("ValidationError")),
                                 kInvokeTimeoutMs);
        QVERIFY(status->text().contains(QStringLiteral("#c62828")));
        QVERIFY(response->toPlainText().contains(QStringLiteral("bad input: zip")));
        QVERIFY(response->styleSheet().contains(QStringLiteral("#c62828")));
    }

    void selectingARowShowsThatInvocation() {
        MainWindow window;
        openFixtures(window, fixtureConfig());
        if (QTest::currentTestFailed()) return;
        auto* table = window.findChild<QTableView*>(QStringLiteral("invocationTable"));
        auto* response = window.findChild<QPlainTextEdit*>(QStringLiteral("responseView"));

        window.setEventText(QStringLiteral(R"({"n": "first-call"})"));
        QVERIFY(window.invokeSelected() != 0);
        QTRY_VERIFY_WITH_TIMEOUT(response->toPlainText().contains(QStringLiteral("first-call")),
                                 kInvokeTimeoutMs);
        window.setEventText(QStringLiteral(R"({"n": "second-call"})"));
        QVERIFY(window.invokeSelected() != 0);
        QTRY_VERIFY_WITH_TIMEOUT(response->toPlainText().contains(QStringLiteral("second-call")),
                                 kInvokeTimeoutMs);
        QTRY_COMPARE_WITH_TIMEOUT(table->model()->rowCount(), 2, kInvokeTimeoutMs);

        // Newest first: the first call is the second row. Its record is read off the window's
        // thread, so the pane follows a moment later.
        table->selectRow(1);
        QTRY_VERIFY_WITH_TIMEOUT(response->toPlainText().contains(QStringLiteral("first-call")),
                                 kInvokeTimeoutMs);
        QVERIFY(!response->toPlainText().contains(QStringLiteral("second-call")));
    }

    void historyOpensWithWhatTheStoreHolds() {
        {
            MainWindow first;
            openFixtures(first, fixtureConfig());
            if (QTest::currentTestFailed()) return;
            for (int n = 1; n <= 3; ++n) {
                first.setEventText(QStringLiteral(R"({"n": %1})").arg(n));
                QVERIFY(first.invokeSelected() != 0);
                QTRY_COMPARE_WITH_TIMEOUT(first.historyModel()->rowCount(), n, kInvokeTimeoutMs);
            }
            QVERIFY(first.selectFunction(QStringLiteral("PyEcho")));
            first.setEventText(QStringLiteral("{}"));
            QVERIFY(first.invokeSelected() != 0);
            QTRY_COMPARE_WITH_TIMEOUT(first.historyModel()->rowCount(), 4, kInvokeTimeoutMs);
        }
        // A new window over the same state dir opens with the four rows, before anything runs.
        MainWindow window;
        openFixtures(window, fixtureConfig());
        if (QTest::currentTestFailed()) return;
        auto* table = window.findChild<QTableView*>(QStringLiteral("invocationTable"));
        QTRY_COMPARE_WITH_TIMEOUT(table->model()->rowCount(), 4, kOpenTimeoutMs);
        auto* title = window.findChild<QLabel*>(QStringLiteral("historyTitle"));
        QVERIFY2(title->text().contains(QStringLiteral("(4)")), qPrintable(title->text()));

        // The filter box: only NodeEcho's three, after the pause in typing.
        auto* filter = window.findChild<QLineEdit*>(QStringLiteral("functionFilter"));
        QVERIFY(filter);
        QTest::keyClicks(filter, QStringLiteral("nodeec"));
        QCOMPARE(table->model()->rowCount(), 4);
        QTRY_COMPARE_WITH_TIMEOUT(table->model()->rowCount(), 3, kOpenTimeoutMs);
        const QString echo = window.bridge()->findFunction(QStringLiteral("NodeEcho"))->name;
        for (int row = 0; row < 3; ++row) {
            QTRY_COMPARE(table->model()->index(row, HistoryTableModel::Function).data().toString(),
                         echo);
        }
        window.setFunctionFilter(QStringLiteral("no-such-function"));
        QCOMPARE(table->model()->rowCount(), 0);
        window.setFunctionFilter(QString());
        QTRY_COMPARE_WITH_TIMEOUT(table->model()->rowCount(), 4, kOpenTimeoutMs);
    }

    void replayComparesOldAndNewResponses() {
        MainWindow window;
        openFixtures(window, fixtureConfig());
        if (QTest::currentTestFailed()) return;
        auto* table = window.findChild<QTableView*>(QStringLiteral("invocationTable"));
        auto* replay = window.findChild<QPushButton*>(QStringLiteral("replayButton"));
        QVERIFY(table && replay);

        window.setEventText(QStringLiteral(R"({"greeting": "replay-me"})"));
        QVERIFY(window.invokeSelected() != 0);
        QTRY_COMPARE_WITH_TIMEOUT(table->model()->rowCount(), 1, kInvokeTimeoutMs);
        window.setEventText(QStringLiteral(R"({"greeting": "and-me"})"));
        QVERIFY(window.invokeSelected() != 0);
        QTRY_COMPARE_WITH_TIMEOUT(table->model()->rowCount(), 2, kInvokeTimeoutMs);
        QTRY_VERIFY(table->model()->index(1, 0).data(HistoryTableModel::LoadedRole).toBool());
        const QString first =
            table->model()->index(1, 0).data(HistoryTableModel::RequestIdRole).toString();

        // Both rows, then the button.
        table->selectAll();
        QTRY_VERIFY(replay->isEnabled());
        QTest::mouseClick(replay, Qt::LeftButton);

        auto* compare = window.compareView();
        QVERIFY(compare);
        QTRY_VERIFY(compare->isVisible());
        QCOMPARE(compare->count(), 2);
        QTRY_VERIFY_WITH_TIMEOUT(
            compare->comparison(0).finished() && compare->comparison(1).finished(),
            kInvokeTimeoutMs);
        // Oldest first, as they happened; each with its own recorded event.
        const CompareView::Comparison& old = compare->comparison(0);
        QCOMPARE(old.original.requestId, first);
        QVERIFY2(old.replayed.has_value(), qPrintable(old.failure));
        QCOMPARE(old.replayed->trigger, QStringLiteral("replay"));
        QVERIFY(old.replayed->requestId != first);
        QVERIFY(old.replayed->payload.contains(QStringLiteral("replay-me")));
        QVERIFY(compare->comparison(1).replayed->payload.contains(QStringLiteral("and-me")));

        // Side by side: the same event both sides, a new request id on the right, the lines that
        // differ highlighted and named.
        compare->setCurrentIndex(0);
        QVERIFY(compare->oldView()->toPlainText().contains(
            QStringLiteral(R"("greeting": "replay-me")")));
        QVERIFY(compare->newView()->toPlainText().contains(
            QStringLiteral(R"("greeting": "replay-me")")));
        QVERIFY(compare->newView()->toPlainText().contains(old.replayed->requestId));
        QCOMPARE(compare->oldView()->document()->blockCount(),
                 compare->newView()->document()->blockCount());
        QVERIFY(old.differingLines > 0);
        QVERIFY(!old.identical());
        QVERIFY(!compare->oldView()->extraSelections().isEmpty());
        QCOMPARE(compare->oldView()->extraSelections().size(), old.differingLines);
        QVERIFY2(compare->changesView()->toPlainText().contains(
                     QStringLiteral("$.context.awsRequestId")),
                 qPrintable(compare->changesView()->toPlainText()));
        QVERIFY(!compare->changesView()->toPlainText().contains(QStringLiteral("$.event")));
        QVERIFY(compare->list()->item(0)->text().contains(QStringLiteral("difference")));

        // The replays are history too, newest first, marked as replays.
        QTRY_COMPARE_WITH_TIMEOUT(table->model()->rowCount(), 4, kInvokeTimeoutMs);
        QCOMPARE(table->model()->index(0, HistoryTableModel::TriggeredBy).data().toString(),
                 QStringLiteral("replay"));
        QCOMPARE(table->model()->index(1, HistoryTableModel::TriggeredBy).data().toString(),
                 QStringLiteral("replay"));
    }

    void brokenTemplateShowsTheErrorInTheWindow() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QFile file(dir.filePath(QStringLiteral("template.yaml")));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("Resources:\n  Fn: [unclosed\n");
        file.close();

        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        EngineConfig config = fixtureConfig();
        config.templatePath = file.fileName().toStdString();
        QSignalSpy failed(window.bridge(), &fogbank::ui::EngineBridge::projectFailed);
        window.bridge()->openProject(config);
        QVERIFY(failed.wait(kOpenTimeoutMs));
        auto* hint = window.findChild<QLabel*>(QStringLiteral("projectHint"));
        QVERIFY(hint->isVisible());
        QVERIFY2(hint->text().contains(QStringLiteral("template.yaml:")), qPrintable(hint->text()));
        QVERIFY(!window.findChild<QPushButton*>(QStringLiteral("invokeButton"))->isEnabled());
    }
};

QTEST_MAIN(TestMainWindow)
#include "test_main_window.moc"
