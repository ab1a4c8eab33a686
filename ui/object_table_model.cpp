#include "ui/object_table_model.h"

#include <QApplication>
#include <QIcon>
#include <QLocale>
#include <QStyle>

namespace fogbank::ui {

ObjectTableModel::ObjectTableModel(QObject* parent) : QAbstractTableModel(parent) {}

int ObjectTableModel::folderCount() const {
    return snapshot_ ? static_cast<int>(snapshot_->prefixes.size()) : 0;
}

int ObjectTableModel::rowCount(const QModelIndex& parent) const {
    if (parent.isValid() || !snapshot_) return 0;
    return folderCount() + static_cast<int>(snapshot_->objects.size());
}

int ObjectTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QString ObjectTableModel::humanSize(qint64 bytes) {
    if (bytes < 1024) return QStringLiteral("%1 B").arg(bytes);
    static const char* const kUnits[] = {"KiB", "MiB", "GiB", "TiB"};
    double value = static_cast<double>(bytes);
    int unit = -1;
    while (value >= 1024 && unit < 3) {
        value /= 1024;
        ++unit;
    }
    return QStringLiteral("%1 %2").arg(value, 0, 'f', value < 10 ? 1 : 0).arg(kUnits[unit]);
}

QVariant ObjectTableModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const int row = index.row();
    const int column = index.column();
    const QString& prefix = snapshot_->prefix;
    if (row < folderCount()) {
        const QString& folder = snapshot_->prefixes.at(row);
        switch (role) {
            case Qt::DisplayRole:
                return column == Key ? folder.mid(prefix.size()) : QVariant();
            case KeyRole:
                return folder;
            case IsFolderRole:
                return true;
            case SortRole:
                // Folders stay above objects whichever column sorts.
                return column == Key ? QVariant(QStringLiteral("\x01") + folder) : QVariant(-1);
            case Qt::ToolTipRole:
                return folder;
            case Qt::DecorationRole:
                return column == Key ? QApplication::style()->standardIcon(QStyle::SP_DirIcon)
                                     : QVariant();
            default:
                return {};
        }
    }
    const BucketObjectRow& object = snapshot_->objects.at(row - folderCount());
    switch (role) {
        case Qt::DisplayRole:
            switch (column) {
                case Key:
                    return object.key.mid(prefix.size());
                case Size:
                    return humanSize(object.size);
                case Modified:
                    return QLocale().toString(object.modified.toLocalTime(),
                                              QStringLiteral("yyyy-MM-dd HH:mm:ss"));
                case ETag:
                    return object.etag;
                case ContentType:
                    return object.contentType;
                default:
                    return {};
            }
        case Qt::TextAlignmentRole:
            if (column == Size) return int(Qt::AlignRight | Qt::AlignVCenter);
            return {};
        case Qt::ToolTipRole:
            return column == Size ? QVariant(QLocale().toString(object.size) + tr(" bytes"))
                                  : QVariant(object.key);
        case KeyRole:
            return object.key;
        case IsFolderRole:
            return false;
        case SizeRole:
            return object.size;
        case SortRole:
            switch (column) {
                case Key:
                    return QStringLiteral("\x02") + object.key;
                case Size:
                    return object.size;
                case Modified:
                    return object.modified;
                case ETag:
                    return object.etag;
                case ContentType:
                    return object.contentType;
                default:
                    return {};
            }
        default:
            return {};
    }
}

QVariant ObjectTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
        case Key:
            return tr("Key");
        case Size:
            return tr("Size");
        case Modified:
            return tr("Last modified");
        case ETag:
            return tr("ETag");
        case ContentType:
            return tr("Content type");
        default:
            return {};
    }
}

Qt::ItemFlags ObjectTableModel::flags(const QModelIndex& index) const {
    if (!index.isValid()) return Qt::ItemIsDropEnabled;
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable;
}

void ObjectTableModel::setSnapshot(Snapshot snapshot) {
    beginResetModel();
    snapshot_ = std::move(snapshot);
    endResetModel();
}

void ObjectTableModel::clear() {
    setSnapshot(nullptr);
}

int ObjectTableModel::rowOfKey(const QString& key) const {
    if (!snapshot_) return -1;
    for (int i = 0; i < snapshot_->objects.size(); ++i)
        if (snapshot_->objects.at(i).key == key) return folderCount() + i;
    return -1;
}

}  // namespace fogbank::ui
