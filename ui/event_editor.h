// The event editor: JSON text, a verdict under it that names the line and column of the first
// mistake, and a Format button. Checking waits for a pause in typing so that a long event does
// not reparse on every key.
#pragma once

#include "ui/json_text.h"

#include <QTimer>
#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QPushButton;

namespace fogbank::ui {

class EventEditor : public QWidget {
    Q_OBJECT
  public:
    static constexpr int kDebounceMs = 150;

    explicit EventEditor(QWidget* parent = nullptr);

    QString text() const;
    // Replaces the text and checks it at once (no debounce: nothing is being typed).
    void setText(const QString& text);
    bool isValid() const { return check_.ok; }
    const JsonCheck& check() const { return check_; }
    // True while an edit has not been checked yet.
    bool isCheckPending() const { return debounce_.isActive(); }
    QPlainTextEdit* textEdit() const { return edit_; }

  public slots:
    void format();
    void validateNow();

  signals:
    void validityChanged(bool valid);
    void textEdited();

  private:
    QPlainTextEdit* edit_;
    QLabel* verdict_;
    QPushButton* formatButton_;
    QTimer debounce_;
    JsonCheck check_;
};

}  // namespace fogbank::ui
