#include "ui/object_preview_pane.h"

#include "ui/json_text.h"
#include "ui/object_table_model.h"

#include <QFontDatabase>
#include <QLabel>
#include <QPixmap>
#include <QPlainTextEdit>
#include <QStackedWidget>
#include <QStringDecoder>
#include <QVBoxLayout>

#include <algorithm>

namespace fogbank::ui {

namespace {

bool isImageType(const QString& type, const QString& key) {
    if (type.startsWith(QLatin1String("image/")) && type != QLatin1String("image/svg+xml"))
        return true;
    const QString lower = key.toLower();
    for (const char* ext : {".png", ".jpg", ".jpeg", ".gif", ".bmp", ".webp"})
        if (lower.endsWith(QLatin1String(ext))) return true;
    return false;
}

bool isJsonType(const QString& type, const QString& key) {
    return type.contains(QLatin1String("json")) || key.toLower().endsWith(QLatin1String(".json"));
}

// Text, unless the bytes say otherwise: a NUL or invalid UTF-8 in the first ones.
bool looksLikeText(const QByteArray& bytes) {
    if (bytes.contains('\0')) return false;
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    // A multi-byte character cut at the end of the preview is still text.
    const QByteArray head = bytes.size() > 4 ? bytes.left(bytes.size() - 4) : bytes;
    (void)QString(decoder(head));
    return !decoder.hasError();
}

}  // namespace

ObjectPreviewPane::ObjectPreviewPane(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    caption_ = new QLabel(this);
    caption_->setObjectName(QStringLiteral("previewCaption"));
    caption_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    caption_->setWordWrap(true);
    stack_ = new QStackedWidget(this);
    text_ = new QPlainTextEdit(stack_);
    text_->setObjectName(QStringLiteral("previewText"));
    text_->setReadOnly(true);
    text_->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    picture_ = new QLabel(stack_);
    picture_->setObjectName(QStringLiteral("previewImage"));
    picture_->setAlignment(Qt::AlignCenter);
    picture_->setMinimumSize(1, 1);
    message_ = new QLabel(stack_);
    message_->setAlignment(Qt::AlignCenter);
    message_->setWordWrap(true);
    message_->setEnabled(false);
    stack_->addWidget(text_);
    stack_->addWidget(picture_);
    stack_->addWidget(message_);
    layout->addWidget(caption_);
    layout->addWidget(stack_, 1);
    clear();
}

qint64 ObjectPreviewPane::bytesWanted(const QString& contentType, const QString& key, qint64 size) {
    if (isImageType(contentType, key)) return size <= kMaxImageBytes ? size : 0;
    return std::min(size, kMaxTextBytes);
}

void ObjectPreviewPane::clear() {
    mode_ = Mode::Empty;
    image_ = {};
    caption_->setText(tr("Select an object to preview it."));
    message_->clear();
    stack_->setCurrentWidget(message_);
}

void ObjectPreviewPane::showPreview(const ObjectPreviewData& p) {
    image_ = {};
    if (!p.error.isEmpty()) {
        mode_ = Mode::None;
        caption_->setText(p.key);
        message_->setText(p.error);
        stack_->setCurrentWidget(message_);
        return;
    }
    const QString type = p.contentType.isEmpty() ? tr("no content type") : p.contentType;
    caption_->setText(
        QStringLiteral("<b>%1</b> — %2, %3")
            .arg(p.key.toHtmlEscaped(), ObjectTableModel::humanSize(p.size), type.toHtmlEscaped()));
    if (isImageType(p.contentType, p.key) && p.bytes.size() == p.size) {
        if (image_.loadFromData(p.bytes)) {
            mode_ = Mode::Image;
            caption_->setText(caption_->text() +
                              tr(", %1 × %2 px").arg(image_.width()).arg(image_.height()));
            stack_->setCurrentWidget(picture_);
            showImage();
            return;
        }
    }
    if (!isImageType(p.contentType, p.key) && looksLikeText(p.bytes)) {
        mode_ = Mode::Text;
        QString text = QString::fromUtf8(p.bytes);
        const bool whole = p.bytes.size() == p.size;
        if (whole && isJsonType(p.contentType, p.key)) text = prettyJson(text);
        if (!whole)
            text += tr("\n… (first %1 of %2 shown)")
                        .arg(ObjectTableModel::humanSize(p.bytes.size()),
                             ObjectTableModel::humanSize(p.size));
        text_->setPlainText(text);
        stack_->setCurrentWidget(text_);
        return;
    }
    mode_ = Mode::None;
    message_->setText(tr("No preview for %1 (%2)").arg(type, ObjectTableModel::humanSize(p.size)));
    stack_->setCurrentWidget(message_);
}

QString ObjectPreviewPane::text() const {
    return mode_ == Mode::Text ? text_->toPlainText() : message_->text();
}

QString ObjectPreviewPane::caption() const {
    return caption_->text();
}

void ObjectPreviewPane::showImage() {
    if (image_.isNull()) return;
    const QSize room = picture_->size().boundedTo(image_.size());
    picture_->setPixmap(
        QPixmap::fromImage(image_.scaled(room, Qt::KeepAspectRatio, Qt::SmoothTransformation)));
}

void ObjectPreviewPane::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    if (mode_ == Mode::Image) showImage();
}

}  // namespace fogbank::ui
