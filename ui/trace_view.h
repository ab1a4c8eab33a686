// The Traces tab: the recorded traces newest first, the chosen one as a waterfall (a tree of
// spans on one time axis), and the chosen span up close: its timings, and for an invocation its
// event, response and log.
//
// Everything it shows is read from the invocation store off the window's thread (StoreReader),
// so that a store of a hundred thousand traces never makes the window wait.
#pragma once

#include <QString>
#include <QStringList>
#include <QTimer>
#include <QWidget>

#include <memory>

class QLabel;
class QComboBox;
class QPlainTextEdit;
class QTabWidget;
class QTableView;
class QTreeView;

namespace fogbank {
class InvocationStore;
}

namespace fogbank::ui {

class InvocationDetailPanel;
class StoreReader;
class TraceListModel;
class TraceWaterfallModel;

class TraceView : public QWidget {
    Q_OBJECT
  public:
    static constexpr int kMaxTraces = 500;
    static constexpr int kRefreshDebounceMs = 300;

    explicit TraceView(QWidget* parent = nullptr);
    ~TraceView() override;

    void setStore(const std::shared_ptr<InvocationStore>& store);
    // Reads the trace list again soon; calls close together become one read. Call it when an
    // invocation finished.
    void refresh();
    // Shows this trace (selecting it in the list once the list holds it) with this invocation's
    // span chosen, when given.
    void showTrace(const QString& traceId, const QString& requestId = {});
    // The functions the filter offers (FunctionNames); the filter goes back to all of them.
    void setFunctions(const QStringList& names);
    // Only the traces in which this function ran; empty for all.
    void setFunctionFilter(const QString& name);

    TraceListModel* listModel() const { return list_; }
    TraceWaterfallModel* waterfallModel() const { return waterfall_; }
    QTreeView* waterfallView() const { return tree_; }
    QTableView* traceTable() const { return table_; }
    QTabWidget* spanDetail() const { return detailTabs_; }
    QPlainTextEdit* spanSummary() const { return summary_; }
    QPlainTextEdit* spanEvent() const { return event_; }
    InvocationDetailPanel* spanInvocation() const { return invocation_; }
    QString shownTrace() const { return shownTrace_; }

  signals:
    void traceListLoaded();
    void traceLoaded(const QString& traceId);
    void spanShown();

  private:
    void loadList();
    void loadTrace(const QString& traceId);
    void onTraceSelected();
    void showSpan(const QModelIndex& index);
    void selectRequestedSpan();

    StoreReader* reader_;
    TraceListModel* list_;
    TraceWaterfallModel* waterfall_;
    QComboBox* function_;
    QLabel* title_;
    QTableView* table_;
    QLabel* traceTitle_;
    QTreeView* tree_;
    QTabWidget* detailTabs_;
    QPlainTextEdit* summary_;
    QPlainTextEdit* event_;
    InvocationDetailPanel* invocation_;
    QTimer refreshTimer_;
    QString shownTrace_;
    QString wantedTrace_;    // asked for by showTrace(), selected once the list has it
    QString wantedRequest_;  // the invocation's span to choose once that trace is loaded
    QString wantedSpan_;
    // True until the user picks a trace other than the newest: the view then shows each new one.
    bool followNewest_ = true;  // else this span (by id), when a trace is read again
};

}  // namespace fogbank::ui
