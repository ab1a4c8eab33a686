// The live invocation table: every finished invocation, newest last, as immutable rows.
//
// Rows only ever arrive at the end and leave from the front (when the bound is reached), so the
// model is a deque and a view never sees a row change. Rows that arrive close together are
// inserted as one batch, so that a burst of invocations costs the view one layout, not hundreds.
#pragma once

#include "ui/invocation_record.h"

#include <QAbstractTableModel>
#include <QList>
#include <QTimer>

#include <deque>

namespace fogbank::ui {

class InvocationTableModel : public QAbstractTableModel {
    Q_OBJECT
  public:
    enum Columns {
        Time,
        Function,
        Status,
        ColdWarm,
        InitMs,
        DurationMs,
        BilledMs,
        MaxMemory,
        ColumnCount
    };
    enum Roles {
        RequestIdRole = Qt::UserRole + 1,
        // A value that orders the column as a person expects (numbers as numbers, time as time).
        SortRole,
        // The whole InvocationRecord, for detail views.
        RecordRole,
    };

    static constexpr int kDefaultCapacity = 100'000;

    explicit InvocationTableModel(QObject* parent = nullptr, int capacity = kDefaultCapacity);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    // Queues a row; everything queued within the coalescing interval lands as one insertion.
    void append(const InvocationRecord& record);
    // Inserts at once, as one batch.
    void appendBatch(const QList<InvocationRecord>& records);
    // Inserts whatever append() has queued.
    void flush();
    void clear();

    int capacity() const { return capacity_; }
    int pendingCount() const { return static_cast<int>(pending_.size()); }
    const InvocationRecord& record(int row) const { return rows_.at(static_cast<size_t>(row)); }
    // The row holding `requestId`, searching from the newest; -1 when absent.
    int rowOfRequest(const QString& requestId) const;

  private:
    QVariant display(const InvocationRecord& record, int column) const;
    QVariant sortValue(const InvocationRecord& record, int column) const;

    std::deque<InvocationRecord> rows_;
    QList<InvocationRecord> pending_;
    QTimer flushTimer_;
    int capacity_;
};

}  // namespace fogbank::ui
