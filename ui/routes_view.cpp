#include "ui/routes_view.h"

#include "ui/engine_bridge.h"
#include "ui/json_text.h"
#include "ui/route_table_model.h"

#include <QComboBox>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QShortcut>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace fogbank::ui {

namespace {

QPlainTextEdit* codeEdit(QWidget* parent, const QString& placeholder, bool readOnly = false) {
    auto* edit = new QPlainTextEdit(parent);
    edit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    edit->setPlaceholderText(placeholder);
    edit->setReadOnly(readOnly);
    edit->setLineWrapMode(QPlainTextEdit::NoWrap);
    return edit;
}

bool textual(const QString& contentType) {
    return contentType.isEmpty() || contentType.startsWith(QLatin1String("text/")) ||
           contentType.contains(QLatin1String("json")) ||
           contentType.contains(QLatin1String("xml")) ||
           contentType.contains(QLatin1String("javascript")) ||
           contentType.contains(QLatin1String("x-www-form-urlencoded"));
}

}  // namespace

RoutesView::RoutesView(QWidget* parent) : QWidget(parent), routes_(new RouteTableModel(this)) {
    auto* layout = new QVBoxLayout(this);
    where_ = new QLabel(this);
    where_->setObjectName(QStringLiteral("routesWhere"));
    where_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(where_);

    auto* splitter = new QSplitter(Qt::Vertical, this);
    table_ = new QTableView(splitter);
    table_->setObjectName(QStringLiteral("routeTable"));
    table_->setModel(routes_);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::SingleSelection);
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->verticalHeader()->hide();
    table_->setAlternatingRowColors(true);
    table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    table_->horizontalHeader()->setStretchLastSection(true);
    connect(table_->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& current) { onRouteChosen(current.row()); });

    auto* composer = new QWidget(splitter);
    auto* composerLayout = new QVBoxLayout(composer);
    composerLayout->setContentsMargins(0, 6, 0, 0);
    auto* line = new QHBoxLayout;
    method_ = new QComboBox(composer);
    method_->setObjectName(QStringLiteral("httpRequestMethod"));
    method_->setEditable(true);
    method_->addItems({QStringLiteral("GET"), QStringLiteral("POST"), QStringLiteral("PUT"),
                       QStringLiteral("PATCH"), QStringLiteral("DELETE"), QStringLiteral("HEAD"),
                       QStringLiteral("OPTIONS")});
    path_ = new QLineEdit(composer);
    path_->setObjectName(QStringLiteral("httpRequestPath"));
    path_->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    path_->setPlaceholderText(tr("/path?query=value"));
    send_ = new QPushButton(tr("Send"), composer);
    send_->setObjectName(QStringLiteral("sendHttpRequest"));
    send_->setToolTip(tr("Send the request (Ctrl+Return)"));
    line->addWidget(method_);
    line->addWidget(path_, 1);
    line->addWidget(send_);
    composerLayout->addLayout(line);

    auto* request = new QSplitter(Qt::Horizontal, composer);
    headers_ = codeEdit(request, tr("Headers, one per line:\nContent-Type: application/json"));
    headers_->setObjectName(QStringLiteral("httpRequestHeaders"));
    body_ = codeEdit(request, tr("Request body"));
    body_->setObjectName(QStringLiteral("httpRequestBody"));
    composerLayout->addWidget(request, 1);

    status_ = new QLabel(tr("No request sent yet."), composer);
    status_->setObjectName(QStringLiteral("httpResponseStatus"));
    status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    composerLayout->addWidget(status_);
    response_ = codeEdit(composer, tr("The response's headers and body"), true);
    response_->setObjectName(QStringLiteral("httpResponseView"));
    composerLayout->addWidget(response_, 2);
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 3);
    layout->addWidget(splitter, 1);

    connect(send_, &QPushButton::clicked, this, &RoutesView::send);
    connect(path_, &QLineEdit::returnPressed, this, &RoutesView::send);
    auto* shortcut = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return), this);
    connect(shortcut, &QShortcut::activated, this, &RoutesView::send);
    onProjectChanged();
}

void RoutesView::setBridge(EngineBridge* bridge) {
    bridge_ = bridge;
    connect(bridge, &EngineBridge::projectOpened, this, &RoutesView::onProjectChanged);
    connect(bridge, &EngineBridge::projectClosed, this, &RoutesView::onProjectChanged);
    connect(bridge, &EngineBridge::httpExchanged, this, &RoutesView::onExchanged);
    onProjectChanged();
}

