// Replays and what they changed: a list of replayed invocations, and for the one picked, the
// recorded response and the new one side by side, line by line, with the lines that differ
// highlighted and the differences named by JSON path underneath.
#pragma once

#include "ui/invocation_record.h"

#include <QList>
#include <QString>
#include <QStringList>
#include <QWidget>

#include <optional>
#include <vector>

class QLabel;
class QListWidget;
class QPlainTextEdit;

namespace fogbank::ui {

// Two texts aligned line by line, as a side-by-side diff shows them: a line only one side has
// faces an empty filler line on the other.
struct AlignedLine {
    enum class Kind { Same, Changed, Removed, Added };
    Kind kind = Kind::Same;
    QString left;   // empty (a filler) for Added
    QString right;  // empty (a filler) for Removed
};
std::vector<AlignedLine> alignLines(const QStringList& before, const QStringList& after);

class CompareView : public QWidget {
    Q_OBJECT
  public:
    struct Comparison {
        InvocationRecord original;
        std::optional<InvocationRecord> replayed;
        QString failure;         // why there is no replay (the record is gone, nothing is open)
        int differingLines = 0;  // lines of the side-by-side view that differ
        QStringList changes;     // "$.a.b: 1 -> 2", from the JSON structures
        bool statusChanged = false;

        bool finished() const { return replayed.has_value() || !failure.isEmpty(); }
        bool identical() const {
            return replayed && !statusChanged && differingLines == 0 && changes.isEmpty();
        }
    };

    explicit CompareView(QWidget* parent = nullptr);

    // A replay of `original` has been sent; returns its place in the list.
    int addReplay(const InvocationRecord& original);
    // The whole recorded invocation, once read (addReplay may be given only its ids).
    void setOriginal(int index, const InvocationRecord& original);
    void setReplayed(int index, const InvocationRecord& replayed);
    void setFailed(int index, const QString& why);
    void clear();

    int count() const { return static_cast<int>(comparisons_.size()); }
    const Comparison& comparison(int index) const { return comparisons_.at(index); }
    int currentIndex() const { return current_; }
    void setCurrentIndex(int index);

    QListWidget* list() const { return list_; }
    QPlainTextEdit* oldView() const { return old_; }
    QPlainTextEdit* newView() const { return new_; }
    QPlainTextEdit* changesView() const { return changes_; }

  signals:
    // A replay finished (or failed); `index` is its place in the list.
    void replayFinished(int index);

  private:
    void compare(Comparison& comparison);
    void updateItem(int index);
    void updateSummary();
    void showCurrent();

    std::vector<Comparison> comparisons_;
    int current_ = -1;

    QLabel* summary_;
    QListWidget* list_;
    QLabel* oldTitle_;
    QLabel* newTitle_;
    QPlainTextEdit* old_;
    QPlainTextEdit* new_;
    QPlainTextEdit* changes_;
};

}  // namespace fogbank::ui
