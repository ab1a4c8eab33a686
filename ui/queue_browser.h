// The Queues tab: every SQS queue of the running project with its live counts, the chosen
// queue's messages as a peek sees them (peeking receives nothing, so consumers are unaffected),
// and what a developer does to a queue by hand: send a message, delete one, purge, and move a
// dead-letter queue's messages back to their source.
//
// It polls the bridge once a second while it is shown; every answer arrives as a signal, so the
// window never waits on the engine. Errors are written in the tab, never in a modal dialog.
#pragma once

#include <QPointer>
#include <QTimer>
#include <QWidget>

class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QTableView;
class QWidget;

namespace fogbank::ui {

class EngineBridge;
class MessageTableModel;
class QueueListModel;
struct QueueInfo;
struct QueueMessage;

class QueueBrowser : public QWidget {
    Q_OBJECT
  public:
    static constexpr int kPollMs = 1000;
    static constexpr int kPeekMax = 100;

    explicit QueueBrowser(QWidget* parent = nullptr);
    ~QueueBrowser() override;

    void setBridge(EngineBridge* bridge);
    // Asks for the queues and the chosen queue's messages now.
    void refresh();
    // Chooses a queue by name; false when the list has none of that name (yet).
    bool selectQueue(const QString& name);
    QString currentQueue() const { return current_; }
    // The selected message's id, or empty.
    QString selectedMessage() const;
    // Key=value lines as String message attributes; `error` names the first bad line.
    static QList<QPair<QString, QString>> parseAttributes(const QString& text, QString* error);

    QueueListModel* queueModel() const { return queues_; }
    MessageTableModel* messageModel() const { return messages_; }
    QTableView* queueTable() const { return queueTable_; }
    QTableView* messageTable() const { return messageTable_; }
    QPlainTextEdit* bodyEdit() const { return body_; }
    QPlainTextEdit* attributesEdit() const { return attributes_; }
    QLineEdit* groupIdEdit() const { return groupId_; }
    QLineEdit* dedupIdEdit() const { return dedupId_; }
    QPushButton* sendButton() const { return send_; }
    QPushButton* deleteButton() const { return delete_; }
    QPushButton* purgeButton() const { return purge_; }
    QPushButton* confirmPurgeButton() const { return confirmPurge_; }
    QPushButton* redriveButton() const { return redrive_; }
    // The last outcome or error, as the tab shows it.
    QString statusText() const;

  signals:
    // An operation (send, delete, purge, redrive) was answered, successfully or not.
    void operationFinished(const QString& operation, const QString& error);

  protected:
    void showEvent(QShowEvent* event) override;
    void hideEvent(QHideEvent* event) override;

  private:
    void onQueuesRefreshed(const QList<QueueInfo>& queues, const QString& error);
    void onMessagesPeeked(const QString& queue, const QList<QueueMessage>& messages,
                          const QString& error);
    void onOperationFinished(const QString& operation, const QString& queue, const QString& result,
                             const QString& error);
    void onQueueSelected();
    void updateActions();
    void sendFromForm();
    void showStatus(const QString& text, bool error);
    void clear();

    QPointer<EngineBridge> bridge_;
    QueueListModel* queues_;
    MessageTableModel* messages_;
    QTableView* queueTable_;
    QLabel* title_;
    QTableView* messageTable_;
    QPushButton* delete_;
    QPushButton* purge_;
    QPushButton* redrive_;
    QWidget* confirmBar_;
    QLabel* confirmText_;
    QPushButton* confirmPurge_;
    QPushButton* cancelPurge_;
    QLabel* status_;
    QPlainTextEdit* body_;
    QPlainTextEdit* attributes_;
    QLabel* groupIdLabel_;
    QLineEdit* groupId_;
    QLabel* dedupIdLabel_;
    QLineEdit* dedupId_;
    QPushButton* send_;
    QTimer poll_;
    QString current_;
};

}  // namespace fogbank::ui
