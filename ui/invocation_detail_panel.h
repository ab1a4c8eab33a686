// One invocation up close: its outcome, the response (or Lambda's error document) as indented
// JSON, and its log from START to REPORT, which streams in while the invocation runs.
#pragma once

#include "ui/invocation_record.h"

#include <QWidget>

class QLabel;
class QPlainTextEdit;

namespace fogbank::ui {

class InvocationDetailPanel : public QWidget {
    Q_OBJECT
  public:
    explicit InvocationDetailPanel(QWidget* parent = nullptr);

    // Clears the panel for an invocation that has just been asked for.
    void beginLive(const QString& function);
    // The request id the streaming lines belong to, once the engine has named it.
    void setLiveRequest(const QString& requestId);
    void appendLog(const QString& line);
    void showRecord(const InvocationRecord& record);
    void clear();

    QString requestId() const { return requestId_; }
    QPlainTextEdit* responseView() const { return response_; }
    QPlainTextEdit* logView() const { return logs_; }
    QLabel* statusLabel() const { return status_; }

  private:
    QLabel* status_;
    QPlainTextEdit* response_;
    QPlainTextEdit* logs_;
    QString requestId_;
};

}  // namespace fogbank::ui
