#include "ui/debugger_view.h"

#include "ui/engine_bridge.h"
#include "ui/invocation_record.h"
#include "ui/json_text.h"
#include "ui/variables_model.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFileInfo>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QToolBar>
#include <QTreeView>
#include <QVBoxLayout>

namespace fogbank::ui {

namespace {

// Enough of a handler's log to follow a debugging session without the view growing for ever.
constexpr int kMaxLogLines = 5000;

QString sameFile(const QString& file) {
    const QString canonical = QFileInfo(file).canonicalFilePath();
    return canonical.isEmpty() ? QDir::cleanPath(file) : canonical;
}

}  // namespace

DebuggerView::DebuggerView(QWidget* parent) : QWidget(parent) {
    functions_ = new QComboBox(this);
    functions_->setObjectName(QStringLiteral("debugFunction"));
    functions_->setMinimumContentsLength(18);
    event_ = new QPlainTextEdit(this);
    event_->setObjectName(QStringLiteral("debugEvent"));
    event_->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    event_->setPlaceholderText(tr("{ \"event\": \"JSON sent to the handler\" }"));
    event_->setMaximumHeight(event_->fontMetrics().height() * 4);
    event_->setTabChangesFocus(true);
    stopOnEntry_ = new QCheckBox(tr("Stop on the handler's first line"), this);
    debug_ = new QPushButton(tr("Debug"), this);
    debug_->setObjectName(QStringLiteral("debugInvoke"));
    debug_->setToolTip(tr("Send the event under the debugger (F5 when nothing is stopped)"));
    exceptions_ = new QComboBox(this);
    exceptions_->setObjectName(QStringLiteral("debugExceptions"));
    exceptions_->addItem(tr("Break on uncaught exceptions"), QStringLiteral("uncaught"));
    exceptions_->addItem(tr("Break on all exceptions"), QStringLiteral("all"));
    exceptions_->addItem(tr("Never break on exceptions"), QStringLiteral("none"));
    sessionBox_ = new QComboBox(this);
    sessionBox_->setObjectName(QStringLiteral("debugSessions"));
    sessionBox_->setMinimumContentsLength(28);
    sessionBox_->setToolTip(tr("Each invocation under the debugger is a session of its own"));
    files_ = new QComboBox(this);
    files_->setObjectName(QStringLiteral("debugFiles"));
    files_->setMinimumContentsLength(30);

    source_ = new SourceView(this);
    source_->setObjectName(QStringLiteral("debugSource"));
    stack_ = new QListWidget(this);
    stack_->setObjectName(QStringLiteral("debugCallStack"));
    variables_ = new VariablesModel(this);
    tree_ = new QTreeView(this);
    tree_->setObjectName(QStringLiteral("debugVariables"));
    tree_->setModel(variables_);
    tree_->setUniformRowHeights(true);
    tree_->header()->setSectionResizeMode(VariablesModel::Name, QHeaderView::ResizeToContents);
    tree_->header()->setStretchLastSection(true);
    expression_ = new QLineEdit(this);
    expression_->setObjectName(QStringLiteral("debugExpression"));
    expression_->setPlaceholderText(tr("Evaluate in the selected frame, then Enter"));
    expression_->setClearButtonEnabled(true);
    results_ = new QListWidget(this);
    results_->setObjectName(QStringLiteral("debugResults"));
    log_ = new QPlainTextEdit(this);
    log_->setObjectName(QStringLiteral("debugLog"));
    log_->setReadOnly(true);
    log_->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    log_->setMaximumBlockCount(kMaxLogLines);
    status_ =
        new QLabel(tr("Open a project, set a breakpoint in the gutter and press Debug."), this);
    status_->setObjectName(QStringLiteral("debugStatus"));
    status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    status_->setWordWrap(true);

    auto* layout = new QVBoxLayout(this);
    auto* launch = new QHBoxLayout;
    auto* launchColumn = new QVBoxLayout;
    auto* chooser = new QHBoxLayout;
    chooser->addWidget(new QLabel(tr("Function:"), this));
    chooser->addWidget(functions_, 1);
    launchColumn->addLayout(chooser);
    launchColumn->addWidget(stopOnEntry_);
    launchColumn->addWidget(debug_);
    launch->addLayout(launchColumn);
    launch->addWidget(event_, 1);
    layout->addLayout(launch);
    buildToolbar();
    layout->addWidget(status_);

    auto* horizontal = new QSplitter(Qt::Horizontal, this);
    auto* sourceColumn = new QWidget(horizontal);
    auto* sourceLayout = new QVBoxLayout(sourceColumn);
    sourceLayout->setContentsMargins(0, 0, 0, 0);
    auto* fileRow = new QHBoxLayout;
    fileRow->addWidget(new QLabel(tr("File:"), sourceColumn));
    fileRow->addWidget(files_, 1);
    sourceLayout->addLayout(fileRow);
    sourceLayout->addWidget(source_, 1);
    auto* logLabel = new QLabel(tr("Log of the invocations under the debugger"), sourceColumn);
    sourceLayout->addWidget(logLabel);
    sourceLayout->addWidget(log_);
    log_->setMaximumHeight(log_->fontMetrics().height() * 9);

    auto* side = new QSplitter(Qt::Vertical, horizontal);
    auto* stackBox = new QWidget(side);
    auto* stackLayout = new QVBoxLayout(stackBox);
    stackLayout->setContentsMargins(0, 0, 0, 0);
    stackLayout->addWidget(new QLabel(tr("Call stack"), stackBox));
    stackLayout->addWidget(stack_);
    auto* varsBox = new QWidget(side);
    auto* varsLayout = new QVBoxLayout(varsBox);
    varsLayout->setContentsMargins(0, 0, 0, 0);
    varsLayout->addWidget(new QLabel(tr("Variables"), varsBox));
    varsLayout->addWidget(tree_);
    auto* evalBox = new QWidget(side);
    auto* evalLayout = new QVBoxLayout(evalBox);
    evalLayout->setContentsMargins(0, 0, 0, 0);
    evalLayout->addWidget(new QLabel(tr("Evaluate"), evalBox));
    evalLayout->addWidget(expression_);
    evalLayout->addWidget(results_);
    side->setStretchFactor(0, 1);
    side->setStretchFactor(1, 3);
    side->setStretchFactor(2, 1);
    horizontal->setStretchFactor(0, 3);
    horizontal->setStretchFactor(1, 2);
    layout->addWidget(horizontal, 1);

    connect(functions_, &QComboBox::currentIndexChanged, this, [this] { functionChosen(); });
    connect(files_, &QComboBox::activated, this,
            [this](int index) { showFile(files_->itemData(index).toString()); });
    connect(debug_, &QPushButton::clicked, this, [this] { debugInvoke(); });
    connect(exceptions_, &QComboBox::currentIndexChanged, this, [this] {
        if (bridge_) bridge_->setBreakOnExceptions(exceptions_->currentData().toString());
    });
    connect(sessionBox_, &QComboBox::activated, this,
            [this](int index) { showSession(sessionBox_->itemData(index).toInt()); });
    connect(source_, &SourceView::breakpointToggled, this, &DebuggerView::toggleBreakpoint);
    connect(source_, &SourceView::conditionRequested, this, &DebuggerView::askCondition);
    connect(stack_, &QListWidget::currentRowChanged, this, [this](int row) {
        if (row >= 0 && row != frame_) showFrame(row);
    });
    connect(expression_, &QLineEdit::returnPressed, this, [this] {
        if (evaluate(expression_->text())) expression_->selectAll();
    });
    connect(variables_, &VariablesModel::childrenWanted, this, [this](quint64 key, int reference) {
        if (!bridge_ || !current_) return;
        if (const quint64 ticket = bridge_->debugVariables(current_, reference))
            variableTickets_.insert(ticket, key);
        else
            variables_->setChildren(key, {}, tr("No project is open."));
    });
    refreshSessions();
    updateActions();
}

DebuggerView::~DebuggerView() = default;

void DebuggerView::buildToolbar() {
    auto* bar = new QToolBar(this);
    bar->setObjectName(QStringLiteral("debugToolbar"));
    bar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    auto add = [&](DebugCommand command, const QString& text, const QKeySequence& keys,
                   const QString& tip) {
        auto* action = bar->addAction(text);
        action->setShortcut(keys);
        // The keys belong to this tab: F5 in the Functions tab is not a debugger key.
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        action->setToolTip(QStringLiteral("%1 (%2)").arg(tip, keys.toString()));
        addAction(action);
        actions_.insert(command, action);
        connect(action, &QAction::triggered, this, [this, command] {
            if (command == DebugCommand::Continue && !isStopped())
                debugInvoke();  // F5 with nothing to continue starts a session, as in IDEs
            else
                this->command(command);
        });
    };
    add(DebugCommand::Continue, tr("Continue"), QKeySequence(Qt::Key_F5),
        tr("Run to the next stop"));
    add(DebugCommand::StepOver, tr("Step over"), QKeySequence(Qt::Key_F10),
        tr("Run the current line"));
    add(DebugCommand::StepInto, tr("Step into"), QKeySequence(Qt::Key_F11),
        tr("Stop in the function the line calls"));
    add(DebugCommand::StepOut, tr("Step out"), QKeySequence(Qt::SHIFT | Qt::Key_F11),
        tr("Run until the current function returns"));
    add(DebugCommand::Pause, tr("Pause"), QKeySequence(Qt::Key_F6), tr("Stop where it runs now"));
    add(DebugCommand::Stop, tr("Stop"), QKeySequence(Qt::SHIFT | Qt::Key_F5),
        tr("Leave the debugger; the invocation runs on to its end"));
    bar->addSeparator();
    bar->addWidget(new QLabel(tr(" Session: "), bar));
    bar->addWidget(sessionBox_);
    bar->addSeparator();
    bar->addWidget(exceptions_);
    static_cast<QVBoxLayout*>(layout())->addWidget(bar);
}

QAction* DebuggerView::action(DebugCommand command) const {
    return actions_.value(command);
}

void DebuggerView::setBridge(EngineBridge* bridge) {
    bridge_ = bridge;
    connect(bridge, &EngineBridge::projectOpened, this, &DebuggerView::projectOpened);
    connect(bridge, &EngineBridge::projectClosed, this, &DebuggerView::projectClosed);
    connect(bridge, &EngineBridge::debugSessionStarted, this, &DebuggerView::sessionStarted);
    connect(bridge, &EngineBridge::debugStopped, this, &DebuggerView::stopped);
    connect(bridge, &EngineBridge::debugResumed, this, &DebuggerView::resumed);
    connect(bridge, &EngineBridge::debugSessionEnded, this, &DebuggerView::sessionEnded);
    connect(bridge, &EngineBridge::breakpointsSet, this, &DebuggerView::breakpointsSet);
    connect(bridge, &EngineBridge::debugScopesReady, this,
            [this](quint64 ticket, const QList<DebugScopeInfo>& scopes, const QString& error) {
                if (ticket != scopesTicket_) return;  // a frame the user has left
                scopesTicket_ = 0;
                if (!error.isEmpty()) {
                    status_->setText(tr("Could not read the frame's scopes: %1").arg(error));
                    return;
                }
                variables_->setScopes(scopes);
                // The innermost scope is what one looks at; the global one is never wanted first.
                for (int row = 0; row < variables_->rowCount(); ++row) {
                    if (!scopes[row].expensive) {
                        tree_->expand(variables_->index(row, 0));
                        break;
                    }
                }
            });
    connect(bridge, &EngineBridge::debugVariablesReady, this,
            [this](quint64 ticket, const QList<DebugVariableInfo>& vars, const QString& error) {
                const auto it = variableTickets_.find(ticket);
                if (it == variableTickets_.end()) return;
                const quint64 key = *it;
                variableTickets_.erase(it);
                variables_->setChildren(key, vars, error);
            });
    connect(bridge, &EngineBridge::debugEvaluated, this,
            [this](quint64 ticket, const DebugVariableInfo& result, const QString& error) {
                const QString expression = evaluateTickets_.take(ticket);
                if (expression.isNull()) return;
                auto* item = new QListWidgetItem(
                    error.isEmpty() ? QStringLiteral("%1 = %2").arg(expression, result.value)
                                    : QStringLiteral("%1: %2").arg(expression, error));
                if (!error.isEmpty()) item->setForeground(QColor(0xc6, 0x28, 0x28));
                item->setToolTip(result.type);
                results_->insertItem(0, item);
                emit evaluated(expression, result.value, error);
            });
    connect(bridge, &EngineBridge::debugCommandFailed, this,
            [this](int, const QString& what, const QString& error) {
                status_->setText(tr("Could not %1: %2").arg(what, error));
            });
    connect(bridge, &EngineBridge::logLine, this,
            [this](const QString& id, const QDateTime&, const QString& text) {
                if (requests_.contains(id)) appendLog(text);
            });
    connect(bridge, &EngineBridge::invocationFinished, this, [this](const InvocationRecord& r) {
        if (!requests_.remove(r.requestId)) return;
        // The sandbox stays warm and attached for the next debug invocation: its session
        // lives on, idle. Sessions report no invocation until they stop, so one never seen
        // stopped is matched by function.
        // The runtime's word that it resumed may come after the invocation's end (debugpy's
        // "continued" does), so a stop of the finished invocation is over too.
        for (auto it = sessions_.begin(); it != sessions_.end(); ++it) {
            const bool same = it->stop.requestId == r.requestId;
            if (!it->busy || (it->stopped && !same)) continue;
            if (!same && !(it->stop.requestId.isEmpty() && it->info.function == r.function))
                continue;
            it->busy = false;
            if (it->stopped) {
                it->stopped = false;
                if (it.key() == current_) clearStopped();
            }
        }
        refreshSessions();
        updateActions();
        if (!isStopped())
            status_->setText(tr("%1 finished: %2 in %3 ms. Debug (F5) sends the event again.")
                                 .arg(r.function, ui::statusLabel(r.status))
                                 .arg(r.durationMs, 0, 'f', 1));
        appendLog(tr("— %1 finished: %2 in %3 ms —")
                      .arg(r.requestId.left(8), ui::statusLabel(r.status))
                      .arg(r.durationMs, 0, 'f', 1));
        if (!r.ok()) appendLog(r.payload);
    });
    if (!bridge->functions().isEmpty()) projectOpened();
}

void DebuggerView::projectOpened() {
    const QString keep = currentFunction();
    {
        const QSignalBlocker block(functions_);
        functions_->clear();
        for (const FunctionInfo& fn : bridge_->functions())
            if (fn.debuggable)
                functions_->addItem(QStringLiteral("%1  (%2)").arg(fn.name, fn.runtime), fn.name);
    }
    if (functions_->count() == 0) {
        status_->setText(tr("This project has no Node.js or Python function to debug."));
    } else {
        const int keepIndex = functions_->findData(keep);
        functions_->setCurrentIndex(keepIndex >= 0 ? keepIndex : 0);
        status_->setText(tr("Set a breakpoint in the gutter and press Debug."));
    }
    functionChosen();
    // The engine starts with no breakpoints; the ones kept here from before a reload come back.
    bridge_->setBreakOnExceptions(exceptions_->currentData().toString());
    for (auto fn = breakpoints_.cbegin(); fn != breakpoints_.cend(); ++fn)
        for (auto file = fn->cbegin(); file != fn->cend(); ++file)
            pushBreakpoints(fn.key(), file.key());
    updateActions();
}

void DebuggerView::projectClosed() {
    sessions_.clear();
    current_ = 0;
    requests_.clear();
    clearStopped();
    refreshSessions();
    {
        const QSignalBlocker block(functions_);
        functions_->clear();
    }
    files_->clear();
    source_->loadFile({});
    status_->setText(tr("No project is open."));
    updateActions();
}

bool DebuggerView::selectFunction(const QString& name) {
    const int index = functions_->findData(name);
    if (index < 0) return false;
    functions_->setCurrentIndex(index);
    return true;
}

QString DebuggerView::currentFunction() const {
    return functions_->currentData().toString();
}

void DebuggerView::setEventText(const QString& json) {
    event_->setPlainText(json);
}

void DebuggerView::functionChosen() {
    files_->clear();
    if (!bridge_) return;
    const QString name = currentFunction();
    for (const FunctionInfo& fn : bridge_->functions()) {
        if (fn.name != name) continue;
        for (const QString& file : fn.sourceFiles) files_->addItem(displayName(file), file);
        showFile(fn.handlerFile.isEmpty() && !fn.sourceFiles.isEmpty() ? fn.sourceFiles.first()
                                                                       : fn.handlerFile);
        return;
    }
    source_->loadFile({});
}

QString DebuggerView::displayName(const QString& file) const {
    if (bridge_) {
        for (const FunctionInfo& fn : bridge_->functions()) {
            if (fn.name != currentFunction() || fn.codeDir.isEmpty()) continue;
            const QString relative = QDir(sameFile(fn.codeDir)).relativeFilePath(file);
            if (!relative.startsWith(QLatin1String(".."))) return relative;
        }
    }
    return file;
}

bool DebuggerView::showFile(const QString& path) {
    const QString file = path.isEmpty() ? QString() : sameFile(path);
    if (!file.isEmpty() && files_->findData(file) < 0) files_->addItem(displayName(file), file);
    files_->setCurrentIndex(files_->findData(file));
    const bool ok = (!file.isEmpty() && source_->file() == file) || source_->loadFile(file);
    // The arrow only belongs in the file the shown frame is in.
    int line = 0;
    if (const DebugStopInfo* stop = currentStop();
        stop && frame_ >= 0 && frame_ < stop->frames.size())
        if (sameFile(stop->frames[frame_].file) == file) line = stop->frames[frame_].line;
    source_->setCurrentLine(line);
    refreshMarks();
    return ok;
}

void DebuggerView::toggleBreakpoint(int line) {
    const QString function = currentFunction();
    const QString file = source_->file();
    if (function.isEmpty() || file.isEmpty() || line <= 0) return;
    FileBreakpoints& lines = breakpoints_[function][file];
    if (!lines.remove(line)) lines.insert(line, DebugBreakpointInfo{line, {}, false, line, {}});
    pushBreakpoints(function, file);
}

void DebuggerView::setBreakpoint(int line, const QString& condition) {
    const QString function = currentFunction();
    const QString file = source_->file();
    if (function.isEmpty() || file.isEmpty() || line <= 0) return;
    breakpoints_[function][file].insert(line,
                                        DebugBreakpointInfo{line, condition, false, line, {}});
    pushBreakpoints(function, file);
}

void DebuggerView::askCondition(int line) {
    const auto& lines = breakpoints_.value(currentFunction()).value(source_->file());
    bool ok = false;
    const QString condition = QInputDialog::getText(
        this, tr("Conditional breakpoint"),
        tr("Stop on line %1 only when this expression is true (empty: always):").arg(line),
        QLineEdit::Normal, lines.value(line).condition, &ok);
    if (ok) setBreakpoint(line, condition.trimmed());
}

void DebuggerView::pushBreakpoints(const QString& function, const QString& file) {
    refreshMarks();
    if (!bridge_) return;
    const FileBreakpoints lines = breakpoints_.value(function).value(file);
    bridge_->setBreakpoints(function, file, lines.values());
}

void DebuggerView::breakpointsSet(const QString& function, const QString& file,
                                  const QList<DebugBreakpointInfo>& states, const QString& error) {
    if (!error.isEmpty())
        status_->setText(tr("Breakpoints in %1: %2").arg(displayName(file), error));
    auto fn = breakpoints_.find(function);
    if (fn == breakpoints_.end()) return;
    auto lines = fn->find(file);
    if (lines == fn->end()) return;
    // Only lines still wanted take the answer; one toggled off meanwhile stays off.
    for (const DebugBreakpointInfo& state : states) {
        auto it = lines->find(state.line);
        if (it != lines->end() && it->condition == state.condition) *it = state;
    }
    refreshMarks();
}

void DebuggerView::refreshMarks() {
    QMap<int, SourceView::Mark> marks;
    const auto lines = breakpoints_.value(currentFunction()).value(source_->file());
    for (const DebugBreakpointInfo& bp : lines) {
        QString tip =
            bp.condition.isEmpty() ? tr("Breakpoint") : tr("Stops when %1").arg(bp.condition);
        if (!bp.verified && !bp.message.isEmpty()) tip += QStringLiteral("\n") + bp.message;
        const int line = bp.verified && bp.actualLine > 0 ? bp.actualLine : bp.line;
        marks.insert(line, {bp.verified, !bp.condition.isEmpty(), tip});
    }
    source_->setMarks(marks);
}

quint64 DebuggerView::debugInvoke() {
    if (!bridge_) return 0;
    const QString function = currentFunction();
    if (function.isEmpty()) {
        status_->setText(tr("Choose a Node.js or Python function first."));
        return 0;
    }
    const JsonCheck check = checkJson(event_->toPlainText());
    if (!check.ok) {
        status_->setText(tr("The event is not JSON: %1").arg(check.describe()));
        return 0;
    }
    QString requestId;
    const quint64 ticket = bridge_->debugInvoke(function, event_->toPlainText(),
                                                stopOnEntry_->isChecked(), &requestId);
    if (!ticket) {
        status_->setText(tr("No project is open."));
        return 0;
    }
    requests_.insert(requestId);
    appendLog(tr("— %1: %2 under the debugger —").arg(requestId.left(8), function));
    status_->setText(tr("Starting %1 under the debugger…").arg(function));
    return ticket;
}

quint64 DebuggerView::evaluate(const QString& expression) {
    const QString text = expression.trimmed();
    if (!bridge_ || text.isEmpty()) return 0;
    const DebugStopInfo* stop = currentStop();
    if (!stop || frame_ < 0 || frame_ >= stop->frames.size()) {
        status_->setText(tr("Nothing is stopped: expressions are evaluated in a stopped frame."));
        return 0;
    }
    const quint64 ticket = bridge_->debugEvaluate(current_, stop->frames[frame_].id, text);
    if (ticket) evaluateTickets_.insert(ticket, text);
    return ticket;
}

void DebuggerView::command(DebugCommand command) {
    if (!bridge_ || !current_) return;
    bridge_->debugCommand(current_, command);
}

bool DebuggerView::isStopped() const {
    const auto it = sessions_.find(current_);
    return it != sessions_.end() && it->stopped;
}

const DebugStopInfo* DebuggerView::currentStop() const {
    const auto it = sessions_.find(current_);
    return it != sessions_.end() && it->stopped ? &it->stop : nullptr;
}

void DebuggerView::sessionStarted(const DebugSessionInfo& session) {
    sessions_.insert(session.id, Session{session, false, {}, false, true});
    appendLog(tr("— session #%1 of %2 (%3 debugger on %4) —")
                  .arg(session.id)
                  .arg(session.function, session.runtime, session.endpoint));
    if (!current_) current_ = session.id;
    refreshSessions();
    updateActions();
}

void DebuggerView::stopped(const DebugStopInfo& stop) {
    auto it = sessions_.find(stop.session.id);
    if (it == sessions_.end())
        it = sessions_.insert(stop.session.id, Session{stop.session, false, {}, false, true});
    it->stopped = true;
    it->busy = true;
    it->stop = stop;
    if (!it->placed) {
        // The session got the breakpoints as it attached, before it could say where they went;
        // stopped, it is attached, and asking again tells.
        it->placed = true;
        const auto files = breakpoints_.value(stop.session.function);
        for (auto file = files.cbegin(); file != files.cend(); ++file)
            pushBreakpoints(stop.session.function, file.key());
    }
    if (!stop.requestId.isEmpty()) requests_.insert(stop.requestId);
    // A stop takes the view unless the user is already looking at another stopped session.
    if (current_ == stop.session.id || !isStopped())
        showSession(stop.session.id);
    else
        status_->setText(status_->text() +
                         tr("  (session #%1 stopped too: pick it above)").arg(stop.session.id));
    refreshSessions();
}

void DebuggerView::resumed(int session) {
    auto it = sessions_.find(session);
    if (it == sessions_.end()) return;
    it->stopped = false;
    if (session == current_ && it->busy) {
        clearStopped();
        status_->setText(tr("Session #%1 is running…").arg(session));
    }
    refreshSessions();
    updateActions();
}

void DebuggerView::sessionEnded(int session, const QString& why) {
    sessions_.remove(session);
    appendLog(tr("— session #%1 ended: %2 —").arg(session).arg(why));
    if (session == current_) {
        current_ = 0;
        clearStopped();
        status_->setText(tr("Session #%1 ended: %2").arg(session).arg(why));
        // Another stopped session is what the user would want next, else any that runs.
        for (auto it = sessions_.cbegin(); it != sessions_.cend(); ++it)
            if (it->stopped || !current_) current_ = it.key();
        if (current_) showSession(current_);
    }
    refreshSessions();
    updateActions();
}

void DebuggerView::showSession(int id) {
    const auto it = sessions_.find(id);
    if (it == sessions_.end()) return;
    current_ = id;
    clearStopped();
    refreshSessions();
    updateActions();
    if (!it->stopped) {
        status_->setText(it->busy ? tr("Session #%1 is running…").arg(id)
                                  : tr("Session #%1 is idle, warm for the next Debug.").arg(id));
        return;
    }
    const DebugStopInfo& stop = it->stop;
    if (currentFunction() != stop.session.function) selectFunction(stop.session.function);
    {
        const QSignalBlocker block(stack_);
        for (const DebugFrameInfo& f : stop.frames) {
            const QString where =
                f.file.isEmpty()
                    ? tr("(no source)")
                    : QStringLiteral("%1:%2").arg(QFileInfo(f.file).fileName()).arg(f.line);
            auto* item = new QListWidgetItem(
                QStringLiteral("%1   %2").arg(f.name.isEmpty() ? tr("(anonymous)") : f.name, where),
                stack_);
            item->setToolTip(f.file);
            if (f.file.isEmpty()) item->setForeground(QColor(0x75, 0x75, 0x75));
        }
    }
    // The innermost frame with source is where the user's code is (Node's stop on an exception
    // thrown inside a runtime built-in has none of its own).
    int first = 0;
    while (first < stop.frames.size() && stop.frames[first].file.isEmpty()) ++first;
    if (first == stop.frames.size()) first = 0;
    showFrame(first);
    const DebugFrameInfo* top = stop.frames.isEmpty() ? nullptr : &stop.frames[first];
    QString text = top ? tr("Stopped at %1:%2 (%3)")
                             .arg(QFileInfo(top->file).fileName())
                             .arg(top->line)
                             .arg(stop.reason)
                       : tr("Stopped (%1)").arg(stop.reason);
    if (!stop.description.isEmpty()) text += QStringLiteral(": ") + stop.description;
    status_->setText(text + tr(" — session #%1, %2").arg(id).arg(stop.session.function));
    emit stopShown(id, top ? top->file : QString(), top ? top->line : 0);
}

void DebuggerView::showFrame(int index) {
    const DebugStopInfo* stop = currentStop();
    if (!stop || index < 0 || index >= stop->frames.size()) return;
    frame_ = index;
    {
        const QSignalBlocker block(stack_);
        stack_->setCurrentRow(index);
    }
    const DebugFrameInfo& f = stop->frames[index];
    if (!f.file.isEmpty()) showFile(f.file);
    variableTickets_.clear();
    variables_->clear();
    scopesTicket_ = bridge_ ? bridge_->debugScopes(current_, f.id) : 0;
}

void DebuggerView::clearStopped() {
    frame_ = -1;
    scopesTicket_ = 0;
    variableTickets_.clear();
    evaluateTickets_.clear();
    variables_->clear();
    {
        const QSignalBlocker block(stack_);
        stack_->clear();
    }
    source_->setCurrentLine(0);
}

void DebuggerView::refreshSessions() {
    const QSignalBlocker block(sessionBox_);
    sessionBox_->clear();
    if (sessions_.isEmpty()) sessionBox_->addItem(tr("none"), 0);
    for (auto it = sessions_.cbegin(); it != sessions_.cend(); ++it) {
        QString state = it->busy ? tr("running") : tr("idle, warm for the next one");
        if (it->stopped && !it->stop.frames.isEmpty())
            state = tr("stopped at %1:%2")
                        .arg(QFileInfo(it->stop.frames.first().file).fileName())
                        .arg(it->stop.frames.first().line);
        else if (it->stopped)
            state = tr("stopped");
        sessionBox_->addItem(
            QStringLiteral("#%1 %2 — %3").arg(it.key()).arg(it->info.function, state), it.key());
    }
    sessionBox_->setCurrentIndex(qMax(0, sessionBox_->findData(current_)));
}

void DebuggerView::updateActions() {
    const bool stopped = isStopped();
    const bool live = sessions_.contains(current_);
    const bool busy = live && sessions_.value(current_).busy;
    actions_[DebugCommand::Continue]->setEnabled(stopped || (!busy && functions_->count() > 0));
    actions_[DebugCommand::StepOver]->setEnabled(stopped);
    actions_[DebugCommand::StepInto]->setEnabled(stopped);
    actions_[DebugCommand::StepOut]->setEnabled(stopped);
    actions_[DebugCommand::Pause]->setEnabled(busy && !stopped);
    actions_[DebugCommand::Stop]->setEnabled(live);
    debug_->setEnabled(functions_->count() > 0);
    expression_->setEnabled(stopped);
}

void DebuggerView::appendLog(const QString& text) {
    log_->appendPlainText(text.endsWith(QLatin1Char('\n')) ? text.chopped(1) : text);
}

}  // namespace fogbank::ui
