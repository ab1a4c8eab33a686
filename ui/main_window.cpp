#include "ui/main_window.h"

#include "emulator/trace/invocation_store.h"
#include "ui/bucket_browser.h"
#include "ui/compare_view.h"
#include "ui/event_editor.h"
#include "ui/event_library_menu.h"
#include "ui/function_list_panel.h"
#include "ui/history_table_model.h"
#include "ui/invocation_detail_panel.h"
#include "ui/queue_browser.h"
#include "ui/routes_view.h"
#include "ui/schedules_view.h"
#include "ui/cold_start_view.h"
#include "ui/cost_view.h"
#include "ui/debugger_view.h"
#include "ui/store_reader.h"
#include "ui/trace_view.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QItemSelection>
#include <QKeySequence>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QLocale>
#include <QMenu>
#include <QMenuBar>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QSet>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <vector>

namespace fogbank::ui {

namespace {

constexpr int kCountsRefreshMs = 2000;
constexpr auto kDefaultEvent = "{}";

}  // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent),
      bridge_(new EngineBridge(this)),
      model_(new HistoryTableModel(this)),
      reader_(new StoreReader(this)) {
    setWindowTitle(tr("Fogbank Studio"));
    connect(model_, &HistoryTableModel::recordReady, this, &MainWindow::onRecordReady);

    stack_ = new QStackedWidget(this);
    stack_->addWidget(buildHintPage());
    // One tab per way of looking at the running app; each service's browser joins here.
    tabs_ = new QTabWidget(stack_);
    tabs_->setObjectName(QStringLiteral("viewTabs"));
    tabs_->setDocumentMode(true);
    tabs_->addTab(buildWorkbench(), tr("Functions"));
    traces_ = new TraceView(tabs_);
    traces_->setObjectName(QStringLiteral("traceView"));
    tabs_->addTab(traces_, tr("Traces"));
    queues_ = new QueueBrowser(tabs_);
    queues_->setObjectName(QStringLiteral("queueBrowser"));
    queues_->setBridge(bridge_);
    tabs_->addTab(queues_, tr("Queues"));
    buckets_ = new BucketBrowser(tabs_);
    buckets_->setObjectName(QStringLiteral("bucketBrowser"));
    buckets_->setBridge(bridge_);
    tabs_->addTab(buckets_, tr("Buckets"));
    routes_ = new RoutesView(tabs_);
    routes_->setObjectName(QStringLiteral("routesView"));
    routes_->setBridge(bridge_);
    tabs_->addTab(routes_, tr("APIs"));
    schedules_ = new SchedulesView(tabs_);
    schedules_->setObjectName(QStringLiteral("schedulesView"));
    schedules_->setBridge(bridge_);
    tabs_->addTab(schedules_, tr("Schedules"));
    coldStarts_ = new ColdStartView(tabs_);
    coldStarts_->setObjectName(QStringLiteral("coldStartView"));
    coldStarts_->setBridge(bridge_);
    tabs_->addTab(coldStarts_, tr("Cold starts"));
    cost_ = new CostView(tabs_);
    cost_->setObjectName(QStringLiteral("costView"));
    cost_->setBridge(bridge_);
    tabs_->addTab(cost_, tr("Cost"));
    debugger_ = new DebuggerView(tabs_);
    debugger_->setObjectName(QStringLiteral("debuggerView"));
    debugger_->setBridge(bridge_);
    tabs_->addTab(debugger_, tr("Debugger"));
    // A stop is what the user waits for: the window comes to it, wherever they were looking.
    connect(debugger_, &DebuggerView::stopShown, this,
            [this] { tabs_->setCurrentWidget(debugger_); });
    stack_->addWidget(tabs_);
    setCentralWidget(stack_);
    buildMenus();
    buildStatusBar();
    showHint(tr("Open a SAM <code>template.yaml</code> to run its functions here."));

    connect(bridge_, &EngineBridge::projectOpening, this, [this](const QString& path) {
        showHint(tr("Opening <code>%1</code>…").arg(path.toHtmlEscaped()));
        statusBar()->showMessage(tr("Opening %1…").arg(path));
    });
    connect(bridge_, &EngineBridge::projectOpened, this, &MainWindow::onProjectOpened);
    connect(bridge_, &EngineBridge::projectFailed, this, [this](const QString& message) {
        showHint(tr("<p style='color:#c62828'><b>Could not open the project</b></p>"
                    "<pre style='color:#c62828'>%1</pre>"
                    "<p>Fix the template and use File › Reload, or open another one.</p>")
                     .arg(message.toHtmlEscaped()));
        statusBar()->showMessage(message);
    });
    connect(bridge_, &EngineBridge::projectClosed, this, [this] {
        functions_->clear();
        model_->setStore(nullptr);
        traces_->setStore(nullptr);
        reader_->setStore(nullptr);
        library_->setFunction({});
        detail_->clear();
        detailRow_ = QPersistentModelIndex();
        detailTicket_ = 0;
        replayReads_.clear();
        replayQueue_.clear();
        replayTicket_ = 0;
        replayIndex_ = -1;
        compare_->clear();
        warningsList_->clear();
        warningsDock_->hide();
        pendingTicket_ = 0;
        rowToSelect_.clear();
        updateInvokeEnabled();
        updateSandboxLabel();
    });
    connect(bridge_, &EngineBridge::invocationStarted, this,
            [this](const QString& id, const QString& function, const QString&) {
                onInvocationStarted(id, function);
            });
    connect(bridge_, &EngineBridge::logLine, this,
            [this](const QString& id, const QDateTime&, const QString& text) {
                if (detailFollowsPending_ && !pendingRequest_.isEmpty() && id == pendingRequest_) {
                    detail_->appendLog(text);
                }
            });
    connect(bridge_, &EngineBridge::invocationFinished, this,
            [this](const InvocationRecord& record) {
                // The store has it already (the engine reports an invocation once it is
                // committed); the model reads it from there, with everything else that is new.
                model_->refresh();
                traces_->refresh();
                if (record.function == library_->function()) loadRecordedEvents();
                bridge_->refreshSandboxCounts();
            });
    connect(bridge_, &EngineBridge::invokeReturned, this, &MainWindow::onInvokeReturned);
    connect(bridge_, &EngineBridge::sandboxCountsChanged, this, &MainWindow::updateSandboxLabel);

    // Sandboxes are reaped on the engine's own schedule, which sends no event; ask now and then.
    countsTimer_.setInterval(kCountsRefreshMs);
    connect(&countsTimer_, &QTimer::timeout, bridge_, &EngineBridge::refreshSandboxCounts);
    countsTimer_.start();

    resize(1400, 900);
}

MainWindow::~MainWindow() = default;

QWidget* MainWindow::buildHintPage() {
    auto* page = new QWidget(this);
    hint_ = new QLabel(page);
    hint_->setObjectName(QStringLiteral("projectHint"));
    hint_->setAlignment(Qt::AlignCenter);
    hint_->setWordWrap(true);
    hint_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* open = new QPushButton(tr("Open template…"), page);
    connect(open, &QPushButton::clicked, this, &MainWindow::chooseTemplate);

    auto* layout = new QVBoxLayout(page);
    layout->addStretch(1);
    layout->addWidget(hint_);
    layout->addWidget(open, 0, Qt::AlignHCenter);
    layout->addStretch(1);
    return page;
}

QWidget* MainWindow::buildWorkbench() {
    auto* vertical = new QSplitter(Qt::Vertical, this);
    auto* top = new QSplitter(Qt::Horizontal, vertical);

    functions_ = new FunctionListPanel(top);
    connect(functions_, &FunctionListPanel::currentFunctionChanged, this,
            &MainWindow::onFunctionChanged);

    auto* eventColumn = new QWidget(top);
    eventTitle_ = new QLabel(eventColumn);
    editor_ = new EventEditor(eventColumn);
    editor_->setObjectName(QStringLiteral("eventEditor"));
    invokeButton_ = new QPushButton(tr("Invoke"), eventColumn);
    invokeButton_->setObjectName(QStringLiteral("invokeButton"));
    invokeButton_->setDefault(true);
    invokeButton_->setToolTip(tr("Send the event to the selected function (Ctrl+Return)"));
    debugButton_ = new QPushButton(tr("Debug"), eventColumn);
    debugButton_->setObjectName(QStringLiteral("debugButton"));
    debugButton_->setToolTip(tr(
        "Send the event under the debugger: it stops on the breakpoints set in the Debugger tab"));
    connect(debugButton_, &QPushButton::clicked, this, &MainWindow::debugSelected);
    library_ = new EventLibraryMenu(bridge_, this);
    libraryButton_ = new QToolButton(eventColumn);
    libraryButton_->setObjectName(QStringLiteral("eventLibraryButton"));
    libraryButton_->setText(tr("Events"));
    libraryButton_->setToolTip(tr("Saved, project, recorded and sample events"));
    libraryButton_->setPopupMode(QToolButton::InstantPopup);
    libraryButton_->setToolButtonStyle(Qt::ToolButtonTextOnly);
    libraryButton_->setMenu(library_);
    connect(library_, &EventLibraryMenu::eventChosen, this,
            [this](const QString& json, const QString& label) {
                editor_->setText(json);
                statusBar()->showMessage(tr("Editor holds %1").arg(label), 5000);
            });
    connect(library_, &EventLibraryMenu::failed, this,
            [this](const QString& message) { statusBar()->showMessage(message, 10000); });
    connect(library_, &EventLibraryMenu::saveRequested, this, [this] {
        bool ok = false;
        const QString name = QInputDialog::getText(this, tr("Save event"),
                                                   tr("Name (letters, digits, spaces, . - _):"),
                                                   QLineEdit::Normal, QString(), &ok);
        if (!ok) return;
        QString error;
        if (!saveEventAs(name, &error)) statusBar()->showMessage(error, 10000);
    });
    auto* invokeRow = new QHBoxLayout;
    invokeRow->addWidget(libraryButton_);
    invokeRow->addWidget(new QLabel(tr("<small>Ctrl+Return</small>"), eventColumn), 1,
                         Qt::AlignRight);
    invokeRow->addWidget(debugButton_);
    invokeRow->addWidget(invokeButton_);
    auto* eventLayout = new QVBoxLayout(eventColumn);
    eventLayout->setContentsMargins(0, 0, 0, 0);
    eventLayout->addWidget(eventTitle_);
    eventLayout->addWidget(editor_, 1);
    eventLayout->addLayout(invokeRow);

    // An action rather than a button shortcut, so that both Return keys work and the menu shows it.
    invokeAction_ = new QAction(tr("&Invoke"), this);
    invokeAction_->setShortcuts(
        {QKeySequence(Qt::CTRL | Qt::Key_Return), QKeySequence(Qt::CTRL | Qt::Key_Enter)});
    addAction(invokeAction_);
    connect(invokeAction_, &QAction::triggered, this, &MainWindow::invokeSelected);
    connect(invokeButton_, &QPushButton::clicked, this, &MainWindow::invokeSelected);
    connect(editor_, &EventEditor::validityChanged, this, &MainWindow::updateInvokeEnabled);

    detail_ = new InvocationDetailPanel(top);

    auto* tableBox = new QWidget(vertical);
    table_ = new QTableView(tableBox);
    table_->setObjectName(QStringLiteral("invocationTable"));
    table_->setModel(model_);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::ExtendedSelection);
    table_->setVerticalScrollMode(QAbstractItemView::ScrollPerItem);
    table_->setAlternatingRowColors(true);
    table_->setWordWrap(false);
    table_->verticalHeader()->hide();
    table_->verticalHeader()->setDefaultSectionSize(table_->fontMetrics().height() + 6);
    // The store's order (newest first) is the only one: sorting a million rows by another column
    // would read them all.
    table_->setSortingEnabled(false);
    QHeaderView* header = table_->horizontalHeader();
    header->setHighlightSections(false);
    // Fixed widths from the font: fitting columns to a million rows' contents would read them.
    const int digit = table_->fontMetrics().horizontalAdvance(QLatin1Char('0'));
    header->resizeSection(HistoryTableModel::Time, digit * 20);
    header->resizeSection(HistoryTableModel::Function, digit * 28);
    header->resizeSection(HistoryTableModel::Status, digit * 14);
    header->resizeSection(HistoryTableModel::ColdWarm, digit * 7);
    for (int column :
         {HistoryTableModel::InitMs, HistoryTableModel::DurationMs, HistoryTableModel::BilledMs}) {
        header->resizeSection(column, digit * 12);
    }
    header->resizeSection(HistoryTableModel::MaxMemory, digit * 14);
    header->resizeSection(HistoryTableModel::TriggeredBy, digit * 11);
    header->resizeSection(HistoryTableModel::CostUsd, digit * 16);
    header->setSectionResizeMode(HistoryTableModel::Function, QHeaderView::Stretch);
    connect(table_->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& current) { onCurrentRowChanged(current); });
    connect(table_->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &MainWindow::updateReplayEnabled);
    // New invocations arrive at the top. A reader at the top sees them come in; a reader further
    // down keeps the rows they were reading where they were.
    connect(model_, &QAbstractItemModel::rowsAboutToBeInserted, this,
            [this] { tableAtTop_ = table_->verticalScrollBar()->value() == 0; });
    connect(model_, &QAbstractItemModel::rowsInserted, this,
            [this](const QModelIndex&, int first, int last) {
                if (!tableAtTop_) {
                    QScrollBar* bar = table_->verticalScrollBar();
                    bar->setValue(bar->value() + last - first + 1);
                }
                selectLandedRow();
                updateTableTitle();
            });
    connect(model_, &QAbstractItemModel::rowsRemoved, this, &MainWindow::updateTableTitle);
    connect(model_, &QAbstractItemModel::modelReset, this, [this] {
        updateTableTitle();
        updateReplayEnabled();
    });
    // A row picked before its page was read shows once the page is here.
    connect(model_, &QAbstractItemModel::dataChanged, this,
            [this](const QModelIndex& topLeft, const QModelIndex& bottomRight) {
                if (detailRow_.isValid() && detailRow_.row() >= topLeft.row() &&
                    detailRow_.row() <= bottomRight.row()) {
                    showRowDetail(detailRow_);
                }
            });

    replayAction_ = new QAction(tr("&Replay"), this);
    replayAction_->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R));
    replayAction_->setToolTip(
        tr("Send the selected invocations' events again and compare the responses"));
    addAction(replayAction_);
    connect(replayAction_, &QAction::triggered, this, &MainWindow::replaySelected);
    table_->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(table_, &QAbstractItemView::doubleClicked, this, &MainWindow::showTraceOf);
    connect(table_, &QWidget::customContextMenuRequested, this, [this](const QPoint& at) {
        QMenu menu(table_);
        menu.addAction(replayAction_);
        QAction* copy = menu.addAction(tr("Copy request id"));
        const QModelIndex index = table_->indexAt(at);
        const QString id = index.data(HistoryTableModel::RequestIdRole).toString();
        copy->setEnabled(!id.isEmpty());
        connect(copy, &QAction::triggered, this, [id] { QApplication::clipboard()->setText(id); });
        QAction* trace = menu.addAction(tr("Show trace"));
        trace->setEnabled(!index.data(HistoryTableModel::TraceRootRole).toString().isEmpty());
        connect(trace, &QAction::triggered, this, [this, index] { showTraceOf(index); });
        menu.exec(table_->viewport()->mapToGlobal(at));
    });

    tableTitle_ = new QLabel(tableBox);
    tableTitle_->setObjectName(QStringLiteral("historyTitle"));
    filterEdit_ = new QLineEdit(tableBox);
    filterEdit_->setObjectName(QStringLiteral("functionFilter"));
    filterEdit_->setPlaceholderText(tr("Filter by function…"));
    filterEdit_->setClearButtonEnabled(true);
    filterEdit_->setMaximumWidth(digit * 36);
    filterTimer_.setSingleShot(true);
    filterTimer_.setInterval(kFilterDebounceMs);
    connect(filterEdit_, &QLineEdit::textChanged, this, [this] { filterTimer_.start(); });
    connect(&filterTimer_, &QTimer::timeout, this, &MainWindow::applyFunctionFilter);
    replayButton_ = new QPushButton(tr("Replay"), tableBox);
    replayButton_->setObjectName(QStringLiteral("replayButton"));
    replayButton_->setToolTip(replayAction_->toolTip() + tr(" (Ctrl+Shift+R)"));
    connect(replayButton_, &QPushButton::clicked, this, &MainWindow::replaySelected);
    auto* tableBar = new QHBoxLayout;
    tableBar->addWidget(tableTitle_);
    tableBar->addStretch(1);
    tableBar->addWidget(filterEdit_);
    tableBar->addWidget(replayButton_);

    top->addWidget(functions_);
    top->addWidget(eventColumn);
    top->addWidget(detail_);
    top->setStretchFactor(0, 0);
    top->setStretchFactor(1, 1);
    top->setStretchFactor(2, 2);
    top->setSizes({320, 380, 700});
    vertical->addWidget(top);
    auto* tableLayout = new QVBoxLayout(tableBox);
    tableLayout->setContentsMargins(0, 0, 0, 0);
    tableLayout->setSpacing(2);
    tableLayout->addLayout(tableBar);
    tableLayout->addWidget(table_, 1);
    vertical->addWidget(tableBox);
    vertical->setStretchFactor(0, 3);
    vertical->setStretchFactor(1, 2);
    vertical->setSizes({520, 300});

    warningsDock_ = new QDockWidget(tr("Template warnings"), this);
    warningsDock_->setObjectName(QStringLiteral("warningsDock"));
    warningsList_ = new QListWidget(warningsDock_);
    warningsList_->setObjectName(QStringLiteral("warningsList"));
    warningsDock_->setWidget(warningsList_);
    addDockWidget(Qt::BottomDockWidgetArea, warningsDock_);
    warningsDock_->hide();

    compareDock_ = new QDockWidget(tr("Replay"), this);
    compareDock_->setObjectName(QStringLiteral("compareDock"));
    compare_ = new CompareView(compareDock_);
    compare_->setObjectName(QStringLiteral("compareView"));
    compareDock_->setWidget(compare_);
    addDockWidget(Qt::BottomDockWidgetArea, compareDock_);
    compareDock_->hide();
    updateTableTitle();
    updateReplayEnabled();
    return vertical;
}

