#include "ui/trace_view.h"

#include "emulator/trace/invocation_store.h"
#include "emulator/trace/trace_tree.h"
#include "ui/invocation_detail_panel.h"
#include "ui/invocation_record.h"
#include "ui/json_text.h"
#include "ui/store_reader.h"
#include "ui/trace_list_model.h"
#include "ui/trace_waterfall_model.h"
#include "ui/waterfall_delegate.h"
#include "ui/waterfall_geometry.h"

#include <QComboBox>
#include <QDateTime>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QTreeView>
#include <QVBoxLayout>

#include <chrono>

namespace fogbank::ui {

namespace {

QString timeOf(Clock::time_point t) {
    const auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
    return QDateTime::fromMSecsSinceEpoch(ms).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"));
}

QString legend() {
    const auto swatch = [](const char* color, const QString& what) {
        return QStringLiteral("<span style='background:%1'>&nbsp;&nbsp;&nbsp;&nbsp;</span>&nbsp;%2")
            .arg(QLatin1String(color), what);
    };
    return QStringLiteral("<small>%1 &nbsp; %2 &nbsp; %3 &nbsp; %4</small>")
        .arg(swatch("#1e88e5", TraceView::tr("invocation")),
             swatch("#ffb300", TraceView::tr("cold start (init)")),
             swatch("#26a69a", TraceView::tr("service call")),
             swatch("#e53935", TraceView::tr("error")));
}

// The span's timings and identity, as a person reads them.
QString summaryOf(const TraceTree& tree, const TraceNode& node) {
    QStringList lines;
    const auto add = [&](const QString& key, const QString& value) {
        lines << QStringLiteral("%1  %2").arg(key.leftJustified(14), value);
    };
    add(TraceView::tr("Span"), QString::fromStdString(tree.name(node)));
    add(TraceView::tr("Status"), QString::fromStdString(tree.status(node)));
    add(TraceView::tr("Started"),
        timeOf(tree.startOf(node)) +
            TraceView::tr("  (+%1 in the trace)").arg(formatDurationMs(tree.offsetMs(node))));
    add(TraceView::tr("Lasted"), formatDurationMs(tree.durationMs(node)));
    if (const auto* i = tree.invocation(node)) {
        add(TraceView::tr("Request id"), QString::fromStdString(i->requestId));
        add(TraceView::tr("Trigger"), triggerLabel(i->trigger));
        add(TraceView::tr("Start"),
            i->cold ? TraceView::tr("cold, init %1").arg(formatDurationMs(i->initMs))
                    : TraceView::tr("warm"));
        add(TraceView::tr("Handler"), formatDurationMs(i->durationMs));
        add(TraceView::tr("Billed"), TraceView::tr("%1 ms").arg(i->billedMs));
        add(TraceView::tr("Memory"),
            TraceView::tr("%1 of %2 MB used").arg(i->maxMemoryUsedMb).arg(i->memorySizeMb));
        if (i->costUsd > 0)
            add(TraceView::tr("Cost"), QStringLiteral("$%1").arg(i->costUsd, 0, 'f', 9));
        if (!i->errorType.empty())
            add(TraceView::tr("Error"), QString::fromStdString(i->errorType));
        add(TraceView::tr("Sandbox"), QString::fromStdString(i->sandboxId));
    } else if (const auto* c = tree.call(node)) {
        add(TraceView::tr("Service"), QString::fromStdString(c->service));
        add(TraceView::tr("Operation"), QString::fromStdString(c->operation));
        add(TraceView::tr("Resource"), QString::fromStdString(c->resource));
        add(TraceView::tr("HTTP status"), QString::number(c->statusCode));
        if (!c->error.empty()) add(TraceView::tr("Error"), QString::fromStdString(c->error));
        for (const auto& [key, value] : c->attributes)
            add(QString::fromStdString(key), QString::fromStdString(value));
    }
    add(TraceView::tr("Span id"), QString::fromStdString(node.spanId));
    add(TraceView::tr("Parent span"),
        node.parentSpanId.empty()
            ? TraceView::tr("(none: a root)")
            : QString::fromStdString(node.parentSpanId) +
                  (node.orphan ? TraceView::tr(" (not recorded)") : QString()));
    add(TraceView::tr("Trace"), QString::fromStdString(tree.traceRoot));
    return lines.join(QLatin1Char('\n'));
}

}  // namespace

TraceView::TraceView(QWidget* parent)
    : QWidget(parent),
      reader_(new StoreReader(this)),
      list_(new TraceListModel(this)),
      waterfall_(new TraceWaterfallModel(this)) {
    const QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);

