// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "sim/simserver.h"

#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTimer>
#include <QUrlQuery>

namespace portcullis::sim::test {

// A fixed start, so that runs of the same seed are comparable.
inline constexpr qint64 StartMs = 1796385600000; // 2026-12-04T15:20:00Z

inline SimOptions quietOptions(quint64 seed = 7)
{
    SimOptions options;
    options.seed = seed;
    options.speed = 0;
    options.startTimeMs = StartMs;
    options.token = "test-token-0123456789";
    options.customers = 200;
    options.shops = 5;
    return options;
}

struct Response {
    int status = 0;
    QNetworkReply::NetworkError error = QNetworkReply::NoError;
    QByteArray body;
    QByteArray header(const QByteArray &name) const { return headers.value(name.toLower()); }
    QHash<QByteArray, QByteArray> headers;
    const QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
};

// Synchronous requests against a SimServer in the same thread: the event
// loop runs while waiting, so the server can respond.
class TestClient {
public:
    explicit TestClient(const SimServer &server)
        : m_server(server)
    {
    }

    QNetworkRequest request(const QString &pathAndQuery, const QByteArray &token) const
    {
        QUrl url = m_server.baseUrl();
        const qsizetype question = pathAndQuery.indexOf(QLatin1Char('?'));
        url.setPath(pathAndQuery.left(question));
        if (question >= 0)
            url.setQuery(pathAndQuery.mid(question + 1));
        QNetworkRequest request(url);
        if (!token.isEmpty())
            request.setRawHeader("Authorization", "Bearer " + token);
        request.setTransferTimeout(m_timeoutMs);
        return request;
    }

    Response send(const QByteArray &method, const QString &path, const QByteArray &body = {},
        const QList<QPair<QByteArray, QByteArray>> &headers = {}, const QByteArray *token = nullptr)
    {
        QNetworkRequest req = request(path, token ? *token : m_server.token());
        for (const auto &header : headers)
            req.setRawHeader(header.first, header.second);
        if (!body.isEmpty())
            req.setHeader(
                QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
        QNetworkReply *reply = m_manager.sendCustomRequest(req, method, body);
        QEventLoop loop;
        QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
        loop.exec();
        Response response;
        response.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        response.error = reply->error();
        if (reply->isOpen())
            response.body = reply->readAll();
        for (const auto &pair : reply->rawHeaderPairs())
            response.headers.insert(pair.first.toLower(), pair.second);
        reply->deleteLater();
        return response;
    }

    Response get(const QString &path) { return send("GET", path); }

    // Pages through /events from `cursor` until has_more is false. Returns the
    // event ids in order and sets `cursor` to the last next_cursor.
    QList<QByteArray> pageAll(QString *cursor, int limit, int *pages = nullptr)
    {
        QList<QByteArray> ids;
        for (int page = 0; page < 100000; ++page) {
            QString path = QStringLiteral("/api/v2/security/events?limit=%1").arg(limit);
            if (!cursor->isEmpty())
                path += QStringLiteral("&after=")
                    + QString::fromLatin1(QUrl::toPercentEncoding(*cursor));
            const Response response = get(path);
            if (response.status != 200)
                return ids;
            const QJsonObject object = response.json();
            for (const QJsonValue &event : object.value(QStringLiteral("events")).toArray())
                ids.append(
                    event[QStringLiteral("event")][QStringLiteral("id")].toString().toLatin1());
            *cursor = object.value(QStringLiteral("next_cursor")).toString();
            if (pages)
                *pages = page + 1;
            if (!object.value(QStringLiteral("has_more")).toBool())
                break;
        }
        return ids;
    }

    void setTimeout(int milliseconds) { m_timeoutMs = milliseconds; }
    QNetworkAccessManager &manager() { return m_manager; }

private:
    const SimServer &m_server;
    QNetworkAccessManager m_manager;
    int m_timeoutMs = 20000;
};

// Every event the server still retains, parsed.
inline QList<QJsonObject> retainedEvents(const SimServer &server)
{
    QList<QJsonObject> events;
    const EventLog &log = server.log();
    for (quint64 sequence = log.firstSequence(); sequence <= log.lastSequence(); ++sequence)
        events.append(QJsonDocument::fromJson(log.at(sequence)->json).object());
    return events;
}

inline QString field(const QJsonObject &event, const QString &dotted)
{
    QJsonValue value = event;
    for (const QString &part : dotted.split(QLatin1Char('.')))
        value = value.toObject().value(part);
    return value.isDouble() ? QString::number(value.toInteger()) : value.toString();
}

} // namespace portcullis::sim::test
