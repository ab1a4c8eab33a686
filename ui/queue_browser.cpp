#include "ui/queue_browser.h"

#include "ui/engine_bridge.h"
#include "ui/message_table_model.h"
#include "ui/queue_list_model.h"

#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

#include <memory>

namespace fogbank::ui {

namespace {

void setUpTable(QTableView* table) {
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setSelectionMode(QAbstractItemView::SingleSelection);
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->verticalHeader()->hide();
    table->setAlternatingRowColors(true);
    table->setWordWrap(false);
    table->horizontalHeader()->setHighlightSections(false);
}

}  // namespace

QueueBrowser::QueueBrowser(QWidget* parent)
    : QWidget(parent), queues_(new QueueListModel(this)), messages_(new MessageTableModel(this)) {
    auto* splitter = new QSplitter(Qt::Horizontal, this);

    queueTable_ = new QTableView(splitter);
    queueTable_->setObjectName(QStringLiteral("queueTable"));
    setUpTable(queueTable_);
    queueTable_->setModel(queues_);
    queueTable_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    queueTable_->horizontalHeader()->setStretchLastSection(true);
    connect(queueTable_->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &QueueBrowser::onQueueSelected);
    // A reset (queues added or removed) drops the selection; choose the same queue again.
    connect(queues_, &QAbstractItemModel::modelReset, this, [this] {
        const QString wanted = current_;
        if (!wanted.isEmpty() && !selectQueue(wanted)) {
            current_.clear();
            clear();
        }
        if (current_.isEmpty() && queues_->rowCount() > 0)
            selectQueue(queues_->queues().front().name);
    });

    auto* right = new QWidget(splitter);
    auto* rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(6, 0, 0, 0);
    title_ = new QLabel(tr("No queue chosen"), right);
    QFont titleFont = title_->font();
    titleFont.setBold(true);
    title_->setFont(titleFont);
    title_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    rightLayout->addWidget(title_);

    messageTable_ = new QTableView(right);
    messageTable_->setObjectName(QStringLiteral("messageTable"));
    setUpTable(messageTable_);
    messageTable_->setModel(messages_);
    auto* header = messageTable_->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::Interactive);
    header->setStretchLastSection(false);
    header->setSectionResizeMode(MessageTableModel::BodyColumn, QHeaderView::Stretch);
    for (int column : {MessageTableModel::IdColumn, MessageTableModel::SentColumn,
                       MessageTableModel::ReceivesColumn, MessageTableModel::GroupColumn,
                       MessageTableModel::StateColumn})
        header->setSectionResizeMode(column, QHeaderView::ResizeToContents);
    header->resizeSection(MessageTableModel::AttributesColumn, 180);
    connect(messageTable_->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &QueueBrowser::updateActions);
    // A reset (messages came or went) drops the selection; keep the chosen message chosen.
    auto remembered = std::make_shared<QString>();
    connect(messages_, &QAbstractItemModel::modelAboutToBeReset, this,
            [this, remembered] { *remembered = selectedMessage(); });
    connect(messages_, &QAbstractItemModel::modelReset, this, [this, remembered] {
        const int row = remembered->isEmpty() ? -1 : messages_->rowOf(*remembered);
        if (row >= 0) messageTable_->selectRow(row);
        updateActions();
    });
    rightLayout->addWidget(messageTable_, 1);

    auto* actions = new QHBoxLayout;
    delete_ = new QPushButton(tr("Delete message"), right);
    delete_->setObjectName(QStringLiteral("deleteMessage"));
    purge_ = new QPushButton(tr("Purge…"), right);
    purge_->setObjectName(QStringLiteral("purgeQueue"));
    redrive_ = new QPushButton(tr("Redrive to source"), right);
    redrive_->setObjectName(QStringLiteral("redriveToSource"));
    auto* refreshButton = new QPushButton(tr("Refresh"), right);
    actions->addWidget(delete_);
    actions->addWidget(purge_);
    actions->addWidget(redrive_);
    actions->addStretch(1);
    actions->addWidget(refreshButton);
    rightLayout->addLayout(actions);