    auto* listBox = new QWidget(this);
    title_ = new QLabel(tr("<b>Traces</b>"), listBox);
    title_->setObjectName(QStringLiteral("tracesTitle"));
    function_ = new QComboBox(listBox);
    function_->setObjectName(QStringLiteral("traceFunctionFilter"));
    function_->addItem(tr("All functions"), QString());
    function_->setToolTip(tr("Only the traces in which this function ran"));
    connect(function_, &QComboBox::currentIndexChanged, this, [this] { loadList(); });
    table_ = new QTableView(listBox);
    table_->setObjectName(QStringLiteral("traceTable"));
    table_->setModel(list_);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::SingleSelection);
    table_->setAlternatingRowColors(true);
    table_->setWordWrap(false);
    table_->verticalHeader()->hide();
    table_->verticalHeader()->setDefaultSectionSize(table_->fontMetrics().height() + 6);
    const int digit = table_->fontMetrics().horizontalAdvance(QLatin1Char('0'));
    QHeaderView* header = table_->horizontalHeader();
    header->resizeSection(TraceListModel::Start, digit * 14);
    header->resizeSection(TraceListModel::RootFunction, digit * 20);
    header->resizeSection(TraceListModel::Duration, digit * 10);
    header->resizeSection(TraceListModel::Invocations, digit * 11);
    header->resizeSection(TraceListModel::Calls, digit * 7);
    header->resizeSection(TraceListModel::Errors, digit * 8);
    header->setStretchLastSection(true);
    connect(table_->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &TraceView::onTraceSelected);
    // A click on the trace already chosen changes no selection, but says where the user looks.
    connect(table_, &QAbstractItemView::clicked, this,
            [this](const QModelIndex& index) { followNewest_ = index.row() == 0; });
    connect(list_, &QAbstractItemModel::modelReset, this, [this] {
        // A reset loses the selection; find the trace shown (or asked for) again.
        const QString want = !wantedTrace_.isEmpty() ? wantedTrace_ : shownTrace_;
        const int row = list_->rowOfTrace(want);
        if (row >= 0) {
            const QSignalBlocker block(table_->selectionModel());
            table_->selectRow(row);
        }
        if (!wantedTrace_.isEmpty() && row >= 0) {
            wantedTrace_.clear();
            if (shownTrace_ != want) loadTrace(want);
        } else if (followNewest_ && list_->rowCount() > 0 && row != 0) {
            // Until the user picks a trace, the view follows what just happened.
            table_->selectRow(0);
        } else if (row >= 0 && !shownTrace_.isEmpty()) {
            // The list changed, perhaps the shown trace with it: a trace grows while its
            // asynchronous parts finish. Read it again, keeping the chosen span.
            if (const TraceNode* node = waterfall_->nodeAt(tree_->currentIndex()))
                wantedSpan_ = QString::fromStdString(node->spanId);
            loadTrace(shownTrace_);
        } else if (want.isEmpty() && list_->rowCount() > 0) {
            // Nothing chosen yet: the newest trace is what the user just caused.
            table_->selectRow(0);
        }
        title_->setText(tr("<b>Traces</b> (%1)").arg(list_->rowCount()));
    });
    auto* listBar = new QHBoxLayout;
    listBar->addWidget(title_);
    listBar->addStretch(1);
    listBar->addWidget(function_);
    auto* listLayout = new QVBoxLayout(listBox);
    listLayout->setContentsMargins(0, 0, 0, 0);
    listLayout->setSpacing(2);
    listLayout->addLayout(listBar);
    listLayout->addWidget(table_, 1);

    auto* waterfallBox = new QWidget(this);
    traceTitle_ = new QLabel(tr("Choose a trace"), waterfallBox);
    traceTitle_->setObjectName(QStringLiteral("traceTitle"));
    traceTitle_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* legendLabel = new QLabel(legend(), waterfallBox);
    tree_ = new QTreeView(waterfallBox);
    tree_->setObjectName(QStringLiteral("waterfall"));
    tree_->setModel(waterfall_);
    tree_->setItemDelegateForColumn(TraceWaterfallModel::Timeline, new WaterfallDelegate(tree_));
    tree_->setUniformRowHeights(true);
    tree_->setAllColumnsShowFocus(true);
    tree_->setSelectionBehavior(QAbstractItemView::SelectRows);
    tree_->header()->setStretchLastSection(true);
    tree_->header()->resizeSection(TraceWaterfallModel::Name, digit * 34);
    tree_->header()->resizeSection(TraceWaterfallModel::Status, digit * 18);
    tree_->header()->resizeSection(TraceWaterfallModel::Offset, digit * 10);
    tree_->header()->resizeSection(TraceWaterfallModel::Duration, digit * 10);
    connect(tree_->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& current) { showSpan(current); });
    auto* titleBar = new QHBoxLayout;
    titleBar->addWidget(traceTitle_, 1);
    titleBar->addWidget(legendLabel);
    titleBar->addSpacing(8);
    auto* waterfallLayout = new QVBoxLayout(waterfallBox);
    waterfallLayout->setContentsMargins(0, 0, 0, 0);
    waterfallLayout->setSpacing(2);
    waterfallLayout->addLayout(titleBar);
    waterfallLayout->addWidget(tree_, 1);

    detailTabs_ = new QTabWidget(this);
    detailTabs_->setObjectName(QStringLiteral("spanDetail"));
    summary_ = new QPlainTextEdit(detailTabs_);
    summary_->setObjectName(QStringLiteral("spanSummary"));
    summary_->setReadOnly(true);
    summary_->setFont(mono);
    summary_->setPlaceholderText(tr("Click a span to see its timings"));
    event_ = new QPlainTextEdit(detailTabs_);
    event_->setObjectName(QStringLiteral("spanEvent"));
    event_->setReadOnly(true);
    event_->setFont(mono);
    invocation_ = new InvocationDetailPanel(detailTabs_);
    invocation_->setObjectName(QStringLiteral("spanInvocation"));
    // Named apart from the Functions tab's panel, which the window and its tests find by name.
    invocation_->responseView()->setObjectName(QStringLiteral("spanResponse"));
    invocation_->logView()->setObjectName(QStringLiteral("spanLogs"));
    invocation_->statusLabel()->setObjectName(QStringLiteral("spanStatus"));
    detailTabs_->addTab(summary_, tr("Timings"));
    detailTabs_->addTab(event_, tr("Event"));
    detailTabs_->addTab(invocation_, tr("Response && log"));

    auto* right = new QSplitter(Qt::Vertical, this);
    right->addWidget(waterfallBox);
    right->addWidget(detailTabs_);
    right->setStretchFactor(0, 3);
    right->setStretchFactor(1, 2);
    auto* split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(listBox);
    split->addWidget(right);
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 5);
    split->setSizes({500, 900});
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(split);

    refreshTimer_.setSingleShot(true);
    refreshTimer_.setInterval(kRefreshDebounceMs);
    connect(&refreshTimer_, &QTimer::timeout, this, &TraceView::loadList);
    connect(reader_, &StoreReader::failed, this, [this](const QString& kind, const QString& why) {
        traceTitle_->setText(tr("<span style='color:#c62828'>Could not read the %1: %2</span>")
                                 .arg(kind, why.toHtmlEscaped()));
    });
}

