#include "ui/cold_start_view.h"

#include "ui/chart_views.h"
#include "ui/engine_bridge.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QDateTimeAxis>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineSeries>
#include <QPushButton>
#include <QScatterSeries>
#include <QSplitter>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>
#include <memory>

namespace fogbank::ui {

namespace {

QString ms(double value) {
    return value < 0 ? QStringLiteral("?") : QStringLiteral("%1 ms").arg(value, 0, 'f', 1);
}

}  // namespace

ColdStartView::ColdStartView(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    auto* bar = new QHBoxLayout;
    functions_ = new QComboBox(this);
    functions_->setObjectName(QStringLiteral("coldStartFunction"));
    functions_->setMinimumContentsLength(18);
    auto* refresh = new QPushButton(tr("Refresh"), this);
    bar->addWidget(new QLabel(tr("Function:"), this));
    bar->addWidget(functions_);
    bar->addStretch(1);
    bar->addWidget(refresh);
    layout->addLayout(bar);
    summary_ = new QLabel(this);
    summary_->setObjectName(QStringLiteral("coldStartSummary"));
    summary_->setWordWrap(true);
    summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(summary_);

    auto* charts = new QSplitter(Qt::Horizontal, this);
    percentiles_ = makeChartView(QStringLiteral("coldStartPercentiles"), charts);
    inits_ = makeChartView(QStringLiteral("coldStartInits"), charts);
    layout->addWidget(charts, 1);

    refreshSoon_.setSingleShot(true);
    refreshSoon_.setInterval(kRefreshDelayMs);
    connect(&refreshSoon_, &QTimer::timeout, this, &ColdStartView::refresh);
    connect(functions_, &QComboBox::currentIndexChanged, this, &ColdStartView::refresh);
    connect(refresh, &QPushButton::clicked, this, &ColdStartView::refresh);
    drawPercentiles();
    drawInits();
}

void ColdStartView::setBridge(EngineBridge* bridge) {
    bridge_ = bridge;
    connect(bridge_, &EngineBridge::projectOpened, this, [this] {
        const auto previous = currentFunction();
        QSignalBlocker block(functions_);
        functions_->clear();
        for (const auto& f : bridge_->functions()) functions_->addItem(f.name, f.name);
        const int again = functions_->findData(previous);
        functions_->setCurrentIndex(again >= 0 ? again : 0);
        block.unblock();
        if (isVisible()) refresh();
    });
    connect(bridge_, &EngineBridge::coldStartsReady, this, &ColdStartView::showStats);
    connect(bridge_, &EngineBridge::invocationFinished, this, [this](const InvocationRecord& r) {
        if (isVisible() && r.function == currentFunction()) refreshSoon_.start();
    });
}

bool ColdStartView::selectFunction(const QString& name) {
    const int row = functions_->findData(name);
    if (row < 0) return false;
    functions_->setCurrentIndex(row);
    return true;
}

QString ColdStartView::currentFunction() const {
    return functions_->currentData().toString();
}

void ColdStartView::refresh() {
    if (bridge_ && !currentFunction().isEmpty()) bridge_->refreshColdStarts(currentFunction());
}

void ColdStartView::showEvent(QShowEvent* event) {
    QWidget::showEvent(event);
    refresh();
}

void ColdStartView::showStats(const ColdStartStatsInfo& stats) {
    if (stats.function != currentFunction()) return;
    stats_ = stats;
    QString text = tr("%1: %2 cold and %3 warm invocations recorded (%4% cold). Init p50 %5")
                       .arg(stats.function)
                       .arg(stats.cold)
                       .arg(stats.warm)
                       .arg(stats.coldRatio * 100, 0, 'f', 1)
                       .arg(ms(stats.initP50));
    if (stats.processMs >= 0 || stats.moduleMs >= 0)
        text += tr(" — on average %1 process start, %2 runtime start, %3 loading the handler's "
                   "module")
                    .arg(ms(stats.processMs), ms(stats.runtimeMs), ms(stats.moduleMs));
    summary_->setText(text + QLatin1Char('.'));
    drawPercentiles();
    drawInits();
    emit statsShown();
}

void ColdStartView::drawPercentiles() {
    auto* chart = new QChart;
    chart->setTitle(tr("Duration, cold (init + handler) vs warm"));
    auto* cold = new QBarSet(tr("Cold"));
    auto* warm = new QBarSet(tr("Warm"));
    *cold << stats_.coldP50 << stats_.coldP90 << stats_.coldP99;
    *warm << stats_.warmP50 << stats_.warmP90 << stats_.warmP99;
    auto* series = new QBarSeries;
    series->append(cold);
    series->append(warm);
    series->setLabelsVisible(true);
    series->setLabelsFormat(QStringLiteral("@value"));
    series->setLabelsPrecision(4);
    chart->addSeries(series);
    auto* x = new QBarCategoryAxis;
    x->append({QStringLiteral("p50"), QStringLiteral("p90"), QStringLiteral("p99")});
    auto* y = new QValueAxis;
    y->setTitleText(tr("ms"));
    y->setRange(0, std::max({stats_.coldP99, stats_.warmP99, 1.0}) * 1.15);
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    series->attachAxis(x);
    series->attachAxis(y);
    replaceChart(percentiles_, chart);
}

void ColdStartView::drawInits() {
    auto* chart = new QChart;
    chart->setTitle(tr("Init duration of each cold start"));
    auto* series = new QLineSeries;
    series->setName(tr("Init"));
    auto* points = new QScatterSeries;
    points->setName(tr("Cold start"));
    points->setMarkerSize(7);
    double top = 1;
    for (const auto& sample : stats_.inits) {
        const auto x = static_cast<qreal>(sample.time.toMSecsSinceEpoch());
        series->append(x, sample.initMs);
        points->append(x, sample.initMs);
        top = std::max(top, sample.initMs);
    }
    chart->addSeries(series);
    chart->addSeries(points);
    auto* x = new QDateTimeAxis;
    x->setFormat(QStringLiteral("HH:mm:ss"));
    if (!stats_.inits.isEmpty()) {
        auto first = stats_.inits.front().time;
        auto last = stats_.inits.back().time;
        if (first == last) last = first.addSecs(1);
        x->setRange(first, last);
    }
    auto* y = new QValueAxis;
    y->setTitleText(tr("ms"));
    y->setRange(0, top * 1.15);
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    for (auto* s : {static_cast<QXYSeries*>(series), static_cast<QXYSeries*>(points)}) {
        s->attachAxis(x);
        s->attachAxis(y);
    }
    replaceChart(inits_, chart);
}

}  // namespace fogbank::ui
