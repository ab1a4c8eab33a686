// Raw HTTP for tests: what no AWS client sends, or a client small enough to run in many threads.
#pragma once

#include <QByteArray>
#include <QDeadlineTimer>
#include <QHostAddress>
#include <QList>
#include <QMap>
#include <QPair>
#include <QString>
#include <QTcpServer>
#include <QTcpSocket>

#include <algorithm>

namespace fbtest {

// A port nobody listens on right now.
inline quint16 freePort() {
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0)) return 0;
    const quint16 port = probe.serverPort();
    probe.close();
    return port;
}

struct HttpReply {
    int status = 0;
    QMap<QString, QString> headers;  // names lower-cased
    QByteArray body;
};

// One HTTP/1.1 request on a fresh connection; reads the response by its Content-Length.
inline HttpReply httpRequest(quint16 port, const QByteArray& method, const QByteArray& path,
                             const QByteArray& body,
                             const QList<QPair<QByteArray, QByteArray>>& extraHeaders = {}) {
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    HttpReply reply;
    if (!socket.waitForConnected(10000)) return reply;
    // JSON unless the caller names another type: a second Content-Type would lose to the first.
    const bool typed = std::any_of(extraHeaders.begin(), extraHeaders.end(), [](const auto& h) {
        return h.first.compare("Content-Type", Qt::CaseInsensitive) == 0;
    });
    QByteArray request = method + ' ' + path +
                         " HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(port) + "\r\n" +
                         (typed ? QByteArray() : QByteArray("Content-Type: application/json\r\n")) +
                         "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    for (const auto& [name, value] : extraHeaders) request += name + ": " + value + "\r\n";
    request += "\r\n" + body;
    socket.write(request);

    QByteArray data;
    QDeadlineTimer deadline(60000);
    qsizetype headerEnd = -1;
    qsizetype contentLength = -1;
    while (!deadline.hasExpired()) {
        if (headerEnd < 0 && (headerEnd = data.indexOf("\r\n\r\n")) >= 0) {
            for (const QByteArray& line : data.left(headerEnd).split('\n').mid(1)) {
                const qsizetype colon = line.indexOf(':');
                if (colon > 0)
                    reply.headers[QString::fromLatin1(line.left(colon)).toLower()] =
                        QString::fromUtf8(line.mid(colon + 1).trimmed());
            }
            contentLength = reply.headers.value(QStringLiteral("content-length"), "0").toLongLong();
            reply.status = data.mid(9, 3).toInt();  // "HTTP/1.1 200 OK"
        }
        if (headerEnd >= 0 && data.size() >= headerEnd + 4 + contentLength) break;
        if (!socket.waitForReadyRead(int(std::max<qint64>(1, deadline.remainingTime())))) break;
        data += socket.readAll();
    }
    if (headerEnd >= 0) reply.body = data.mid(headerEnd + 4, contentLength);
    return reply;
}

}  // namespace fbtest
