#include "ui/main_window.h"

#include "ui/event_editor.h"
#include "ui/function_list_panel.h"
#include "ui/invocation_detail_panel.h"
#include "ui/invocation_table_model.h"

#include <QAction>
#include <QApplication>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeySequence>
#include <QLabel>
#include <QListWidget>
#include <QMenuBar>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTableView>
#include <QVBoxLayout>

namespace fogbank::ui {

namespace {

constexpr int kCountsRefreshMs = 2000;
constexpr auto kDefaultEvent = "{}";

}  // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent),
      bridge_(new EngineBridge(this)),
      model_(new InvocationTableModel(this)),
      proxy_(new QSortFilterProxyModel(this)) {
    setWindowTitle(tr("Fogbank Studio"));
    proxy_->setSourceModel(model_);
    proxy_->setSortRole(InvocationTableModel::SortRole);

    stack_ = new QStackedWidget(this);
    stack_->addWidget(buildHintPage());
    stack_->addWidget(buildWorkbench());
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
        model_->clear();
        detail_->clear();
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
                model_->append(record);
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
    auto* invokeRow = new QHBoxLayout;
    invokeRow->addWidget(new QLabel(tr("<small>Ctrl+Return</small>"), eventColumn), 1,
                         Qt::AlignRight);
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
    table_->setModel(proxy_);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::SingleSelection);
    table_->setAlternatingRowColors(true);
    table_->setWordWrap(false);
    table_->verticalHeader()->hide();
    table_->verticalHeader()->setDefaultSectionSize(table_->fontMetrics().height() + 6);
    table_->setSortingEnabled(true);
    table_->sortByColumn(InvocationTableModel::Time, Qt::AscendingOrder);
    QHeaderView* header = table_->horizontalHeader();
    header->setHighlightSections(false);
    // Fixed widths from the font: fitting columns to 100,000 rows' contents would cost a scan.
    const int digit = table_->fontMetrics().horizontalAdvance(QLatin1Char('0'));
    header->resizeSection(InvocationTableModel::Time, digit * 14);
    header->resizeSection(InvocationTableModel::Function, digit * 28);
    header->resizeSection(InvocationTableModel::Status, digit * 14);
    header->resizeSection(InvocationTableModel::ColdWarm, digit * 7);
    for (int column : {InvocationTableModel::InitMs, InvocationTableModel::DurationMs,
                       InvocationTableModel::BilledMs}) {
        header->resizeSection(column, digit * 12);
    }
    header->resizeSection(InvocationTableModel::MaxMemory, digit * 14);
    header->setSectionResizeMode(InvocationTableModel::Function, QHeaderView::Stretch);
    connect(table_->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& current) { onCurrentRowChanged(current); });
    // Keep following new rows only while the reader is at the bottom.
    connect(proxy_, &QAbstractItemModel::rowsAboutToBeInserted, this, [this] {
        const QScrollBar* bar = table_->verticalScrollBar();
        tableAtBottom_ = bar->value() == bar->maximum();
    });
    connect(proxy_, &QAbstractItemModel::rowsInserted, this, [this] {
        if (tableAtBottom_) table_->scrollToBottom();
        selectLandedRow();
    });

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
    tableLayout->addWidget(new QLabel(tr("<b>Invocations</b>"), tableBox));
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
    return vertical;
}

void MainWindow::buildMenus() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* open = file->addAction(tr("&Open template…"), this, &MainWindow::chooseTemplate);
    open->setShortcut(QKeySequence::Open);
    QAction* reload = file->addAction(tr("&Reload"), bridge_, &EngineBridge::reopenProject);
    reload->setShortcut(QKeySequence::Refresh);
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), qApp, &QApplication::quit);
    quit->setShortcut(QKeySequence::Quit);

    QMenu* function = menuBar()->addMenu(tr("F&unction"));
    function->addAction(invokeAction_);
    QAction* format = function->addAction(tr("&Format event"), editor_, &EventEditor::format);
    format->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_F));

    QMenu* view = menuBar()->addMenu(tr("&View"));
    view->addAction(warningsDock_->toggleViewAction());
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
    edgeLabel_->setText(bridge_->edgePort() > 0
                            ? tr("Edge %1:%2").arg(bridge_->bindAddress()).arg(bridge_->edgePort())
                            : tr("Edge off"));
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
    updateInvokeEnabled();
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
    const QModelIndex index = proxy_->mapFromSource(model_->index(row, 0));
    table_->selectionModel()->setCurrentIndex(
        index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
}

void MainWindow::onCurrentRowChanged(const QModelIndex& current) {
    if (!current.isValid()) return;
    const QVariant value = proxy_->data(current, InvocationTableModel::RecordRole);
    detailFollowsPending_ = false;
    rowToSelect_.clear();
    detail_->showRecord(value.value<InvocationRecord>());
}

void MainWindow::updateInvokeEnabled() {
    const bool enabled = bridge_->isOpen() && !currentFunction_.isEmpty() && editor_->isValid();
    invokeButton_->setEnabled(enabled);
    invokeAction_->setEnabled(enabled);
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
