// The studio's first window: functions on the left, an event to send and what came back in the
// middle, and underneath every invocation the store holds, newest first and live, with Replay
// and a compare view for what a replay changed. It knows the engine only through EngineBridge.
#pragma once

#include "ui/engine_bridge.h"

#include <QHash>
#include <QMainWindow>
#include <QPersistentModelIndex>
#include <QTimer>

#include <deque>

class QAction;
class QDockWidget;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QStackedWidget;
class QTabWidget;
class QTableView;
class QToolButton;

namespace fogbank::ui {

class BucketBrowser;
class CompareView;
class EventEditor;
class EventLibraryMenu;
class StoreReader;
class FunctionListPanel;
class HistoryTableModel;
class InvocationDetailPanel;
class TraceView;
class QueueBrowser;
class RoutesView;
class SchedulesView;
class ColdStartView;
class CostView;
class DebuggerView;

class MainWindow : public QMainWindow {
    Q_OBJECT
  public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    EngineBridge* bridge() const { return bridge_; }
    HistoryTableModel* historyModel() const { return model_; }
    CompareView* compareView() const { return compare_; }
    TraceView* traceView() const { return traces_; }
    QueueBrowser* queueBrowser() const { return queues_; }
    BucketBrowser* bucketBrowser() const { return buckets_; }
    RoutesView* routesView() const { return routes_; }
    SchedulesView* schedulesView() const { return schedules_; }
    ColdStartView* coldStartView() const { return coldStarts_; }
    CostView* costView() const { return cost_; }
    DebuggerView* debuggerView() const { return debugger_; }
    EventLibraryMenu* eventLibrary() const { return library_; }
    QTabWidget* viewTabs() const { return tabs_; }

    void openProject(const QString& templatePath);
    bool selectFunction(const QString& nameOrLogicalId);
    void setEventText(const QString& json);
    // Sends the editor's event to the selected function; returns the bridge's ticket, or 0 when
    // there is nothing to invoke or the event is not JSON.
    quint64 invokeSelected();
    // The same event under the debugger, in the Debugger tab (Node.js and Python functions).
    quint64 debugSelected();
    // Sends the events of the selected rows again (the newest kMaxReplays of them), oldest first
    // and one after another, and shows each new response beside the recorded one. Returns how
    // many replays were queued.
    int replaySelected();
    // Shows only the functions whose name or logical id contains `text` (all when empty), after
    // the filter box's pause; setFunctionFilter() applies at once.
    void setFunctionFilter(const QString& text);
    // Keeps the editor's event as `name` for the selected function (what the library's "Save
    // event as…" does after asking for the name). False, with the reason, when it cannot.
    bool saveEventAs(const QString& name, QString* error = nullptr);
    // Opens the event library under its button without waiting for a choice.
    void popupEventLibrary();

    static constexpr int kMaxReplays = 100;
    static constexpr int kFilterDebounceMs = 250;

  private:
    void buildMenus();
    QWidget* buildWorkbench();
    QWidget* buildHintPage();
    void buildStatusBar();

    void showHint(const QString& html);
    void onProjectOpened();
    void onFunctionChanged(const QString& logicalId);
    void onInvocationStarted(const QString& requestId, const QString& function);
    void onInvokeReturned(quint64 ticket, const InvocationRecord& record);
    void onCurrentRowChanged(const QModelIndex& current);
    void showRowDetail(const QModelIndex& index);
    void onRecordReady(quint64 ticket, const InvocationRecord& record, bool found);
    void replayNext();
    void applyFunctionFilter();
    void selectLandedRow();
    void updateInvokeEnabled();
    QString debuggableName(const QString& logicalId) const;
    void updateReplayEnabled();
    void updateTableTitle();
    void updateSandboxLabel();
    void chooseTemplate();
    // Opens the Traces tab on the trace of the history row at `index`, with its span chosen.
    void showTraceOf(const QModelIndex& index);
    // Reads the selected function's recent events for the library, off this thread.
    void loadRecordedEvents();

    EngineBridge* bridge_;
    HistoryTableModel* model_;
    StoreReader* reader_;

    QStackedWidget* stack_ = nullptr;
    QTabWidget* tabs_ = nullptr;
    TraceView* traces_ = nullptr;
    QueueBrowser* queues_ = nullptr;
    BucketBrowser* buckets_ = nullptr;
    RoutesView* routes_ = nullptr;
    SchedulesView* schedules_ = nullptr;
    ColdStartView* coldStarts_ = nullptr;
    CostView* cost_ = nullptr;
    DebuggerView* debugger_ = nullptr;
    QLabel* hint_ = nullptr;
    FunctionListPanel* functions_ = nullptr;
    QLabel* eventTitle_ = nullptr;
    EventEditor* editor_ = nullptr;
    QPushButton* invokeButton_ = nullptr;
    QPushButton* debugButton_ = nullptr;
    QAction* invokeAction_ = nullptr;
    EventLibraryMenu* library_ = nullptr;
    QToolButton* libraryButton_ = nullptr;
    InvocationDetailPanel* detail_ = nullptr;
    QTableView* table_ = nullptr;
    QLabel* tableTitle_ = nullptr;
    QLineEdit* filterEdit_ = nullptr;
    QTimer filterTimer_;
    QPushButton* replayButton_ = nullptr;
    QAction* replayAction_ = nullptr;
    CompareView* compare_ = nullptr;
    QDockWidget* compareDock_ = nullptr;
    QDockWidget* warningsDock_ = nullptr;
    QListWidget* warningsList_ = nullptr;
    QLabel* projectLabel_ = nullptr;
    QLabel* edgeLabel_ = nullptr;
    QLabel* sandboxLabel_ = nullptr;
    QTimer countsTimer_;

    QString currentFunction_;         // logical id
    QHash<QString, QString> drafts_;  // the event last typed for each function
    // The window's own invocation in flight: its ticket, function, and (once started) request id.
    quint64 pendingTicket_ = 0;
    QString pendingFunction_;
    QString pendingRequest_;
    // False once the user picks a row while waiting, so the answer does not replace their choice.
    bool detailFollowsPending_ = false;
    bool tableAtTop_ = true;
    QString rowToSelect_;  // request id whose row to select once it lands in the table
    // The row whose invocation the detail pane should show once its page (then its record) is
    // read, and the record request in flight for it.
    QPersistentModelIndex detailRow_;
    quint64 detailTicket_ = 0;

    // Replays: records being read (ticket -> place in the compare view), replays waiting their
    // turn (place, function, event), and the one running (its bridge ticket and place).
    QHash<quint64, int> replayReads_;
    struct QueuedReplay {
        int index = -1;
        QString function;
        QString event;
    };
    std::deque<QueuedReplay> replayQueue_;
    quint64 replayTicket_ = 0;
    int replayIndex_ = -1;
};

}  // namespace fogbank::ui
