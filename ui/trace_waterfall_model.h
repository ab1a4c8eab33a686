// One trace as a tree for the waterfall: each invocation with the service calls it made under
// it, and the invocations those calls caused under them, siblings by start time.
//
// Over an immutable TraceTree (built by the engine's trace/trace_tree, the same tree the CLI
// prints and the OTLP export writes). The Timeline column carries no text: its roles give the
// span's place on the trace's time axis, and WaterfallDelegate draws the bar.
#pragma once

#include "emulator/trace/trace_tree.h"

#include <QAbstractItemModel>

#include <memory>
#include <vector>

namespace fogbank::ui {

class TraceWaterfallModel : public QAbstractItemModel {
    Q_OBJECT
  public:
    enum Columns { Name, Status, Offset, Duration, Timeline, ColumnCount };
    enum Roles {
        OffsetMsRole = Qt::UserRole + 1,  // since the trace's start
        DurationMsRole,
        InitMsRole,  // the cold start's part of an invocation; 0 for warm ones and calls
        FailedRole,
        IsInvocationRole,
        RequestIdRole,  // invocations
        TraceMsRole,    // the whole trace's length: one axis for every row
        NodeIndexRole,  // into tree()->nodes
    };
    using Tree = std::shared_ptr<const TraceTree>;

    explicit TraceWaterfallModel(QObject* parent = nullptr);

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    void setTree(Tree tree);
    const Tree& tree() const { return tree_; }
    const TraceNode* nodeAt(const QModelIndex& index) const;
    // The row of the invocation with this request id, or an invalid index.
    QModelIndex indexOfRequest(const QString& requestId) const;
    // The row of the span with this id, or an invalid index.
    QModelIndex indexOfSpan(const QString& spanId) const;

  private:
    static constexpr std::size_t kNoParent = static_cast<std::size_t>(-1);
    // The children of the invisible root (the trace's roots) or of a node, by node index.
    const std::vector<std::size_t>& childrenOf(std::size_t node) const;

    Tree tree_;
    std::vector<std::size_t> parentOf_;  // node -> its parent node, or kNoParent
    std::vector<int> rowOf_;             // node -> its row under its parent
};

}  // namespace fogbank::ui
