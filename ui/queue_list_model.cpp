#include "ui/queue_list_model.h"

#include <algorithm>

namespace fogbank::ui {

void QueueListModel::setQueues(QList<QueueInfo> queues) {
    std::sort(queues.begin(), queues.end(),
              [](const QueueInfo& a, const QueueInfo& b) { return a.name < b.name; });
    const bool sameRows =
        std::equal(queues.begin(), queues.end(), queues_.begin(), queues_.end(),
                   [](const QueueInfo& a, const QueueInfo& b) { return a.name == b.name; });
    if (!sameRows) {
        beginResetModel();
        queues_ = std::move(queues);
        endResetModel();
        return;
    }
    for (int row = 0; row < queues.size(); ++row) {
        if (queues[row] == queues_[row]) continue;
        queues_[row] = queues[row];
        emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
    }
}

int QueueListModel::rowOf(const QString& name) const {
    for (int row = 0; row < queues_.size(); ++row)
        if (queues_[row].name == name) return row;
    return -1;
}

const QueueInfo* QueueListModel::find(const QString& name) const {
    const int row = rowOf(name);
    return row < 0 ? nullptr : &queues_[row];
}

int QueueListModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(queues_.size());
}

int QueueListModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant QueueListModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const QueueInfo& q = queues_[index.row()];
    switch (role) {
        case NameRole:
            return q.name;
        case FifoRole:
            return q.fifo;
        case DeadLetterQueueRole:
            return q.isDeadLetterQueue();
        case Qt::ToolTipRole:
            if (index.column() == DeadLetterColumn && !q.deadLetterTarget.isEmpty())
                return tr("Moved to %1 after %n receive(s)", nullptr, q.maxReceiveCount)
                    .arg(q.deadLetterTarget);
            return q.url.isEmpty() ? q.arn : q.url + QLatin1Char('\n') + q.arn;
        case Qt::TextAlignmentRole:
            if (index.column() >= VisibleColumn && index.column() <= DelayedColumn)
                return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
            return {};
        case Qt::DisplayRole:
            break;
        default:
            return {};
    }
    switch (index.column()) {
        case NameColumn:
            return q.name;
        case TypeColumn:
            return q.fifo ? tr("FIFO") : tr("Standard");
        case VisibleColumn:
            return q.visible;
        case InFlightColumn:
            return q.inFlight;
        case DelayedColumn:
            return q.delayed;
        case DeadLetterColumn:
            if (q.isDeadLetterQueue())
                return tr("DLQ of %1").arg(q.deadLetterSources.join(QStringLiteral(", ")));
            if (!q.deadLetterTarget.isEmpty())
                return tr("→ %1 after %n", nullptr, q.maxReceiveCount).arg(q.deadLetterTarget);
            return {};
        default:
            return {};
    }
}

QVariant QueueListModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
        case NameColumn:
            return tr("Queue");
        case TypeColumn:
            return tr("Type");
        case VisibleColumn:
            return tr("Visible");
        case InFlightColumn:
            return tr("In flight");
        case DelayedColumn:
            return tr("Delayed");
        case DeadLetterColumn:
            return tr("Dead letters");
        default:
            return {};
    }
}

}  // namespace fogbank::ui
