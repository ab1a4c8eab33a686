#include "ui/waterfall_delegate.h"

#include "ui/trace_waterfall_model.h"
#include "ui/waterfall_geometry.h"

#include <QApplication>
#include <QPainter>

namespace fogbank::ui {

namespace {

const QColor kInvocation(0x1e, 0x88, 0xe5);
const QColor kInit(0xff, 0xb3, 0x00);
const QColor kCall(0x26, 0xa6, 0x9a);
const QColor kFailed(0xe5, 0x39, 0x35);
const QColor kGrid(0, 0, 0, 28);

}  // namespace

void WaterfallDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option,
                              const QModelIndex& index) const {
    QStyleOptionViewItem background = option;
    initStyleOption(&background, index);
    background.text.clear();
    const QWidget* widget = option.widget;
    QStyle* style = widget ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &background, painter, widget);

    const QRectF area = QRectF(option.rect).adjusted(kMargin, 3, -kMargin, -3);
    if (area.width() < 4 || area.height() < 2) return;
    const WaterfallScale scale(index.data(TraceWaterfallModel::TraceMsRole).toDouble(), area.left(),
                               area.width());
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing, false);
    painter->setPen(kGrid);
    for (const AxisTick& tick : scale.ticks(kMinTickSpacing))
        painter->drawLine(QPointF(tick.x, option.rect.top()),
                          QPointF(tick.x, option.rect.bottom()));

    const bool failed = index.data(TraceWaterfallModel::FailedRole).toBool();
    const bool invocation = index.data(TraceWaterfallModel::IsInvocationRole).toBool();
    const double durationMs = index.data(TraceWaterfallModel::DurationMsRole).toDouble();
    const SpanBar bar =
        scale.bar(index.data(TraceWaterfallModel::OffsetMsRole).toDouble(), durationMs,
                  index.data(TraceWaterfallModel::InitMsRole).toDouble());
    const QRectF body(bar.x, area.top(), bar.width, area.height());
    const QColor fill = failed ? kFailed : invocation ? kInvocation : kCall;
    painter->fillRect(body, fill);
    if (bar.initWidth > 0) {
        const QRectF init(bar.x, area.top(), bar.initWidth, area.height());
        painter->fillRect(init, kInit);
        painter->fillRect(init, QBrush(kInit.darker(140), Qt::BDiagPattern));
    }
    if (failed) {
        painter->setPen(QPen(kFailed.darker(150), 1));
        painter->drawRect(body.adjusted(0, 0, -1, -1));
    }

    // The length beside the bar when it fits there, else inside it.
    const QString label = formatDurationMs(durationMs);
    const int labelWidth = option.fontMetrics.horizontalAdvance(label) + 6;
    QRectF text(body.right() + 4, option.rect.top(), labelWidth, option.rect.height());
    QColor pen = option.palette.color(
        option.state & QStyle::State_Selected ? QPalette::HighlightedText : QPalette::Text);
    if (text.right() > area.right()) {
        text.moveRight(body.left() - 4);
        if (text.left() < area.left()) {
            text =
                QRectF(body.left() + 3, option.rect.top(), body.width() - 3, option.rect.height());
            pen = Qt::white;
        }
    }
    painter->setPen(pen);
    painter->drawText(text, Qt::AlignVCenter | Qt::AlignLeft, label);
    painter->restore();
}

QSize WaterfallDelegate::sizeHint(const QStyleOptionViewItem& option,
                                  const QModelIndex& index) const {
    QSize size = QStyledItemDelegate::sizeHint(option, index);
    size.setWidth(std::max(size.width(), 300));
    size.setHeight(std::max(size.height(), option.fontMetrics.height() + 8));
    return size;
}

}  // namespace fogbank::ui