QList<QPair<QString, QString>> RoutesView::parseHeaders(const QString& text, QString* error) {
    QList<QPair<QString, QString>> out;
    const QStringList lines = text.split(QLatin1Char('\n'));
    for (int i = 0; i < lines.size(); ++i) {
        const QString line = lines[i].trimmed();
        if (line.isEmpty()) continue;
        const auto colon = line.indexOf(QLatin1Char(':'));
        if (colon <= 0) {
            if (error)
                *error = tr("Header line %1 is not \"Name: value\": %2").arg(i + 1).arg(line);
            return {};
        }
        out.append({line.left(colon).trimmed(), line.mid(colon + 1).trimmed()});
    }
    return out;
}

void RoutesView::send() {
    if (!bridge_ || !bridge_->isOpen()) return;
    QString error;
    const auto headers = parseHeaders(headers_->toPlainText(), &error);
    if (!error.isEmpty()) {
        status_->setText(
            QStringLiteral("<span style='color:#c62828'>%1</span>").arg(error.toHtmlEscaped()));
        return;
    }
    QString path = path_->text().trimmed();
    if (path.isEmpty()) path = QStringLiteral("/");
    const QString method = method_->currentText().trimmed().toUpper();
    pending_ = bridge_->sendHttpRequest(method, path, headers, body_->toPlainText().toUtf8());
    status_->setText(tr("Sending %1 %2…").arg(method, path));
}

void RoutesView::onProjectChanged() {
    const bool open = bridge_ && bridge_->isOpen();
    routes_->setRoutes(open ? bridge_->routes() : QList<RouteInfo>{});
    if (!open)
        where_->setText(tr("No project is open."));
    else if (bridge_->routes().isEmpty())
        where_->setText(tr("This project has no Api or HttpApi events."));
    else if (!bridge_->httpPort())
        where_->setText(tr("The HTTP APIs are turned off (httpPort < 0)."));
    else
        where_->setText(tr("%n route(s) on <b>http://%1:%2</b> — choose one to fill the request.",
                           nullptr, static_cast<int>(bridge_->routes().size()))
                            .arg(bridge_->bindAddress())
                            .arg(bridge_->httpPort()));
    send_->setEnabled(open && bridge_->httpPort() != 0);
    if (open && routes_->rowCount() > 0 && path_->text().isEmpty()) table_->selectRow(0);
}

void RoutesView::onRouteChosen(int row) {
    const RouteInfo* route = routes_->route(row);
    if (!route) return;
    method_->setCurrentText(route->method == QLatin1String("ANY") ? QStringLiteral("GET")
                                                                  : route->method);
    // "$default" catches whatever no other route does; any path shows it.
    path_->setText(route->path == QLatin1String("$default") ? QStringLiteral("/") : route->path);
    // The first {parameter} is what the user will want to type over.
    const auto brace = path_->text().indexOf(QLatin1Char('{'));
    if (brace >= 0) {
        const auto close = path_->text().indexOf(QLatin1Char('}'), brace);
        path_->setSelection(static_cast<int>(brace), static_cast<int>(close - brace + 1));
    }
}

void RoutesView::onExchanged(const HttpExchange& exchange) {
    if (exchange.ticket != pending_) return;
    if (!exchange.error.isEmpty() && exchange.status == 0) {
        status_->setText(QStringLiteral("<span style='color:#c62828'>%1 %2: %3</span>")
                             .arg(exchange.method, exchange.url.toHtmlEscaped(),
                                  exchange.error.toHtmlEscaped()));
        response_->clear();
        return;
    }
    const QString colour = exchange.status >= 500   ? QStringLiteral("#c62828")
                           : exchange.status >= 400 ? QStringLiteral("#ef6c00")
                                                    : QStringLiteral("#2e7d32");
    status_->setText(QStringLiteral("<b style='color:%1'>%2 %3</b> · %4 ms · %5 bytes · %6 %7")
                         .arg(colour)
                         .arg(exchange.status)
                         .arg(exchange.reason.toHtmlEscaped())
                         .arg(exchange.elapsedMs, 0, 'f', 1)
                         .arg(exchange.body.size())
                         .arg(exchange.method, exchange.url.toHtmlEscaped()));
    QString text;
    QString contentType;
    for (const auto& [name, value] : exchange.headers) {
        text += name + QStringLiteral(": ") + value + QLatin1Char('\n');
        if (name.compare(QLatin1String("content-type"), Qt::CaseInsensitive) == 0)
            contentType = value.toLower();
    }
    text += QLatin1Char('\n');
    if (textual(contentType))
        text += prettyJson(QString::fromUtf8(exchange.body));
    else
        text += tr("(%n byte(s) of %1)", nullptr, static_cast<int>(exchange.body.size()))
                    .arg(contentType);
    response_->setPlainText(text);
}

}  // namespace fogbank::ui
