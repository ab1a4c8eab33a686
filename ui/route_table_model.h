// The APIs tab's route table: one row per served route, in the order requests are matched
// (most specific first), over the list the bridge read when the project opened.
#pragma once

#include "ui/route_info.h"

#include <QAbstractTableModel>

namespace fogbank::ui {

class RouteTableModel : public QAbstractTableModel {
    Q_OBJECT
  public:
    enum Column { MethodColumn, PathColumn, FunctionColumn, ApiColumn, ColumnCount };

    using QAbstractTableModel::QAbstractTableModel;

    void setRoutes(QList<RouteInfo> routes);
    const QList<RouteInfo>& routes() const { return routes_; }
    const RouteInfo* route(int row) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

  private:
    QList<RouteInfo> routes_;
};

}  // namespace fogbank::ui
