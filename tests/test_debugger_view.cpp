// The Debugger tab over the engine's debugger and real handlers (tests/fixtures/debug), once in
// Node.js and once in Python: a click in the gutter sets a breakpoint, Debug sends an event, the
// view stops on that line with the arrow on it, the call stack and the handler's locals; an
// expression is evaluated in the frame, F10 steps to the next line, F5 lets the invocation finish
// with the handler's real answer, its log in the view. Then "stop on the first line" and Shift+F5,
// which leaves the debugger and lets the invocation run on.
#include "ui/debugger_view.h"
#include "ui/engine_bridge.h"
#include "ui/main_window.h"
#include "ui/source_view.h"
#include "ui/variables_model.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTreeView>
#include <QtTest>

#include <spdlog/spdlog.h>

#include <memory>

using fogbank::EngineConfig;
using fogbank::ui::DebugCommand;
using fogbank::ui::DebuggerView;
using fogbank::ui::EngineBridge;
using fogbank::ui::InvocationRecord;
using fogbank::ui::MainWindow;
using fogbank::ui::VariablesModel;

namespace {
constexpr int kOpenTimeoutMs = 30'000;
// A cold debug sandbox: a runtime started under its debugger and attached to.
constexpr int kStopTimeoutMs = 90'000;
}  // namespace

class TestDebuggerView : public QObject {
    Q_OBJECT
    QTemporaryDir state_;
    std::unique_ptr<MainWindow> window_;

    DebuggerView* view() const { return window_->debuggerView(); }

    bool node() const { return QTest::currentDataTag() == QByteArray("node"); }
    QString function() const { return node() ? "NodeDebug" : "PyDebug"; }
    QString appFile() const { return node() ? "app.js" : "app.py"; }

    // The value the stopped frame's first fetched scope shows for `name`, or a null string.
    QString local(const QString& name) const {
        const VariablesModel* m = view()->variablesModel();
        for (int s = 0; s < m->rowCount(); ++s) {
            const QModelIndex scope = m->index(s, 0);
            for (int r = 0; r < m->rowCount(scope); ++r)
                if (m->index(r, VariablesModel::Name, scope).data().toString() == name)
                    return m->index(r, VariablesModel::Value, scope).data().toString();
        }
        return {};
    }

    void press(int key, Qt::KeyboardModifiers modifiers = Qt::NoModifier) {
        view()->sourceView()->setFocus();
        QTRY_VERIFY(view()->sourceView()->hasFocus());
        QTest::keyClick(view()->sourceView(), static_cast<Qt::Key>(key), modifiers);
    }

  private slots:
    // A failed check must not leave a handler paused for the next row.
    void cleanup() {
        if (!view()) return;
        for (int i = 0; i < 10 && view()->currentSession() != 0; ++i) {
            view()->command(DebugCommand::Stop);
            QTest::qWait(500);
        }
    }

