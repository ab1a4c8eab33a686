// One level of a bucket as a table: its "folders" first (common prefixes at '/'), then its
// objects, with keys shown relative to the level's prefix.
//
// The model holds an immutable snapshot of one listing that the browser receives whole from the
// bridge; a new listing resets it. SortRole gives each column a value that sorts as a person
// expects (sizes as numbers, times as times), for a QSortFilterProxyModel in front.
#pragma once

#include "ui/bucket_listing.h"

#include <QAbstractTableModel>

#include <memory>

namespace fogbank::ui {

class ObjectTableModel : public QAbstractTableModel {
    Q_OBJECT
  public:
    enum Columns { Key, Size, Modified, ETag, ContentType, ColumnCount };
    enum Roles {
        KeyRole = Qt::UserRole + 1,  // the whole key, or the whole prefix of a folder
        IsFolderRole,
        SizeRole,  // bytes, as a number
        SortRole,
    };
    using Snapshot = std::shared_ptr<const BucketListing>;

    explicit ObjectTableModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;

    void setSnapshot(Snapshot snapshot);
    void clear();
    const BucketListing* listing() const { return snapshot_.get(); }
    // The row of an object by its whole key, or -1.
    int rowOfKey(const QString& key) const;

    // "1.5 KiB": binary units, as file managers show them.
    static QString humanSize(qint64 bytes);

  private:
    int folderCount() const;
    Snapshot snapshot_;
};

}  // namespace fogbank::ui
