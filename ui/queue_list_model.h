// The queue browser's list of queues: one row per queue with its live counts, over the latest
// snapshot the bridge answered. A refresh that changes only counts keeps the rows (and the
// selection); one that adds or removes queues resets the model.
#pragma once

#include "ui/queue_snapshot.h"

#include <QAbstractTableModel>

namespace fogbank::ui {

class QueueListModel : public QAbstractTableModel {
    Q_OBJECT
  public:
    enum Column {
        NameColumn,
        TypeColumn,
        VisibleColumn,
        InFlightColumn,
        DelayedColumn,
        DeadLetterColumn,
        ColumnCount
    };
    enum Role { NameRole = Qt::UserRole + 1, FifoRole, DeadLetterQueueRole };

    using QAbstractTableModel::QAbstractTableModel;

    void setQueues(QList<QueueInfo> queues);
    const QList<QueueInfo>& queues() const { return queues_; }
    // The row of the queue with this name, or -1.
    int rowOf(const QString& name) const;
    const QueueInfo* find(const QString& name) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

  private:
    QList<QueueInfo> queues_;
};

}  // namespace fogbank::ui
