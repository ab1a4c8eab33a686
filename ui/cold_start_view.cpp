#include "ui/cold_start_view.h"

#include "ui/chart_views.h"
#include "ui/engine_bridge.h"
#include "ui/memory_sweep_view.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QCheckBox>
#include <QChartView>
#include <QComboBox>
#include <QDateTimeAxis>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineSeries>
#include <QPushButton>
#include <QScatterSeries>
#include <QSpinBox>
#include <QSplitter>
#include <QStackedBarSeries>
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
    prewarm_ = new QSpinBox(this);
    prewarm_->setObjectName(QStringLiteral("prewarmCount"));
    prewarm_->setRange(0, 100);
    prewarm_->setToolTip(tr("Sandboxes kept started and warm, as provisioned concurrency does"));
    applyPrewarm_ = new QPushButton(tr("Keep warm"), this);
    applyPrewarm_->setObjectName(QStringLiteral("prewarmApply"));
    cpuShare_ = new QCheckBox(tr("CPU share follows memory"), this);
    cpuShare_->setObjectName(QStringLiteral("cpuShare"));
    cpuShare_->setToolTip(tr("Give each sandbox memory/1769 MB of a core, as Lambda does"));
    bar->addWidget(new QLabel(tr("Function:"), this));
    bar->addWidget(functions_);
    bar->addStretch(1);
    bar->addWidget(cpuShare_);
    bar->addWidget(new QLabel(tr("Pre-warmed sandboxes:"), this));
    bar->addWidget(prewarm_);
    bar->addWidget(applyPrewarm_);
    bar->addWidget(refresh);
    layout->addLayout(bar);
    summary_ = new QLabel(this);
    summary_->setObjectName(QStringLiteral("coldStartSummary"));
    summary_->setWordWrap(true);
    summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(summary_);

    auto* sections = new QSplitter(Qt::Vertical, this);
    auto* charts = new QSplitter(Qt::Horizontal, sections);
    percentiles_ = makeChartView(QStringLiteral("coldStartPercentiles"), charts);
    inits_ = makeChartView(QStringLiteral("coldStartInits"), charts);
    breakdown_ = makeChartView(QStringLiteral("coldStartBreakdown"), charts);
    sweep_ = new MemorySweepView(sections);
    sweep_->setObjectName(QStringLiteral("memorySweep"));
    layout->addWidget(sections, 1);
    connect(applyPrewarm_, &QPushButton::clicked, this, [this] {
        if (bridge_ && !currentFunction().isEmpty())
            bridge_->setPrewarm(currentFunction(), prewarm_->value());
    });
    connect(functions_, &QComboBox::currentIndexChanged, this,
            [this] { sweep_->setFunction(currentFunction()); });

    refreshSoon_.setSingleShot(true);
    refreshSoon_.setInterval(kRefreshDelayMs);
    connect(&refreshSoon_, &QTimer::timeout, this, &ColdStartView::refresh);
    connect(functions_, &QComboBox::currentIndexChanged, this, &ColdStartView::refresh);
    connect(refresh, &QPushButton::clicked, this, &ColdStartView::refresh);
    drawPercentiles();
    drawInits();
    drawBreakdown();
}