TraceView::~TraceView() = default;

void TraceView::setStore(const std::shared_ptr<InvocationStore>& store) {
    reader_->setStore(store);
    list_->clear();
    waterfall_->setTree(nullptr);
    shownTrace_.clear();
    followNewest_ = true;
    summary_->clear();
    event_->clear();
    invocation_->clear();
    traceTitle_->setText(store ? tr("Choose a trace") : tr("Nothing is recorded"));
    if (store) loadList();
}

void TraceView::setFunctions(const QStringList& names) {
    const QSignalBlocker block(function_);
    function_->clear();
    function_->addItem(tr("All functions"), QString());
    for (const QString& name : names) function_->addItem(name, name);
}

void TraceView::setFunctionFilter(const QString& name) {
    const int at = name.isEmpty() ? 0 : function_->findData(name);
    if (at >= 0) function_->setCurrentIndex(at);
}

void TraceView::refresh() {
    if (!refreshTimer_.isActive()) refreshTimer_.start();
}

void TraceView::loadList() {
    if (!reader_->hasStore()) return;
    const std::string function = function_->currentData().toString().toStdString();
    reader_->request(QStringLiteral("trace list"), [this, function](InvocationStore& store) {
        auto snapshot =
            std::make_shared<const std::vector<TraceSummary>>(store.traces(function, kMaxTraces));
        return [this, snapshot] {
            list_->setSnapshot(snapshot);
            emit traceListLoaded();
        };
    });
}

