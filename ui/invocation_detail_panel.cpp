#include "ui/invocation_detail_panel.h"

#include "ui/json_text.h"

#include <QFontDatabase>
#include <QLabel>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QSplitter>
#include <QVBoxLayout>

namespace fogbank::ui {

namespace {

constexpr auto kErrorColor = "#c62828";
constexpr auto kOkColor = "#2e7d32";
// A runaway handler can print millions of lines; the panel keeps the tail.
constexpr int kMaxLogLines = 20'000;

QPlainTextEdit* makeTextPane(const QString& name, QWidget* parent) {
    auto* pane = new QPlainTextEdit(parent);
    pane->setObjectName(name);
    pane->setReadOnly(true);
    // Wrapped: the interesting part of a response body or a REPORT line is often at its end.
    pane->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    pane->setWordWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
    pane->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    return pane;
}

QWidget* titled(const QString& title, QWidget* body, QWidget* parent) {
    auto* box = new QWidget(parent);
    auto* layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    auto* label = new QLabel(QStringLiteral("<b>%1</b>").arg(title.toHtmlEscaped()), box);
    layout->addWidget(label);
    body->setParent(box);
    layout->addWidget(body, 1);
    return box;
}

QString ms(double value) {
    return QString::number(value, 'f', value < 100 ? 2 : 1);
}

}  // namespace

InvocationDetailPanel::InvocationDetailPanel(QWidget* parent)
    : QWidget(parent),
      status_(new QLabel(this)),
      response_(makeTextPane(QStringLiteral("responseView"), this)),
      logs_(makeTextPane(QStringLiteral("logView"), this)) {
    status_->setObjectName(QStringLiteral("responseStatus"));
    status_->setTextFormat(Qt::RichText);
    status_->setWordWrap(true);
    status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    logs_->setMaximumBlockCount(kMaxLogLines);

    auto* splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(titled(tr("Response"), response_, splitter));
    splitter->addWidget(titled(tr("Logs"), logs_, splitter));
    splitter->setChildrenCollapsible(false);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(status_);
    layout->addWidget(splitter, 1);
    clear();
}

void InvocationDetailPanel::clear() {
    requestId_.clear();
    status_->setText(tr("<i>No invocation selected</i>"));
    response_->clear();
    response_->setStyleSheet({});
    logs_->clear();
}

void InvocationDetailPanel::beginLive(const QString& function) {
    clear();
    status_->setText(tr("Invoking <b>%1</b>…").arg(function.toHtmlEscaped()));
}

void InvocationDetailPanel::setLiveRequest(const QString& requestId) {
    requestId_ = requestId;
}

void InvocationDetailPanel::appendLog(const QString& line) {
    // Follow the tail only if the reader is already there; do not yank them away from a line.
    QScrollBar* bar = logs_->verticalScrollBar();
    const bool atEnd = bar->value() == bar->maximum();
    logs_->appendPlainText(line);
    if (atEnd) bar->setValue(bar->maximum());
}

void InvocationDetailPanel::showRecord(const InvocationRecord& record) {
    requestId_ = record.requestId;

    QStringList facts;
    facts << QStringLiteral("<b>%1</b>").arg(record.function.toHtmlEscaped());
    facts << tr("%1 ms").arg(ms(record.durationMs));
    facts << tr("billed %1 ms").arg(record.billedMs);
    if (!record.cold)
        facts << (record.provisioned ? tr("warm (pre-warmed sandbox)") : tr("warm"));
    else if (record.initModuleMs >= 0)
        facts << tr("cold start, init %1 ms (process %2 ms, runtime %3 ms, module %4 ms)")
                     .arg(ms(record.initMs), ms(record.initProcessMs), ms(record.initRuntimeMs),
                          ms(record.initModuleMs));
    else
        facts << tr("cold start, init %1 ms").arg(ms(record.initMs));
    if (record.cpuMode == QLatin1String("estimate"))
        facts << tr("%1 ms at its CPU share (estimated)").arg(ms(record.estimatedMs));
    else if (!record.cpuMode.isEmpty() && record.cpuMode != QLatin1String("off"))
        facts << tr("CPU share by %1").arg(record.cpuMode);
    if (record.memorySizeMb > 0) {
        facts << tr("%1 / %2 MB").arg(record.maxMemoryUsedMb).arg(record.memorySizeMb);
    }
    const QString outcome =
        record.ok() ? QStringLiteral("<span style='color:%1'><b>%2</b></span>")
                          .arg(QLatin1String(kOkColor), fogbank::ui::statusLabel(record.status))
                    : QStringLiteral("<span style='color:%1'><b>%2</b>%3</span>")
                          .arg(QLatin1String(kErrorColor), fogbank::ui::statusLabel(record.status),
                               record.errorType.isEmpty()
                                   ? QString()
                                   : QStringLiteral(": ") + record.errorType.toHtmlEscaped());
    status_->setText(outcome + QStringLiteral(" · ") + facts.join(QStringLiteral(" · ")));
    status_->setToolTip(
        tr("Request %1\nTrace %2\nSandbox %3\n%4")
            .arg(record.requestId, record.traceId, record.sandboxId, record.interpreter));

    response_->setPlainText(prettyJson(record.payload));
    response_->setStyleSheet(
        record.ok()
            ? QString()
            : QStringLiteral("QPlainTextEdit { color: %1; }").arg(QLatin1String(kErrorColor)));

    // The record's log is the complete one; lines streamed so far may have missed the start.
    logs_->setPlainText(record.logs.join(QLatin1Char('\n')));
    logs_->verticalScrollBar()->setValue(logs_->verticalScrollBar()->maximum());
}

}  // namespace fogbank::ui
