#include "ui/cost_view.h"

#include "ui/chart_views.h"
#include "ui/engine_bridge.h"
#include "emulator/cost/usd_text.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QHorizontalBarSeries>
#include <QLabel>
#include <QLineEdit>
#include <QMap>
#include <QPushButton>
#include <QSplitter>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>
#include <cmath>
#include <memory>

namespace fogbank::ui {

namespace {

QString usd(double amount) {
    return QString::fromStdString(usdText(amount));
}

QString quantity(double value) {
    // A month's counts come out of averages; whole units are what a bill shows.
    if (std::abs(value) >= 100 && std::abs(value) < 1e15)
        return QLocale().toString(static_cast<qint64>(std::llround(value)));
    if (value == std::floor(value) && std::abs(value) < 1e15)
        return QLocale().toString(static_cast<qint64>(value));
    return QLocale().toString(value, 'g', 6);
}

// Lines grouped under one row per provider and service, each group with its sum.
void fill(QTreeWidget* tree, const QList<CostLineInfo>& lines) {
    tree->clear();
    QMap<QString, QTreeWidgetItem*> groups;
    QMap<QString, double> sums;
    for (const auto& line : lines) {
        const auto key = line.provider + QLatin1Char('/') + line.service;
        auto*& group = groups[key];
        if (!group) {
            group = new QTreeWidgetItem(
                tree, {QStringLiteral("%1 %2").arg(line.provider.toUpper(), line.service)});
            group->setFirstColumnSpanned(false);
            auto font = group->font(0);
            font.setBold(true);
            for (int c = 0; c < tree->columnCount(); ++c) group->setFont(c, font);
        }
        sums[key] += line.amount;
        auto* item = new QTreeWidgetItem(group, {line.item, line.function, quantity(line.quantity),
                                                 line.unit, usd(line.amount), line.pricesAsOf});
        for (int c : {2, 4}) item->setTextAlignment(c, Qt::AlignRight | Qt::AlignVCenter);
        group->setText(5, line.pricesAsOf);
    }
    for (auto it = groups.begin(); it != groups.end(); ++it) {
        it.value()->setText(4, usd(sums.value(it.key())));
        it.value()->setTextAlignment(4, Qt::AlignRight | Qt::AlignVCenter);
    }
    tree->expandAll();
}

}  // namespace

CostView::CostView(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    auto* controls = new QHBoxLayout;
    traffic_ = new QLineEdit(this);
    traffic_->setObjectName(QStringLiteral("costTraffic"));
    traffic_->setPlaceholderText(
        tr("Expected traffic, e.g.  GET /hello=5/s, MyFunction=2000000/month"));
    traffic_->setToolTip(
        tr("Per entry point: an HTTP route (METHOD /path) or a function, then = and a rate per "
           "second, minute, hour, day or month. Fogbank scales what one recorded request of that "
           "entry point caused (invocations, S3 calls, messages) to a month."));
    freeTier_ = new QComboBox(this);
    freeTier_->setObjectName(QStringLiteral("costFreeTier"));
    freeTier_->addItem(tr("Legacy free tier"), QStringLiteral("legacy"));
    freeTier_->setItemData(0,
                           tr("Accounts opened before 15 July 2025: the always-free allowances "
                              "and the 12-month trials (API Gateway, S3)"),
                           Qt::ToolTipRole);
    freeTier_->addItem(tr("Free plan (credits)"), QStringLiteral("credit"));
    freeTier_->setItemData(1,
                           tr("Accounts opened since 15 July 2025: credits instead of the "
                              "12-month trials; the always-free allowances (Lambda, SQS, "
                              "Scheduler) remain"),
                           Qt::ToolTipRole);
    freeTier_->addItem(tr("No free tier"), QStringLiteral("none"));
    calculate_ = new QPushButton(tr("Calculate"), this);
    calculate_->setObjectName(QStringLiteral("costCalculate"));
    controls->addWidget(new QLabel(tr("Traffic:"), this));
    controls->addWidget(traffic_, 1);
    controls->addWidget(freeTier_);
    controls->addWidget(calculate_);
    layout->addLayout(controls);

    auto* splitter = new QSplitter(Qt::Horizontal, this);
    auto* trees = new QSplitter(Qt::Vertical, splitter);
    const QStringList columns{tr("Item"), tr("Function"), tr("Quantity"),
                              tr("Unit"), tr("Amount"),   tr("Prices as of")};
    ran_ = new QTreeWidget(trees);
    ran_->setObjectName(QStringLiteral("costRan"));
    ran_->setHeaderLabels(columns);
    ran_->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    projected_ = new QTreeWidget(trees);
    projected_->setObjectName(QStringLiteral("costProjected"));
    projected_->setHeaderLabels(columns);
    projected_->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    auto* charts = new QSplitter(Qt::Vertical, splitter);
    providerChart_ = makeChartView(QStringLiteral("costProviderChart"), charts);
    functionChart_ = makeChartView(QStringLiteral("costFunctionChart"), charts);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({600, 500});
    layout->addWidget(splitter, 1);
    footer_ = new QLabel(this);
    footer_->setObjectName(QStringLiteral("costFooter"));
    footer_->setWordWrap(true);
    footer_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(footer_);

    debounce_.setSingleShot(true);
    debounce_.setInterval(kDebounceMs);
    connect(&debounce_, &QTimer::timeout, this, &CostView::recalculate);
    connect(traffic_, &QLineEdit::textEdited, this, [this] { debounce_.start(); });
    connect(traffic_, &QLineEdit::returnPressed, this, &CostView::recalculate);
    connect(freeTier_, &QComboBox::currentIndexChanged, this, &CostView::recalculate);
    connect(calculate_, &QPushButton::clicked, this, &CostView::recalculate);
}

void CostView::setBridge(EngineBridge* bridge) {
    bridge_ = bridge;
    connect(bridge_, &EngineBridge::costReady, this, &CostView::show);
    connect(bridge_, &EngineBridge::projectOpened, this, [this] {
        if (isVisible()) recalculate();
    });
}

void CostView::setTraffic(const QString& traffic) {
    traffic_->setText(traffic);
    recalculate();
}

void CostView::recalculate() {
    debounce_.stop();
    if (bridge_)
        bridge_->refreshCost(traffic_->text().trimmed(), freeTier_->currentData().toString());
}

void CostView::showEvent(QShowEvent* event) {
    QWidget::showEvent(event);
    recalculate();
}

void CostView::show(const CostReport& report) {
    report_ = report;
    fill(ran_, report.ranLines);
    fill(projected_, report.projectionLines);
    projected_->setHidden(report.projectionLines.isEmpty());
    drawProviders();
    drawFunctions();
    QString text;
    if (!report.error.isEmpty()) {
        text = QStringLiteral("<span style='color:#c62828'>%1</span>")
                   .arg(report.error.toHtmlEscaped());
    } else {
        text = tr("What ran: %1 invocations, %2 in all. ")
                   .arg(report.invocations)
                   .arg(usd(report.ranTotal));
        for (const auto& p : report.projection)
            text += tr("%1: %2/month, %3 with the free tier. ")
                        .arg(p.provider.toUpper(), usd(p.withoutFreeTier), usd(p.withFreeTier));
        text += tr("Prices as of %1 (resources/pricing/; edit them to price another region).")
                    .arg(report.pricesAsOf);
    }
    footer_->setText(text);
    emit reportShown();
}

void CostView::drawProviders() {
    auto* chart = new QChart;
    if (report_.projection.isEmpty()) {
        chart->setTitle(tr("Monthly projection: state the expected traffic above"));
    } else {
        chart->setTitle(tr("Monthly bill for %1").arg(report_.traffic));
        auto* without = new QBarSet(tr("Without free tier"));
        auto* with = new QBarSet(tr("With free tier"));
        QStringList providers;
        double top = 0;
        for (const auto& p : report_.projection) {
            providers << p.provider.toUpper();
            *without << p.withoutFreeTier;
            *with << p.withFreeTier;
            top = std::max(top, p.withoutFreeTier);
        }
        auto* series = new QBarSeries;
        series->append(without);
        series->append(with);
        series->setLabelsVisible(true);
        series->setLabelsFormat(QStringLiteral("$@value"));
        series->setLabelsPrecision(3);
        chart->addSeries(series);
        auto* x = new QBarCategoryAxis;
        x->append(providers);
        auto* y = new QValueAxis;
        y->setRange(0, top > 0 ? top * 1.15 : 1);
        y->setLabelFormat(QStringLiteral("$%.2f"));
        chart->addAxis(x, Qt::AlignBottom);
        chart->addAxis(y, Qt::AlignLeft);
        series->attachAxis(x);
        series->attachAxis(y);
    }
    replaceChart(providerChart_, chart);
}

void CostView::drawFunctions() {
    QMap<QString, double> byFunction;
    for (const auto& line : report_.ranLines)
        if (!line.function.isEmpty()) byFunction[line.function] += line.amount;
    auto* chart = new QChart;
    chart->setTitle(tr("What ran, per function (USD)"));
    auto* set = new QBarSet(tr("Cost"));
    QStringList names;
    double top = 0;
    for (auto it = byFunction.cbegin(); it != byFunction.cend(); ++it) {
        names << it.key();
        *set << it.value();
        top = std::max(top, it.value());
    }
    auto* series = new QHorizontalBarSeries;
    series->append(set);
    chart->addSeries(series);
    auto* y = new QBarCategoryAxis;
    y->append(names);
    auto* x = new QValueAxis;
    x->setRange(0, top > 0 ? top * 1.1 : 1e-6);
    x->setLabelFormat(QStringLiteral("%.2g"));
    chart->addAxis(y, Qt::AlignLeft);
    chart->addAxis(x, Qt::AlignBottom);
    series->attachAxis(x);
    series->attachAxis(y);
    chart->legend()->hide();
    replaceChart(functionChart_, chart);
}

}  // namespace fogbank::ui
