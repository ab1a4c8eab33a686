// The Cost tab: the bill of what Fogbank served (every invocation and service request, priced
// with the price tables in resources/pricing/), and — once the user states the traffic they
// expect — the monthly bill that traffic would bring, per provider, with and without the free
// tier. Every figure carries its price table's date.
//
// Calculating reads the whole history off the window's thread; a newer request replaces an older
// one that has not started, so typing in the traffic box never queues work.
#pragma once

#include "ui/cost_snapshot.h"

#include <QTimer>
#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTreeWidget;

class QChartView;

namespace fogbank::ui {

class EngineBridge;

class CostView : public QWidget {
    Q_OBJECT
  public:
    static constexpr int kDebounceMs = 400;

    explicit CostView(QWidget* parent = nullptr);

    void setBridge(EngineBridge* bridge);
    // Asks for a new report with the box's traffic and free-tier choice.
    void recalculate();
    void setTraffic(const QString& traffic);
    const CostReport& report() const { return report_; }

    QTreeWidget* ranTree() const { return ran_; }
    QTreeWidget* projectionTree() const { return projected_; }
    QChartView* providerChart() const { return providerChart_; }
    QChartView* functionChart() const { return functionChart_; }
    QLabel* footer() const { return footer_; }

  signals:
    void reportShown();

  protected:
    void showEvent(QShowEvent* event) override;

  private:
    void show(const CostReport& report);
    void drawProviders();
    void drawFunctions();

    EngineBridge* bridge_ = nullptr;
    QLineEdit* traffic_;
    QComboBox* freeTier_;
    QPushButton* calculate_;
    QTreeWidget* ran_;
    QTreeWidget* projected_;
    QChartView* providerChart_;
    QChartView* functionChart_;
    QLabel* footer_;
    QTimer debounce_;
    CostReport report_;
};

}  // namespace fogbank::ui