void MainWindow::buildMenus() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* open = file->addAction(tr("&Open template…"), this, &MainWindow::chooseTemplate);
    open->setShortcut(QKeySequence::Open);
    QAction* reload = file->addAction(tr("&Reload"), bridge_, &EngineBridge::reopenProject);
    // Ctrl+R only: F5 (the platform's other Refresh key) is the debugger's Continue, and a
    // reload that restarts the engine under a paused handler is the last thing F5 should do.
    reload->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), qApp, &QApplication::quit);
    quit->setShortcut(QKeySequence::Quit);

    QMenu* function = menuBar()->addMenu(tr("F&unction"));
    function->addAction(invokeAction_);
    QAction* format = function->addAction(tr("&Format event"), editor_, &EventEditor::format);
    format->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_F));

    function->addAction(replayAction_);

    QMenu* view = menuBar()->addMenu(tr("&View"));
    view->addAction(warningsDock_->toggleViewAction());
    view->addAction(compareDock_->toggleViewAction());
    QAction* filter = view->addAction(tr("&Filter invocations"), this, [this] {
        filterEdit_->setFocus();
        filterEdit_->selectAll();
    });
    filter->setShortcut(QKeySequence::Find);
}

void MainWindow::buildStatusBar() {
    projectLabel_ = new QLabel(this);
    edgeLabel_ = new QLabel(this);
    edgeLabel_->setObjectName(QStringLiteral("edgeLabel"));
    sandboxLabel_ = new QLabel(this);
    sandboxLabel_->setObjectName(QStringLiteral("sandboxLabel"));
    statusBar()->addPermanentWidget(projectLabel_);
    statusBar()->addPermanentWidget(edgeLabel_);
    statusBar()->addPermanentWidget(sandboxLabel_);
}

