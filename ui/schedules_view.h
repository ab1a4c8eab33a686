// The Schedules tab: every schedule of the project with its expression, zone and next firings on
// the engine's virtual clock, and the clock's controls — pause and resume, advance by a duration
// (firing everything due meanwhile, in order, with each due time as the event's time), and fire
// one schedule now. What fired is listed with how each invocation ended.
//
// While shown it reads the clock once a second and the schedules every few seconds; every answer
// arrives as a signal, so the window never waits on the engine.
#pragma once

#include <QTimer>
#include <QWidget>

class QComboBox;
class QLabel;
class QPushButton;
class QTableView;
class QTreeWidget;

namespace fogbank::ui {

class EngineBridge;
class ScheduleTableModel;
struct FiringInfo;

class SchedulesView : public QWidget {
    Q_OBJECT
  public:
    static constexpr int kClockMs = 1000;
    static constexpr int kRefreshMs = 5000;
    static constexpr int kFiringsKept = 500;

    explicit SchedulesView(QWidget* parent = nullptr);

    void setBridge(EngineBridge* bridge);
    void refresh();
    // The name of the chosen schedule, or empty.
    QString currentSchedule() const;
    bool selectSchedule(const QString& name);
    // The seconds the advance box stands for.
    qint64 advanceSeconds() const;

    ScheduleTableModel* scheduleModel() const { return schedules_; }
    QTableView* scheduleTable() const { return table_; }
    QLabel* clockLabel() const { return clock_; }
    QPushButton* pauseButton() const { return pause_; }
    QComboBox* advanceBox() const { return advanceBy_; }
    QPushButton* advanceButton() const { return advance_; }
    QPushButton* fireButton() const { return fire_; }
    QTreeWidget* firingList() const { return firings_; }
    QLabel* messageLabel() const { return message_; }

  protected:
    void showEvent(QShowEvent* event) override;
    void hideEvent(QHideEvent* event) override;

  private:
    void updateClock();
    void updateActions();
    void onFired(const QList<FiringInfo>& firings, const QString& error);
    void say(const QString& text, bool error = false);

    EngineBridge* bridge_ = nullptr;
    ScheduleTableModel* schedules_;
    QTableView* table_;
    QLabel* clock_;
    QPushButton* pause_;
    QComboBox* advanceBy_;
    QPushButton* advance_;
    QPushButton* fire_;
    QTreeWidget* firings_;
    QLabel* message_;
    QTimer clockTimer_;
    QTimer refreshTimer_;
    bool busy_ = false;  // an advance is under way: its firings come as one answer
};

}  // namespace fogbank::ui
