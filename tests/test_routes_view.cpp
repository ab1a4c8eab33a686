// The APIs tab over a real engine: tests/fixtures/http_api's routes listed in API Gateway's
// matching order, a route chosen into the composer, and real requests sent from it to the
// routes' port reaching real Node and Python handlers — the answer's status, headers and body
// shown as they came, a throwing handler's 502, and a malformed header line refused with its line.
#include "ui/engine_bridge.h"
#include "ui/main_window.h"
#include "ui/route_table_model.h"
#include "ui/routes_view.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

#include <spdlog/spdlog.h>

using fogbank::EngineConfig;
using fogbank::ui::MainWindow;
using fogbank::ui::RoutesView;
using fogbank::ui::RouteTableModel;

namespace {

constexpr int kOpenTimeoutMs = 30'000;
constexpr int kAnswerTimeoutMs = 30'000;

}  // namespace

class TestRoutesView : public QObject {
    Q_OBJECT

    QTemporaryDir state_;
    std::unique_ptr<MainWindow> window_;

    RoutesView* view() const { return window_->routesView(); }
    RouteTableModel* routes() const { return view()->routeModel(); }

    int rowOf(const QString& method, const QString& path) const {
        for (int row = 0; row < routes()->rowCount(); ++row)
            if (routes()->route(row)->method == method && routes()->route(row)->path == path)
                return row;
        return -1;
    }

    // Sends what the composer holds and waits for the status line to show an answer.
    QString sendAndWait() {
        QSignalSpy answered(window_->bridge(), &fogbank::ui::EngineBridge::httpExchanged);
        view()->sendButton()->click();
        if (!answered.wait(kAnswerTimeoutMs) && answered.isEmpty()) return QStringLiteral("none");
        return view()->statusLabel()->text();
    }

  private slots:
    void initTestCase() {
        spdlog::set_level(spdlog::level::warn);
        QVERIFY(state_.isValid());
        window_ = std::make_unique<MainWindow>();
        new QAbstractItemModelTester(
            routes(), QAbstractItemModelTester::FailureReportingMode::QtTest, window_.get());
        window_->resize(1300, 850);
        window_->show();
        QVERIFY(QTest::qWaitForWindowExposed(window_.get()));
        EngineConfig config;
        config.templatePath = FOGBANK_FIXTURES "/http_api/template.yaml";
        config.edgePort = 0;
        config.httpPort = 0;
        config.python = "/usr/bin/python3";
        config.stateDir = state_.path().toStdString();
        window_->bridge()->openProject(config);
        QTRY_VERIFY_WITH_TIMEOUT(window_->bridge()->isOpen(), kOpenTimeoutMs);
        window_->viewTabs()->setCurrentWidget(view());
    }

    void listsRoutesInMatchingOrder() {
        QVERIFY(window_->bridge()->httpPort() != 0);
        QCOMPARE(routes()->rowCount(), window_->bridge()->routes().size());
        const int literal = rowOf(QStringLiteral("GET"), QStringLiteral("/items/special"));
        const int param = rowOf(QStringLiteral("GET"), QStringLiteral("/items/{id}"));
        const int greedy = rowOf(QStringLiteral("ANY"), QStringLiteral("/files/{proxy+}"));
        QVERIFY(literal >= 0 && param >= 0 && greedy >= 0);
        // A literal segment beats a parameter.
        QVERIFY2(literal < param, qPrintable(QStringLiteral("%1 %2").arg(literal).arg(param)));
        // The clashing /items/{itemId} is not served, so it is not listed.
        QCOMPARE(rowOf(QStringLiteral("GET"), QStringLiteral("/items/{itemId}")), -1);
        QCOMPARE(routes()->index(param, RouteTableModel::FunctionColumn).data().toString(),
                 QStringLiteral("NodeEcho"));
    }