void MainWindow::showHint(const QString& html) {
    hint_->setText(html);
    stack_->setCurrentIndex(0);
    projectLabel_->clear();
    edgeLabel_->clear();
    sandboxLabel_->clear();
    setWindowTitle(tr("Fogbank Studio"));
    updateInvokeEnabled();
}

void MainWindow::openProject(const QString& templatePath) {
    bridge_->openProject(QFileInfo(templatePath).absoluteFilePath());
}

void MainWindow::chooseTemplate() {
    const QString start = bridge_->templatePath().isEmpty()
                              ? QDir::currentPath()
                              : QFileInfo(bridge_->templatePath()).absolutePath();
    const QString path = QFileDialog::getOpenFileName(this, tr("Open SAM template"), start,
                                                      tr("SAM templates (*.yaml *.yml *.json)"));
    if (!path.isEmpty()) openProject(path);
}

void MainWindow::onProjectOpened() {
    stack_->setCurrentIndex(1);
    setWindowTitle(tr("%1 — Fogbank Studio").arg(bridge_->stackName()));
    projectLabel_->setText(bridge_->templatePath());
    QString ports = bridge_->edgePort() > 0
                        ? tr("Edge %1:%2").arg(bridge_->bindAddress()).arg(bridge_->edgePort())
                        : tr("Edge off");
    if (bridge_->httpPort() > 0) ports += tr("  HTTP :%1").arg(bridge_->httpPort());
    edgeLabel_->setText(ports);
    functions_->setFunctions(bridge_->functions());

    warningsList_->clear();
    warningsList_->addItems(bridge_->warnings());
    warningsDock_->setVisible(!bridge_->warnings().isEmpty());
    statusBar()->showMessage(bridge_->warnings().isEmpty()
                                 ? tr("Loaded %1 function(s)").arg(bridge_->functions().size())
                                 : tr("Loaded with %1 warning(s), see the Template warnings pane")
                                       .arg(bridge_->warnings().size()),
                             8000);
    updateSandboxLabel();
    updateInvokeEnabled();
    // The function names may have changed with the project: filter again, then read.
    model_->setStore(bridge_->store());
    applyFunctionFilter();
    QStringList names;
    for (const FunctionInfo& fn : bridge_->functions()) names << fn.name;
    traces_->setFunctions(names);
    traces_->setStore(bridge_->store());
    reader_->setStore(bridge_->store());
    loadRecordedEvents();
}

