#include "ui/schedules_view.h"

#include "ui/engine_bridge.h"
#include "ui/schedule_table_model.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <memory>

namespace fogbank::ui {

SchedulesView::SchedulesView(QWidget* parent)
    : QWidget(parent), schedules_(new ScheduleTableModel(this)) {
    auto* layout = new QVBoxLayout(this);

    auto* clockBar = new QHBoxLayout;
    clock_ = new QLabel(this);
    clock_->setObjectName(QStringLiteral("clockLabel"));
    clock_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    pause_ = new QPushButton(tr("Pause clock"), this);
    pause_->setObjectName(QStringLiteral("pauseClock"));
    advanceBy_ = new QComboBox(this);
    advanceBy_->setObjectName(QStringLiteral("advanceBy"));
    for (const auto& [label, seconds] :
         std::initializer_list<std::pair<QString, qint64>>{{tr("1 minute"), 60},
                                                           {tr("1 hour"), 3600},
                                                           {tr("6 hours"), 6 * 3600},
                                                           {tr("1 day"), 86400},
                                                           {tr("1 week"), 7 * 86400},
                                                           {tr("30 days"), 30 * 86400}})
        advanceBy_->addItem(label, seconds);
    advanceBy_->setCurrentIndex(1);
    advance_ = new QPushButton(tr("Advance"), this);
    advance_->setObjectName(QStringLiteral("advanceClock"));
    advance_->setToolTip(
        tr("Move the clock forward, firing every schedule due meanwhile in order"));
    clockBar->addWidget(new QLabel(tr("Clock:"), this));
    clockBar->addWidget(clock_, 1);
    clockBar->addWidget(pause_);
    clockBar->addSpacing(12);
    clockBar->addWidget(new QLabel(tr("Advance by"), this));
    clockBar->addWidget(advanceBy_);
    clockBar->addWidget(advance_);
    layout->addLayout(clockBar);

    auto* splitter = new QSplitter(Qt::Vertical, this);
    table_ = new QTableView(splitter);
    table_->setObjectName(QStringLiteral("scheduleTable"));
    table_->setModel(schedules_);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::SingleSelection);
    table_->verticalHeader()->hide();
    table_->setAlternatingRowColors(true);
    table_->setWordWrap(false);
    table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    table_->horizontalHeader()->setStretchLastSection(true);
    connect(table_->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &SchedulesView::updateActions);
    // A reset (schedules came or went) drops the selection; choose the same one again.
    auto remembered = std::make_shared<QString>();
    connect(schedules_, &QAbstractItemModel::modelAboutToBeReset, this,
            [this, remembered] { *remembered = currentSchedule(); });
    connect(schedules_, &QAbstractItemModel::modelReset, this, [this, remembered] {
        if (remembered->isEmpty() || !selectSchedule(*remembered)) table_->selectRow(0);
        updateActions();
    });

    auto* lower = new QWidget(splitter);
    auto* lowerLayout = new QVBoxLayout(lower);
    lowerLayout->setContentsMargins(0, 6, 0, 0);
    auto* actions = new QHBoxLayout;
    fire_ = new QPushButton(tr("Fire now"), lower);
    fire_->setObjectName(QStringLiteral("fireSchedule"));
    fire_->setToolTip(tr("Invoke the chosen schedule's function now, as if it were due"));
    message_ = new QLabel(lower);
    message_->setObjectName(QStringLiteral("scheduleMessage"));
    message_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    actions->addWidget(fire_);
    actions->addWidget(message_, 1);
    lowerLayout->addLayout(actions);
    firings_ = new QTreeWidget(lower);
    firings_->setObjectName(QStringLiteral("firingList"));
    firings_->setRootIsDecorated(false);
    firings_->setAlternatingRowColors(true);
    firings_->setHeaderLabels(
        {tr("Due (event time)"), tr("Schedule"), tr("Function"), tr("Result"), tr("Duration")});
    firings_->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    lowerLayout->addWidget(firings_, 1);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    layout->addWidget(splitter, 1);

    connect(pause_, &QPushButton::clicked, this, [this] {
        if (!bridge_) return;
        if (bridge_->clockPaused())
            bridge_->resumeClock();
        else
            bridge_->pauseClock();
    });
    connect(advance_, &QPushButton::clicked, this, [this] {
        if (!bridge_ || busy_) return;
        busy_ = true;
        say(tr("Advancing the clock by %1…").arg(advanceBy_->currentText()));
        updateActions();
        bridge_->advanceClock(advanceSeconds());
    });
    connect(fire_, &QPushButton::clicked, this, [this] {
        const QString name = currentSchedule();
        if (!bridge_ || name.isEmpty()) return;
        say(tr("Firing %1…").arg(name));
        bridge_->fireSchedule(name);
    });
    connect(schedules_, &ScheduleTableModel::enabledToggled, this,
            [this](const QString& name, bool enabled) {
                if (bridge_) bridge_->setScheduleEnabled(name, enabled);
            });
    clockTimer_.setInterval(kClockMs);
    connect(&clockTimer_, &QTimer::timeout, this, &SchedulesView::updateClock);
    refreshTimer_.setInterval(kRefreshMs);
    connect(&refreshTimer_, &QTimer::timeout, this, &SchedulesView::refresh);
    updateClock();
    updateActions();
}