    // Purging cannot be undone, so it asks first, inline: a modal dialog would stop everything
    // else (tests and polling included) until answered.
    confirmBar_ = new QWidget(right);
    auto* confirmLayout = new QHBoxLayout(confirmBar_);
    confirmLayout->setContentsMargins(0, 0, 0, 0);
    confirmText_ = new QLabel(confirmBar_);
    confirmPurge_ = new QPushButton(tr("Purge"), confirmBar_);
    confirmPurge_->setObjectName(QStringLiteral("confirmPurge"));
    cancelPurge_ = new QPushButton(tr("Cancel"), confirmBar_);
    confirmLayout->addWidget(confirmText_, 1);
    confirmLayout->addWidget(confirmPurge_);
    confirmLayout->addWidget(cancelPurge_);
    confirmBar_->hide();
    rightLayout->addWidget(confirmBar_);

    status_ = new QLabel(right);
    status_->setObjectName(QStringLiteral("queueStatus"));
    status_->setWordWrap(true);
    status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    rightLayout->addWidget(status_);

    auto* sendBox = new QGroupBox(tr("Send a message"), right);
    auto* form = new QFormLayout(sendBox);
    body_ = new QPlainTextEdit(sendBox);
    body_->setObjectName(QStringLiteral("messageBody"));
    body_->setPlaceholderText(tr("Message body"));
    body_->setTabChangesFocus(true);
    attributes_ = new QPlainTextEdit(sendBox);
    attributes_->setObjectName(QStringLiteral("messageAttributes"));
    attributes_->setPlaceholderText(tr("key=value, one per line"));
    attributes_->setTabChangesFocus(true);
    const int lineHeight = fontMetrics().lineSpacing();
    body_->setFixedHeight(lineHeight * 4 + 12);
    attributes_->setFixedHeight(lineHeight * 3 + 12);
    groupIdLabel_ = new QLabel(tr("Group id"), sendBox);
    groupId_ = new QLineEdit(sendBox);
    groupId_->setObjectName(QStringLiteral("messageGroupId"));
    dedupIdLabel_ = new QLabel(tr("Deduplication id"), sendBox);
    dedupId_ = new QLineEdit(sendBox);
    dedupId_->setObjectName(QStringLiteral("messageDedupId"));
    dedupId_->setPlaceholderText(tr("optional with content-based deduplication"));
    send_ = new QPushButton(tr("Send"), sendBox);
    send_->setObjectName(QStringLiteral("sendMessage"));
    form->addRow(tr("Body"), body_);
    form->addRow(tr("Attributes"), attributes_);
    form->addRow(groupIdLabel_, groupId_);
    form->addRow(dedupIdLabel_, dedupId_);
    auto* sendRow = new QHBoxLayout;
    sendRow->addStretch(1);
    sendRow->addWidget(send_);
    form->addRow(sendRow);
    rightLayout->addWidget(sendBox);

    splitter->addWidget(queueTable_);
    splitter->addWidget(right);
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 3);
    // Room for the counts and the dead-letter column without eliding them.
    splitter->setSizes({520, 880});
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addWidget(splitter);

    connect(send_, &QPushButton::clicked, this, &QueueBrowser::sendFromForm);
    connect(delete_, &QPushButton::clicked, this, [this] {
        const QString id = selectedMessage();
        if (bridge_ && !id.isEmpty()) bridge_->deleteMessage(current_, id);
    });
    connect(purge_, &QPushButton::clicked, this, [this] {
        const QueueInfo* q = queues_->find(current_);
        if (!q) return;
        confirmText_->setText(tr("Delete all %n message(s) of %1? This cannot be undone.", nullptr,
                                 q->visible + q->inFlight + q->delayed)
                                  .arg(current_));
        confirmBar_->show();
    });
    connect(confirmPurge_, &QPushButton::clicked, this, [this] {
        confirmBar_->hide();
        if (bridge_ && !current_.isEmpty()) bridge_->purgeQueue(current_);
    });
    connect(cancelPurge_, &QPushButton::clicked, confirmBar_, &QWidget::hide);
    connect(redrive_, &QPushButton::clicked, this, [this] {
        if (bridge_ && !current_.isEmpty()) bridge_->redriveToSource(current_);
    });
    connect(refreshButton, &QPushButton::clicked, this, &QueueBrowser::refresh);

    poll_.setInterval(kPollMs);
    connect(&poll_, &QTimer::timeout, this, &QueueBrowser::refresh);
    updateActions();
}