void MainWindow::showTraceOf(const QModelIndex& index) {
    const QString trace = index.data(HistoryTableModel::TraceRootRole).toString();
    if (trace.isEmpty()) return;
    tabs_->setCurrentWidget(traces_);
    traces_->showTrace(trace, index.data(HistoryTableModel::RequestIdRole).toString());
}

bool MainWindow::selectFunction(const QString& nameOrLogicalId) {
    return functions_->selectFunction(nameOrLogicalId);
}

void MainWindow::setEventText(const QString& json) {
    editor_->setText(json);
}

void MainWindow::onFunctionChanged(const QString& logicalId) {
    if (!currentFunction_.isEmpty()) drafts_.insert(currentFunction_, editor_->text());
    currentFunction_ = logicalId;
    const FunctionInfo* fn = bridge_->findFunction(logicalId);
    eventTitle_->setText(fn ? tr("Event for <b>%1</b>").arg(fn->name.toHtmlEscaped())
                            : tr("Event"));
    if (!logicalId.isEmpty()) {
        editor_->setText(drafts_.value(logicalId, QString::fromLatin1(kDefaultEvent)));
    }
    library_->setFunction(fn ? fn->name : QString());
    loadRecordedEvents();
    updateInvokeEnabled();
}

void MainWindow::loadRecordedEvents() {
    const QString function = library_->function();
    if (function.isEmpty()) return;
    reader_->request(QStringLiteral("recorded events"), [this, function](InvocationStore& store) {
        InvocationQuery query;
        query.function = function.toStdString();
        query.limit = 50;
        QList<RecordedEvent> events;
        QSet<QString> seen;
        for (const StoredInvocation& stored : store.list(query)) {
            const QString event = QString::fromStdString(stored.event);
            if (seen.contains(event)) continue;
            seen.insert(event);
            events.append({QString::fromStdString(stored.requestId),
                           InvocationRecord::fromResult(stored).start, event});
            if (events.size() == EventLibraryMenu::kMaxRecorded) break;
        }
        return [this, function, events] {
            if (library_->function() == function) library_->setRecorded(events);
        };
    });
}