void TraceView::showTrace(const QString& traceId, const QString& requestId) {
    followNewest_ = false;
    wantedRequest_ = requestId;
    const int row = list_->rowOfTrace(traceId);
    if (row >= 0) {
        wantedTrace_.clear();
        const QSignalBlocker block(table_->selectionModel());
        table_->selectRow(row);
    } else {
        // Not listed yet (just recorded, or filtered out): shown now, selected when listed.
        wantedTrace_ = traceId;
        refresh();
    }
    loadTrace(traceId);
}

void TraceView::onTraceSelected() {
    const QModelIndex current = table_->selectionModel()->currentIndex();
    followNewest_ = current.row() == 0;
    const QString id = current.data(TraceListModel::TraceIdRole).toString();
    if (!id.isEmpty() && id != shownTrace_) loadTrace(id);
}

void TraceView::loadTrace(const QString& traceId) {
    shownTrace_ = traceId;
    traceTitle_->setText(tr("Reading trace %1…").arg(traceId));
    reader_->request(QStringLiteral("trace"), [this, traceId](InvocationStore& store) {
        auto tree = std::make_shared<const TraceTree>(loadTraceTree(store, traceId.toStdString()));
        return [this, traceId, tree] {
            if (traceId != shownTrace_) return;
            waterfall_->setTree(tree);
            tree_->expandAll();
            if (tree->empty()) {
                traceTitle_->setText(tr("Trace %1 is not in the store (retention may have "
                                        "dropped it)")
                                         .arg(traceId));
            } else {
                traceTitle_->setText(tr("<b>%1</b> · %2 · %3 spans · %4 error(s)")
                                         .arg(traceId, formatDurationMs(tree->durationMs()))
                                         .arg(tree->nodes.size())
                                         .arg(tree->errors()));
            }
            selectRequestedSpan();
            emit traceLoaded(traceId);
        };
    });
}

void TraceView::selectRequestedSpan() {
    QModelIndex target = waterfall_->indexOfRequest(wantedRequest_);
    if (!target.isValid()) target = waterfall_->indexOfSpan(wantedSpan_);
    if (!target.isValid()) target = waterfall_->index(0, 0);
    wantedRequest_.clear();
    wantedSpan_.clear();
    if (!target.isValid()) {
        summary_->clear();
        event_->clear();
        invocation_->clear();
        return;
    }
    tree_->setCurrentIndex(target);  // shows the span, through currentRowChanged
    tree_->scrollTo(target);
}

void TraceView::showSpan(const QModelIndex& index) {
    const TraceNode* node = waterfall_->nodeAt(index);
    const auto& tree = waterfall_->tree();
    if (!node || !tree) return;
    summary_->setPlainText(summaryOf(*tree, *node));
    if (const auto* i = tree->invocation(*node)) {
        const InvocationRecord record = InvocationRecord::fromResult(*i);
        event_->setPlainText(prettyJson(record.event));
        invocation_->showRecord(record);
        detailTabs_->setTabEnabled(1, true);
        detailTabs_->setTabEnabled(2, true);
    } else {
        event_->clear();
        invocation_->clear();
        detailTabs_->setTabEnabled(1, false);
        detailTabs_->setTabEnabled(2, false);
        detailTabs_->setCurrentIndex(0);
    }
    emit spanShown();
}

}  // namespace fogbank::ui
