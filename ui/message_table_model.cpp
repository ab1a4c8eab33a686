#include "ui/message_table_model.h"

#include <algorithm>

namespace fogbank::ui {

namespace {

// A body in a cell: its first line, shortened; the whole of it is in the tooltip.
QString oneLine(const QString& text) {
    constexpr int kMaxChars = 200;
    QString line = text.section(QLatin1Char('\n'), 0, 0);
    if (line.size() > kMaxChars) line = line.left(kMaxChars) + QChar(0x2026);
    if (line.size() < text.size() && !line.endsWith(QChar(0x2026))) line += QChar(0x2026);
    return line;
}

}  // namespace

void MessageTableModel::setMessages(const QString& queue, QList<QueueMessage> messages) {
    const bool sameRows =
        queue == queue_ &&
        std::equal(messages.begin(), messages.end(), messages_.begin(), messages_.end(),
                   [](const QueueMessage& a, const QueueMessage& b) { return a.id == b.id; });
    if (!sameRows) {
        beginResetModel();
        queue_ = queue;
        messages_ = std::move(messages);
        endResetModel();
        return;
    }
    for (int row = 0; row < messages.size(); ++row) {
        if (messages[row] == messages_[row]) continue;
        messages_[row] = messages[row];
        emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
    }
}

int MessageTableModel::rowOf(const QString& messageId) const {
    for (int row = 0; row < messages_.size(); ++row)
        if (messages_[row].id == messageId) return row;
    return -1;
}

int MessageTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(messages_.size());
}

int MessageTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant MessageTableModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const QueueMessage& m = messages_[index.row()];
    switch (role) {
        case MessageIdRole:
            return m.id;
        case BodyRole:
            return m.body;
        case StateRole:
            return static_cast<int>(m.state);
        case Qt::ToolTipRole:
            if (index.column() == BodyColumn) return m.body;
            if (index.column() == GroupColumn && !m.dedupId.isEmpty())
                return tr("Deduplication id: %1").arg(m.dedupId);
            return {};
        case Qt::TextAlignmentRole:
            if (index.column() == ReceivesColumn)
                return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
            return {};
        case Qt::DisplayRole:
            break;
        default:
            return {};
    }
    switch (index.column()) {
        case IdColumn:
            return m.id;
        case BodyColumn:
            return oneLine(m.body);
        case AttributesColumn:
            return m.attributesText();
        case SentColumn:
            return m.sent.toLocalTime().toString(QStringLiteral("HH:mm:ss.zzz"));
        case ReceivesColumn:
            return m.receiveCount;
        case GroupColumn:
            return m.groupId;
        case StateColumn:
            return m.stateLabel();
        default:
            return {};
    }
}

QVariant MessageTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
        case IdColumn:
            return tr("Message id");
        case BodyColumn:
            return tr("Body");
        case AttributesColumn:
            return tr("Attributes");
        case SentColumn:
            return tr("Sent");
        case ReceivesColumn:
            return tr("Receives");
        case GroupColumn:
            return tr("Group");
        case StateColumn:
            return tr("State");
        default:
            return {};
    }
}

}  // namespace fogbank::ui