void MainWindow::popupEventLibrary() {
    library_->popup(libraryButton_->mapToGlobal(QPoint(0, libraryButton_->height())));
}

bool MainWindow::saveEventAs(const QString& name, QString* error) {
    editor_->validateNow();
    QString why;
    if (library_->function().isEmpty()) {
        why = tr("Choose a function to save the event for");
    } else if (bridge_->saveEvent(library_->function(), name.trimmed(), editor_->text(), &why)) {
        statusBar()->showMessage(
            tr("Saved the event as %1 for %2").arg(name.trimmed(), library_->function()), 5000);
        return true;
    }
    if (error) *error = why;
    return false;
}

quint64 MainWindow::invokeSelected() {
    // The debounced check may not have run on the last keys typed.
    editor_->validateNow();
    const FunctionInfo* fn = bridge_->findFunction(currentFunction_);
    if (!fn || !bridge_->isOpen() || !editor_->isValid()) return 0;

    table_->selectionModel()->clear();
    rowToSelect_.clear();
    pendingTicket_ = bridge_->invoke(fn->logicalId, editor_->text());
    pendingFunction_ = fn->name;
    pendingRequest_.clear();
    detailFollowsPending_ = pendingTicket_ != 0;
    if (detailFollowsPending_) detail_->beginLive(fn->name);
    return pendingTicket_;
}

