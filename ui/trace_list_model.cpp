#include "ui/trace_list_model.h"

#include "ui/waterfall_geometry.h"

#include <QBrush>
#include <QColor>
#include <QDateTime>

#include <chrono>

namespace fogbank::ui {

namespace {

qint64 epochMs(Clock::time_point t) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

double msBetween(Clock::time_point a, Clock::time_point b) {
    return std::chrono::duration<double, std::milli>(b - a).count();
}

}  // namespace

TraceListModel::TraceListModel(QObject* parent) : QAbstractTableModel(parent) {}

int TraceListModel::rowCount(const QModelIndex& parent) const {
    if (parent.isValid() || !snapshot_) return 0;
    return static_cast<int>(snapshot_->size());
}

int TraceListModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

const TraceSummary* TraceListModel::traceAt(int row) const {
    if (!snapshot_ || row < 0 || row >= static_cast<int>(snapshot_->size())) return nullptr;
    return &(*snapshot_)[static_cast<std::size_t>(row)];
}

int TraceListModel::rowOfTrace(const QString& traceId) const {
    if (!snapshot_) return -1;
    const std::string id = traceId.toStdString();
    for (std::size_t i = 0; i < snapshot_->size(); ++i)
        if ((*snapshot_)[i].traceRoot == id) return static_cast<int>(i);
    return -1;
}

QVariant TraceListModel::data(const QModelIndex& index, int role) const {
    const TraceSummary* t = index.isValid() ? traceAt(index.row()) : nullptr;
    if (!t) return {};
    if (role == TraceIdRole) return QString::fromStdString(t->traceRoot);
    if (role == ErrorsRole) return t->errors;
    if (role == Qt::ForegroundRole && index.column() == Errors && t->errors > 0)
        return QBrush(QColor(0xc6, 0x28, 0x28));
    if (role == Qt::TextAlignmentRole) {
        switch (index.column()) {
            case Duration:
            case Invocations:
            case Calls:
            case Errors:
                return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
            default:
                return {};
        }
    }
    if (role == Qt::ToolTipRole) {
        if (index.column() == Start)
            return QDateTime::fromMSecsSinceEpoch(epochMs(t->start))
                .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"));
        return QString::fromStdString(t->traceRoot);
    }
    if (role != Qt::DisplayRole) return {};
    switch (index.column()) {
        case Start:
            return QDateTime::fromMSecsSinceEpoch(epochMs(t->start))
                .toString(QStringLiteral("HH:mm:ss.zzz"));
        case RootFunction:
            return t->rootFunction.empty() ? tr("(service calls only)")
                                           : QString::fromStdString(t->rootFunction);
        case Duration:
            return formatDurationMs(msBetween(t->start, t->end));
        case Invocations:
            return t->invocations;
        case Calls:
            return t->spans;
        case Errors:
            return t->errors;
        case TraceId:
            return QString::fromStdString(t->traceRoot);
        default:
            return {};
    }
}

QVariant TraceListModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
        case Start:
            return tr("Started");
        case RootFunction:
            return tr("Entry");
        case Duration:
            return tr("Duration");
        case Invocations:
            return tr("Invocations");
        case Calls:
            return tr("Calls");
        case Errors:
            return tr("Errors");
        case TraceId:
            return tr("Trace id");
        default:
            return {};
    }
}

void TraceListModel::setSnapshot(Snapshot snapshot) {
    // A refresh usually adds a few traces at the top and changes nothing else: a reset would
    // lose the view's selection and scroll position, so only a true change resets.
    const auto same = [](const Snapshot& a, const Snapshot& b) {
        if (!a || !b) return !a && !b;
        if (a->size() != b->size()) return false;
        for (std::size_t i = 0; i < a->size(); ++i) {
            const auto& x = (*a)[i];
            const auto& y = (*b)[i];
            if (x.traceRoot != y.traceRoot || x.end != y.end || x.invocations != y.invocations ||
                x.spans != y.spans || x.errors != y.errors)
                return false;
        }
        return true;
    };
    if (same(snapshot_, snapshot)) return;
    beginResetModel();
    snapshot_ = std::move(snapshot);
    endResetModel();
}

void TraceListModel::clear() {
    setSnapshot(nullptr);
}

}  // namespace fogbank::ui
