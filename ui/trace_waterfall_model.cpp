#include "ui/trace_waterfall_model.h"

#include "ui/waterfall_geometry.h"

#include <QBrush>
#include <QColor>

namespace fogbank::ui {

TraceWaterfallModel::TraceWaterfallModel(QObject* parent) : QAbstractItemModel(parent) {}

void TraceWaterfallModel::setTree(Tree tree) {
    beginResetModel();
    tree_ = std::move(tree);
    parentOf_.assign(tree_ ? tree_->nodes.size() : 0, kNoParent);
    rowOf_.assign(parentOf_.size(), 0);
    if (tree_) {
        for (std::size_t r = 0; r < tree_->roots.size(); ++r)
            rowOf_[tree_->roots[r]] = static_cast<int>(r);
        for (std::size_t n = 0; n < tree_->nodes.size(); ++n) {
            const auto& children = tree_->nodes[n].children;
            for (std::size_t r = 0; r < children.size(); ++r) {
                parentOf_[children[r]] = n;
                rowOf_[children[r]] = static_cast<int>(r);
            }
        }
    }
    endResetModel();
}

const std::vector<std::size_t>& TraceWaterfallModel::childrenOf(std::size_t node) const {
    return node == kNoParent ? tree_->roots : tree_->nodes[node].children;
}

const TraceNode* TraceWaterfallModel::nodeAt(const QModelIndex& index) const {
    if (!tree_ || !index.isValid() || index.model() != this) return nullptr;
    const auto n = static_cast<std::size_t>(index.internalId());
    return n < tree_->nodes.size() ? &tree_->nodes[n] : nullptr;
}

QModelIndex TraceWaterfallModel::index(int row, int column, const QModelIndex& parent) const {
    if (!tree_ || row < 0 || column < 0 || column >= ColumnCount) return {};
    if (parent.isValid() && parent.column() != 0) return {};
    const std::size_t parentNode =
        parent.isValid() ? static_cast<std::size_t>(parent.internalId()) : kNoParent;
    const auto& children = childrenOf(parentNode);
    if (row >= static_cast<int>(children.size())) return {};
    return createIndex(row, column, static_cast<quintptr>(children[static_cast<std::size_t>(row)]));
}

QModelIndex TraceWaterfallModel::parent(const QModelIndex& child) const {
    if (!nodeAt(child)) return {};
    const std::size_t p = parentOf_[static_cast<std::size_t>(child.internalId())];
    if (p == kNoParent) return {};
    return createIndex(rowOf_[p], 0, static_cast<quintptr>(p));
}

int TraceWaterfallModel::rowCount(const QModelIndex& parent) const {
    if (!tree_) return 0;
    if (!parent.isValid()) return static_cast<int>(tree_->roots.size());
    if (parent.column() != 0 || !nodeAt(parent)) return 0;
    return static_cast<int>(childrenOf(static_cast<std::size_t>(parent.internalId())).size());
}

int TraceWaterfallModel::columnCount(const QModelIndex&) const {
    return ColumnCount;
}

QModelIndex TraceWaterfallModel::indexOfRequest(const QString& requestId) const {
    if (!tree_ || requestId.isEmpty()) return {};
    const std::string id = requestId.toStdString();
    for (std::size_t n = 0; n < tree_->nodes.size(); ++n) {
        const auto* invocation = tree_->invocation(tree_->nodes[n]);
        if (invocation && invocation->requestId == id)
            return createIndex(rowOf_[n], 0, static_cast<quintptr>(n));
    }
    return {};
}

QModelIndex TraceWaterfallModel::indexOfSpan(const QString& spanId) const {
    if (!tree_ || spanId.isEmpty()) return {};
    const std::string id = spanId.toStdString();
    for (std::size_t n = 0; n < tree_->nodes.size(); ++n)
        if (tree_->nodes[n].spanId == id)
            return createIndex(rowOf_[n], 0, static_cast<quintptr>(n));
    return {};
}

QVariant TraceWaterfallModel::data(const QModelIndex& index, int role) const {
    const TraceNode* node = nodeAt(index);
    if (!node) return {};
    const TraceTree& tree = *tree_;
    const StoredInvocation* invocation = tree.invocation(*node);
    switch (role) {
        case OffsetMsRole:
            return tree.offsetMs(*node);
        case DurationMsRole:
            return tree.durationMs(*node);
        case InitMsRole:
            return invocation && invocation->cold ? invocation->initMs : 0.0;
        case FailedRole:
            return tree.failed(*node);
        case IsInvocationRole:
            return invocation != nullptr;
        case RequestIdRole:
            return invocation ? QString::fromStdString(invocation->requestId) : QString();
        case TraceMsRole:
            return tree.durationMs();
        case NodeIndexRole:
            return static_cast<qulonglong>(index.internalId());
        case Qt::ForegroundRole:
            if (index.column() == Status && tree.failed(*node))
                return QBrush(QColor(0xc6, 0x28, 0x28));
            return {};
        case Qt::TextAlignmentRole:
            if (index.column() == Offset || index.column() == Duration)
                return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
            return {};
        case Qt::ToolTipRole: {
            QString tip = QString::fromStdString(tree.name(*node)) + QLatin1Char('\n') +
                          tr("starts at +%1, lasts %2")
                              .arg(formatDurationMs(tree.offsetMs(*node)),
                                   formatDurationMs(tree.durationMs(*node)));
            if (invocation && invocation->cold)
                tip += QLatin1Char('\n') +
                       tr("cold start: init %1").arg(formatDurationMs(invocation->initMs));
            if (tree.failed(*node))
                tip += QLatin1Char('\n') + QString::fromStdString(tree.status(*node));
            return tip;
        }
        case Qt::DisplayRole:
            break;
        default:
            return {};
    }
    switch (index.column()) {
        case Name:
            return QString::fromStdString(tree.name(*node));
        case Status: {
            QString status = QString::fromStdString(tree.status(*node));
            if (invocation && invocation->cold) status += tr(" · cold");
            return status;
        }
        case Offset:
            return QStringLiteral("+") + formatDurationMs(tree.offsetMs(*node));
        case Duration:
            return formatDurationMs(tree.durationMs(*node));
        default:
            return {};
    }
}

QVariant TraceWaterfallModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
        case Name:
            return tr("Span");
        case Status:
            return tr("Status");
        case Offset:
            return tr("Start");
        case Duration:
            return tr("Duration");
        case Timeline:
            return tree_ && !tree_->empty()
                       ? tr("Timeline (0 – %1)").arg(formatDurationMs(tree_->durationMs()))
                       : tr("Timeline");
        default:
            return {};
    }
}

}  // namespace fogbank::ui
