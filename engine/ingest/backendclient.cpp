// SPDX-License-Identifier: GPL-3.0-or-later
#include "ingest/backendclient.h"

#include "core/logging.h"
#include "ingest/connectionalerts.h"
#include "ingest/connectiontls.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDateTime>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QUrlQuery>

#include <algorithm>

namespace portcullis {

namespace {

constexpr char Context[] = "BackendClient";
constexpr char EventsPath[] = "/api/v2/security/events";
constexpr char StreamPath[] = "/api/v2/security/events/stream";
// The stream sends a keep-alive comment every 15 seconds, so three missed
// ones mean the connection is dead.
constexpr int StreamIdleTimeoutMs = 45000;
constexpr qsizetype MaxFrameBytes = 1024 * 1024;

QString tr(const char *text)
{
    return QCoreApplication::translate(Context, text);
}

qint64 parseTime(const QString &text)
{
    const QDateTime time = QDateTime::fromString(text, Qt::ISODateWithMs);
    return time.isValid() ? time.toMSecsSinceEpoch() : 0;
}

bool isLoopback(const QString &host)
{
    const QHostAddress address(host);
    return !address.isNull() && address.isLoopback();
}

} // namespace

bool BackendState::operator==(const BackendState &other) const
{
    return kind == other.kind && lagSeconds == other.lagSeconds && reason == other.reason
        && streaming == other.streaming;
}

QString stateText(const BackendState &state)
{
    switch (state.kind) {
    case BackendState::Connecting:
        return state.reason.isEmpty() ? tr("connecting")
                                      : tr("connecting (retrying: %1)").arg(state.reason);
    case BackendState::Connected:
        return state.streaming ? tr("connected (stream)") : tr("connected (polling)");
    case BackendState::Lagging:
        return tr("lagging %1 seconds").arg(state.lagSeconds);
    case BackendState::Error:
        return tr("error: %1").arg(state.reason);
    case BackendState::Stopped:
        return tr("stopped");
    }
    return QString();
}

BackendClient::BackendClient(const BackendSettings &settings, QObject *parent)
    : QObject(parent)
    , m_settings(settings)
    , m_network(new QNetworkAccessManager(this))
    , m_random(QRandomGenerator::securelySeeded())
{
    qRegisterMetaType<BackendState>();
    m_network->setAutoDeleteReplies(false);
    m_alerts = new BackendAlertFetcher(m_settings, m_network, this);
    connect(m_alerts, &BackendAlertFetcher::fetched, this, &BackendClient::backendAlertsPulled);
    connect(m_alerts, &BackendAlertFetcher::failed, this, [this](const QString &why, bool fatal) {
        if (fatal) {
            fail(why);
            return;
        }
        qCInfo(lcIngest) << m_settings.name << "pulling the backend's alerts failed:" << why;
    });
    connect(&m_alertsTimer, &QTimer::timeout, m_alerts, &BackendAlertFetcher::fetch);
    m_retryTimer.setSingleShot(true);
    m_timeoutTimer.setSingleShot(true);
    m_batchTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, [this] {
        if (m_settings.useStream && !m_streamFailed && !m_pollNext)
            openStream();
        else
            poll();
    });
    connect(&m_timeoutTimer, &QTimer::timeout, this, [this] {
        if (m_reply)
            m_reply->abort();
    });
    connect(&m_batchTimer, &QTimer::timeout, this, &BackendClient::flushStreamBatch);
    connect(&m_silenceTimer, &QTimer::timeout, this, [this] {
        // A backend never reached is a connection error, not a silent backend.
        if (m_reached || m_reachedBefore)
            Q_EMIT silenceDetected(m_sinceEvent.elapsed());
    });
}

void BackendClient::setAlertsHandler(AlertsHandler handler)
{
    m_alerts->setHandler(std::move(handler));
}

void BackendClient::setBackendAlertsSince(const QString &since)
{
    m_alerts->setSince(since);
}

BackendClient::~BackendClient()
{
    stop();
}

