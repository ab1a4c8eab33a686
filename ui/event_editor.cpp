#include "ui/event_editor.h"

#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTextBlock>
#include <QTextCursor>
#include <QVBoxLayout>

namespace fogbank::ui {

EventEditor::EventEditor(QWidget* parent)
    : QWidget(parent),
      edit_(new QPlainTextEdit(this)),
      verdict_(new QLabel(this)),
      formatButton_(new QPushButton(tr("Format"), this)) {
    edit_->setObjectName(QStringLiteral("eventText"));
    edit_->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    edit_->setLineWrapMode(QPlainTextEdit::NoWrap);
    edit_->setTabChangesFocus(false);
    edit_->setPlaceholderText(tr("Event JSON, e.g. {\"key\": \"value\"}"));
    const QFontMetrics metrics(edit_->font());
    edit_->setTabStopDistance(metrics.horizontalAdvance(QLatin1Char(' ')) * 2);

    verdict_->setObjectName(QStringLiteral("eventVerdict"));
    verdict_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    verdict_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    formatButton_->setObjectName(QStringLiteral("formatButton"));
    formatButton_->setToolTip(tr("Indent the event (keeps the key order)"));

    auto* footer = new QHBoxLayout;
    footer->setContentsMargins(0, 0, 0, 0);
    footer->addWidget(verdict_, 1);
    footer->addWidget(formatButton_);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(edit_, 1);
    layout->addLayout(footer);

    debounce_.setSingleShot(true);
    debounce_.setInterval(kDebounceMs);
    connect(&debounce_, &QTimer::timeout, this, &EventEditor::validateNow);
    connect(edit_, &QPlainTextEdit::textChanged, this, [this] {
        debounce_.start();
        emit textEdited();
    });
    connect(formatButton_, &QPushButton::clicked, this, &EventEditor::format);

    setText(QStringLiteral("{}"));
}

QString EventEditor::text() const {
    return edit_->toPlainText();
}

void EventEditor::setText(const QString& text) {
    edit_->setPlainText(text);
    validateNow();
}

void EventEditor::format() {
    bool ok = false;
    const QString pretty = prettyJson(text(), &ok);
    if (!ok || pretty == text()) return;
    // Through the cursor rather than setPlainText, so that Undo brings the old layout back.
    QTextCursor cursor(edit_->document());
    cursor.select(QTextCursor::Document);
    cursor.insertText(pretty);
    validateNow();
}

void EventEditor::validateNow() {
    debounce_.stop();
    const bool wasValid = check_.ok;
    check_ = checkJson(text());
    verdict_->setText(check_.describe());
    verdict_->setStyleSheet(check_.ok ? QStringLiteral("color: #2e7d32;")
                                      : QStringLiteral("color: #c62828;"));
    formatButton_->setEnabled(check_.ok && !text().trimmed().isEmpty());
    if (wasValid != check_.ok) emit validityChanged(check_.ok);
}

}  // namespace fogbank::ui
