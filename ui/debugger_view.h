// The Debugger tab: send an event to a Node.js or Python function under Fogbank's debugger and
// step through its handler. The handler's source with a breakpoint gutter, the toolbar and its
// keys (F5 continue, F10 over, F11 into, Shift+F11 out, Shift+F5 stop), the call stack, the
// variables of the chosen frame, an evaluate box and the invocation's live log. Breakpoints are
// the view's to keep, per function and file, and survive a reload of the project; the engine is
// told of every change. It knows the engine only through EngineBridge and never waits on it.
#pragma once

#include "ui/debug_snapshot.h"
#include "ui/source_view.h"

#include <QHash>
#include <QMap>
#include <QSet>
#include <QWidget>

class QAction;
class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QPushButton;
class QTreeView;

namespace fogbank::ui {

class EngineBridge;
class VariablesModel;

class DebuggerView : public QWidget {
    Q_OBJECT
  public:
    explicit DebuggerView(QWidget* parent = nullptr);
    ~DebuggerView() override;

    void setBridge(EngineBridge* bridge);

    bool selectFunction(const QString& name);
    QString currentFunction() const;
    void setEventText(const QString& json);
    // Sends the event box's event to the chosen function under the debugger; returns the
    // bridge's ticket, or 0 (with the reason in the status line) when it cannot.
    quint64 debugInvoke();
    // Shows one of the chosen function's files (absolute path).
    bool showFile(const QString& path);
    // Toggles the breakpoint on `line` of the shown file, or sets it with a condition.
    void toggleBreakpoint(int line);
    void setBreakpoint(int line, const QString& condition);
    // Evaluates in the chosen frame of the shown session.
    quint64 evaluate(const QString& expression);
    void command(DebugCommand command);

    // The session the view shows (0 for none), whether it is stopped and where.
    int currentSession() const { return current_; }
    bool isStopped() const;
    const DebugStopInfo* currentStop() const;
    int currentFrame() const { return frame_; }

    SourceView* sourceView() const { return source_; }
    VariablesModel* variablesModel() const { return variables_; }
    QTreeView* variablesTree() const { return tree_; }
    QListWidget* callStack() const { return stack_; }
    QListWidget* evaluateResults() const { return results_; }
    QLineEdit* evaluateBox() const { return expression_; }
    QPlainTextEdit* logView() const { return log_; }
    QLabel* statusLabel() const { return status_; }
    QComboBox* exceptionsBox() const { return exceptions_; }
    QAction* action(DebugCommand command) const;

  signals:
    // A session stopped and the view now shows it (the window brings the tab forward).
    void stopShown(int session, const QString& file, int line);
    void evaluated(const QString& expression, const QString& value, const QString& error);

  private:
    struct Session {
        DebugSessionInfo info;
        bool stopped = false;
        DebugStopInfo stop;
        bool placed = false;  // the view has asked where its breakpoints went
        bool busy = true;     // an invocation runs in it (else it waits, warm, for the next)
    };
    using FileBreakpoints = QMap<int, DebugBreakpointInfo>;  // by requested line

    void buildToolbar();
    void projectOpened();
    void projectClosed();
    void functionChosen();
    void sessionStarted(const DebugSessionInfo& session);
    void stopped(const DebugStopInfo& stop);
    void resumed(int session);
    void sessionEnded(int session, const QString& why);
    void breakpointsSet(const QString& function, const QString& file,
                        const QList<DebugBreakpointInfo>& breakpoints, const QString& error);
    void showSession(int id);
    void showFrame(int index);
    void clearStopped();
    void pushBreakpoints(const QString& function, const QString& file);
    void refreshMarks();
    void refreshSessions();
    void updateActions();
    void appendLog(const QString& text);
    void askCondition(int line);
    QString displayName(const QString& file) const;

    EngineBridge* bridge_ = nullptr;
    QComboBox* functions_;
    QPlainTextEdit* event_;
    QCheckBox* stopOnEntry_;
    QPushButton* debug_;
    QComboBox* exceptions_;
    QComboBox* sessionBox_;
    QComboBox* files_;
    SourceView* source_;
    QListWidget* stack_;
    VariablesModel* variables_;
    QTreeView* tree_;
    QLineEdit* expression_;
    QListWidget* results_;
    QPlainTextEdit* log_;
    QLabel* status_;
    QMap<DebugCommand, QAction*> actions_;

    QMap<int, Session> sessions_;
    int current_ = 0;
    int frame_ = -1;
    QHash<QString, QMap<QString, FileBreakpoints>> breakpoints_;  // function → file → lines
    QSet<QString> requests_;                                      // invocations started here
    quint64 scopesTicket_ = 0;
    QHash<quint64, quint64> variableTickets_;  // bridge ticket → model key
    QHash<quint64, QString> evaluateTickets_;
};

}  // namespace fogbank::ui