QString BackendClient::validateSettings(const BackendSettings &settings)
{
    const QUrl &url = settings.baseUrl;
    if (!url.isValid() || url.host().isEmpty())
        return tr("The backend URL \"%1\" is not valid; write it as https://HOST[:PORT].")
            .arg(url.toString());
    if (url.scheme() == QLatin1String("http") && !isLoopback(url.host()))
        return tr("The backend URL %1 uses plain http, which is allowed only for 127.0.0.1 and "
                  "::1; use https.")
            .arg(url.toString());
    if (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https"))
        return tr("The backend URL %1 has the scheme \"%2\"; use https.")
            .arg(url.toString(), url.scheme());
    if (!settings.caFile.isEmpty() && url.scheme() != QLatin1String("https"))
        return tr("A CA file is set for %1, whose URL %2 is not https.")
            .arg(settings.name, url.toString());
    if (settings.token.isEmpty())
        return tr("No API token is set for the backend %1.").arg(settings.name);
    for (const QByteArray &pin : settings.pinnedKeys) {
        if (pin.size() != 32)
            return tr("A pinned key of %1 is %2 bytes long; a SHA-256 digest has 32.")
                .arg(settings.name)
                .arg(pin.size());
    }
    return QString();
}

void BackendClient::start(const QString &cursor)
{
    m_cursor = cursor;
    m_running = true;
    m_attempts = 0;
    m_sinceEvent.start();
    if (m_settings.silenceMs > 0)
        m_silenceTimer.start(int(std::min<qint64>(m_settings.silenceMs, INT_MAX)));
    QString invalid = validateSettings(m_settings);
    if (invalid.isEmpty() && tlsConfiguration(m_settings, &m_tls, &invalid))
        m_alerts->setTlsConfiguration(m_tls);
    if (!invalid.isEmpty()) {
        fail(invalid);
        return;
    }
    setState(BackendState::Connecting);
    // A stream without a cursor starts at the next event logged, so the first
    // run polls from the oldest retained event and streams once caught up.
    m_pollNext = m_cursor.isEmpty();
    if (m_settings.useStream && !m_streamFailed && !m_pollNext)
        openStream();
    else
        poll();
}

void BackendClient::stop()
{
    m_running = false;
    m_retryTimer.stop();
    m_timeoutTimer.stop();
    m_silenceTimer.stop();
    m_batchTimer.stop();
    m_alertsTimer.stop();
    m_alerts->cancel();
    if (m_reply) {
        QNetworkReply *reply = m_reply;
        m_reply = nullptr;
        reply->disconnect(this);
        reply->abort();
        reply->deleteLater();
    }
    m_streamBatch = EventPage();
    if (m_state.kind != BackendState::Error)
        setState(BackendState::Stopped);
}

QNetworkReply *BackendClient::get(const QUrl &url, bool stream)
{
    QNetworkRequest request(url);
    request.setRawHeader("Authorization", "Bearer " + m_settings.token);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
        QNetworkRequest::ManualRedirectPolicy);
    if (stream) {
        request.setRawHeader("Accept", "text/event-stream");
        if (!m_cursor.isEmpty())
            request.setRawHeader("Last-Event-ID", m_cursor.toUtf8());
    } else {
        request.setRawHeader("Accept", "application/json");
    }
    if (url.scheme() == QLatin1String("https"))
        request.setSslConfiguration(m_tls);
    QNetworkReply *reply = m_network->get(request);
    m_reply = reply;
    guardTls(reply, m_settings, this, [this, reply](const QString &reason) {
        if (m_reply == reply)
            m_reply = nullptr;
        reply->deleteLater();
        fail(reason);
    });
    armTimeout(reply);
    return reply;
}

void BackendClient::armTimeout(QNetworkReply *reply)
{
    const bool stream = reply->request().rawHeader("Accept") == "text/event-stream";
    m_timeoutTimer.start(stream ? std::max(m_settings.requestTimeoutMs, StreamIdleTimeoutMs)
                                : m_settings.requestTimeoutMs);
}

