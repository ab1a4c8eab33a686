// The Cold starts tab: for one function, how its cold, warm and pre-warmed invocations compare
// (p50/p90/p99 as bars), how its init time moved over time and what it was spent on (process,
// runtime, module load), from what the store recorded; how many sandboxes to keep warm; and the
// memory sweep. Read off the window's thread; a newer request replaces an older one.
#pragma once

#include "ui/cost_snapshot.h"

#include <QTimer>
#include <QWidget>

class QChartView;
class QCheckBox;
class QComboBox;
class QLabel;
class QPushButton;
class QSpinBox;

namespace fogbank::ui {

class EngineBridge;
class MemorySweepView;

class ColdStartView : public QWidget {
    Q_OBJECT
  public:
    // After an invocation of the shown function, how long to wait for more before reading again.
    static constexpr int kRefreshDelayMs = 500;

    explicit ColdStartView(QWidget* parent = nullptr);

    void setBridge(EngineBridge* bridge);
    bool selectFunction(const QString& name);
    QString currentFunction() const;
    void refresh();

    const ColdStartStatsInfo& stats() const { return stats_; }
    QChartView* percentileChart() const { return percentiles_; }
    QChartView* initChart() const { return inits_; }
    QChartView* breakdownChart() const { return breakdown_; }
    QLabel* summary() const { return summary_; }
    QSpinBox* prewarmBox() const { return prewarm_; }
    QPushButton* prewarmButton() const { return applyPrewarm_; }
    QCheckBox* cpuShareBox() const { return cpuShare_; }
    MemorySweepView* sweepView() const { return sweep_; }

  signals:
    void statsShown();

  protected:
    void showEvent(QShowEvent* event) override;

  private:
    void showStats(const ColdStartStatsInfo& stats);
    void drawPercentiles();
    void drawInits();
    void drawBreakdown();

    EngineBridge* bridge_ = nullptr;
    QComboBox* functions_;
    QLabel* summary_;
    QChartView* percentiles_;
    QChartView* inits_;
    QChartView* breakdown_;
    QSpinBox* prewarm_;
    QPushButton* applyPrewarm_;
    QCheckBox* cpuShare_;
    MemorySweepView* sweep_;
    QTimer refreshSoon_;  // new invocations of the shown function, read in one go
    ColdStartStatsInfo stats_;
};

}  // namespace fogbank::ui
