#include "ui/schedule_table_model.h"

#include <QStringList>

namespace fogbank::ui {

namespace {

bool sameRows(const QList<ScheduleInfo>& a, const QList<ScheduleInfo>& b) {
    if (a.size() != b.size()) return false;
    for (qsizetype i = 0; i < a.size(); ++i)
        if (a[i].name != b[i].name) return false;
    return true;
}

}  // namespace

void ScheduleTableModel::setSchedules(QList<ScheduleInfo> schedules) {
    if (!sameRows(schedules, schedules_)) {
        beginResetModel();
        schedules_ = std::move(schedules);
        endResetModel();
        return;
    }
    if (schedules == schedules_) return;
    schedules_ = std::move(schedules);
    if (!schedules_.isEmpty())
        emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

int ScheduleTableModel::rowOf(const QString& name) const {
    for (qsizetype i = 0; i < schedules_.size(); ++i)
        if (schedules_[i].name == name) return static_cast<int>(i);
    return -1;
}

int ScheduleTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(schedules_.size());
}

int ScheduleTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ScheduleTableModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= schedules_.size()) return {};
    const ScheduleInfo& s = schedules_[index.row()];
    if (role == NameRole) return s.name;
    if (role == Qt::CheckStateRole && index.column() == EnabledColumn)
        return s.enabled ? Qt::Checked : Qt::Unchecked;
    if (role == Qt::ToolTipRole && index.column() == NameColumn) return s.source;
    if (role != Qt::DisplayRole) return {};
    switch (index.column()) {
        case NameColumn:
            return s.name;
        case FunctionColumn:
            return s.function;
        case ExpressionColumn:
            return s.expression;
        case TimeZoneColumn:
            return s.timeZone;
        case NextColumn:
            if (!s.enabled) return tr("disabled");
            return s.nextFirings.isEmpty() ? tr("never") : utcText(s.nextFirings.first());
        case FollowingColumn: {
            QStringList later;
            for (qsizetype i = 1; i < s.nextFirings.size(); ++i) later << utcText(s.nextFirings[i]);
            return later.join(QStringLiteral(", "));
        }
    }
    return {};
}

QVariant ScheduleTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
        case EnabledColumn:
            return tr("On");
        case NameColumn:
            return tr("Schedule");
        case FunctionColumn:
            return tr("Function");
        case ExpressionColumn:
            return tr("Expression");
        case TimeZoneColumn:
            return tr("Time zone");
        case NextColumn:
            return tr("Next firing");
        case FollowingColumn:
            return tr("Then");
    }
    return {};
}

Qt::ItemFlags ScheduleTableModel::flags(const QModelIndex& index) const {
    if (!index.isValid()) return Qt::NoItemFlags;
    Qt::ItemFlags f = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    if (index.column() == EnabledColumn) f |= Qt::ItemIsUserCheckable;
    return f;
}

bool ScheduleTableModel::setData(const QModelIndex& index, const QVariant& value, int role) {
    if (!index.isValid() || index.column() != EnabledColumn || role != Qt::CheckStateRole ||
        index.row() >= schedules_.size())
        return false;
    const bool enabled = value.value<Qt::CheckState>() == Qt::Checked;
    if (enabled == schedules_[index.row()].enabled) return false;
    emit enabledToggled(schedules_[index.row()].name, enabled);
    return false;
}

}  // namespace fogbank::ui