void BackendClient::poll()
{
    if (!m_running)
        return;
    QUrl url = m_settings.baseUrl;
    url.setPath(QLatin1String(EventsPath));
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("after"), m_cursor);
    query.addQueryItem(QStringLiteral("limit"), QString::number(m_settings.pageSize));
    url.setQuery(query);
    QNetworkReply *reply = get(url, false);
    connect(reply, &QNetworkReply::downloadProgress, this, [this, reply](qint64 received, qint64) {
        if (received > m_settings.maxResponseBytes)
            reply->abort();
    });
    connect(reply, &QNetworkReply::finished, this, [this, reply] { onPollFinished(reply); });
}

void BackendClient::onPollFinished(QNetworkReply *reply)
{
    reply->deleteLater();
    if (reply != m_reply)
        return;
    m_reply = nullptr;
    m_timeoutTimer.stop();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QByteArray body = reply->readAll();
    if (body.size() > m_settings.maxResponseBytes) {
        retryLater(tr("the response is over %1 bytes").arg(m_settings.maxResponseBytes));
        return;
    }
    if (status == 0) {
        retryLater(reply->errorString());
        return;
    }
    if (status != 200) {
        if (!handleErrorReply(status, body))
            return;
        retryLater(tr("HTTP %1").arg(status),
            reply->rawHeader("Retry-After").toInt() * 1000);
        return;
    }

    QJsonParseError error;
    const QJsonObject object = QJsonDocument::fromJson(body, &error).object();
    const QJsonValue events = object.value(QLatin1String("events"));
    if (error.error != QJsonParseError::NoError || !events.isArray()
        || !object.value(QLatin1String("next_cursor")).isString()) {
        retryLater(tr("the response is not a valid events page (%1)").arg(error.errorString()));
        return;
    }

    EventPage page;
    page.nextCursor = object.value(QLatin1String("next_cursor")).toString();
    page.serverTimeMs = parseTime(object.value(QLatin1String("server_time")).toString());
    for (const QJsonValue value : events.toArray()) {
        // A non-object element is passed on as text so that it is quarantined.
        page.events.append(value.isObject()
                ? QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact)
                : QJsonDocument(QJsonArray { value }).toJson(QJsonDocument::Compact));
        if (value.isObject()) {
            const qint64 time = parseTime(value[QLatin1String("@timestamp")].toString());
            m_newestEventMs = std::max(m_newestEventMs, time);
        }
    }
    m_attempts = 0;
    if (!deliver(page))
        return;
    const bool more = object.value(QLatin1String("has_more")).toBool();
    if (more)
        updateLag(page.serverTimeMs);
    else
        setState(BackendState::Connected);  // caught up: no lag


    if (m_settings.useStream && !m_streamFailed && !more) {
        m_pollNext = false;
        openStream();  // caught up: follow the stream again
        return;
    }
    m_retryTimer.start(more ? 0 : m_settings.pollIntervalMs);
}

// Handles a non-200 reply. Returns true when the request is to be retried.
bool BackendClient::handleErrorReply(int status, const QByteArray &body)
{
    const QJsonObject error = QJsonDocument::fromJson(body).object().value("error").toObject();
    const QString code = error.value(QLatin1String("code")).toString();
    if (status == 401) {
        fail(tr("the backend rejected the API token (401). Set a valid token for %1.")
                 .arg(m_settings.name));
        return false;
    }
    if (status == 410 && code == QLatin1String("cursor_expired")) {
        TelemetryGap gap;
        gap.cursor = m_cursor;
        gap.oldestCursor = error.value(QLatin1String("oldest_cursor")).toString();
        const QJsonValue oldestTime = error.value(QLatin1String("oldest_timestamp"));
        gap.oldestTimestampMs = parseTime(oldestTime.toString());
        const QJsonValue missing = error.value(QLatin1String("missing_events"));
        gap.missingEvents = missing.isDouble() ? qint64(missing.toDouble()) : -1;
        qCWarning(lcIngest) << m_settings.name << "cursor" << m_cursor << "expired; resuming from"
                            << gap.oldestCursor;
        QString message;
        if (m_gapHandler && !m_gapHandler(gap, &message)) {
            fail(tr("recording the telemetry gap failed: %1").arg(message));
            return false;
        }
        m_cursor = gap.oldestCursor;
        m_attempts = 0;
        m_retryTimer.start(0);
        return false;
    }
    if (status == 400 || status == 404 || status == 405) {
        fail(tr("the backend rejected the request with %1 %2: %3")
                 .arg(status)
                 .arg(code, error.value(QLatin1String("message")).toString()));
        return false;
    }
    return true;
}

