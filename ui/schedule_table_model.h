// The Schedules tab's table: one row per schedule with whether it is on (a check box the user
// toggles), its expression and zone, and its next firings on the virtual clock. A refresh that
// changes only times and states keeps the rows (and the selection).
#pragma once

#include "ui/schedule_snapshot.h"

#include <QAbstractTableModel>

namespace fogbank::ui {

class ScheduleTableModel : public QAbstractTableModel {
    Q_OBJECT
  public:
    enum Column {
        EnabledColumn,
        NameColumn,
        FunctionColumn,
        ExpressionColumn,
        TimeZoneColumn,
        NextColumn,
        FollowingColumn,
        ColumnCount
    };
    enum Role { NameRole = Qt::UserRole + 1 };

    using QAbstractTableModel::QAbstractTableModel;

    void setSchedules(QList<ScheduleInfo> schedules);
    const QList<ScheduleInfo>& schedules() const { return schedules_; }
    int rowOf(const QString& name) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    // Toggling the check box asks for the change (enabledToggled); the row shows it once the
    // engine has made it and the next refresh says so.
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;

  signals:
    void enabledToggled(const QString& name, bool enabled);

  private:
    QList<ScheduleInfo> schedules_;
};

}  // namespace fogbank::ui
