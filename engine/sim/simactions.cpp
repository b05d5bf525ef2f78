// SPDX-License-Identifier: GPL-3.0-or-later
#include "sim/ecsjson.h"
#include "sim/simlogging.h"
#include "sim/simserver.h"

#include <QDateTime>
#include <QJsonDocument>

namespace portcullis::sim {

namespace {

constexpr qsizetype MaxActionBodyBytes = 64 * 1024;
// How long start_backup and isolate_host stay in_progress, in real milliseconds.
constexpr int SlowActionMs = 2000;

bool validIdempotencyKey(const QByteArray &key)
{
    if (key.isEmpty() || key.size() > 255)
        return false;
    for (char c : key) {
        if (c < 0x21 || c > 0x7e)
            return false;
    }
    return true;
}

} // namespace

SimServer::Reply SimServer::postAction(const HttpRequest &request)
{
    const QByteArray key = request.header("Idempotency-Key").trimmed();
    if (!validIdempotencyKey(key))
        return error(400, QStringLiteral("missing_idempotency_key"),
            QStringLiteral("Send an Idempotency-Key header of 1 to 255 visible ASCII "
                           "characters, unique per intended action"));
    if (request.body.size() > MaxActionBodyBytes)
        return error(413, QStringLiteral("body_too_large"),
            QStringLiteral("The action body is over %1 bytes").arg(MaxActionBodyBytes));
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(request.body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject())
        return error(400, QStringLiteral("invalid_json"),
            QStringLiteral("The body is not a JSON object: %1 at offset %2")
                .arg(parseError.errorString())
                .arg(parseError.offset));

    const SimAction *action = nullptr;
    QString message;
    const auto outcome = m_actions.submit(
        QString::fromLatin1(key), document.object(), m_simNowMs, &action, &message);
    switch (outcome) {
    case ActionRegistry::Outcome::Invalid:
        return error(422, QStringLiteral("invalid_action"), message);
    case ActionRegistry::Outcome::KeyConflict:
        return error(422, QStringLiteral("idempotency_key_reused"), message,
            QJsonObject { { QStringLiteral("action_id"), action->id } });
    case ActionRegistry::Outcome::Replayed: {
        Reply reply = jsonReply(200, action->toJson());
        reply.headers.append(QPair<QByteArray, QByteArray>("Idempotent-Replayed", "true"));
        return reply;
    }
    case ActionRegistry::Outcome::Created:
        break;
    }

    qCInfo(lcSim).noquote() << "action" << action->id << action->type << action->target;
    if (action->status == QLatin1String("in_progress")) {
        const QString id = action->id;
        QTimer::singleShot(SlowActionMs, this,
            [this, id] { m_actions.markCompleted(id, QDateTime::currentMSecsSinceEpoch()); });
    }
    Reply reply = jsonReply(201, action->toJson());
    reply.headers.append(QPair<QByteArray, QByteArray>(
        "Location", "/api/v2/security/actions/" + action->id.toLatin1()));
    return reply;
}

SimServer::Reply SimServer::getAction(const QString &id) const
{
    const SimAction *action = m_actions.find(id);
    if (!action)
        return error(404, QStringLiteral("action_not_found"),
            QStringLiteral("No action %1; list them with GET /api/v2/security/actions").arg(id));
    return jsonReply(200, action->toJson());
}

SimServer::Reply SimServer::listActions() const
{
    QJsonArray list;
    for (const SimAction &action : m_actions.actions())
        list.append(action.toJson());
    return jsonReply(200, QJsonObject { { QStringLiteral("actions"), list } });
}

SimServer::Reply SimServer::labelsReply() const
{
    QJsonArray list;
    for (const AttackLabel &label : m_generator->labels()) {
        QJsonObject item {
            { QStringLiteral("id"), label.id },
            { QStringLiteral("scenario"), label.scenario },
            { QStringLiteral("description"), label.description },
            { QStringLiteral("scheduled_at"), isoTime(label.scheduledMs) },
            { QStringLiteral("entities"), label.entities },
            { QStringLiteral("event_ids"), QJsonArray::fromStringList(label.eventIds) },
        };
        item.insert(QStringLiteral("start"),
            label.firstEventMs > 0 ? QJsonValue(isoTime(label.firstEventMs))
                                   : QJsonValue(QJsonValue::Null));
        item.insert(QStringLiteral("end"),
            label.lastEventMs > 0 ? QJsonValue(isoTime(label.lastEventMs))
                                  : QJsonValue(QJsonValue::Null));
        list.append(item);
    }
    return jsonReply(200, QJsonObject { { QStringLiteral("labels"), list } });
}

SimServer::Reply SimServer::statsReply() const
{
    QJsonArray expired;
    for (const auto &range : m_expiredRanges)
        expired.append(
            QJsonObject { { QStringLiteral("from_cursor"), m_log->cursor(range.first - 1) },
                { QStringLiteral("through_cursor"), m_log->cursor(range.second) },
                { QStringLiteral("count"), qint64(range.second - range.first + 1) } });
    return jsonReply(200,
        QJsonObject {
            { QStringLiteral("epoch"), m_epoch },
            { QStringLiteral("emitted"), qint64(m_emittedIds.size()) },
            { QStringLiteral("retained"), m_log->retainedCount() },
            { QStringLiteral("oldest_cursor"), m_log->cursor(m_log->firstSequence() - 1) },
            { QStringLiteral("head_cursor"), m_log->cursor(m_log->lastSequence()) },
            { QStringLiteral("simulated_time"), isoTime(m_simNowMs) },
            { QStringLiteral("speed"), m_options.speed },
            { QStringLiteral("expired_by_fault"), expired },
            { QStringLiteral("stream_subscribers"), qint64(m_subscribers.size()) },
        });
}

} // namespace portcullis::sim