void BackendClient::openStream()
{
    if (!m_running)
        return;
    QUrl url = m_settings.baseUrl;
    url.setPath(QLatin1String(StreamPath));
    m_streamBuffer.clear();
    m_frameId.clear();
    m_frameData.clear();
    QNetworkReply *reply = get(url, true);
    connect(reply, &QNetworkReply::readyRead, this, &BackendClient::onStreamData);
    connect(reply, &QNetworkReply::finished, this, &BackendClient::onStreamFinished);
}

void BackendClient::onStreamData()
{
    QNetworkReply *reply = m_reply;
    if (!reply)
        return;
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status != 200)
        return;  // the error body is read when the reply finishes
    armTimeout(reply);
    if (m_state.kind != BackendState::Connected || !m_streaming) {
        m_streaming = true;
        m_attempts = 0;
        setState(BackendState::Connected);
    }
    m_streamBuffer += reply->readAll();
    qsizetype start = 0;
    while (true) {
        const qsizetype end = m_streamBuffer.indexOf('\n', start);
        if (end < 0)
            break;
        QByteArray line = m_streamBuffer.mid(start, end - start);
        if (line.endsWith('\r'))
            line.chop(1);
        start = end + 1;
        handleFrame(line);
        if (!m_running || m_reply != reply)
            return;
    }
    m_streamBuffer.remove(0, start);
    if (m_streamBuffer.size() > MaxFrameBytes) {
        reply->abort();  // finished() retries from the last committed cursor
    }
}

// Handles one line of the stream; an empty line ends a frame.
void BackendClient::handleFrame(const QByteArray &line)
{
    if (line.isEmpty()) {
        if (!m_frameData.isEmpty()) {
            m_streamBatch.events.append(m_frameData);
            m_streamBatch.nextCursor = QString::fromUtf8(m_frameId);
            if (m_streamBatch.events.size() >= m_settings.streamBatchEvents)
                flushStreamBatch();
            else if (!m_batchTimer.isActive())
                m_batchTimer.start(m_settings.streamBatchMs);
        }
        m_frameData.clear();
        return;
    }
    if (line.startsWith(':'))
        return;  // keep-alive comment
    if (line.startsWith("id:"))
        m_frameId = line.mid(3).trimmed();
    else if (line.startsWith("data:"))
        m_frameData += line.mid(line.startsWith("data: ") ? 6 : 5);
}

void BackendClient::flushStreamBatch()
{
    m_batchTimer.stop();
    if (m_streamBatch.events.isEmpty())
        return;
    EventPage page = std::move(m_streamBatch);
    m_streamBatch = EventPage();
    if (deliver(page))
        setState(BackendState::Connected);
}

void BackendClient::onStreamFinished()
{
    QNetworkReply *reply = qobject_cast<QNetworkReply *>(sender());
    if (!reply)
        return;
    reply->deleteLater();
    if (reply != m_reply)
        return;
    m_reply = nullptr;
    m_timeoutTimer.stop();
    // Frames of an unfinished batch were received completely, so commit them.
    flushStreamBatch();
    if (!m_running)
        return;
    m_streaming = false;
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status == 200 || status == 0) {
        retryLater(status == 0 ? reply->errorString() : tr("the stream ended"),
            m_settings.streamRetryMs);
        return;
    }
    const QByteArray body = reply->readAll();
    if (!handleErrorReply(status, body))
        return;
    if (status == 404 || status == 406 || status == 501)
        m_streamFailed = true;  // no stream on this backend: poll
    m_pollNext = true;          // poll until caught up, then try the stream again
    qCInfo(lcIngest) << m_settings.name << "stream refused with" << status << "; polling";
    retryLater(tr("HTTP %1 on the stream").arg(status),
        reply->rawHeader("Retry-After").toInt() * 1000);
}

