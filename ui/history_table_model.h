// The invocation history: every invocation in the store, newest first, as a table that opens on
// a million rows at once and never holds more than a few pages of them.
//
// The row count comes from the store's count; rows are read in pages of `pageSize` on a worker
// thread, by seq range (keyset), never by an OFFSET counted from the newest row, and kept in an
// LRU of at most `maxPages` pages. A row whose page is not here yet shows a placeholder; the page
// arrives as one dataChanged. Pages are immutable once read: nothing a page holds is rewritten,
// rows only come (new invocations, at the top) and go (retention, at the bottom).
//
// Rows are addressed by an ordinal fixed when the store was opened (or the filter changed): 0 is
// the newest row then, rows that arrived since have negative ordinals. New invocations therefore
// insert rows at the top without moving any page, and a page's place never depends on how many
// rows came after it.
#pragma once

#include "emulator/runtime/invocation.h"
#include "ui/invocation_record.h"

#include <QAbstractTableModel>
#include <QStringList>
#include <QTimer>

#include <limits>
#include <list>
#include <memory>
#include <optional>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace fogbank {
class InvocationStore;
}

namespace fogbank::ui {

// One row as the table shows it: what the columns need, and the request id that fetches the
// rest (event, response, logs) with requestRecord().
struct HistoryRow {
    qint64 seq = 0;
    QString requestId;
    QString function;
    Trigger trigger = Trigger::Manual;
    InvocationStatus status = InvocationStatus::Success;
    QString errorType;
    bool cold = false;
    bool loaded = false;  // false: a slot of a page whose row has not been read
    double initMs = 0;
    double durationMs = 0;
    qint64 billedMs = 0;
    int memorySizeMb = 0;
    int maxMemoryUsedMb = 0;
    double costUsd = 0;
    qint64 startMs = 0;  // since the epoch
    QString traceRoot;   // the trace it belongs to: "1-5f84c7a1-..."

    bool ok() const { return status == InvocationStatus::Success; }
};

class HistoryTableModel : public QAbstractTableModel {
    Q_OBJECT
  public:
    // The live table's columns first, in its order, then what history adds.
    enum Columns {
        Time,
        Function,
        Status,
        ColdWarm,
        InitMs,
        DurationMs,
        BilledMs,
        MaxMemory,
        TriggeredBy,
        CostUsd,
        ColumnCount
    };
    enum Roles {
        RequestIdRole = Qt::UserRole + 1,
        // False while the row's page is being read.
        LoadedRole,
        SeqRole,
        FunctionNameRole,
        TraceRootRole,
    };

    static constexpr int kDefaultPageSize = 200;
    static constexpr int kDefaultMaxPages = 40;

    explicit HistoryTableModel(QObject* parent = nullptr, int pageSize = kDefaultPageSize,
                               int maxPages = kDefaultMaxPages);
    ~HistoryTableModel() override;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    // The store to show, or null for none. Only a weak reference is kept, and only the worker
    // thread ever reads through it. The row count follows asynchronously: ready() says when.
    void setStore(const std::shared_ptr<InvocationStore>& store);
    // Every function (the default), or only these (FunctionNames); an empty list shows nothing.
    void showAllFunctions();
    void showFunctions(const QStringList& functionNames);
    bool isFiltered() const { return filter_.has_value(); }

    // Looks for invocations newer than the newest row shown, and for rows the store's retention
    // dropped; calls close together become one look. Call it when an invocation finished.
    void refresh();

    // Reads one whole invocation (event, response, logs) off this thread; recordReady(ticket)
    // follows, with found = false when the store no longer has it.
    quint64 requestRecord(const QString& requestId);

    // True once the row count of the current store and filter is known.
    bool isReady() const { return ready_; }
    bool isRowLoaded(int row) const;
    // The row's summary, or null while its page is being read (and asks for that page).
    const HistoryRow* rowAt(int row) const;
    // The row holding `requestId` among the rows held now; -1 when none does.
    int rowOfRequest(const QString& requestId) const;

    int pageSize() const { return pageSize_; }
    int maxPages() const { return maxPages_; }
    int cachedPages() const { return static_cast<int>(pages_.size()); }
    // The most pages ever held at once, and the rows in them: never above maxPages.
    int peakCachedPages() const { return peakPages_; }
    int cachedRows() const;
    // Pages asked of the worker since the store was set.
    qint64 pagesRequested() const { return pagesRequested_; }

  signals:
    void ready();
    void recordReady(quint64 ticket, const fogbank::ui::InvocationRecord& record, bool found);

  private:
    class Loader;
    struct SnapshotResult;
    struct PageResult;
    struct HeadResult;

    struct Page {
        std::vector<HistoryRow> rows;  // pageSize slots, by ordinal - key * pageSize
        std::list<qint64>::iterator lru;
        bool fetched = false;  // read whole from the store (rows still missing are gone)
    };

    void restart();
    void applySnapshot(const SnapshotResult& result);
    void applyPage(const PageResult& result);
    void applyHead(const HeadResult& result);
    // Stores rows with consecutive ordinals from `first`, creating pages as needed; returns the
    // range of rows (model rows) that changed as [low, high], or low > high when none.
    std::pair<qint64, qint64> merge(qint64 first, const std::vector<HistoryRow>& rows, bool fetched,
                                    qint64 fetchedKey);
    Page& pageFor(qint64 key);
    void requestPage(qint64 key) const;
    qint64 keyOf(qint64 ordinal) const;

    QVariant display(const HistoryRow& row, int column) const;

    const int pageSize_;
    const int maxPages_;
    std::unique_ptr<Loader> loader_;
    bool hasStore_ = false;
    std::optional<QStringList> filter_;

    quint64 generation_ = 0;
    bool ready_ = false;
    bool refreshPending_ = false;
    QTimer refreshTimer_;
    qint64 head_ = 0;   // rows above ordinal 0 (arrived since the snapshot)
    qint64 below_ = 0;  // rows at ordinal 0 and below

    // The page cache: LRU order in lru_, most recent first. Reading a row refreshes its page,
    // hence mutable: data() is const.
    mutable std::unordered_map<qint64, Page> pages_;
    mutable std::list<qint64> lru_;
    mutable std::unordered_set<qint64> requested_;
    mutable qint64 lastTouched_ = std::numeric_limits<qint64>::min();
    mutable qint64 pagesRequested_ = 0;
    int peakPages_ = 0;
    quint64 nextTicket_ = 0;
};

}  // namespace fogbank::ui
