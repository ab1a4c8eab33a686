// Buckets and their "folders" (common prefixes at '/') as a tree, filled one level at a time:
// a node's children are unknown until the view expands it, when fetchMore asks for that level
// (folderWanted) and setFolders answers. A bucket of a million keys costs one level's listing.
#pragma once

#include <QAbstractItemModel>
#include <QStringList>

#include <memory>
#include <vector>

namespace fogbank::ui {

class BucketTreeModel : public QAbstractItemModel {
    Q_OBJECT
  public:
    enum Roles {
        BucketRole = Qt::UserRole + 1,
        PrefixRole,  // "" for a bucket itself, "a/b/" for a folder
    };

    explicit BucketTreeModel(QObject* parent = nullptr);
    ~BucketTreeModel() override;

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    bool hasChildren(const QModelIndex& parent = {}) const override;
    bool canFetchMore(const QModelIndex& parent) const override;
    void fetchMore(const QModelIndex& parent) override;

    // The buckets now, sorted as listed; those that remain keep what is known below them.
    void setBuckets(const QStringList& names);
    // The folders directly under (bucket, prefix); ignored when that node is gone.
    void setFolders(const QString& bucket, const QString& prefix, const QStringList& prefixes);
    // The node of a bucket or folder, or an invalid index when it is not (yet) in the tree.
    QModelIndex find(const QString& bucket, const QString& prefix) const;

  signals:
    // The view wants the folders under (bucket, prefix): answer with setFolders.
    void folderWanted(const QString& bucket, const QString& prefix);

  private:
    struct Node {
        QString bucket;
        QString prefix;
        Node* parent = nullptr;
        std::vector<std::unique_ptr<Node>> children;
        bool fetched = false;
        bool fetching = false;
        int row = 0;
    };
    Node* nodeOf(const QModelIndex& index) const;
    QModelIndex indexOf(Node* node) const;

    Node root_;
};

}  // namespace fogbank::ui
