// What the queue browser shows of a queue and of a message: Qt copies of the engine's snapshots,
// made once on the bridge's thread and never changed afterwards.
#pragma once

#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QPair>
#include <QString>
#include <QStringList>

namespace fogbank::ui {

struct QueueInfo {
    QString name;
    QString url;
    QString arn;
    bool fifo = false;
    QString deadLetterTarget;  // empty without a RedrivePolicy
    int maxReceiveCount = 0;
    QStringList deadLetterSources;  // non-empty: this queue is a DLQ
    int visible = 0;
    int inFlight = 0;
    int delayed = 0;

    bool isDeadLetterQueue() const { return !deadLetterSources.isEmpty(); }
    friend bool operator==(const QueueInfo&, const QueueInfo&) = default;
};

struct QueueMessage {
    enum class State { Visible, InFlight, Delayed };
    QString id;
    QString body;
    // Message attributes as (name, "Type: value") in name order.
    QList<QPair<QString, QString>> attributes;
    QDateTime sent;
    int receiveCount = 0;
    QString groupId;
    QString dedupId;
    State state = State::Visible;

    // "colour=blue, size=42": one line for a table cell.
    QString attributesText() const;
    QString stateLabel() const;
    friend bool operator==(const QueueMessage&, const QueueMessage&) = default;
};

}  // namespace fogbank::ui

Q_DECLARE_METATYPE(fogbank::ui::QueueInfo)
Q_DECLARE_METATYPE(fogbank::ui::QueueMessage)
