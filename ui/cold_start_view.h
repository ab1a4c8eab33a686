// The Cold starts tab: for one function, how its cold and warm invocations compare (p50/p90/p99
// as bars) and how its init time moved over time, from what the store recorded. Read off the
// window's thread; a newer request replaces an older one.
#pragma once

#include "ui/cost_snapshot.h"

#include <QTimer>
#include <QWidget>

class QChartView;
class QComboBox;
class QLabel;

namespace fogbank::ui {

class EngineBridge;

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
    QLabel* summary() const { return summary_; }

  signals:
    void statsShown();

  protected:
    void showEvent(QShowEvent* event) override;

  private:
    void showStats(const ColdStartStatsInfo& stats);
    void drawPercentiles();
    void drawInits();

    EngineBridge* bridge_ = nullptr;
    QComboBox* functions_;
    QLabel* summary_;
    QChartView* percentiles_;
    QChartView* inits_;
    QTimer refreshSoon_;  // new invocations of the shown function, read in one go
    ColdStartStatsInfo stats_;
};

}  // namespace fogbank::ui
