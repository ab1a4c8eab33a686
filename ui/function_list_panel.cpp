#include "ui/function_list_panel.h"

#include <QHeaderView>
#include <QLabel>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace fogbank::ui {

namespace {

enum Column { NameColumn, RuntimeColumn, MemoryColumn, TimeoutColumn };
constexpr int kLogicalIdRole = Qt::UserRole + 1;

}  // namespace

FunctionListPanel::FunctionListPanel(QWidget* parent)
    : QWidget(parent), tree_(new QTreeWidget(this)) {
    tree_->setObjectName(QStringLiteral("functionList"));
    tree_->setRootIsDecorated(false);
    tree_->setUniformRowHeights(true);
    tree_->setAlternatingRowColors(true);
    tree_->setHeaderLabels({tr("Function"), tr("Runtime"), tr("Memory"), tr("Timeout")});
    tree_->header()->setStretchLastSection(false);
    tree_->header()->setSectionResizeMode(NameColumn, QHeaderView::Stretch);
    for (int column : {RuntimeColumn, MemoryColumn, TimeoutColumn}) {
        tree_->header()->setSectionResizeMode(column, QHeaderView::ResizeToContents);
    }

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(new QLabel(tr("<b>Functions</b>"), this));
    layout->addWidget(tree_, 1);

    connect(tree_, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem* current) {
        emit currentFunctionChanged(current ? current->data(NameColumn, kLogicalIdRole).toString()
                                            : QString());
    });
}

void FunctionListPanel::setFunctions(const QList<FunctionInfo>& functions) {
    const QString previous = currentFunction();
    tree_->clear();
    for (const FunctionInfo& fn : functions) {
        auto* item = new QTreeWidgetItem(tree_);
        item->setText(NameColumn, fn.name);
        item->setData(NameColumn, kLogicalIdRole, fn.logicalId);
        item->setText(RuntimeColumn, fn.runtime);
        item->setText(MemoryColumn, tr("%1 MB").arg(fn.memoryMb));
        item->setText(TimeoutColumn, tr("%1 s").arg(fn.timeoutSeconds));
        item->setTextAlignment(MemoryColumn, Qt::AlignRight | Qt::AlignVCenter);
        item->setTextAlignment(TimeoutColumn, Qt::AlignRight | Qt::AlignVCenter);
        QString tip = tr("%1\nhandler: %2").arg(fn.logicalId, fn.handler);
        if (fn.eventSources > 0) tip += tr("\nevent sources: %1").arg(fn.eventSources);
        item->setToolTip(NameColumn, tip);
    }
    // Reopening the same project keeps the user's place.
    if (!previous.isEmpty() && selectFunction(previous)) return;
    if (tree_->topLevelItemCount() > 0) tree_->setCurrentItem(tree_->topLevelItem(0));
}

void FunctionListPanel::clear() {
    tree_->clear();
}

QString FunctionListPanel::currentFunction() const {
    const QTreeWidgetItem* item = tree_->currentItem();
    return item ? item->data(NameColumn, kLogicalIdRole).toString() : QString();
}

bool FunctionListPanel::selectFunction(const QString& nameOrLogicalId) {
    for (int i = 0; i < tree_->topLevelItemCount(); ++i) {
        QTreeWidgetItem* item = tree_->topLevelItem(i);
        if (item->text(NameColumn) == nameOrLogicalId ||
            item->data(NameColumn, kLogicalIdRole).toString() == nameOrLogicalId) {
            tree_->setCurrentItem(item);
            return true;
        }
    }
    return false;
}

}  // namespace fogbank::ui
