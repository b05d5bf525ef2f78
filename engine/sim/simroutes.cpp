// SPDX-License-Identifier: GPL-3.0-or-later
#include "sim/backendalerts.h"
#include "sim/ecsjson.h"
#include "sim/simlogging.h"
#include "sim/simserver.h"

#include <QJsonDocument>
#include <QRegularExpression>
#include <QTcpSocket>

namespace portcullis::sim {

namespace {

const QString SecurityPrefix = QStringLiteral("/api/v2/security/");
// Compares without an early exit, so the time taken does not tell how many
// leading bytes of a guessed token were right.
bool constantTimeEquals(const QByteArray &a, const QByteArray &b)
{
    const qsizetype length = qMax(a.size(), b.size());
    unsigned char difference = a.size() == b.size() ? 0 : 1;
    for (qsizetype i = 0; i < length; ++i) {
        const unsigned char x = i < a.size() ? uchar(a[i]) : 0;
        const unsigned char y = i < b.size() ? uchar(b[i]) : 0;
        difference |= x ^ y;
    }
    return difference == 0;
}

} // namespace

SimServer::Reply SimServer::jsonReply(int status, const QJsonObject &object)
{
    Reply reply;
    reply.status = status;
    reply.body = QJsonDocument(object).toJson(QJsonDocument::Compact);
    return reply;
}

SimServer::Reply SimServer::error(
    int status, const QString &code, const QString &message, const QJsonObject &details)
{
    QJsonObject body { { QStringLiteral("code"), code }, { QStringLiteral("message"), message } };
    for (auto it = details.begin(); it != details.end(); ++it)
        body.insert(it.key(), it.value());
    return jsonReply(status, QJsonObject { { QStringLiteral("error"), body } });
}

bool SimServer::authorized(const HttpRequest &request) const
{
    const QByteArray header = request.header("Authorization");
    if (!header.startsWith("Bearer "))
        return false;
    return constantTimeEquals(header.mid(7).trimmed(), m_token);
}

void SimServer::handle(const HttpRequest &request, QTcpSocket *socket)
{
    if (!authorized(request)) {
        Reply reply = error(401, QStringLiteral("unauthorized"),
            QStringLiteral("Missing or wrong bearer token: send "
                           "\"Authorization: Bearer TOKEN\" with the server's token"));
        reply.headers.append(
            QPair<QByteArray, QByteArray>("WWW-Authenticate", "Bearer realm=\"portcullis-sim\""));
        reply.faultable = false;
        send(socket, reply);
        return;
    }

    bool streaming = false;
    Reply reply = route(request, socket, &streaming);
    if (!streaming)
        send(socket, reply);
}

SimServer::Reply SimServer::route(const HttpRequest &request, QTcpSocket *socket, bool *streaming)
{
    const QString &path = request.path;
    const bool get = request.method == "GET";
    static const QRegularExpression actionPath(
        QStringLiteral("^/api/v2/security/actions/([A-Za-z0-9_]{1,64})$"));

    if (path == SecurityPrefix + QLatin1String("events/stream")) {
        if (!get)
            return error(405, QStringLiteral("method_not_allowed"), QStringLiteral("use GET"));
        Reply refusal;
        if (m_faultRandom.chance(m_options.faults.serverError))
            return error(503, QStringLiteral("unavailable"), QStringLiteral("injected fault"));
        *streaming = openStream(request, socket, &refusal);
        return refusal;
    }
    if (path == SecurityPrefix + QLatin1String("events"))
        return get ? eventsPage(request)
                   : error(405, QStringLiteral("method_not_allowed"), QStringLiteral("use GET"));
    if (path == SecurityPrefix + QLatin1String("actions")) {
        if (request.method == "POST")
            return postAction(request);
        return get
            ? listActions()
            : error(405, QStringLiteral("method_not_allowed"), QStringLiteral("use GET or POST"));
    }
    const QRegularExpressionMatch match = actionPath.match(path);
    if (match.hasMatch() && get)
        return getAction(match.captured(1));
    if (get && path == SecurityPrefix + QLatin1String("dashboard"))
        return jsonReply(200, m_backendAlerts->dashboard(m_simNowMs));
    if (get && path == SecurityPrefix + QLatin1String("alerts"))
        return jsonReply(200, m_backendAlerts->alerts(request.query));
    if (get && path == SecurityPrefix + QLatin1String("compliance/status"))
        return jsonReply(200, BackendAlerts::complianceStatus(m_simNowMs));

    Reply reply;
    if (get && path == QLatin1String("/api/v2/sim/labels"))
        reply = labelsReply();
    else if (get && path == QLatin1String("/api/v2/sim/stats"))
        reply = statsReply();
    else
        reply = error(404, QStringLiteral("not_found"),
            QStringLiteral("No endpoint %1 %2; see docs/telemetry-api.md")
                .arg(QString::fromLatin1(request.method), path.left(200)));
    reply.faultable = false;
    return reply;
}

void SimServer::send(QTcpSocket *socket, Reply reply)
{
    const FaultOptions &faults = m_options.faults;
    QPointer<QTcpSocket> guarded(socket);
    if (reply.faultable && faults.any()) {
        if (m_faultRandom.chance(faults.drop)) {
            qCDebug(lcSim) << "fault: dropping the connection";
            QMetaObject::invokeMethod(
                socket,
                [guarded] {
                    if (guarded)
                        guarded->abort();
                },
                Qt::QueuedConnection);
            return;
        }
        if (m_faultRandom.chance(faults.serverError)) {
            const bool unavailable = m_faultRandom.chance(0.5);
            reply = error(unavailable ? 503 : 500,
                unavailable ? QStringLiteral("unavailable") : QStringLiteral("internal_error"),
                QStringLiteral("injected fault"));
            if (unavailable)
                reply.headers.append(QPair<QByteArray, QByteArray>("Retry-After", "1"));
        }
        const bool truncate = reply.status == 200 && m_faultRandom.chance(faults.truncate);
        if (m_faultRandom.chance(faults.slow)) {
            QTimer::singleShot(faults.slowMs, this,
                [this, guarded, reply, truncate] { sendNow(guarded, reply, truncate); });
            return;
        }
        sendNow(guarded, reply, truncate);
        return;
    }
    sendNow(guarded, reply, false);
}

void SimServer::sendNow(QPointer<QTcpSocket> socket, const Reply &reply, bool truncate)
{
    if (!socket || socket->state() != QAbstractSocket::ConnectedState)
        return;
    const QByteArray body = truncate ? reply.body.left(reply.body.size() / 2) : reply.body;
    socket->write(http::response(
        reply.status, reply.json ? "application/json" : "text/plain", body, reply.headers));
}

SimServer::Reply SimServer::expiredCursor(const QString &cursor, quint64 sequence) const
{
    const bool sameStream = cursor.startsWith(m_epoch + QLatin1Char('-'));
    const quint64 first = m_log->firstSequence();
    QJsonObject details {
        { QStringLiteral("cursor"), cursor.left(64) },
        { QStringLiteral("oldest_cursor"), m_log->cursor(first - 1) },
    };
    if (const StoredEvent *oldest = m_log->at(first))
        details.insert(QStringLiteral("oldest_timestamp"), isoTime(oldest->timeMs));
    details.insert(QStringLiteral("missing_events"),
        sameStream ? QJsonValue(qint64(first - 1 - sequence)) : QJsonValue(QJsonValue::Null));
    const QString message = sameStream
        ? QStringLiteral(
            "Events after this cursor are past the retention; resume from oldest_cursor "
            "and report the gap")
        : QStringLiteral(
            "The cursor belongs to another stream (the server was restarted with another "
            "seed or start time); resume from oldest_cursor and report the gap");
    return error(410, QStringLiteral("cursor_expired"), message, details);
}

void SimServer::maybeExpire(quint64 afterSequence)
{
    if (!m_faultRandom.chance(m_options.faults.expire) || afterSequence >= m_log->lastSequence())
        return;
    const quint64 through
        = qMin(m_log->lastSequence(), afterSequence + 1 + quint64(m_faultRandom.below(20)));
    // Events up to the cursor were delivered to this client, so the gap for this
    // client starts right after its cursor.
    if (m_log->dropThrough(through) > 0) {
        m_expiredRanges.append({ afterSequence + 1, through });
        qCDebug(lcSim) << "fault: expired sequences" << afterSequence + 1 << "to" << through;
    }
}

SimServer::Reply SimServer::eventsPage(const HttpRequest &request)
{
    const QString cursor
        = request.query.queryItemValue(QStringLiteral("after"), QUrl::FullyDecoded);
    const QString limitText = request.query.queryItemValue(QStringLiteral("limit"));
    int limit = m_options.defaultPageSize;
    if (!limitText.isEmpty()) {
        bool ok = false;
        limit = limitText.toInt(&ok);
        if (!ok || limit < 1)
            return error(400, QStringLiteral("invalid_limit"),
                QStringLiteral("limit \"%1\" must be a whole number from 1 to %2")
                    .arg(limitText.left(20))
                    .arg(m_options.maxPageSize));
    }
    limit = qMin(limit, m_options.maxPageSize);

    quint64 after = 0;
    EventLog::CursorState state = m_log->parseCursor(cursor, &after);
    if (state == EventLog::CursorState::Valid && !cursor.isEmpty()) {
        maybeExpire(after);
        state = m_log->parseCursor(cursor, &after);
    }
    if (state == EventLog::CursorState::Invalid)
        return error(400, QStringLiteral("invalid_cursor"),
            QStringLiteral("after \"%1\" is not a cursor of this server; omit it to start "
                           "from the oldest event")
                .arg(cursor.left(64)));
    if (state == EventLog::CursorState::Expired)
        return expiredCursor(cursor, after);

    // The duplicate fault repeats up to 5 events from before the cursor ahead
    // of the page's `limit` new ones.
    quint64 start = after + 1;
    if (start > m_log->firstSequence() && m_faultRandom.chance(m_options.faults.duplicate))
        start = qMax(m_log->firstSequence(), after - quint64(m_faultRandom.below(5)));
    QByteArray body = "{\"events\":[";
    quint64 last = after;
    int count = 0;
    for (quint64 sequence = start; sequence <= m_log->lastSequence() && count < limit; ++sequence) {
        if (sequence != start)
            body += ',';
        body += m_log->at(sequence)->json;
        last = qMax(last, sequence);
        if (sequence > after)
            ++count;
    }
    body += "],\"next_cursor\":\"" + m_log->cursor(last).toLatin1() + "\",\"has_more\":";
    body += last < m_log->lastSequence() ? "true" : "false";
    body += ",\"server_time\":\"" + isoTime(m_simNowMs).toLatin1() + "\"}";

    Reply reply;
    reply.body = body;
    return reply;
}

} // namespace portcullis::sim
