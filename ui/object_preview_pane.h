// What an object holds, at a glance: text and JSON (pretty-printed) from its first bytes, an
// image scaled to fit, or a line saying why there is no preview, always with size and type.
#pragma once

#include "ui/bucket_listing.h"

#include <QImage>
#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QStackedWidget;

namespace fogbank::ui {

class ObjectPreviewPane : public QWidget {
    Q_OBJECT
  public:
    enum class Mode { Empty, Text, Image, None };
    // Text previews read at most this much; the rest of a large object is never loaded.
    static constexpr qint64 kMaxTextBytes = 256 * 1024;
    // Images need their whole bytes; larger ones get no preview.
    static constexpr qint64 kMaxImageBytes = 16 * 1024 * 1024;

    explicit ObjectPreviewPane(QWidget* parent = nullptr);

    // How many bytes to ask for, judging by the content type and size.
    static qint64 bytesWanted(const QString& contentType, const QString& key, qint64 size);

    void showPreview(const ObjectPreviewData& preview);
    void clear();

    Mode mode() const { return mode_; }
    QString text() const;
    const QImage& image() const { return image_; }
    QString caption() const;

  protected:
    void resizeEvent(QResizeEvent* event) override;

  private:
    void showImage();

    Mode mode_ = Mode::Empty;
    QImage image_;
    QLabel* caption_ = nullptr;
    QStackedWidget* stack_ = nullptr;
    QPlainTextEdit* text_ = nullptr;
    QLabel* picture_ = nullptr;
    QLabel* message_ = nullptr;
};

}  // namespace fogbank::ui
