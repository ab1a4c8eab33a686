#include "ui/variables_model.h"

#include <QFont>

namespace fogbank::ui {

VariablesModel::VariablesModel(QObject* parent) : QAbstractItemModel(parent) {
    root_.state = Node::State::Fetched;
}

VariablesModel::~VariablesModel() = default;

VariablesModel::Node* VariablesModel::nodeOf(const QModelIndex& index) const {
    if (!index.isValid()) return const_cast<Node*>(&root_);
    return static_cast<Node*>(index.internalPointer());
}

QModelIndex VariablesModel::indexOf(const Node* node, int column) const {
    if (!node || node == &root_) return {};
    return createIndex(node->row, column, const_cast<Node*>(node));
}

QModelIndex VariablesModel::index(int row, int column, const QModelIndex& parent) const {
    if (column < 0 || column >= ColumnCount || row < 0) return {};
    if (parent.isValid() && parent.column() != 0) return {};
    const Node* p = nodeOf(parent);
    if (row >= static_cast<int>(p->children.size())) return {};
    return createIndex(row, column, p->children[static_cast<std::size_t>(row)].get());
}

QModelIndex VariablesModel::parent(const QModelIndex& child) const {
    if (!child.isValid()) return {};
    return indexOf(nodeOf(child)->parent);
}

int VariablesModel::rowCount(const QModelIndex& parent) const {
    if (parent.isValid() && parent.column() != 0) return 0;
    return static_cast<int>(nodeOf(parent)->children.size());
}

int VariablesModel::columnCount(const QModelIndex& parent) const {
    (void)parent;
    return ColumnCount;
}

bool VariablesModel::hasChildren(const QModelIndex& parent) const {
    if (parent.isValid() && parent.column() != 0) return false;
    const Node* n = nodeOf(parent);
    if (n->state == Node::State::Fetched) return !n->children.empty();
    return n->reference > 0;
}

bool VariablesModel::canFetchMore(const QModelIndex& parent) const {
    if (!parent.isValid() || parent.column() != 0) return false;
    const Node* n = nodeOf(parent);
    return n->reference > 0 && n->state == Node::State::Unfetched;
}

void VariablesModel::fetchMore(const QModelIndex& parent) {
    if (!canFetchMore(parent)) return;
    Node* n = nodeOf(parent);
    n->state = Node::State::Fetching;
    const QModelIndex value = indexOf(n, Value);
    emit dataChanged(value, value);
    emit childrenWanted(n->key, n->reference);
}

QVariant VariablesModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid()) return {};
    const Node* n = nodeOf(index);
    switch (role) {
        case Qt::DisplayRole:
            switch (index.column()) {
                case Name:
                    return n->name;
                case Value:
                    if (n->state == Node::State::Fetching && n->value.isEmpty())
                        return tr("loading…");
                    return n->value;
                case Type:
                    return n->type;
            }
            return {};
        case Qt::ToolTipRole:
            return index.column() == Value ? n->value : QVariant();
        case Qt::FontRole:
            if (n->scope && index.column() == Name) {
                QFont bold;
                bold.setBold(true);
                return bold;
            }
            return {};
        case ReferenceRole:
            return n->reference;
        case KeyRole:
            return n->key;
        case IsScopeRole:
            return n->scope;
    }
    return {};
}

QVariant VariablesModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
        case Name:
            return tr("Name");
        case Value:
            return tr("Value");
        case Type:
            return tr("Type");
    }
    return {};
}

void VariablesModel::forget(const Node& node) {
    for (const auto& child : node.children) {
        byKey_.erase(child->key);
        forget(*child);
    }
}

void VariablesModel::clear() {
    beginResetModel();
    forget(root_);
    root_.children.clear();
    endResetModel();
}

void VariablesModel::setScopes(const QList<DebugScopeInfo>& scopes) {
    beginResetModel();
    forget(root_);
    root_.children.clear();
    for (const auto& s : scopes) {
        auto node = std::make_unique<Node>();
        node->key = nextKey_++;
        node->name = s.name;
        node->reference = s.reference;
        node->scope = true;
        node->parent = &root_;
        node->row = static_cast<int>(root_.children.size());
        byKey_[node->key] = node.get();
        root_.children.push_back(std::move(node));
    }
    endResetModel();
}

void VariablesModel::setChildren(quint64 key, const QList<DebugVariableInfo>& variables,
                                 const QString& error) {
    const auto it = byKey_.find(key);
    if (it == byKey_.end()) return;  // the frame was replaced meanwhile
    Node* parent = it->second;
    if (parent->state == Node::State::Fetched) return;
    const QModelIndex parentIndex = indexOf(parent);
    const int count = error.isEmpty() ? static_cast<int>(variables.size()) : 1;
    parent->state = Node::State::Fetched;
    if (count == 0) {
        // No rows to insert, but hasChildren changes from true to false.
        emit dataChanged(parentIndex, indexOf(parent, ColumnCount - 1));
        return;
    }
    beginInsertRows(parentIndex, 0, count - 1);
    const auto add = [&](QString name, QString value, QString type, int reference) {
        auto node = std::make_unique<Node>();
        node->key = nextKey_++;
        node->name = std::move(name);
        node->value = std::move(value);
        node->type = std::move(type);
        node->reference = reference;
        node->parent = parent;
        node->row = static_cast<int>(parent->children.size());
        byKey_[node->key] = node.get();
        parent->children.push_back(std::move(node));
    };
    if (!error.isEmpty()) {
        add(tr("(error)"), error, {}, 0);
    } else {
        for (const auto& v : variables) add(v.name, v.value, v.type, v.reference);
    }
    endInsertRows();
}

QModelIndex VariablesModel::indexOfKey(quint64 key) const {
    const auto it = byKey_.find(key);
    return it == byKey_.end() ? QModelIndex() : indexOf(it->second);
}

}  // namespace fogbank::ui
