#include "ui/memory_sweep_view.h"

#include "emulator/cost/usd_text.h"
#include "emulator/sweep/memory_sweep.h"
#include "ui/chart_views.h"
#include "ui/engine_bridge.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QLineSeries>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>

namespace fogbank::ui {

namespace {

QString usd(double amount) {
    return QString::fromStdString(usdText(amount));
}

}  // namespace

MemorySweepView::MemorySweepView(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* bar = new QHBoxLayout;
    memory_ = new QLineEdit(QStringLiteral("128,256,512,1024,1769,3008"), this);
    memory_->setObjectName(QStringLiteral("sweepMemory"));
    memory_->setToolTip(tr("Memory sizes in MB, comma-separated"));
    event_ = new QLineEdit(QStringLiteral("{}"), this);
    event_->setObjectName(QStringLiteral("sweepEvent"));
    event_->setToolTip(tr("The event every run gets (JSON)"));
    runs_ = new QSpinBox(this);
    runs_->setObjectName(QStringLiteral("sweepRuns"));
    runs_->setRange(1, 50);
    runs_->setValue(3);
    runs_->setToolTip(tr("Warm runs per size, after one cold run"));
    run_ = new QPushButton(tr("Run sweep"), this);
    run_->setObjectName(QStringLiteral("sweepRun"));
    bar->addWidget(new QLabel(tr("Memory sweep — sizes (MB):"), this));
    bar->addWidget(memory_, 2);
    bar->addWidget(new QLabel(tr("Event:"), this));
    bar->addWidget(event_, 2);
    bar->addWidget(new QLabel(tr("Warm runs:"), this));
    bar->addWidget(runs_);
    bar->addWidget(run_);
    layout->addLayout(bar);
    status_ = new QLabel(this);
    status_->setObjectName(QStringLiteral("sweepStatus"));
    status_->setWordWrap(true);
    layout->addWidget(status_);
    verdict_ = new QLabel(this);
    verdict_->setObjectName(QStringLiteral("sweepVerdict"));
    verdict_->setWordWrap(true);
    verdict_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(verdict_);
    chart_ = makeChartView(QStringLiteral("sweepChart"), this);
    layout->addWidget(chart_, 1);
    connect(run_, &QPushButton::clicked, this, &MemorySweepView::start);
    draw();
}

void MemorySweepView::setBridge(EngineBridge* bridge) {
    bridge_ = bridge;
    connect(bridge_, &EngineBridge::memorySweepProgress, this,
            [this](const QString& function, int memory, int run) {
                status_->setText(run == 0 ? tr("%1 at %2 MB: cold run").arg(function).arg(memory)
                                          : tr("%1 at %2 MB: warm run %3 of %4")
                                                .arg(function)
                                                .arg(memory)
                                                .arg(run)
                                                .arg(runs_->value()));
            });
    connect(bridge_, &EngineBridge::memorySweepFinished, this, &MemorySweepView::showSweep);
    connect(bridge_, &EngineBridge::projectClosed, this, [this] { run_->setEnabled(true); });
}

void MemorySweepView::setFunction(const QString& function) {
    function_ = function;
}

bool MemorySweepView::start() {
    if (!bridge_ || function_.isEmpty()) return false;
    std::vector<int> sizes;
    try {
        sizes = parseMemoryList(memory_->text().toStdString());
    } catch (const std::exception& e) {
        status_->setText(QString::fromStdString(e.what()));
        return false;
    }
    QJsonParseError error;
    QJsonDocument::fromJson(event_->text().toUtf8(), &error);
    if (error.error != QJsonParseError::NoError) {
        status_->setText(tr("The event is not valid JSON: %1").arg(error.errorString()));
        return false;
    }
    if (!bridge_->runMemorySweep(function_, event_->text(), QList<int>(sizes.begin(), sizes.end()),
                                 runs_->value())) {
        status_->setText(bridge_->sweepRunning() ? tr("A sweep is already running.")
                                                 : tr("No project is open."));
        return false;
    }
    run_->setEnabled(false);
    status_->setText(tr("Sweeping %1…").arg(function_));
    return true;
}

void MemorySweepView::showSweep(const MemorySweepInfo& sweep) {
    run_->setEnabled(true);
    sweep_ = sweep;
    QString status = sweep.error.isEmpty()
                         ? tr("%1 (%2), %3 size(s); CPU share by %4; prices as of %5.")
                               .arg(sweep.function, sweep.architecture)
                               .arg(sweep.rows.size())
                               .arg(sweep.cpuMode, sweep.pricesAsOf)
                         : sweep.error;
    if (!sweep.cpuWhy.isEmpty()) status += QLatin1Char(' ') + sweep.cpuWhy + QLatin1Char('.');
    for (const auto& row : sweep.rows)
        if (!row.error.isEmpty())
            status += tr(" %1 MB failed: %2").arg(row.memoryMb).arg(row.error);
    status_->setText(status);
    const auto name = [&](int index) {
        const auto& row = sweep.rows.at(index);
        return tr("%1 MB (%2 ms, %3 per invocation)")
            .arg(row.memoryMb)
            .arg(row.meanMs, 0, 'f', 1)
            .arg(usd(row.costPerInvocation));
    };
    verdict_->setText(sweep.cheapest < 0 ? QString()
                                         : tr("<b>Cheapest:</b> %1 &nbsp; <b>Fastest:</b> %2")
                                               .arg(name(sweep.cheapest), name(sweep.fastest)));
    draw();
    emit sweepShown();
}

void MemorySweepView::draw() {
    auto* chart = new QChart;
    chart->setTitle(tr("Warm duration and cost per invocation by memory size"));
    auto* durations = new QBarSet(tr("Mean duration (ms)"));
    auto* cost = new QLineSeries;
    cost->setName(tr("Cost per invocation (USD)"));
    cost->setPointsVisible(true);
    QStringList sizes;
    double longest = 1, dearest = 1e-9;
    for (int i = 0; i < sweep_.rows.size(); ++i) {
        const auto& row = sweep_.rows.at(i);
        QString label = QStringLiteral("%1 MB").arg(row.memoryMb);
        if (i == sweep_.cheapest) label += tr(" (cheapest)");
        if (i == sweep_.fastest) label += tr(" (fastest)");
        sizes << label;
        *durations << row.meanMs;
        cost->append(i, row.costPerInvocation);
        longest = std::max(longest, row.meanMs);
        dearest = std::max(dearest, row.costPerInvocation);
    }
    auto* bars = new QBarSeries;
    bars->append(durations);
    bars->setLabelsVisible(true);
    bars->setLabelsFormat(QStringLiteral("@value"));
    bars->setLabelsPrecision(4);
    chart->addSeries(bars);
    chart->addSeries(cost);
    auto* x = new QBarCategoryAxis;
    x->append(sizes.isEmpty() ? QStringList{QStringLiteral("-")} : sizes);
    auto* ms = new QValueAxis;
    ms->setTitleText(tr("ms"));
    ms->setRange(0, longest * 1.15);
    auto* usdAxis = new QValueAxis;
    usdAxis->setTitleText(tr("USD per invocation"));
    usdAxis->setLabelFormat(QStringLiteral("%.2g"));
    usdAxis->setRange(0, dearest * 1.15);
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(ms, Qt::AlignLeft);
    chart->addAxis(usdAxis, Qt::AlignRight);
    bars->attachAxis(x);
    bars->attachAxis(ms);
    cost->attachAxis(x);
    cost->attachAxis(usdAxis);
    replaceChart(chart_, chart);
}

}  // namespace fogbank::ui