    void initTestCase() {
        spdlog::set_level(spdlog::level::warn);
        QVERIFY(state_.isValid());
        window_ = std::make_unique<MainWindow>();
        window_->resize(1300, 850);
        window_->show();
        QVERIFY(QTest::qWaitForWindowExposed(window_.get()));
        EngineConfig config;
        config.templatePath = FOGBANK_FIXTURES "/debug/template.yaml";
        config.edgePort = 0;
        config.httpPort = 0;
        config.python = "/usr/bin/python3";
        config.stateDir = state_.path().toStdString();
        window_->bridge()->openProject(config);
        QTRY_VERIFY_WITH_TIMEOUT(window_->bridge()->isOpen(), kOpenTimeoutMs);
        window_->viewTabs()->setCurrentWidget(view());
        window_->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(window_.get()));
    }

    void stopsOnAGutterBreakpoint_data() {
        QTest::addColumn<int>("unused");
        QTest::newRow("node") << 0;
        QTest::newRow("python") << 1;
    }
    void stopsOnAGutterBreakpoint() {
        DebuggerView* v = view();
        QVERIFY(v->selectFunction(function()));
        auto* source = v->sourceView();
        QVERIFY2(
            source->file().endsWith("/debug/" + QString(node() ? "node/" : "python/") + appFile()),
            qPrintable(source->file()));
        QVERIFY(source->toPlainText().contains("shout(name)"));

        // A click on line 13's gutter: a hollow dot until a session places it.
        const QRect line13 = source->gutterRectFor(13);
        QVERIFY(line13.isValid());
        QCOMPARE(source->lineAt(line13.center().y()), 13);
        QTest::mouseClick(source->gutter(), Qt::LeftButton, {}, line13.center());
        QVERIFY(source->marks().contains(13));

        QSignalSpy stops(v, &DebuggerView::stopShown);
        QSignalSpy finished(window_->bridge(), &EngineBridge::invocationFinished);
        v->setEventText(R"({"name": "fogbank", "count": 3})");
        QTest::mouseClick(v->findChild<QPushButton*>("debugInvoke"), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(stops.count(), 1, kStopTimeoutMs);

        QVERIFY(v->isStopped());
        QCOMPARE(v->currentStop()->reason, QStringLiteral("breakpoint"));
        QCOMPARE(source->currentLine(), 13);
        QCOMPARE(stops.at(0).at(2).toInt(), 13);
        QVERIFY2(v->statusLabel()->text().contains(appFile() + ":13"),
                 qPrintable(v->statusLabel()->text()));
        QTRY_VERIFY_WITH_TIMEOUT(source->marks().value(13).verified, kStopTimeoutMs);
        QVERIFY(v->callStack()->count() >= 1);
        QVERIFY(v->callStack()->item(0)->text().contains(appFile() + ":13"));
        // The locals, fetched as the tree opens its first scope.
        QTRY_VERIFY_WITH_TIMEOUT(local("name").contains("fogbank"), kStopTimeoutMs);
        QCOMPARE(local("count"), QStringLiteral("3"));

        // Evaluate in the frame, with Enter in the box.
        QSignalSpy evaluated(v, &DebuggerView::evaluated);
        v->evaluateBox()->setText(node() ? "name.toUpperCase() + count"
                                         : "name.upper() + str(count)");
        QTest::keyClick(v->evaluateBox(), Qt::Key_Return);
        QTRY_COMPARE_WITH_TIMEOUT(evaluated.count(), 1, kStopTimeoutMs);
        QVERIFY2(evaluated.at(0).at(1).toString().contains("FOGBANK3"),
                 qPrintable(evaluated.at(0).at(1).toString() + evaluated.at(0).at(2).toString()));
        QVERIFY(v->evaluateResults()->item(0)->text().contains("FOGBANK3"));
        // The README's picture of the tab, when asked for (FOGBANK_SCREENSHOT_DIR).
        if (const QString dir = qEnvironmentVariable("FOGBANK_SCREENSHOT_DIR"); !dir.isEmpty()) {
            QTest::qWait(300);
            QVERIFY(
                window_->grab().save(dir + "/studio-debugger-" + QTest::currentDataTag() + ".png"));
        }

        // F10: over shout() to line 14, where message is known.
        press(Qt::Key_F10);
        QTRY_COMPARE_WITH_TIMEOUT(stops.count(), 2, kStopTimeoutMs);
        QCOMPARE(source->currentLine(), 14);
        QTRY_VERIFY_WITH_TIMEOUT(local("message").contains("Hello, FOGBANK!"), kStopTimeoutMs);

        // F5: run to the end; the handler's own answer comes back.
        press(Qt::Key_F5);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kStopTimeoutMs);
        const auto record = finished.at(0).at(0).value<InvocationRecord>();
        QVERIFY2(record.ok(), qPrintable(record.payload));
        QVERIFY(record.payload.contains("Hello, FOGBANK!"));
        QTRY_VERIFY(!v->isStopped());
        QCOMPARE(source->currentLine(), 0);
        QTRY_VERIFY(v->logView()->toPlainText().contains("finished"));

        // The breakpoint goes with a second click, for the next row's runtime to start clean.
        QTest::mouseClick(source->gutter(), Qt::LeftButton, {}, source->gutterRectFor(13).center());
        QVERIFY(!source->marks().contains(13));
        // The session stays, idle: the sandbox is kept warm for the next debug invocation.
        QTRY_VERIFY2(v->findChild<QComboBox*>("debugSessions")->currentText().contains("idle"),
                     qPrintable(v->findChild<QComboBox*>("debugSessions")->currentText()));
        QVERIFY(!v->action(DebugCommand::Pause)->isEnabled());
    }

    void stopsOnEntryAndLetsGo_data() { stopsOnAGutterBreakpoint_data(); }
    void stopsOnEntryAndLetsGo() {
        DebuggerView* v = view();
        QVERIFY(v->selectFunction(function()));
        QSignalSpy stops(v, &DebuggerView::stopShown);
        QSignalSpy finished(window_->bridge(), &EngineBridge::invocationFinished);
        v->findChild<QCheckBox*>()->setChecked(true);
        v->setEventText(R"({"name": "entry"})");
        QVERIFY(v->debugInvoke() != 0);
        QTRY_COMPARE_WITH_TIMEOUT(stops.count(), 1, kStopTimeoutMs);
        QCOMPARE(v->currentStop()->reason, QStringLiteral("entry"));
        QCOMPARE(v->sourceView()->currentLine(), 11);  // the handler's first line
        QVERIFY(v->action(DebugCommand::StepOver)->isEnabled());

        // Shift+F5 leaves the debugger; the invocation is not failed for it.
        press(Qt::Key_F5, Qt::ShiftModifier);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kStopTimeoutMs);
        const auto record = finished.at(0).at(0).value<InvocationRecord>();
        QVERIFY2(record.ok(), qPrintable(record.payload));
        QVERIFY(record.payload.contains("Hello, ENTRY!"));
        QTRY_COMPARE_WITH_TIMEOUT(v->currentSession(), 0, kStopTimeoutMs);
        QVERIFY(!v->action(DebugCommand::StepOver)->isEnabled());
        v->findChild<QCheckBox*>()->setChecked(false);
    }
};

QTEST_MAIN(TestDebuggerView)
#include "test_debugger_view.moc"
