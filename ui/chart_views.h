// What the window's charts share: how a chart view is made, and swapping in a new chart.
#pragma once

#include <QChart>
#include <QChartView>

#include <memory>

namespace fogbank::ui {

inline QChartView* makeChartView(const QString& name, QWidget* parent) {
    auto* view = new QChartView(parent);
    view->setObjectName(name);
    view->setRenderHint(QPainter::Antialiasing);
    view->setMinimumHeight(200);
    return view;
}

// Charts are rebuilt whole from each new snapshot; setChart() hands the old one back to us.
inline void replaceChart(QChartView* view, QChart* chart) {
    chart->legend()->setAlignment(Qt::AlignBottom);
    std::unique_ptr<QChart> old(view->chart());
    view->setChart(chart);
}

}  // namespace fogbank::ui
