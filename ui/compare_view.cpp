#include "ui/compare_view.h"

#include "emulator/trace/json_diff.h"
#include "ui/json_text.h"

#include <QColor>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QSplitter>
#include <QTextBlock>
#include <QTextCursor>
#include <QVBoxLayout>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdint>

namespace fogbank::ui {

namespace {

// A longest common subsequence over the lines that differ costs rows x columns; beyond this the
// middle is shown as one changed block rather than computed.
constexpr std::size_t kMaxDiffCells = 4'000'000;

const QColor kRemoved(0xff, 0xeb, 0xee);
const QColor kAdded(0xe8, 0xf5, 0xe9);
const QColor kChanged(0xff, 0xf3, 0xe0);
const QColor kFiller(0xf0, 0xf0, 0xf0);
constexpr auto kErrorColor = "#c62828";
constexpr auto kOkColor = "#2e7d32";

QPlainTextEdit* makePane(const QString& name, QWidget* parent) {
    auto* pane = new QPlainTextEdit(parent);
    pane->setObjectName(name);
    pane->setReadOnly(true);
    // Unwrapped, so that line n on the left faces line n on the right.
    pane->setLineWrapMode(QPlainTextEdit::NoWrap);
    pane->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    return pane;
}

QStringList linesOf(const QString& payload) {
    return prettyJson(payload).split(QLatin1Char('\n'));
}

nlohmann::json asJson(const QString& payload) {
    auto doc = nlohmann::json::parse(payload.toStdString(), nullptr, false);
    return doc.is_discarded() ? nlohmann::json(payload.toStdString()) : doc;
}

QString headline(const QString& title, const InvocationRecord& record) {
    const QString color = QLatin1String(record.ok() ? kOkColor : kErrorColor);
    QString outcome = statusLabel(record.status);
    if (!record.ok() && !record.errorType.isEmpty())
        outcome += QStringLiteral(": ") + record.errorType;
    return QStringLiteral(
               "<b>%1</b> · <span style='color:%2'>%3</span> · %4 ms%5 · <small>%6</small>")
        .arg(title.toHtmlEscaped(), color, outcome.toHtmlEscaped(),
             QString::number(record.durationMs, 'f', 2),
             record.cold ? QStringLiteral(" · cold") : QString(), record.requestId.toHtmlEscaped());
}

void highlight(QPlainTextEdit* pane, const std::vector<AlignedLine>& lines, bool left) {
    QList<QTextEdit::ExtraSelection> selections;
    QTextBlock block = pane->document()->firstBlock();
    for (const AlignedLine& line : lines) {
        if (!block.isValid()) break;
        QColor color;
        switch (line.kind) {
            case AlignedLine::Kind::Same:
                break;
            case AlignedLine::Kind::Changed:
                color = left ? kRemoved : kAdded;
                break;
            case AlignedLine::Kind::Removed:
                color = left ? kRemoved : kFiller;
                break;
            case AlignedLine::Kind::Added:
                color = left ? kFiller : kAdded;
                break;
        }
        if (color.isValid()) {
            QTextEdit::ExtraSelection selection;
            selection.cursor = QTextCursor(block);
            selection.format.setBackground(color);
            selection.format.setProperty(QTextFormat::FullWidthSelection, true);
            selections.append(selection);
        }
        block = block.next();
    }
    pane->setExtraSelections(selections);
}

}  // namespace

std::vector<AlignedLine> alignLines(const QStringList& before, const QStringList& after) {
    const std::size_t n = static_cast<std::size_t>(before.size());
    const std::size_t m = static_cast<std::size_t>(after.size());
    std::size_t prefix = 0;
    while (prefix < n && prefix < m && before[prefix] == after[prefix]) ++prefix;
    std::size_t suffix = 0;
    while (suffix < n - prefix && suffix < m - prefix &&
           before[n - 1 - suffix] == after[m - 1 - suffix]) {
        ++suffix;
    }
    const std::size_t rows = n - prefix - suffix;
    const std::size_t columns = m - prefix - suffix;

    // The middle as edit steps: 0 both sides keep a line, 1 the left drops one, 2 the right adds.
    std::vector<std::uint8_t> steps;
    if (rows * columns <= kMaxDiffCells && rows > 0 && columns > 0) {
        // lcs[i][j]: the longest common subsequence of the middles from i and j on. Its length
        // is at most min(rows, columns) <= 2000, so 16 bits hold it.
        const std::size_t width = columns + 1;
        std::vector<std::uint16_t> lcs((rows + 1) * width, 0);
        for (std::size_t i = rows; i-- > 0;) {
            for (std::size_t j = columns; j-- > 0;) {
                lcs[i * width + j] =
                    before[prefix + i] == after[prefix + j]
                        ? static_cast<std::uint16_t>(lcs[(i + 1) * width + j + 1] + 1)
                        : std::max(lcs[(i + 1) * width + j], lcs[i * width + j + 1]);
            }
        }
        std::size_t i = 0;
        std::size_t j = 0;
        while (i < rows || j < columns) {
            if (i < rows && j < columns && before[prefix + i] == after[prefix + j]) {
                steps.push_back(0);
                ++i;
                ++j;
            } else if (j == columns ||
                       (i < rows && lcs[(i + 1) * width + j] >= lcs[i * width + j + 1])) {
                steps.push_back(1);
                ++i;
            } else {
                steps.push_back(2);
                ++j;
            }
        }
    } else {
        steps.insert(steps.end(), rows, 1);
        steps.insert(steps.end(), columns, 2);
    }

    std::vector<AlignedLine> out;
    out.reserve(n + m);
    for (std::size_t k = 0; k < prefix; ++k)
        out.push_back({AlignedLine::Kind::Same, before[k], after[k]});
    // Runs of dropped and added lines between kept ones face each other as changed lines.
    std::size_t i = prefix;
    std::size_t j = prefix;
    std::size_t s = 0;
    while (s < steps.size()) {
        if (steps[s] == 0) {
            out.push_back({AlignedLine::Kind::Same, before[i++], after[j++]});
            ++s;
            continue;
        }
        std::size_t dropped = 0;
        std::size_t added = 0;
        while (s < steps.size() && steps[s] != 0) {
            (steps[s] == 1 ? dropped : added)++;
            ++s;
        }
        for (std::size_t k = 0; k < std::max(dropped, added); ++k) {
            if (k < dropped && k < added)
                out.push_back({AlignedLine::Kind::Changed, before[i + k], after[j + k]});
            else if (k < dropped)
                out.push_back({AlignedLine::Kind::Removed, before[i + k], QString()});
            else
                out.push_back({AlignedLine::Kind::Added, QString(), after[j + k]});
        }
        i += dropped;
        j += added;
    }
    for (std::size_t k = 0; k < suffix; ++k)
        out.push_back({AlignedLine::Kind::Same, before[n - suffix + k], after[m - suffix + k]});
    return out;
}

CompareView::CompareView(QWidget* parent)
    : QWidget(parent),
      summary_(new QLabel(this)),
      list_(new QListWidget(this)),
      oldTitle_(new QLabel(this)),
      newTitle_(new QLabel(this)),
      old_(makePane(QStringLiteral("compareOld"), this)),
      new_(makePane(QStringLiteral("compareNew"), this)),
      changes_(makePane(QStringLiteral("compareChanges"), this)) {
    summary_->setObjectName(QStringLiteral("compareSummary"));
    list_->setObjectName(QStringLiteral("replayList"));
    list_->setUniformItemSizes(true);
    oldTitle_->setTextFormat(Qt::RichText);
    newTitle_->setTextFormat(Qt::RichText);
    changes_->setMaximumBlockCount(2000);
    changes_->setPlaceholderText(tr("No differences"));

    connect(list_, &QListWidget::currentRowChanged, this, [this](int row) {
        if (row == current_) return;
        current_ = row;
        showCurrent();
    });
    // One scroll for both sides: line n faces line n.
    connect(old_->verticalScrollBar(), &QScrollBar::valueChanged, new_->verticalScrollBar(),
            &QScrollBar::setValue);
    connect(new_->verticalScrollBar(), &QScrollBar::valueChanged, old_->verticalScrollBar(),
            &QScrollBar::setValue);
    connect(old_->horizontalScrollBar(), &QScrollBar::valueChanged, new_->horizontalScrollBar(),
            &QScrollBar::setValue);
    connect(new_->horizontalScrollBar(), &QScrollBar::valueChanged, old_->horizontalScrollBar(),
            &QScrollBar::setValue);

    auto* oldBox = new QWidget(this);
    auto* oldLayout = new QVBoxLayout(oldBox);
    oldLayout->setContentsMargins(0, 0, 0, 0);
    oldLayout->setSpacing(2);
    oldLayout->addWidget(oldTitle_);
    oldLayout->addWidget(old_, 1);
    auto* newBox = new QWidget(this);
    auto* newLayout = new QVBoxLayout(newBox);
    newLayout->setContentsMargins(0, 0, 0, 0);
    newLayout->setSpacing(2);
    newLayout->addWidget(newTitle_);
    newLayout->addWidget(new_, 1);

    auto* sides = new QSplitter(Qt::Horizontal, this);
    sides->addWidget(oldBox);
    sides->addWidget(newBox);
    sides->setChildrenCollapsible(false);

    auto* right = new QSplitter(Qt::Vertical, this);
    right->addWidget(sides);
    right->addWidget(changes_);
    right->setStretchFactor(0, 4);
    right->setStretchFactor(1, 1);

    auto* body = new QSplitter(Qt::Horizontal, this);
    body->addWidget(list_);
    body->addWidget(right);
    body->setStretchFactor(0, 0);
    body->setStretchFactor(1, 1);
    list_->setMinimumWidth(list_->fontMetrics().horizontalAdvance(QLatin1Char('0')) * 34);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(summary_);
    layout->addWidget(body, 1);
    clear();
}

void CompareView::clear() {
    comparisons_.clear();
    current_ = -1;
    list_->clear();
    showCurrent();
    updateSummary();
}

int CompareView::addReplay(const InvocationRecord& original) {
    Comparison comparison;
    comparison.original = original;
    comparisons_.push_back(std::move(comparison));
    const int index = count() - 1;
    list_->addItem(QString());
    updateItem(index);
    updateSummary();
    if (current_ < 0) setCurrentIndex(index);
    return index;
}

void CompareView::setOriginal(int index, const InvocationRecord& original) {
    if (index < 0 || index >= count()) return;
    Comparison& comparison = comparisons_[static_cast<std::size_t>(index)];
    comparison.original = original;
    if (comparison.replayed) compare(comparison);
    updateItem(index);
    if (index == current_) showCurrent();
}

void CompareView::setReplayed(int index, const InvocationRecord& replayed) {
    if (index < 0 || index >= count()) return;
    Comparison& comparison = comparisons_[static_cast<std::size_t>(index)];
    comparison.replayed = replayed;
    compare(comparison);
    updateItem(index);
    updateSummary();
    if (index == current_) showCurrent();
    emit replayFinished(index);
}

void CompareView::setFailed(int index, const QString& why) {
    if (index < 0 || index >= count()) return;
    comparisons_[static_cast<std::size_t>(index)].failure = why;
    updateItem(index);
    updateSummary();
    if (index == current_) showCurrent();
    emit replayFinished(index);
}

void CompareView::setCurrentIndex(int index) {
    if (index < -1 || index >= count()) return;
    current_ = index;
    list_->setCurrentRow(index);
    showCurrent();
}

void CompareView::compare(Comparison& comparison) {
    const InvocationRecord& before = comparison.original;
    const InvocationRecord& after = *comparison.replayed;
    comparison.statusChanged = before.status != after.status;
    const std::vector<AlignedLine> lines =
        alignLines(linesOf(before.payload), linesOf(after.payload));
    comparison.differingLines =
        static_cast<int>(std::count_if(lines.begin(), lines.end(), [](const AlignedLine& line) {
            return line.kind != AlignedLine::Kind::Same;
        }));
    comparison.changes.clear();
    for (const JsonChange& change : diffJson(asJson(before.payload), asJson(after.payload)))
        comparison.changes << QString::fromStdString(describe(change));
}

void CompareView::updateItem(int index) {
    const Comparison& comparison = comparisons_[static_cast<std::size_t>(index)];
    QListWidgetItem* item = list_->item(index);
    if (!item) return;
    QString verdict;
    QColor color;
    if (!comparison.failure.isEmpty()) {
        verdict = tr("not replayed");
        color = QColor(kErrorColor);
    } else if (!comparison.replayed) {
        verdict = tr("running…");
        color = QColor(0x75, 0x75, 0x75);
    } else if (comparison.identical()) {
        verdict = tr("same");
        color = QColor(kOkColor);
    } else if (comparison.statusChanged) {
        verdict = tr("%1 → %2").arg(statusLabel(comparison.original.status),
                                    statusLabel(comparison.replayed->status));
        color = QColor(kErrorColor);
    } else {
        verdict = comparison.changes.size() == 1
                      ? tr("1 difference")
                      : tr("%1 differences").arg(std::max<qsizetype>(comparison.changes.size(), 1));
        color = QColor(0xe6, 0x51, 0x00);
    }
    item->setText(QStringLiteral("%1  ·  %2").arg(comparison.original.function, verdict));
    item->setForeground(color);
    item->setToolTip(
        comparison.failure.isEmpty()
            ? tr("Recorded %1\nReplayed %2")
                  .arg(comparison.original.requestId,
                       comparison.replayed ? comparison.replayed->requestId : tr("(running)"))
            : comparison.failure);
}

void CompareView::updateSummary() {
    int running = 0;
    int same = 0;
    int different = 0;
    for (const Comparison& comparison : comparisons_) {
        if (!comparison.finished())
            ++running;
        else if (comparison.identical())
            ++same;
        else
            ++different;
    }
    if (comparisons_.empty()) {
        summary_->setText(
            tr("<i>Select invocations in the table and press Replay to run their "
               "events again and compare the responses.</i>"));
        return;
    }
    QStringList parts;
    parts << tr("<b>%n replay(s)</b>", nullptr, count());
    if (running > 0) parts << tr("%1 running").arg(running);
    if (same > 0)
        parts << tr("<span style='color:%1'>%2 same</span>").arg(QLatin1String(kOkColor)).arg(same);
    if (different > 0)
        parts << tr("<span style='color:%1'>%2 different</span>")
                     .arg(QLatin1String(kErrorColor))
                     .arg(different);
    summary_->setText(parts.join(QStringLiteral(" · ")));
}

void CompareView::showCurrent() {
    if (current_ < 0 || current_ >= count()) {
        oldTitle_->setText(tr("<b>Recorded</b>"));
        newTitle_->setText(tr("<b>Replayed</b>"));
        old_->clear();
        new_->clear();
        changes_->clear();
        return;
    }
    const Comparison& comparison = comparisons_[static_cast<std::size_t>(current_)];
    oldTitle_->setText(headline(tr("Recorded"), comparison.original));
    if (!comparison.replayed) {
        newTitle_->setText(
            comparison.failure.isEmpty()
                ? tr("<b>Replayed</b> · running…")
                : tr("<b>Replayed</b> · <span style='color:%1'>%2</span>")
                      .arg(QLatin1String(kErrorColor), comparison.failure.toHtmlEscaped()));
        old_->setPlainText(prettyJson(comparison.original.payload));
        old_->setExtraSelections({});
        new_->clear();
        changes_->clear();
        return;
    }
    newTitle_->setText(headline(tr("Replayed"), *comparison.replayed));
    const std::vector<AlignedLine> lines =
        alignLines(linesOf(comparison.original.payload), linesOf(comparison.replayed->payload));
    QStringList left;
    QStringList right;
    left.reserve(static_cast<qsizetype>(lines.size()));
    right.reserve(static_cast<qsizetype>(lines.size()));
    for (const AlignedLine& line : lines) {
        left << line.left;
        right << line.right;
    }
    old_->setPlainText(left.join(QLatin1Char('\n')));
    new_->setPlainText(right.join(QLatin1Char('\n')));
    highlight(old_, lines, true);
    highlight(new_, lines, false);
    QStringList changes = comparison.changes;
    if (comparison.statusChanged) {
        changes.prepend(tr("status: %1 -> %2")
                            .arg(statusLabel(comparison.original.status),
                                 statusLabel(comparison.replayed->status)));
    }
    changes_->setPlainText(changes.join(QLatin1Char('\n')));
}

}  // namespace fogbank::ui
