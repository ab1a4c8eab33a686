// Draws the waterfall's Timeline column: each span as a bar on the trace's one time axis
// (WaterfallScale), the cold start's init part hatched in amber at the bar's head, service calls
// in teal, failures in red, with the axis's gridlines behind so that rows line up by eye.
#pragma once

#include <QStyledItemDelegate>

namespace fogbank::ui {

class WaterfallDelegate : public QStyledItemDelegate {
    Q_OBJECT
  public:
    // Pixels left free on both sides of the column, so that a bar at 0 or at the end shows.
    static constexpr int kMargin = 6;
    static constexpr int kMinTickSpacing = 80;

    using QStyledItemDelegate::QStyledItemDelegate;
    void paint(QPainter* painter, const QStyleOptionViewItem& option,
               const QModelIndex& index) const override;
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;
};

}  // namespace fogbank::ui
