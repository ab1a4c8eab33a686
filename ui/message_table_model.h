// The messages of one queue as a peek saw them (nothing received, nothing hidden from
// consumers), in arrival order. A peek that shows the same messages again only updates their
// cells, so the chosen row stays chosen while the browser polls.
#pragma once

#include "ui/queue_snapshot.h"

#include <QAbstractTableModel>

namespace fogbank::ui {

class MessageTableModel : public QAbstractTableModel {
    Q_OBJECT
  public:
    enum Column {
        IdColumn,
        BodyColumn,
        AttributesColumn,
        SentColumn,
        ReceivesColumn,
        GroupColumn,
        StateColumn,
        ColumnCount
    };
    enum Role { MessageIdRole = Qt::UserRole + 1, BodyRole, StateRole };

    using QAbstractTableModel::QAbstractTableModel;

    void setMessages(const QString& queue, QList<QueueMessage> messages);
    QString queue() const { return queue_; }
    const QList<QueueMessage>& messages() const { return messages_; }
    int rowOf(const QString& messageId) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

  private:
    QString queue_;
    QList<QueueMessage> messages_;
};

}  // namespace fogbank::ui
