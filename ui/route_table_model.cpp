#include "ui/route_table_model.h"

#include <QFont>

namespace fogbank::ui {

void RouteTableModel::setRoutes(QList<RouteInfo> routes) {
    if (routes == routes_) return;
    beginResetModel();
    routes_ = std::move(routes);
    endResetModel();
}

const RouteInfo* RouteTableModel::route(int row) const {
    return row >= 0 && row < routes_.size() ? &routes_[row] : nullptr;
}

int RouteTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(routes_.size());
}

int RouteTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RouteTableModel::data(const QModelIndex& index, int role) const {
    const RouteInfo* r = index.isValid() ? route(index.row()) : nullptr;
    if (!r) return {};
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
            case MethodColumn:
                return r->method;
            case PathColumn:
                return r->path;
            case FunctionColumn:
                return r->function;
            case ApiColumn:
                return tr("%1 (%2, stage %3, payload %4)")
                    .arg(r->api, r->apiType, r->stage, r->payloadVersion);
        }
    } else if (role == Qt::FontRole && index.column() <= PathColumn) {
        QFont mono(QStringLiteral("monospace"));
        mono.setStyleHint(QFont::TypeWriter);
        return mono;
    } else if (role == Qt::ToolTipRole && index.column() == PathColumn) {
        return tr("{name} matches one path segment; {name+} matches the rest of the path.");
    }
    return {};
}

QVariant RouteTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
        case MethodColumn:
            return tr("Method");
        case PathColumn:
            return tr("Path");
        case FunctionColumn:
            return tr("Function");
        case ApiColumn:
            return tr("API");
    }
    return {};
}

}  // namespace fogbank::ui
