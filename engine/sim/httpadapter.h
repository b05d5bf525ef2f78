// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QAbstractHttpServer>
#include <QByteArray>
#include <QList>
#include <QPair>
#include <QUrlQuery>

#include <functional>

class QTcpSocket;

namespace portcullis::sim {

using HeaderList = QList<QPair<QByteArray, QByteArray>>;

// One parsed request, independent of the QHttpServer version.
struct HttpRequest {
    QByteArray method; // "GET", "POST", ...
    QString path;
    QUrlQuery query;
    HeaderList headers;
    QByteArray body;

    // The value of a header, matched case-insensitively; empty when absent.
    QByteArray header(const QByteArray &name) const;
};

// Thin adapter over QAbstractHttpServer, a technical preview in Qt 6.4 whose
// API changes in later releases. It only parses requests and hands each one
// with its socket to the handler. Responses are written as raw HTTP/1.1 on
// the socket, which also lets the server stream server-sent events, delay,
// cut or drop a response for fault injection.
class HttpAdapter : public QAbstractHttpServer {
    Q_OBJECT

public:
    using Handler = std::function<void(const HttpRequest &, QTcpSocket *)>;

    explicit HttpAdapter(Handler handler, QObject *parent = nullptr);

    // Listens on 127.0.0.1 only (never on every interface). Port 0 picks a
    // free port. Returns the port, or 0 on failure.
    quint16 listenOnLoopback(quint16 port);

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;

private:
    Handler m_handler;
};

namespace http {

QByteArray reasonPhrase(int status);
// A complete response with Content-Length.
QByteArray response(int status, const QByteArray &contentType, const QByteArray &body,
    const HeaderList &headers = {});
// The head of a chunked text/event-stream response.
QByteArray eventStreamHead();
QByteArray chunk(const QByteArray &data);
QByteArray lastChunk();

} // namespace http

} // namespace portcullis::sim