bool BackendClient::deliver(const EventPage &page)
{
    QString message;
    if (m_pageHandler && !m_pageHandler(page, &message)) {
        fail(tr("storing events failed: %1").arg(message));
        return false;
    }
    if (!page.nextCursor.isEmpty())
        m_cursor = page.nextCursor;
    if (!page.events.isEmpty()) {
        m_sinceEvent.restart();
        if (m_silenceTimer.isActive())
            m_silenceTimer.start();
    }
    return true;
}

void BackendClient::retryLater(const QString &reason, int retryAfterMs)
{
    if (!m_running)
        return;
    ++m_attempts;
    if (m_attempts > m_settings.maxRetries) {
        fail(tr("%1 attempts failed, the last with: %2").arg(m_attempts).arg(reason));
        return;
    }
    // Full jitter: a random delay up to the exponential bound.
    const int exponent = std::min(m_attempts - 1, 16);
    const qint64 bound = std::min<qint64>(qint64(m_settings.backoffBaseMs) << exponent,
        m_settings.backoffMaxMs);
    const int delay = std::max<int>(retryAfterMs, int(m_random.bounded(bound + 1)));
    qCInfo(lcIngest) << m_settings.name << "attempt" << m_attempts << "failed:" << reason
                     << "; retrying in" << delay << "ms";
    m_streaming = false;
    setState(BackendState::Connecting, reason);
    m_retryTimer.start(delay);
}

void BackendClient::fail(const QString &reason)
{
    qCWarning(lcIngest) << m_settings.name << "stopped:" << reason;
    m_running = false;
    m_retryTimer.stop();
    m_timeoutTimer.stop();
    m_batchTimer.stop();
    m_alertsTimer.stop();
    m_alerts->cancel();
    m_streaming = false;
    setState(BackendState::Error, reason);
}

void BackendClient::updateLag(qint64 serverTimeMs)
{
    if (serverTimeMs <= 0 || m_newestEventMs <= 0)
        return;
    const qint64 lagMs = std::max<qint64>(0, serverTimeMs - m_newestEventMs);
    if (lagMs <= m_settings.lagThresholdMs) {
        setState(BackendState::Connected);
        return;
    }
    BackendState next = m_state;
    next.kind = BackendState::Lagging;
    next.lagSeconds = lagMs / 1000;
    next.streaming = m_streaming;
    next.reason.clear();
    if (next == m_state)
        return;
    if (m_state.kind != BackendState::Connected && m_state.kind != BackendState::Lagging)
        onConnected();
    m_state = next;
    Q_EMIT stateChanged(m_state);
}

// The backend responded after a start or a failed attempt, so pull its alerts.
void BackendClient::onConnected()
{
    if (!m_reached) {
        m_reached = true;
        Q_EMIT firstResponse();
    }
    if (!m_settings.importBackendAlerts)
        return;
    m_alerts->fetch();
    if (m_settings.alertsIntervalMs > 0 && !m_alertsTimer.isActive())
        m_alertsTimer.start(m_settings.alertsIntervalMs);
}

void BackendClient::setState(BackendState::Kind kind, const QString &reason)
{
    const bool wasUp = m_state.kind == BackendState::Connected
        || m_state.kind == BackendState::Lagging;
    if (!wasUp && (kind == BackendState::Connected || kind == BackendState::Lagging))
        onConnected();
    BackendState next = m_state;
    next.kind = kind;
    next.reason = reason;
    next.streaming = m_streaming;
    if (kind != BackendState::Lagging)
        next.lagSeconds = 0;
    if (next == m_state)
        return;
    m_state = next;
    Q_EMIT stateChanged(m_state);
}

} // namespace portcullis
