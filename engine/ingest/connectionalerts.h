// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QSslConfiguration>

#include <functional>

#include "ingest/backendclient.h"

class QNetworkAccessManager;
class QNetworkReply;

namespace portcullis {

// Pulls the alerts a backend raised itself (GET /api/v2/security/alerts,
// docs/telemetry-api.md) and hands them to the handler, oldest first. Asks
// with `since` set to the newest creation time already handed over, and pages
// on while a response is full.
class BackendAlertFetcher : public QObject {
    Q_OBJECT

public:
    using Handler = std::function<bool(const QList<QJsonObject> &, QString *)>;
    static constexpr int PageLimit = 1000;

    BackendAlertFetcher(const BackendSettings &settings, QNetworkAccessManager *network,
        QObject *parent = nullptr);
    ~BackendAlertFetcher() override;

    void setHandler(Handler handler) { m_handler = std::move(handler); }
    void setTlsConfiguration(const QSslConfiguration &configuration) { m_tls = configuration; }
    // RFC 3339 creation time of the newest alert already stored; empty: all.
    void setSince(const QString &since) { m_since = since; }
    QString since() const { return m_since; }

    // Starts a fetch unless one is running.
    void fetch();
    void cancel();
    bool isFetching() const { return !m_reply.isNull(); }

Q_SIGNALS:
    // A fetch ended; `delivered` alerts went to the handler.
    void fetched(int delivered);
    // A fetch failed. `fatal` (401, TLS, handler) means retrying will not help.
    void failed(const QString &reason, bool fatal);

private:
    void onFinished(QNetworkReply *reply);
    bool deliver(const QJsonArray &alerts, QString *newest, QString *message);

    BackendSettings m_settings;
    QNetworkAccessManager *m_network;
    QSslConfiguration m_tls;
    Handler m_handler;
    QPointer<QNetworkReply> m_reply;
    QString m_since;
    int m_delivered = 0;
};

} // namespace portcullis