QueueBrowser::~QueueBrowser() = default;

void QueueBrowser::setBridge(EngineBridge* bridge) {
    if (bridge_) disconnect(bridge_, nullptr, this, nullptr);
    bridge_ = bridge;
    if (!bridge_) return;
    connect(bridge_, &EngineBridge::queuesRefreshed, this, &QueueBrowser::onQueuesRefreshed);
    connect(bridge_, &EngineBridge::messagesPeeked, this, &QueueBrowser::onMessagesPeeked);
    connect(bridge_, &EngineBridge::queueOperationFinished, this,
            &QueueBrowser::onOperationFinished);
    connect(bridge_, &EngineBridge::projectOpened, this, &QueueBrowser::refresh);
    connect(bridge_, &EngineBridge::projectClosed, this, [this] {
        current_.clear();
        queues_->setQueues({});
        clear();
        showStatus({}, false);
    });
    refresh();
}

void QueueBrowser::refresh() {
    if (!bridge_ || !bridge_->isOpen()) return;
    bridge_->refreshQueues();
    if (!current_.isEmpty()) bridge_->peekMessages(current_, kPeekMax);
}

void QueueBrowser::showEvent(QShowEvent* event) {
    QWidget::showEvent(event);
    refresh();
    poll_.start();
}

void QueueBrowser::hideEvent(QHideEvent* event) {
    QWidget::hideEvent(event);
    poll_.stop();
}

bool QueueBrowser::selectQueue(const QString& name) {
    const int row = queues_->rowOf(name);
    if (row < 0) return false;
    queueTable_->setCurrentIndex(queues_->index(row, QueueListModel::NameColumn));
    queueTable_->selectRow(row);
    return true;
}

QString QueueBrowser::selectedMessage() const {
    const auto rows = messageTable_->selectionModel()->selectedRows();
    return rows.isEmpty() ? QString()
                          : rows.front().data(MessageTableModel::MessageIdRole).toString();
}

QString QueueBrowser::statusText() const {
    return status_->text();
}

QList<QPair<QString, QString>> QueueBrowser::parseAttributes(const QString& text, QString* error) {
    QList<QPair<QString, QString>> out;
    const QStringList lines = text.split(QLatin1Char('\n'));
    for (int i = 0; i < lines.size(); ++i) {
        const QString line = lines[i].trimmed();
        if (line.isEmpty()) continue;
        const auto equals = line.indexOf(QLatin1Char('='));
        if (equals <= 0) {
            if (error)
                *error = tr("Attributes, line %1: \"%2\" is not key=value").arg(i + 1).arg(line);
            return {};
        }
        out.append({line.left(equals).trimmed(), line.mid(equals + 1).trimmed()});
    }
    return out;
}

void QueueBrowser::onQueuesRefreshed(const QList<QueueInfo>& queues, const QString& error) {
    if (!error.isEmpty()) {
        showStatus(error, true);
        return;
    }
    queues_->setQueues(queues);
    updateActions();
}

