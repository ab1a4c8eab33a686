#include "ui/bucket_tree_model.h"

#include <QIcon>
#include <QStyle>
#include <QApplication>

namespace fogbank::ui {

BucketTreeModel::BucketTreeModel(QObject* parent) : QAbstractItemModel(parent) {
    root_.fetched = true;
}

BucketTreeModel::~BucketTreeModel() = default;

BucketTreeModel::Node* BucketTreeModel::nodeOf(const QModelIndex& index) const {
    if (!index.isValid()) return const_cast<Node*>(&root_);
    return static_cast<Node*>(index.internalPointer());
}

QModelIndex BucketTreeModel::indexOf(Node* node) const {
    if (!node || node == &root_) return {};
    return createIndex(node->row, 0, node);
}

QModelIndex BucketTreeModel::index(int row, int column, const QModelIndex& parent) const {
    if (column != 0 || row < 0) return {};
    Node* node = nodeOf(parent);
    if (row >= static_cast<int>(node->children.size())) return {};
    return createIndex(row, 0, node->children[static_cast<std::size_t>(row)].get());
}

QModelIndex BucketTreeModel::parent(const QModelIndex& child) const {
    if (!child.isValid()) return {};
    return indexOf(nodeOf(child)->parent);
}

int BucketTreeModel::rowCount(const QModelIndex& parent) const {
    if (parent.column() > 0) return 0;
    return static_cast<int>(nodeOf(parent)->children.size());
}

int BucketTreeModel::columnCount(const QModelIndex&) const {
    return 1;
}

QVariant BucketTreeModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid)) return {};
    const Node* node = nodeOf(index);
    switch (role) {
        case Qt::DisplayRole: {
            if (node->prefix.isEmpty()) return node->bucket;
            const QString& parentPrefix = node->parent->prefix;
            return node->prefix.mid(parentPrefix.size());
        }
        case Qt::ToolTipRole:
            return QStringLiteral("s3://%1/%2").arg(node->bucket, node->prefix);
        case Qt::DecorationRole:
            return QApplication::style()->standardIcon(
                node->prefix.isEmpty() ? QStyle::SP_DriveHDIcon : QStyle::SP_DirIcon);
        case BucketRole:
            return node->bucket;
        case PrefixRole:
            return node->prefix;
        default:
            return {};
    }
}

bool BucketTreeModel::hasChildren(const QModelIndex& parent) const {
    const Node* node = nodeOf(parent);
    // Unlisted levels may hold folders: offer the expander until a listing says otherwise.
    return !node->fetched || !node->children.empty();
}

bool BucketTreeModel::canFetchMore(const QModelIndex& parent) const {
    const Node* node = nodeOf(parent);
    return !node->fetched && !node->fetching;
}

void BucketTreeModel::fetchMore(const QModelIndex& parent) {
    Node* node = nodeOf(parent);
    if (node->fetched || node->fetching) return;
    node->fetching = true;
    emit folderWanted(node->bucket, node->prefix);
}

void BucketTreeModel::setBuckets(const QStringList& names) {
    // Merged rather than reset: buckets that stay keep their listed folders and the view keeps
    // what it had expanded.
    auto& buckets = root_.children;
    auto renumber = [&] {
        for (std::size_t i = 0; i < buckets.size(); ++i) buckets[i]->row = static_cast<int>(i);
    };
    for (int i = static_cast<int>(buckets.size()) - 1; i >= 0; --i) {
        if (names.contains(buckets[static_cast<std::size_t>(i)]->bucket)) continue;
        beginRemoveRows({}, i, i);
        buckets.erase(buckets.begin() + i);
        renumber();
        endRemoveRows();
    }
    for (int i = 0; i < names.size(); ++i) {
        const auto at = static_cast<std::size_t>(i);
        if (at < buckets.size() && buckets[at]->bucket == names.at(i)) continue;
        auto node = std::make_unique<Node>();
        node->bucket = names.at(i);
        node->parent = &root_;
        beginInsertRows({}, i, i);
        buckets.insert(buckets.begin() + i, std::move(node));
        renumber();
        endInsertRows();
    }
}

QModelIndex BucketTreeModel::find(const QString& bucket, const QString& prefix) const {
    for (const auto& b : root_.children) {
        if (b->bucket != bucket) continue;
        Node* node = b.get();
        while (node->prefix != prefix) {
            Node* next = nullptr;
            for (const auto& child : node->children)
                if (prefix.startsWith(child->prefix)) next = child.get();
            if (!next) return {};
            node = next;
        }
        return indexOf(node);
    }
    return {};
}

void BucketTreeModel::setFolders(const QString& bucket, const QString& prefix,
                                 const QStringList& prefixes) {
    const QModelIndex at = find(bucket, prefix);
    if (!at.isValid()) return;
    Node* node = nodeOf(at);
    node->fetching = false;
    QStringList known;
    for (const auto& child : node->children) known << child->prefix;
    if (node->fetched && known == prefixes) return;
    if (!node->children.empty()) {
        beginRemoveRows(at, 0, static_cast<int>(node->children.size()) - 1);
        node->children.clear();
        endRemoveRows();
    }
    node->fetched = true;
    if (prefixes.isEmpty()) {
        // The expander goes away: the view learns there is nothing below.
        emit dataChanged(at, at);
        return;
    }
    beginInsertRows(at, 0, static_cast<int>(prefixes.size()) - 1);
    for (const QString& p : prefixes) {
        auto child = std::make_unique<Node>();
        child->bucket = bucket;
        child->prefix = p;
        child->parent = node;
        child->row = static_cast<int>(node->children.size());
        node->children.push_back(std::move(child));
    }
    endInsertRows();
}

}  // namespace fogbank::ui