void SchedulesView::setBridge(EngineBridge* bridge) {
    bridge_ = bridge;
    connect(bridge, &EngineBridge::schedulesRefreshed, this,
            [this](const QList<ScheduleInfo>& list) {
                schedules_->setSchedules(list);
                updateActions();
            });
    connect(bridge, &EngineBridge::schedulesFired, this, &SchedulesView::onFired);
    connect(bridge, &EngineBridge::scheduleOperationFinished, this,
            [this](const QString& what, const QString& error) {
                say(error.isEmpty() ? what : error, !error.isEmpty());
            });
    connect(bridge, &EngineBridge::clockChanged, this, &SchedulesView::updateClock);
    connect(bridge, &EngineBridge::projectOpened, this, [this] {
        firings_->clear();
        busy_ = false;
        say({});
        refresh();
    });
    connect(bridge, &EngineBridge::projectClosed, this, [this] {
        schedules_->setSchedules({});
        firings_->clear();
        busy_ = false;
        updateClock();
    });
    refresh();
}

void SchedulesView::refresh() {
    if (bridge_ && bridge_->isOpen()) bridge_->refreshSchedules(3);
    updateClock();
}

QString SchedulesView::currentSchedule() const {
    const QModelIndex current = table_->selectionModel()->currentIndex();
    if (!table_->selectionModel()->hasSelection() || !current.isValid()) return {};
    return schedules_->data(current, ScheduleTableModel::NameRole).toString();
}

bool SchedulesView::selectSchedule(const QString& name) {
    const int row = schedules_->rowOf(name);
    if (row < 0) return false;
    table_->selectRow(row);
    return true;
}

qint64 SchedulesView::advanceSeconds() const {
    return advanceBy_->currentData().toLongLong();
}

void SchedulesView::showEvent(QShowEvent* event) {
    QWidget::showEvent(event);
    refresh();
    clockTimer_.start();
    refreshTimer_.start();
}

void SchedulesView::hideEvent(QHideEvent* event) {
    QWidget::hideEvent(event);
    clockTimer_.stop();
    refreshTimer_.stop();
}

void SchedulesView::updateClock() {
    const bool open = bridge_ && bridge_->isOpen();
    if (!open) {
        clock_->setText(tr("no project open"));
        pause_->setText(tr("Pause clock"));
    } else {
        const bool paused = bridge_->clockPaused();
        clock_->setText(QStringLiteral("<b>%1</b> %2")
                            .arg(utcText(bridge_->clockNow()),
                                 paused ? tr("(paused)") : tr("(running in real time)")));
        pause_->setText(paused ? tr("Resume clock") : tr("Pause clock"));
    }
    updateActions();
}

void SchedulesView::updateActions() {
    const bool open = bridge_ && bridge_->isOpen();
    pause_->setEnabled(open);
    advance_->setEnabled(open && !busy_ && schedules_->rowCount() > 0);
    fire_->setEnabled(open && !currentSchedule().isEmpty());
}

void SchedulesView::onFired(const QList<FiringInfo>& firings, const QString& error) {
    busy_ = false;
    for (const FiringInfo& f : firings) {
        auto* item = new QTreeWidgetItem(
            {utcText(f.due), f.schedule, f.function,
             f.error.isEmpty() ? f.status : QStringLiteral("%1 (%2)").arg(f.status, f.error),
             QStringLiteral("%1 ms").arg(f.durationMs, 0, 'f', 1)});
        item->setData(0, Qt::UserRole, f.requestId);
        if (f.status != QLatin1String("success"))
            for (int c = 0; c < 5; ++c) item->setForeground(c, QColor(0xc6, 0x28, 0x28));
        firings_->insertTopLevelItem(0, item);
    }
    while (firings_->topLevelItemCount() > kFiringsKept)
        std::unique_ptr<QTreeWidgetItem>(
            firings_->takeTopLevelItem(firings_->topLevelItemCount() - 1));
    if (!error.isEmpty())
        say(error, true);
    else if (firings.isEmpty())
        say(tr("Nothing was due."));
    else
        say(tr("%n schedule firing(s).", nullptr, static_cast<int>(firings.size())));
    updateActions();
}

void SchedulesView::say(const QString& text, bool error) {
    message_->setStyleSheet(error ? QStringLiteral("color:#c62828") : QString());
    message_->setText(text);
}

}  // namespace fogbank::ui