    void choosingARouteFillsTheComposer() {
        view()->routeTable()->selectRow(
            rowOf(QStringLiteral("GET"), QStringLiteral("/items/{id}")));
        QCOMPARE(view()->methodBox()->currentText(), QStringLiteral("GET"));
        QCOMPARE(view()->pathEdit()->text(), QStringLiteral("/items/{id}"));
        QCOMPARE(view()->pathEdit()->selectedText(), QStringLiteral("{id}"));
        view()->routeTable()->selectRow(
            rowOf(QStringLiteral("ANY"), QStringLiteral("/files/{proxy+}")));
        QCOMPARE(view()->methodBox()->currentText(), QStringLiteral("GET"));
    }

    void sendsARealRequestAndShowsTheAnswer() {
        view()->methodBox()->setCurrentText(QStringLiteral("GET"));
        view()->pathEdit()->setText(QStringLiteral("/items/42?color=red&color=blue"));
        view()->headersEdit()->setPlainText(QStringLiteral("X-Custom: from the window\n"));
        const QString status = sendAndWait();
        QVERIFY2(status.contains(QStringLiteral("200")), qPrintable(status));
        const QString response = view()->responseView()->toPlainText();
        QVERIFY2(response.contains(QStringLiteral("X-Handler: node")), qPrintable(response));
        // The body is the event API Gateway's payload 1.0 gave the handler, pretty-printed.
        QVERIFY2(response.contains(QStringLiteral("\"id\": \"42\"")), qPrintable(response));
        QVERIFY2(response.contains(QStringLiteral("from the window")), qPrintable(response));
        QVERIFY2(response.contains(QStringLiteral("\"red\",")), qPrintable(response));
    }

    void postsABodyToPython() {
        view()->methodBox()->setCurrentText(QStringLiteral("POST"));
        view()->pathEdit()->setText(QStringLiteral("/admin/users/7"));
        view()->headersEdit()->setPlainText(QStringLiteral("Content-Type: application/json"));
        view()->bodyEdit()->setPlainText(QStringLiteral(R"({"name":"Ada"})"));
        const QString status = sendAndWait();
        QVERIFY2(status.contains(QStringLiteral("200")), qPrintable(status));
        const QString response = view()->responseView()->toPlainText();
        QVERIFY2(response.contains(QStringLiteral("\"userId\": \"7\"")), qPrintable(response));
        QVERIFY2(response.contains(QStringLiteral(R"(\"name\":\"Ada\")")), qPrintable(response));
    }

    void aThrowingHandlerIsA502() {
        view()->methodBox()->setCurrentText(QStringLiteral("GET"));
        view()->pathEdit()->setText(QStringLiteral("/boom"));
        view()->headersEdit()->clear();
        view()->bodyEdit()->clear();
        const QString status = sendAndWait();
        QVERIFY2(status.contains(QStringLiteral("502")), qPrintable(status));
        QVERIFY2(
            view()->responseView()->toPlainText().contains(QStringLiteral("Internal server error")),
            qPrintable(view()->responseView()->toPlainText()));
    }

    void noRouteIsA404() {
        view()->pathEdit()->setText(QStringLiteral("/nowhere"));
        const QString status = sendAndWait();
        QVERIFY2(status.contains(QStringLiteral("404")), qPrintable(status));
    }

    void aBadHeaderLineIsNamed() {
        view()->headersEdit()->setPlainText(QStringLiteral("Accept: */*\nno colon here"));
        QSignalSpy answered(window_->bridge(), &fogbank::ui::EngineBridge::httpExchanged);
        view()->sendButton()->click();
        QVERIFY2(view()->statusLabel()->text().contains(QStringLiteral("line 2")),
                 qPrintable(view()->statusLabel()->text()));
        QTest::qWait(200);
        QCOMPARE(answered.size(), 0);
    }

    void cleanupTestCase() { window_.reset(); }
};

QTEST_MAIN(TestRoutesView)
#include "test_routes_view.moc"
