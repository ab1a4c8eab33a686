#include "ui/invocation_table_model.h"

#include <QBrush>
#include <QColor>
#include <QLocale>

#include <algorithm>

namespace fogbank::ui {

namespace {

// Short enough to feel live, long enough that a burst becomes one insertion.
constexpr int kCoalesceMs = 50;

QString millis(double ms) {
    return QString::number(ms, 'f', ms < 100 ? 2 : 1);
}

}  // namespace

InvocationTableModel::InvocationTableModel(QObject* parent, int capacity)
    : QAbstractTableModel(parent), capacity_(std::max(1, capacity)) {
    flushTimer_.setSingleShot(true);
    flushTimer_.setInterval(kCoalesceMs);
    connect(&flushTimer_, &QTimer::timeout, this, &InvocationTableModel::flush);
}

int InvocationTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}

int InvocationTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant InvocationTableModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
        return {};
    }
    const InvocationRecord& rec = rows_[static_cast<size_t>(index.row())];
    const int column = index.column();
    switch (role) {
        case Qt::DisplayRole:
            return display(rec, column);
        case SortRole:
            return sortValue(rec, column);
        case RequestIdRole:
            return rec.requestId;
        case RecordRole:
            return QVariant::fromValue(rec);
        case Qt::TextAlignmentRole:
            if (column >= InitMs) return QVariant(Qt::AlignRight | Qt::AlignVCenter);
            return QVariant(Qt::AlignLeft | Qt::AlignVCenter);
        case Qt::ForegroundRole:
            if (column == Status && !rec.ok()) return QBrush(QColor(0xc6, 0x28, 0x28));
            if (column == ColdWarm && rec.cold) return QBrush(QColor(0x1f, 0x5f, 0xbf));
            return {};
        case Qt::ToolTipRole:
            if (column == Time) return QLocale().toString(rec.start, QLocale::LongFormat);
            if (column == Status && !rec.ok()) return rec.errorType;
            if (column == Function) return rec.requestId;
            return {};
        default:
            return {};
    }
}

QVariant InvocationTableModel::display(const InvocationRecord& rec, int column) const {
    switch (column) {
        case Time:
            return rec.start.toLocalTime().toString(QStringLiteral("HH:mm:ss.zzz"));
        case Function:
            return rec.function;
        case Status:
            return statusLabel(rec.status);
        case ColdWarm:
            return rec.cold ? QStringLiteral("cold") : QStringLiteral("warm");
        case InitMs:
            return rec.cold ? millis(rec.initMs) : QString();
        case DurationMs:
            return millis(rec.durationMs);
        case BilledMs:
            return QString::number(rec.billedMs);
        case MaxMemory:
            return QStringLiteral("%1 / %2 MB").arg(rec.maxMemoryUsedMb).arg(rec.memorySizeMb);
        default:
            return {};
    }
}

QVariant InvocationTableModel::sortValue(const InvocationRecord& rec, int column) const {
    switch (column) {
        case Time:
            return rec.start.toMSecsSinceEpoch();
        case Function:
            return rec.function;
        case Status:
            return static_cast<int>(rec.status);
        case ColdWarm:
            return rec.cold ? 1 : 0;
        case InitMs:
            return rec.cold ? rec.initMs : -1.0;
        case DurationMs:
            return rec.durationMs;
        case BilledMs:
            return rec.billedMs;
        case MaxMemory:
            return rec.maxMemoryUsedMb;
        default:
            return {};
    }
}

QVariant InvocationTableModel::headerData(int section, Qt::Orientation orientation,
                                          int role) const {
    if (orientation != Qt::Horizontal) return {};
    if (role == Qt::TextAlignmentRole) {
        return section >= InitMs ? QVariant(Qt::AlignRight | Qt::AlignVCenter)
                                 : QVariant(Qt::AlignLeft | Qt::AlignVCenter);
    }
    if (role != Qt::DisplayRole) return {};
    switch (section) {
        case Time:
            return tr("Time");
        case Function:
            return tr("Function");
        case Status:
            return tr("Status");
        case ColdWarm:
            return tr("Start");
        case InitMs:
            return tr("Init ms");
        case DurationMs:
            return tr("Duration ms");
        case BilledMs:
            return tr("Billed ms");
        case MaxMemory:
            return tr("Max memory");
        default:
            return {};
    }
}

void InvocationTableModel::append(const InvocationRecord& record) {
    pending_.append(record);
    if (!flushTimer_.isActive()) flushTimer_.start();
}

void InvocationTableModel::flush() {
    flushTimer_.stop();
    if (pending_.isEmpty()) return;
    QList<InvocationRecord> batch;
    batch.swap(pending_);
    appendBatch(batch);
}

void InvocationTableModel::appendBatch(const QList<InvocationRecord>& records) {
    if (records.isEmpty()) return;
    // A batch larger than the bound keeps only its newest rows.
    const qsizetype incoming = std::min<qsizetype>(records.size(), capacity_);
    const qsizetype skip = records.size() - incoming;

    const qsizetype overflow = static_cast<qsizetype>(rows_.size()) + incoming - capacity_;
    if (overflow > 0) {
        beginRemoveRows({}, 0, static_cast<int>(overflow - 1));
        rows_.erase(rows_.begin(), rows_.begin() + overflow);
        endRemoveRows();
    }

    const int first = static_cast<int>(rows_.size());
    beginInsertRows({}, first, first + static_cast<int>(incoming) - 1);
    for (qsizetype i = skip; i < records.size(); ++i) rows_.push_back(records[i]);
    endInsertRows();
}

void InvocationTableModel::clear() {
    flushTimer_.stop();
    pending_.clear();
    if (rows_.empty()) return;
    beginResetModel();
    rows_.clear();
    endResetModel();
}

int InvocationTableModel::rowOfRequest(const QString& requestId) const {
    for (auto it = rows_.rbegin(); it != rows_.rend(); ++it) {
        if (it->requestId == requestId) return static_cast<int>(rows_.rend() - it - 1);
    }
    return -1;
}

}  // namespace fogbank::ui
