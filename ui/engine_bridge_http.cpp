// EngineBridge's part for the APIs tab: requests to the project's HTTP API port, sent as any
// HTTP client sends them (QNetworkAccessManager, asynchronous on this object's thread), so that
// what the composer shows is exactly what curl would get.
#include "ui/engine_bridge.h"

#include <QElapsedTimer>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QNetworkRequest>

#include <memory>

namespace fogbank::ui {

quint64 EngineBridge::sendHttpRequest(const QString& method, const QString& path,
                                      const QList<QPair<QString, QString>>& headers,
                                      const QByteArray& body) {
    if (!isOpen()) return 0;
    const quint64 ticket = ++nextHttpTicket_;
    HttpExchange exchange;
    exchange.ticket = ticket;
    exchange.method = method.trimmed().toUpper();
    const QString target = path.startsWith(QLatin1Char('/')) ? path : QLatin1Char('/') + path;
    exchange.url = QStringLiteral("http://%1:%2%3").arg(bindAddress_).arg(httpPort_).arg(target);
    if (!httpPort_) {
        exchange.error = routes_.isEmpty() ? tr("This project has no HTTP API routes.")
                                           : tr("The HTTP APIs are not being served.");
        QMetaObject::invokeMethod(
            this, [this, exchange] { emit httpExchanged(exchange); }, Qt::QueuedConnection);
        return ticket;
    }
    if (!http_) {
        http_ = new QNetworkAccessManager(this);
        // Loopback only, never through a proxy configured for the real internet.
        http_->setProxy(QNetworkProxy::NoProxy);
    }
    QNetworkRequest request{QUrl(exchange.url)};
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::ManualRedirectPolicy);
    for (const auto& [name, value] : headers) request.setRawHeader(name.toUtf8(), value.toUtf8());
    auto timer = std::make_shared<QElapsedTimer>();
    timer->start();
    QNetworkReply* reply = http_->sendCustomRequest(request, exchange.method.toUtf8(), body);
    connect(reply, &QNetworkReply::finished, this,
            [this, reply, timer, exchange, generation = generation_]() mutable {
                reply->deleteLater();
                if (generation != generation_) return;
                exchange.elapsedMs = timer->nsecsElapsed() / 1e6;
                exchange.status =
                    reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
                exchange.reason =
                    reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString();
                for (const auto& [name, value] : reply->rawHeaderPairs())
                    exchange.headers.append({QString::fromUtf8(name), QString::fromUtf8(value)});
                exchange.body = reply->readAll();
                if (exchange.status == 0) exchange.error = reply->errorString();
                emit httpExchanged(exchange);
            });
    return ticket;
}

}  // namespace fogbank::ui
