// The variables of one stopped frame as a lazy tree: its scopes (Local, Closure, Global...) at
// the top, each variable under its scope, an object's members under the object. Nothing below a
// row is asked for until a view wants it (canFetchMore/fetchMore): the model says so with
// childrenWanted(key, reference), and whoever asked the debugger gives the answer back with
// setChildren(key, ...). Keys never repeat, so an answer meant for a frame that has been replaced
// is dropped. The model knows nothing of the engine.
#pragma once

#include "ui/debug_snapshot.h"

#include <QAbstractItemModel>

#include <memory>
#include <unordered_map>
#include <vector>

namespace fogbank::ui {

class VariablesModel : public QAbstractItemModel {
    Q_OBJECT
  public:
    enum Columns { Name, Value, Type, ColumnCount };
    enum Roles {
        ReferenceRole = Qt::UserRole + 1,  // > 0: the row has children to fetch
        KeyRole,                           // what childrenWanted names the row by
        IsScopeRole,
    };

    explicit VariablesModel(QObject* parent = nullptr);
    ~VariablesModel() override;

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    bool hasChildren(const QModelIndex& parent = {}) const override;
    bool canFetchMore(const QModelIndex& parent) const override;
    void fetchMore(const QModelIndex& parent) override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    // A new frame: its scopes, nothing under them yet.
    void setScopes(const QList<DebugScopeInfo>& scopes);
    void clear();
    // The answer to childrenWanted(key, ...). With an error, one row says what went wrong.
    void setChildren(quint64 key, const QList<DebugVariableInfo>& variables,
                     const QString& error = {});
    // The row with this key, or an invalid index (a replaced frame's key).
    QModelIndex indexOfKey(quint64 key) const;

  signals:
    void childrenWanted(quint64 key, int reference);

  private:
    struct Node {
        quint64 key = 0;
        QString name, value, type;
        int reference = 0;
        bool scope = false;
        enum class State { Unfetched, Fetching, Fetched } state = State::Unfetched;
        Node* parent = nullptr;
        int row = 0;
        std::vector<std::unique_ptr<Node>> children;
    };
    Node* nodeOf(const QModelIndex& index) const;
    QModelIndex indexOf(const Node* node, int column = 0) const;
    void forget(const Node& node);

    Node root_;
    quint64 nextKey_ = 1;
    std::unordered_map<quint64, Node*> byKey_;
};

}  // namespace fogbank::ui
