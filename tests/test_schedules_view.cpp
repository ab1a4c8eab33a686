// The Schedules tab over a real engine and a real Python handler (tests/fixtures/schedules), its
// clock started at 2026-03-06T23:00:00Z, an hour before anything but the hourly rate is due: the
// schedules listed with their next firings, the clock
// paused from the tab, a day advanced (every due firing listed with its due time, newest first,
// each a real invocation that succeeded), a disabled schedule enabled by its check box, and one
// schedule fired now.
#include "ui/engine_bridge.h"
#include "ui/main_window.h"
#include "ui/schedule_table_model.h"
#include "ui/schedules_view.h"

#include "emulator/services/scheduler/schedule_expression.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QLabel>
#include <QPushButton>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTreeWidget>
#include <QtTest>

#include <spdlog/spdlog.h>

using fogbank::EngineConfig;
using fogbank::ui::MainWindow;
using fogbank::ui::SchedulesView;
using fogbank::ui::ScheduleTableModel;

namespace {

constexpr int kOpenTimeoutMs = 30'000;
constexpr int kAnswerTimeoutMs = 120'000;

}  // namespace

class TestSchedulesView : public QObject {
    Q_OBJECT

    QTemporaryDir state_;
    std::unique_ptr<MainWindow> window_;

    SchedulesView* view() const { return window_->schedulesView(); }
    ScheduleTableModel* model() const { return view()->scheduleModel(); }
    QString cell(const QString& schedule, int column) const {
        return model()->index(model()->rowOf(schedule), column).data().toString();
    }

  private slots:
    void initTestCase() {
        spdlog::set_level(spdlog::level::warn);
        QVERIFY(state_.isValid());
        window_ = std::make_unique<MainWindow>();
        new QAbstractItemModelTester(
            model(), QAbstractItemModelTester::FailureReportingMode::QtTest, window_.get());
        window_->resize(1300, 850);
        window_->show();
        QVERIFY(QTest::qWaitForWindowExposed(window_.get()));
        EngineConfig config;
        config.templatePath = FOGBANK_FIXTURES "/schedules/template.yaml";
        config.edgePort = 0;
        config.httpPort = -1;
        config.python = "/usr/bin/python3";
        config.stateDir = state_.path().toStdString();
        config.clockStart = fogbank::scheduler::parseUtc("2026-03-06T23:00:00Z");
        window_->bridge()->openProject(config);
        QTRY_VERIFY_WITH_TIMEOUT(window_->bridge()->isOpen(), kOpenTimeoutMs);
        window_->viewTabs()->setCurrentWidget(view());
        QTRY_COMPARE_WITH_TIMEOUT(model()->rowCount(), 5, kOpenTimeoutMs);
    }

    void listsSchedulesWithTheirNextFirings() {
        for (const char* name :
             {"TickerHourly", "TickerNightly", "TickerOnce", "TickerPaused", "WeeklyRule"})
            QVERIFY2(model()->rowOf(QString::fromLatin1(name)) >= 0, name);
        QCOMPARE(cell(QStringLiteral("TickerNightly"), ScheduleTableModel::ExpressionColumn),
                 QStringLiteral("cron(30 2 * * ? *)"));
        QCOMPARE(cell(QStringLiteral("TickerNightly"), ScheduleTableModel::TimeZoneColumn),
                 QStringLiteral("America/New_York"));
        // 02:30 in New York on 7 March 2026 (EST, before the switch on the 8th) is 07:30 UTC.
        QCOMPARE(cell(QStringLiteral("TickerNightly"), ScheduleTableModel::NextColumn),
                 QStringLiteral("2026-03-07 07:30:00 UTC"));
        QCOMPARE(cell(QStringLiteral("TickerPaused"), ScheduleTableModel::NextColumn),
                 QStringLiteral("disabled"));
        const int paused = model()->rowOf(QStringLiteral("TickerPaused"));
        QCOMPARE(model()->index(paused, ScheduleTableModel::EnabledColumn).data(Qt::CheckStateRole),
                 QVariant(Qt::Unchecked));
    }

