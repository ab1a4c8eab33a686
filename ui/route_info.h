// What the APIs tab shows: the HTTP API routes of the open project (a Qt copy of the engine's
// route table, made when the project opens) and one request/response made from the composer.
#pragma once

#include <QList>
#include <QMetaType>
#include <QPair>
#include <QString>

namespace fogbank::ui {

struct RouteInfo {
    QString method;  // GET, POST, ..., ANY
    QString path;    // "/items/{id}", "/files/{proxy+}", "$default"
    QString function;
    QString api;      // the API's logical id
    QString apiType;  // REST or HTTP
    QString stage;
    QString payloadVersion;  // 1.0 or 2.0
    friend bool operator==(const RouteInfo&, const RouteInfo&) = default;
};

// A request the composer sent and what came back. `error` is set when no HTTP answer came at all
// (nothing listening, connection refused); a 4xx/5xx answer is a response like any other.
struct HttpExchange {
    quint64 ticket = 0;
    QString method;
    QString url;
    int status = 0;
    QString reason;
    QList<QPair<QString, QString>> headers;
    QByteArray body;
    double elapsedMs = 0;
    QString error;
};

}  // namespace fogbank::ui

Q_DECLARE_METATYPE(fogbank::ui::HttpExchange)
