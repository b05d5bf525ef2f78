// SPDX-License-Identifier: GPL-3.0-or-later
#include "ingest/connectionalerts.h"

#include "core/logging.h"
#include "ingest/connectiontls.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QUrlQuery>

namespace portcullis {

namespace {

constexpr char AlertsPath[] = "/api/v2/security/alerts";

} // namespace

BackendAlertFetcher::BackendAlertFetcher(
    const BackendSettings &settings, QNetworkAccessManager *network, QObject *parent)
    : QObject(parent)
    , m_settings(settings)
    , m_network(network)
    , m_tls(QSslConfiguration::defaultConfiguration())
{
}

BackendAlertFetcher::~BackendAlertFetcher()
{
    cancel();
}

void BackendAlertFetcher::cancel()
{
    if (!m_reply)
        return;
    QNetworkReply *reply = m_reply;
    m_reply = nullptr;
    reply->disconnect(this);
    reply->abort();
    reply->deleteLater();
}

void BackendAlertFetcher::fetch()
{
    if (m_reply)
        return;
    QUrl url = m_settings.baseUrl;
    url.setPath(QLatin1String(AlertsPath));
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("limit"), QString::number(PageLimit));
    if (!m_since.isEmpty())
        query.addQueryItem(QStringLiteral("since"), m_since);
    url.setQuery(query);
    QNetworkRequest request(url);
    request.setRawHeader("Authorization", "Bearer " + m_settings.token);
    request.setRawHeader("Accept", "application/json");
    request.setAttribute(
        QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    request.setTransferTimeout(m_settings.requestTimeoutMs);
    if (url.scheme() == QLatin1String("https"))
        request.setSslConfiguration(m_tls);
    QNetworkReply *reply = m_network->get(request);
    m_reply = reply;
    guardTls(reply, m_settings, this, [this, reply](const QString &reason) {
        m_reply = nullptr;
        reply->deleteLater();
        Q_EMIT failed(reason, true);
    });
    connect(reply, &QNetworkReply::downloadProgress, this, [this, reply](qint64 received, qint64) {
        if (received > m_settings.maxResponseBytes)
            reply->abort();
    });
    connect(reply, &QNetworkReply::finished, this, [this, reply] { onFinished(reply); });
}

void BackendAlertFetcher::onFinished(QNetworkReply *reply)
{
    reply->deleteLater();
    if (reply != m_reply)
        return;
    m_reply = nullptr;
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status != 200) {
        const QString reason = status == 0
            ? reply->errorString()
            : tr("GET %1 answered HTTP %2").arg(QLatin1String(AlertsPath)).arg(status);
        Q_EMIT failed(reason, status == 401);
        return;
    }
    QJsonParseError parseError;
    const QJsonObject object = QJsonDocument::fromJson(reply->readAll(), &parseError).object();
    const QJsonValue alerts = object.value(QLatin1String("alerts"));
    if (parseError.error != QJsonParseError::NoError || !alerts.isArray()) {
        Q_EMIT failed(tr("the response of %1 is not an alerts list (%2)")
                          .arg(QLatin1String(AlertsPath), parseError.errorString()),
            false);
        return;
    }
    QString newest;
    QString message;
    if (!deliver(alerts.toArray(), &newest, &message)) {
        Q_EMIT failed(tr("storing the backend's alerts failed: %1").arg(message), true);
        return;
    }
    // A full page may have more after it; `since` is inclusive, so page on
    // only when the newest creation time moved.
    if (alerts.toArray().size() >= PageLimit && !newest.isEmpty() && newest != m_since) {
        m_since = newest;
        fetch();
        return;
    }
    if (!newest.isEmpty())
        m_since = newest;
    const int delivered = m_delivered;
    m_delivered = 0;
    Q_EMIT fetched(delivered);
}

bool BackendAlertFetcher::deliver(const QJsonArray &alerts, QString *newest, QString *message)
{
    QList<QJsonObject> objects;
    QDateTime newestTime;
    for (const QJsonValue value : alerts) {
        if (!value.isObject())
            continue;
        objects.append(value.toObject());
        const QString created = objects.last().value(QLatin1String("created_at")).toString();
        const QDateTime time = QDateTime::fromString(created.left(40), Qt::ISODateWithMs);
        if (time.isValid() && (!newestTime.isValid() || time > newestTime)) {
            newestTime = time;
            *newest = created;
        }
    }
    if (m_handler && !objects.isEmpty() && !m_handler(objects, message)) {
        qCWarning(lcIngest) << m_settings.name << "storing backend alerts failed:" << *message;
        return false;
    }
    m_delivered += int(objects.size());
    return true;
}

} // namespace portcullis