void ColdStartView::setBridge(EngineBridge* bridge) {
    bridge_ = bridge;
    sweep_->setBridge(bridge);
    connect(cpuShare_, &QCheckBox::toggled, this, [this](bool on) {
        if (bridge_ && bridge_->cpuShare() != on) bridge_->setCpuShare(on);
    });
    connect(bridge_, &EngineBridge::cpuShareChanged, this,
            [this](bool on, const QString& mode, const QString& why) {
                QSignalBlocker block(cpuShare_);
                cpuShare_->setChecked(on);
                cpuShare_->setToolTip(
                    on ? tr("CPU share by %1%2")
                             .arg(mode, why.isEmpty() ? QString() : QStringLiteral(": ") + why)
                       : tr("Sandboxes use the whole machine"));
            });
    connect(bridge_, &EngineBridge::prewarmSet, this,
            [this](const QString& function, int count, const QString& error) {
                if (!error.isEmpty())
                    summary_->setText(tr("Cannot keep %1 sandbox(es) of %2 warm: %3")
                                          .arg(count)
                                          .arg(function, error));
            });
    connect(bridge_, &EngineBridge::projectOpened, this, [this] {
        const auto previous = currentFunction();
        QSignalBlocker block(functions_);
        functions_->clear();
        for (const auto& f : bridge_->functions()) functions_->addItem(f.name, f.name);
        const int again = functions_->findData(previous);
        functions_->setCurrentIndex(again >= 0 ? again : 0);
        sweep_->setFunction(currentFunction());
        QSignalBlocker blockShare(cpuShare_);
        cpuShare_->setChecked(bridge_->cpuShare());
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
    if (stats.moduleMs >= 0)
        text += tr(" (p50 %1 process start, %2 runtime start, %3 loading the handler's module)")
                    .arg(ms(stats.processMs), ms(stats.runtimeMs), ms(stats.moduleMs));
    if (stats.provisioned > 0)
        text += tr("; %1 warm in pre-warmed sandboxes, p50 %2 against %3 on demand")
                    .arg(stats.provisioned)
                    .arg(ms(stats.provisionedP50), ms(stats.warmP50));
    if (!stats.cpuModes.isEmpty()) text += tr("; CPU share: %1").arg(stats.cpuModes);
    summary_->setText(text + QLatin1Char('.'));
    drawPercentiles();
    drawInits();
    drawBreakdown();
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
    if (stats_.provisioned > 0) {
        auto* prewarmed = new QBarSet(tr("Warm, pre-warmed"));
        *prewarmed << stats_.provisionedP50 << stats_.provisionedP90 << stats_.provisionedP99;
        series->append(prewarmed);
        warm->setLabel(tr("Warm, on demand"));
    }
    series->setLabelsVisible(true);
    series->setLabelsFormat(QStringLiteral("@value"));
    series->setLabelsPrecision(4);
    chart->addSeries(series);
    auto* x = new QBarCategoryAxis;
    x->append({QStringLiteral("p50"), QStringLiteral("p90"), QStringLiteral("p99")});
    auto* y = new QValueAxis;
    y->setTitleText(tr("ms"));
    y->setRange(0, std::max({stats_.coldP99, stats_.warmP99, stats_.provisionedP99, 1.0}) * 1.15);
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

namespace fogbank::ui {

// Stacked bars: the p50 of each part, then the newest cold starts that reported their parts.
void ColdStartView::drawBreakdown() {
    constexpr int kNewest = 8;
    auto* chart = new QChart;
    chart->setTitle(tr("Where the init went"));
    auto* process = new QBarSet(tr("Process start"));
    auto* runtime = new QBarSet(tr("Runtime start"));
    auto* module = new QBarSet(tr("Module load"));
    QStringList categories;
    double top = 1;
    const auto add = [&](const QString& label, double p, double r, double m) {
        categories << label;
        *process << p;
        *runtime << r;
        *module << m;
        top = std::max(top, p + r + m);
    };
    if (stats_.moduleMs >= 0) add(tr("p50"), stats_.processMs, stats_.runtimeMs, stats_.moduleMs);
    QList<InitSampleInfo> reported;
    for (const auto& sample : stats_.inits)
        if (sample.moduleMs >= 0) reported.append(sample);
    for (qsizetype i = std::max<qsizetype>(0, reported.size() - kNewest); i < reported.size(); ++i)
        add(reported[i].time.toString(QStringLiteral("HH:mm:ss")), reported[i].processMs,
            reported[i].runtimeMs, reported[i].moduleMs);
    auto* series = new QStackedBarSeries;
    series->append(process);
    series->append(runtime);
    series->append(module);
    chart->addSeries(series);
    auto* x = new QBarCategoryAxis;
    x->append(categories.isEmpty() ? QStringList{tr("no parts reported")} : categories);
    auto* y = new QValueAxis;
    y->setTitleText(tr("ms"));
    y->setRange(0, top * 1.15);
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    series->attachAxis(x);
    series->attachAxis(y);
    replaceChart(breakdown_, chart);
}

}  // namespace fogbank::ui
