// The recorded traces, newest first: one row per trace with its root function, when it started,
// how long it took, and how many invocations, service calls and errors it holds.
//
// The model holds an immutable snapshot that the trace view reads off the window's thread and
// hands over whole. A snapshot equal to the one shown changes nothing (refreshes follow every
// invocation); a different one resets, and views find their trace again by TraceIdRole.
#pragma once

#include "emulator/trace/invocation_store.h"

#include <QAbstractTableModel>

#include <memory>
#include <vector>

namespace fogbank::ui {

class TraceListModel : public QAbstractTableModel {
    Q_OBJECT
  public:
    enum Columns {
        Start,
        RootFunction,
        Duration,
        Invocations,
        Calls,
        Errors,
        TraceId,
        ColumnCount
    };
    enum Roles {
        TraceIdRole = Qt::UserRole + 1,
        ErrorsRole,
    };
    using Snapshot = std::shared_ptr<const std::vector<TraceSummary>>;

    explicit TraceListModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    void setSnapshot(Snapshot snapshot);
    void clear();
    const TraceSummary* traceAt(int row) const;
    int rowOfTrace(const QString& traceId) const;

  private:
    Snapshot snapshot_;
};

}  // namespace fogbank::ui
