// The memory sweep panel of the Cold starts tab: one event run at several memory sizes with the
// CPU share following memory, charted as duration (bars) and cost per invocation (line) against
// memory, with the cheapest and the fastest size named. The sweep runs on the bridge's pool.
#pragma once

#include "ui/sweep_snapshot.h"

#include <QWidget>

class QChartView;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace fogbank::ui {

class EngineBridge;

class MemorySweepView : public QWidget {
    Q_OBJECT
  public:
    explicit MemorySweepView(QWidget* parent = nullptr);

    void setBridge(EngineBridge* bridge);
    void setFunction(const QString& function);
    // Starts a sweep of the current function with the panel's settings; false when it cannot
    // (one is running, no project, a bad memory list: the status line says which).
    bool start();

    const MemorySweepInfo& sweep() const { return sweep_; }
    QLineEdit* memoryEdit() const { return memory_; }
    QLineEdit* eventEdit() const { return event_; }
    QSpinBox* runsBox() const { return runs_; }
    QPushButton* runButton() const { return run_; }
    QLabel* verdict() const { return verdict_; }
    QChartView* chart() const { return chart_; }

  signals:
    void sweepShown();

  private:
    void showSweep(const MemorySweepInfo& sweep);
    void draw();

    EngineBridge* bridge_ = nullptr;
    QString function_;
    QLineEdit* memory_;
    QLineEdit* event_;
    QSpinBox* runs_;
    QPushButton* run_;
    QLabel* status_;
    QLabel* verdict_;
    QChartView* chart_;
    MemorySweepInfo sweep_;
};

}  // namespace fogbank::ui