void QueueBrowser::onMessagesPeeked(const QString& queue, const QList<QueueMessage>& messages,
                                    const QString& error) {
    if (queue != current_) return;
    if (!error.isEmpty()) {
        showStatus(error, true);
        return;
    }
    messages_->setMessages(queue, messages);
}

void QueueBrowser::onOperationFinished(const QString& operation, const QString& queue,
                                       const QString& result, const QString& error) {
    if (!error.isEmpty()) {
        showStatus(tr("Could not %1 (%2): %3").arg(operation, queue, error), true);
    } else if (operation == QLatin1String("send")) {
        showStatus(tr("Sent message %1 to %2.").arg(result, queue), false);
        body_->clear();
    } else if (operation == QLatin1String("delete")) {
        showStatus(tr("Deleted message %1 from %2.").arg(result, queue), false);
    } else if (operation == QLatin1String("purge")) {
        showStatus(tr("Purged %1.").arg(queue), false);
    } else if (operation == QLatin1String("redrive")) {
        const QueueInfo* q = queues_->find(queue);
        const QString source =
            q ? q->deadLetterSources.join(QStringLiteral(", ")) : tr("its source");
        showStatus(tr("Moved %1 message(s) from %2 back to %3.").arg(result, queue, source), false);
    }
    emit operationFinished(operation, error);
    refresh();
}

void QueueBrowser::onQueueSelected() {
    const QModelIndex index = queueTable_->currentIndex();
    // A reset of the list clears the current row; the reset's handler chooses again.
    if (!index.isValid()) return;
    const QString name = index.data(QueueListModel::NameRole).toString();
    if (name == current_) return;
    current_ = name;
    confirmBar_->hide();
    clear();
    updateActions();
    if (bridge_ && bridge_->isOpen() && !current_.isEmpty())
        bridge_->peekMessages(current_, kPeekMax);
}

void QueueBrowser::clear() {
    messages_->setMessages(current_, {});
}

void QueueBrowser::updateActions() {
    const QueueInfo* q = queues_->find(current_);
    if (!q) {
        title_->setText(tr("No queue chosen"));
    } else {
        QString title = tr("%1 — %2 visible, %3 in flight, %4 delayed")
                            .arg(q->name)
                            .arg(q->visible)
                            .arg(q->inFlight)
                            .arg(q->delayed);
        title_->setText(title);
        title_->setToolTip(q->url.isEmpty() ? q->arn : q->url);
    }
    const bool fifo = q && q->fifo;
    groupIdLabel_->setVisible(fifo);
    groupId_->setVisible(fifo);
    dedupIdLabel_->setVisible(fifo);
    dedupId_->setVisible(fifo);
    redrive_->setVisible(q && q->isDeadLetterQueue());
    redrive_->setEnabled(q && q->isDeadLetterQueue() && q->visible + q->inFlight + q->delayed > 0);
    if (q && q->isDeadLetterQueue())
        redrive_->setToolTip(tr("Move every message back to %1")
                                 .arg(q->deadLetterSources.join(QStringLiteral(", "))));
    delete_->setEnabled(q && !selectedMessage().isEmpty());
    purge_->setEnabled(q != nullptr);
    send_->setEnabled(q != nullptr);
}

void QueueBrowser::sendFromForm() {
    if (!bridge_ || current_.isEmpty()) return;
    QString error;
    const auto attributes = parseAttributes(attributes_->toPlainText(), &error);
    if (!error.isEmpty()) {
        showStatus(error, true);
        return;
    }
    const QueueInfo* q = queues_->find(current_);
    const bool fifo = q && q->fifo;
    bridge_->sendMessage(current_, body_->toPlainText(), attributes,
                         fifo ? groupId_->text().trimmed() : QString(),
                         fifo ? dedupId_->text().trimmed() : QString());
}

void QueueBrowser::showStatus(const QString& text, bool error) {
    status_->setText(text);
    status_->setStyleSheet(error ? QStringLiteral("color: #b00020;") : QString());
}

}  // namespace fogbank::ui
