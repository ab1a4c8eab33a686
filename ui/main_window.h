// The studio's first window: functions on the left, an event to send and what came back in the
// middle, every invocation live underneath. It knows the engine only through EngineBridge.
#pragma once

#include "ui/engine_bridge.h"

#include <QHash>
#include <QMainWindow>
#include <QTimer>

class QAction;
class QDockWidget;
class QLabel;
class QListWidget;
class QPushButton;
class QSortFilterProxyModel;
class QStackedWidget;
class QTableView;

namespace fogbank::ui {

class EventEditor;
class FunctionListPanel;
class InvocationDetailPanel;
class InvocationTableModel;

class MainWindow : public QMainWindow {
    Q_OBJECT
  public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    EngineBridge* bridge() const { return bridge_; }
    InvocationTableModel* invocationModel() const { return model_; }

    void openProject(const QString& templatePath);
    bool selectFunction(const QString& nameOrLogicalId);
    void setEventText(const QString& json);
    // Sends the editor's event to the selected function; returns the bridge's ticket, or 0 when
    // there is nothing to invoke or the event is not JSON.
    quint64 invokeSelected();

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
    void selectLandedRow();
    void updateInvokeEnabled();
    void updateSandboxLabel();
    void chooseTemplate();

    EngineBridge* bridge_;
    InvocationTableModel* model_;
    QSortFilterProxyModel* proxy_;

    QStackedWidget* stack_ = nullptr;
    QLabel* hint_ = nullptr;
    FunctionListPanel* functions_ = nullptr;
    QLabel* eventTitle_ = nullptr;
    EventEditor* editor_ = nullptr;
    QPushButton* invokeButton_ = nullptr;
    QAction* invokeAction_ = nullptr;
    InvocationDetailPanel* detail_ = nullptr;
    QTableView* table_ = nullptr;
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
    bool tableAtBottom_ = true;
    QString rowToSelect_;  // request id whose row to select once it lands in the table
};

}  // namespace fogbank::ui
