// The project's functions, one row each with what a person checks first: runtime, memory,
// timeout. A handful of rows, so a QTreeWidget is the right size of tool.
#pragma once

#include "ui/engine_bridge.h"

#include <QWidget>

class QTreeWidget;

namespace fogbank::ui {

class FunctionListPanel : public QWidget {
    Q_OBJECT
  public:
    explicit FunctionListPanel(QWidget* parent = nullptr);

    void setFunctions(const QList<FunctionInfo>& functions);
    void clear();
    // The selected function's logical id; empty when none.
    QString currentFunction() const;
    // Selects by logical id or FunctionName; false when there is no such function.
    bool selectFunction(const QString& nameOrLogicalId);
    QTreeWidget* tree() const { return tree_; }

  signals:
    void currentFunctionChanged(const QString& logicalId);

  private:
    QTreeWidget* tree_;
};

}  // namespace fogbank::ui