void MainWindow::onInvocationStarted(const QString& requestId, const QString& function) {
    // The engine names the request only when it starts; the first start of the function we just
    // invoked is ours (the bridge's invokeReturned settles it either way).
    if (pendingTicket_ == 0 || !pendingRequest_.isEmpty() || function != pendingFunction_) return;
    pendingRequest_ = requestId;
    if (detailFollowsPending_) detail_->setLiveRequest(requestId);
}

void MainWindow::onInvokeReturned(quint64 ticket, const InvocationRecord& record) {
    if (ticket != 0 && ticket == replayTicket_) {
        replayTicket_ = 0;
        compare_->setReplayed(replayIndex_, record);
        replayIndex_ = -1;
        replayNext();
        return;
    }
    if (ticket != pendingTicket_) return;
    pendingTicket_ = 0;
    if (detailFollowsPending_) {
        detail_->showRecord(record);
        // Mark its row too, so the table says which invocation the panes show; the row may land
        // a moment later, since the table batches its inserts.
        rowToSelect_ = record.requestId;
        selectLandedRow();
    }
    detailFollowsPending_ = false;
}

void MainWindow::selectLandedRow() {
    if (rowToSelect_.isEmpty()) return;
    const int row = model_->rowOfRequest(rowToSelect_);
    if (row < 0) return;
    rowToSelect_.clear();
    table_->selectionModel()->setCurrentIndex(
        model_->index(row, 0), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
}

void MainWindow::onCurrentRowChanged(const QModelIndex& current) {
    if (!current.isValid()) return;
    detailFollowsPending_ = false;
    rowToSelect_.clear();
    showRowDetail(current);
}

void MainWindow::showRowDetail(const QModelIndex& index) {
    const QString id = index.data(HistoryTableModel::RequestIdRole).toString();
    if (id.isEmpty()) {
        // Its page is being read; dataChanged brings it back here.
        detailRow_ = QPersistentModelIndex(index);
        return;
    }
    detailRow_ = QPersistentModelIndex();
    if (id == detail_->requestId()) {
        detailTicket_ = 0;
        return;
    }
    detailTicket_ = model_->requestRecord(id);
}

void MainWindow::onRecordReady(quint64 ticket, const InvocationRecord& record, bool found) {
    if (ticket == detailTicket_) {
        detailTicket_ = 0;
        if (found) detail_->showRecord(record);
        return;
    }
    const auto read = replayReads_.find(ticket);
    if (read == replayReads_.end()) return;
    const int index = read.value();
    replayReads_.erase(read);
    if (!found) {
        compare_->setFailed(index, tr("The store no longer holds %1").arg(record.requestId));
        return;
    }
    compare_->setOriginal(index, record);
    replayQueue_.push_back({index, record.function, record.event});
    replayNext();
}

int MainWindow::replaySelected() {
    if (!bridge_->isOpen()) return 0;
    // From the selection's ranges, not selectedRows(): "select all" on a million rows must not
    // list a million indexes. The newest kMaxReplays selected rows are taken.
    QItemSelection selection = table_->selectionModel()->selection();
    std::sort(selection.begin(), selection.end(),
              [](const QItemSelectionRange& a, const QItemSelectionRange& b) {
                  return a.top() < b.top();
              });
    std::vector<int> rows;
    qint64 selected = 0;
    for (const QItemSelectionRange& range : selection) {
        selected += range.height();
        for (int row = range.top();
             row <= range.bottom() && static_cast<int>(rows.size()) < kMaxReplays; ++row) {
            if (rows.empty() || rows.back() < row) rows.push_back(row);
        }
    }
    // Oldest first, as they happened.
    std::reverse(rows.begin(), rows.end());
    int queued = 0;
    for (int row : rows) {
        const QModelIndex index = model_->index(row, 0);
        const QString id = index.data(HistoryTableModel::RequestIdRole).toString();
        if (id.isEmpty()) continue;  // its page is not read yet
        InvocationRecord stub;
        stub.requestId = id;
        stub.function = index.data(HistoryTableModel::FunctionNameRole).toString();
        const int place = compare_->addReplay(stub);
        replayReads_.insert(model_->requestRecord(id), place);
        ++queued;
    }
    if (queued > 0) {
        if (!compareDock_->isVisible()) {
            compareDock_->show();
            // A third of the window: the table above keeps most of its rows.
            resizeDocks({compareDock_}, {height() / 3}, Qt::Vertical);
        }
        compareDock_->raise();
    }
    if (queued < selected) {
        statusBar()->showMessage(tr("Replaying %1 of the %2 selected invocations (at most %3 at "
                                    "once, and only rows already shown)")
                                     .arg(queued)
                                     .arg(selected)
                                     .arg(kMaxReplays),
                                 8000);
    }
    return queued;
}

void MainWindow::replayNext() {
    // One at a time: a burst of replays would meet the function's concurrency limit, and a
    // throttled replay compares nothing.
    while (replayTicket_ == 0 && !replayQueue_.empty()) {
        const QueuedReplay next = replayQueue_.front();
        replayQueue_.pop_front();
        const quint64 ticket = bridge_->replay(next.function, next.event);
        if (ticket == 0) {
            compare_->setFailed(next.index, tr("No project is open"));
            continue;
        }
        replayTicket_ = ticket;
        replayIndex_ = next.index;
    }
}

void MainWindow::setFunctionFilter(const QString& text) {
    filterEdit_->setText(text);
    filterTimer_.stop();
    applyFunctionFilter();
}

void MainWindow::applyFunctionFilter() {
    filterTimer_.stop();
    const QString text = filterEdit_->text().trimmed();
    if (text.isEmpty()) {
        model_->showAllFunctions();
        return;
    }
    // Matched against the project's functions, so that the store is asked by its index on
    // function names rather than scanned for a substring.
    QStringList names;
    for (const FunctionInfo& fn : bridge_->functions()) {
        if (fn.name.contains(text, Qt::CaseInsensitive) ||
            fn.logicalId.contains(text, Qt::CaseInsensitive)) {
            names << fn.name;
        }
    }
    model_->showFunctions(names);
}

void MainWindow::updateReplayEnabled() {
    const bool enabled = bridge_->isOpen() && table_ && table_->selectionModel()->hasSelection();
    replayAction_->setEnabled(enabled);
    replayButton_->setEnabled(enabled);
}

void MainWindow::updateTableTitle() {
    const int rows = model_->rowCount();
    tableTitle_->setText(model_->isFiltered()
                             ? tr("<b>Invocations</b> (%1 matching)").arg(QLocale().toString(rows))
                             : tr("<b>Invocations</b> (%1)").arg(QLocale().toString(rows)));
}

QString MainWindow::debuggableName(const QString& logicalId) const {
    for (const FunctionInfo& fn : bridge_->functions())
        if (fn.logicalId == logicalId && fn.debuggable) return fn.name;
    return {};
}

quint64 MainWindow::debugSelected() {
    const QString name = debuggableName(currentFunction_);
    if (name.isEmpty() || !editor_->isValid() || !debugger_->selectFunction(name)) return 0;
    debugger_->setEventText(editor_->text());
    tabs_->setCurrentWidget(debugger_);
    return debugger_->debugInvoke();
}

void MainWindow::updateInvokeEnabled() {
    const bool enabled = bridge_->isOpen() && !currentFunction_.isEmpty() && editor_->isValid();
    invokeButton_->setEnabled(enabled);
    invokeAction_->setEnabled(enabled);
    debugButton_->setEnabled(enabled && !debuggableName(currentFunction_).isEmpty());
    if (replayAction_) updateReplayEnabled();
}

void MainWindow::updateSandboxLabel() {
    if (!bridge_->isOpen()) {
        sandboxLabel_->clear();
        return;
    }
    int total = 0;
    QStringList lines;
    const QMap<QString, int>& counts = bridge_->sandboxCounts();
    for (auto it = counts.begin(); it != counts.end(); ++it) {
        total += it.value();
        if (it.value() > 0) lines << tr("%1: %2").arg(it.key()).arg(it.value());
    }
    sandboxLabel_->setText(total == 1 ? tr("1 warm sandbox") : tr("%1 warm sandboxes").arg(total));
    sandboxLabel_->setToolTip(lines.isEmpty() ? tr("No warm sandboxes") : lines.join('\n'));
}

}  // namespace fogbank::ui
