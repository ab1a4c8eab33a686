#include "ui/source_view.h"

#include <QFile>
#include <QFontDatabase>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QTextBlock>

namespace fogbank::ui {

namespace {

// Larger handler files exist, but a debugger view that swallows a bundled 20 MB file would stall
// the window; those are better read in the editor the user already has.
constexpr qint64 kMaxFileBytes = 4 * 1024 * 1024;

}  // namespace

class SourceGutter : public QWidget {
  public:
    explicit SourceGutter(SourceView* view) : QWidget(view), view_(view) {
        setMouseTracking(true);
        setCursor(Qt::PointingHandCursor);
    }
    QSize sizeHint() const override { return {view_->gutterWidth(), 0}; }

  protected:
    void paintEvent(QPaintEvent* event) override { view_->paintGutter(event); }
    void mousePressEvent(QMouseEvent* event) override {
        const int line = view_->lineAt(event->position().toPoint().y());
        if (line <= 0) return;
        if (event->button() == Qt::LeftButton) emit view_->breakpointToggled(line);
        if (event->button() == Qt::RightButton) emit view_->conditionRequested(line);
    }
    bool event(QEvent* e) override {
        if (e->type() == QEvent::ToolTip) {
            auto* help = static_cast<QHelpEvent*>(e);
            const int line = view_->lineAt(help->pos().y());
            const auto it = view_->marks_.find(line);
            setToolTip(it != view_->marks_.end() ? it->tip : QString());
        }
        return QWidget::event(e);
    }

  private:
    SourceView* view_;
};

SourceView::SourceView(QWidget* parent) : QPlainTextEdit(parent) {
    setReadOnly(true);
    setLineWrapMode(QPlainTextEdit::NoWrap);
    setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    // Keyboard focus stays here so that the debugger's keys (F5, F10...) reach the view's actions.
    setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    gutter_ = new SourceGutter(this);
    connect(this, &QPlainTextEdit::blockCountChanged, this,
            [this] { setViewportMargins(gutterWidth(), 0, 0, 0); });
    connect(this, &QPlainTextEdit::updateRequest, this, [this](const QRect& rect, int dy) {
        if (dy)
            gutter_->scroll(0, dy);
        else
            gutter_->update(0, rect.y(), gutter_->width(), rect.height());
    });
    setViewportMargins(gutterWidth(), 0, 0, 0);
}

bool SourceView::loadFile(const QString& path) {
    file_ = path;
    current_ = 0;
    QFile f(path);
    QString text;
    bool ok = false;
    if (path.isEmpty()) {
        text = tr("// No source file: pick one above.");
    } else if (!f.open(QIODevice::ReadOnly)) {
        text = tr("// %1 could not be read: %2").arg(path, f.errorString());
    } else if (f.size() > kMaxFileBytes) {
        text = tr("// %1 is %2 MB; the debugger view shows files up to %3 MB.")
                   .arg(path)
                   .arg(f.size() / (1024 * 1024))
                   .arg(kMaxFileBytes / (1024 * 1024));
    } else {
        text = QString::fromUtf8(f.readAll());
        ok = true;
    }
    setPlainText(text);
    highlightCurrent();
    gutter_->update();
    return ok;
}

void SourceView::setMarks(const QMap<int, Mark>& marks) {
    marks_ = marks;
    gutter_->update();
}

void SourceView::setCurrentLine(int line) {
    current_ = line;
    if (line > 0) {
        const QTextBlock block = document()->findBlockByNumber(line - 1);
        if (block.isValid()) {
            QTextCursor cursor(block);
            setTextCursor(cursor);
            centerCursor();
        }
    }
    highlightCurrent();
    gutter_->update();
}

QRect SourceView::gutterRectFor(int line) const {
    const QTextBlock block = document()->findBlockByNumber(line - 1);
    if (!block.isValid()) return {};
    const QRectF box = blockBoundingGeometry(block).translated(contentOffset());
    return QRect(0, qRound(box.top()), gutter_->width(), qRound(box.height()));
}

int SourceView::lineAt(int y) const {
    for (QTextBlock block = firstVisibleBlock(); block.isValid(); block = block.next()) {
        const QRectF box = blockBoundingGeometry(block).translated(contentOffset());
        if (box.top() > y) break;
        if (y < box.bottom()) return block.blockNumber() + 1;
    }
    return 0;
}

void SourceView::resizeEvent(QResizeEvent* event) {
    QPlainTextEdit::resizeEvent(event);
    const QRect r = contentsRect();
    gutter_->setGeometry(QRect(r.left(), r.top(), gutterWidth(), r.height()));
}

int SourceView::gutterWidth() const {
    int digits = 1;
    for (int n = qMax(1, blockCount()); n >= 10; n /= 10) ++digits;
    const int marker = fontMetrics().height();
    return marker + 6 + fontMetrics().horizontalAdvance(QLatin1Char('9')) * qMax(3, digits) + 6;
}

void SourceView::paintGutter(QPaintEvent* event) {
    QPainter p(gutter_);
    p.fillRect(event->rect(), palette().color(QPalette::AlternateBase));
    p.setRenderHint(QPainter::Antialiasing);
    const int marker = fontMetrics().height();
    for (QTextBlock block = firstVisibleBlock(); block.isValid(); block = block.next()) {
        const QRectF box = blockBoundingGeometry(block).translated(contentOffset());
        if (box.top() > event->rect().bottom()) break;
        if (!block.isVisible() || box.bottom() < event->rect().top()) continue;
        const int line = block.blockNumber() + 1;
        const QRectF dot(3, box.top() + (box.height() - marker + 4) / 2, marker - 4, marker - 4);
        if (const auto it = marks_.find(line); it != marks_.end()) {
            const QColor colour =
                it->conditional ? QColor(0xe6, 0x7e, 0x22) : QColor(0xd0, 0x31, 0x2d);
            p.setPen(QPen(colour, 1.5));
            p.setBrush(it->verified ? QBrush(colour) : QBrush(Qt::NoBrush));
            p.drawEllipse(dot);
        }
        if (line == current_) {
            QPainterPath arrow;
            const qreal mid = dot.center().y();
            arrow.moveTo(dot.left() + 1, mid - dot.height() / 2 + 1);
            arrow.lineTo(dot.right() + 2, mid);
            arrow.lineTo(dot.left() + 1, mid + dot.height() / 2 - 1);
            arrow.closeSubpath();
            p.setPen(QPen(QColor(0x8a, 0x6d, 0x00), 1));
            p.setBrush(QColor(0xf5, 0xc2, 0x11));
            p.drawPath(arrow);
        }
        p.setPen(line == current_ ? palette().color(QPalette::Text)
                                  : palette().color(QPalette::PlaceholderText));
        p.drawText(QRectF(marker + 6, box.top(), gutter_->width() - marker - 12, box.height()),
                   Qt::AlignRight | Qt::AlignVCenter, QString::number(line));
    }
}

void SourceView::highlightCurrent() {
    QList<QTextEdit::ExtraSelection> selections;
    if (current_ > 0) {
        const QTextBlock block = document()->findBlockByNumber(current_ - 1);
        if (block.isValid()) {
            QTextEdit::ExtraSelection line;
            line.format.setBackground(QColor(0xfc, 0xf3, 0xcf));
            line.format.setProperty(QTextFormat::FullWidthSelection, true);
            line.cursor = QTextCursor(block);
            selections.append(line);
        }
    }
    setExtraSelections(selections);
}

}  // namespace fogbank::ui