    void pausesTheClock() {
        QVERIFY(!window_->bridge()->clockPaused());
        view()->pauseButton()->click();
        QVERIFY(window_->bridge()->clockPaused());
        QTRY_VERIFY(view()->clockLabel()->text().contains(QStringLiteral("paused")));
        QVERIFY2(view()->clockLabel()->text().contains(QStringLiteral("2026-03-06 23:0")),
                 qPrintable(view()->clockLabel()->text()));
        QCOMPARE(view()->pauseButton()->text(), QStringLiteral("Resume clock"));
    }

    void advancingADayFiresWhatWasDue() {
        view()->advanceBox()->setCurrentIndex(view()->advanceBox()->findData(86400));
        QCOMPARE(view()->advanceSeconds(), 86400);
        view()->advanceButton()->click();
        QVERIFY(!view()->advanceButton()->isEnabled());  // one advance at a time
        QTRY_VERIFY_WITH_TIMEOUT(view()->advanceButton()->isEnabled(), kAnswerTimeoutMs);
        QVERIFY2(view()->clockLabel()->text().contains(QStringLiteral("2026-03-07 23:0")),
                 qPrintable(view()->clockLabel()->text()));
        QTreeWidget* list = view()->firingList();
        QStringList once, nightly;
        int hourly = 0;
        QString previous;
        for (int i = 0; i < list->topLevelItemCount(); ++i) {
            const QTreeWidgetItem* item = list->topLevelItem(i);
            QCOMPARE(item->text(3), QStringLiteral("success"));
            QCOMPARE(item->text(2), QStringLiteral("Ticker"));
            // Newest first: due times never grow down the list.
            if (!previous.isEmpty()) QVERIFY(item->text(0) <= previous);
            previous = item->text(0);
            if (item->text(1) == QLatin1String("TickerOnce")) once << item->text(0);
            if (item->text(1) == QLatin1String("TickerNightly")) nightly << item->text(0);
            hourly += item->text(1) == QLatin1String("TickerHourly");
            QVERIFY(!item->data(0, Qt::UserRole).toString().isEmpty());  // its request id
        }
        QCOMPARE(once, QStringList{QStringLiteral("2026-03-07 00:00:02 UTC")});
        QCOMPARE(nightly, QStringList{QStringLiteral("2026-03-07 07:30:00 UTC")});
        QVERIFY2(hourly >= 23 && hourly <= 25, qPrintable(QString::number(hourly)));
        // The next firings moved past the new time. 02:30 does not exist in New York on 8 March
        // 2026 (clocks jump from 02:00 to 03:00), so the next is on the 9th, in EDT.
        QTRY_COMPARE(cell(QStringLiteral("TickerNightly"), ScheduleTableModel::NextColumn),
                     QStringLiteral("2026-03-09 06:30:00 UTC"));
    }

    void enablingByTheCheckBox() {
        const int row = model()->rowOf(QStringLiteral("TickerPaused"));
        QVERIFY(model()->setData(model()->index(row, ScheduleTableModel::EnabledColumn),
                                 Qt::Checked, Qt::CheckStateRole) == false);
        QTRY_COMPARE_WITH_TIMEOUT(model()
                                      ->index(model()->rowOf(QStringLiteral("TickerPaused")),
                                              ScheduleTableModel::EnabledColumn)
                                      .data(Qt::CheckStateRole),
                                  QVariant(Qt::Checked), kAnswerTimeoutMs);
        QVERIFY(cell(QStringLiteral("TickerPaused"), ScheduleTableModel::NextColumn)
                    .startsWith(QStringLiteral("2026-03-07 23:")));
    }

    void firesOneNow() {
        QVERIFY(view()->selectSchedule(QStringLiteral("WeeklyRule")));
        QCOMPARE(view()->currentSchedule(), QStringLiteral("WeeklyRule"));
        const int before = view()->firingList()->topLevelItemCount();
        view()->fireButton()->click();
        QTRY_COMPARE_WITH_TIMEOUT(view()->firingList()->topLevelItemCount(), before + 1,
                                  kAnswerTimeoutMs);
        const QTreeWidgetItem* top = view()->firingList()->topLevelItem(0);
        QCOMPARE(top->text(1), QStringLiteral("WeeklyRule"));
        QCOMPARE(top->text(3), QStringLiteral("success"));
    }

    void cleanupTestCase() { window_.reset(); }
};

QTEST_MAIN(TestSchedulesView)
#include "test_schedules_view.moc"
