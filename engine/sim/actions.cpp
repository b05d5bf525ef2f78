// SPDX-License-Identifier: GPL-3.0-or-later
#include "sim/actions.h"

#include "sim/ecsjson.h"

#include <QDateTime>
#include <QHostAddress>

namespace portcullis::sim {

namespace {

bool targetsAddress(const QString &type)
{
    return type == QLatin1String("block_ip") || type == QLatin1String("unblock_ip")
        || type == QLatin1String("rate_limit");
}

bool targetsAccount(const QString &type)
{
    return type == QLatin1String("suspend_account") || type == QLatin1String("reinstate_account")
        || type == QLatin1String("enforce_mfa");
}

QString canonicalAddress(const QString &text)
{
    QHostAddress address;
    if (!address.setAddress(text))
        return QString();
    return address.toString();
}

} // namespace

QJsonObject SimAction::toJson() const
{
    QJsonObject json {
        { QStringLiteral("id"), id },
        { QStringLiteral("type"), type },
        { QStringLiteral("target"), target },
        { QStringLiteral("reason"), reason },
        { QStringLiteral("parameters"), parameters },
        { QStringLiteral("status"), status },
        { QStringLiteral("idempotency_key"), idempotencyKey },
        { QStringLiteral("received_at"), isoTime(receivedMs) },
        { QStringLiteral("effective_at"), isoTime(effectiveSimMs) },
    };
    json.insert(QStringLiteral("completed_at"),
        completedMs > 0 ? QJsonValue(isoTime(completedMs)) : QJsonValue(QJsonValue::Null));
    json.insert(QStringLiteral("expires_at"),
        expiresSimMs > 0 ? QJsonValue(isoTime(expiresSimMs)) : QJsonValue(QJsonValue::Null));
    return json;
}

QStringList ActionRegistry::actionTypes()
{
    return { QStringLiteral("block_ip"), QStringLiteral("unblock_ip"),
        QStringLiteral("suspend_account"), QStringLiteral("reinstate_account"),
        QStringLiteral("enforce_mfa"), QStringLiteral("rate_limit"),
        QStringLiteral("notify_admins"), QStringLiteral("escalate"), QStringLiteral("isolate_host"),
        QStringLiteral("start_backup") };
}

QString ActionRegistry::validate(const QJsonObject &body) const
{
    const QString type = body.value(QStringLiteral("type")).toString();
    const QString target = body.value(QStringLiteral("target")).toString();
    if (!actionTypes().contains(type))
        return QStringLiteral("type \"%1\" is not one of: %2")
            .arg(type.left(64), actionTypes().join(QStringLiteral(", ")));
    if (target.isEmpty() || target.size() > 256)
        return QStringLiteral("target is missing or longer than 256 characters");
    if (!body.value(QStringLiteral("reason")).isString()
        || body.value(QStringLiteral("reason")).toString().isEmpty())
        return QStringLiteral("reason is missing: say why the action is taken");
    if (body.contains(QStringLiteral("parameters"))
        && !body.value(QStringLiteral("parameters")).isObject())
        return QStringLiteral("parameters must be a JSON object");
    if (targetsAddress(type) && canonicalAddress(target).isEmpty())
        return QStringLiteral("target \"%1\" is not an IPv4 or IPv6 address").arg(target.left(64));
    if (targetsAccount(type) && !m_knownUsers.contains(target))
        return QStringLiteral("target \"%1\" names no account (use a user.id or user.name)")
            .arg(target.left(64));
    return QString();
}

ActionRegistry::Outcome ActionRegistry::submit(const QString &idempotencyKey,
    const QJsonObject &body, qint64 simNowMs, const SimAction **action, QString *error)
{
    const auto known = m_byKey.constFind(idempotencyKey);
    if (known != m_byKey.constEnd()) {
        *action = &m_actions[*known];
        if (m_actions[*known].requestBody != body) {
            *error = QStringLiteral("Idempotency-Key \"%1\" was already used with a different "
                                    "request body; use a new key for a new action")
                         .arg(idempotencyKey);
            return Outcome::KeyConflict;
        }
        return Outcome::Replayed;
    }

    *error = validate(body);
    if (!error->isEmpty())
        return Outcome::Invalid;

    SimAction created;
    created.id = QStringLiteral("act_%1").arg(m_actions.size() + 1, 6, 10, QLatin1Char('0'));
    created.type = body.value(QStringLiteral("type")).toString();
    created.target = body.value(QStringLiteral("target")).toString();
    if (targetsAddress(created.type))
        created.target = canonicalAddress(created.target);
    created.reason = body.value(QStringLiteral("reason")).toString();
    created.parameters = body.value(QStringLiteral("parameters")).toObject();
    created.idempotencyKey = idempotencyKey;
    created.requestBody = body;
    created.receivedMs = QDateTime::currentMSecsSinceEpoch();
    created.effectiveSimMs = simNowMs;
    const qint64 duration
        = created.parameters.value(QStringLiteral("duration_seconds")).toInteger();
    if (duration > 0)
        created.expiresSimMs = simNowMs + duration * 1000;
    const bool slow = created.type == QLatin1String("start_backup")
        || created.type == QLatin1String("isolate_host");
    created.status = slow ? QStringLiteral("in_progress") : QStringLiteral("completed");
    if (!slow)
        created.completedMs = created.receivedMs;

    apply(created);
    m_byKey.insert(idempotencyKey, int(m_actions.size()));
    m_actions.append(created);
    *action = &m_actions.last();
    return Outcome::Created;
}

const SimAction *ActionRegistry::find(const QString &id) const
{
    for (const SimAction &action : m_actions) {
        if (action.id == id)
            return &action;
    }
    return nullptr;
}

void ActionRegistry::markCompleted(const QString &id, qint64 nowMs)
{
    for (SimAction &action : m_actions) {
        if (action.id == id && action.status != QLatin1String("completed")) {
            action.status = QStringLiteral("completed");
            action.completedMs = nowMs;
        }
    }
}

void ActionRegistry::apply(const SimAction &action)
{
    const QString &type = action.type;
    if (type == QLatin1String("block_ip"))
        m_blocked.insert(action.target, action.expiresSimMs);
    else if (type == QLatin1String("unblock_ip"))
        m_blocked.remove(action.target);
    else if (type == QLatin1String("suspend_account"))
        m_suspended.insert(action.target, true);
    else if (type == QLatin1String("reinstate_account"))
        m_suspended.remove(action.target);
    else if (type == QLatin1String("enforce_mfa"))
        m_mfaEnforced.insert(action.target, true);
    else if (type == QLatin1String("rate_limit"))
        m_rateLimits.insert(action.target,
            qMax(1, action.parameters.value(QStringLiteral("limit_per_minute")).toInt(60)));
    else if (type == QLatin1String("isolate_host"))
        m_isolatedHosts.insert(action.target, true);
}

bool ActionRegistry::isBlocked(const QString &ip, qint64 simNowMs) const
{
    const auto found = m_blocked.constFind(ip);
    return found != m_blocked.constEnd() && (*found == 0 || simNowMs < *found);
}

bool ActionRegistry::isSuspended(const QString &userId, const QString &userName) const
{
    return (!userId.isEmpty() && m_suspended.contains(userId))
        || (!userName.isEmpty() && m_suspended.contains(userName));
}

bool ActionRegistry::rateLimited(const QString &ip, qint64 simNowMs)
{
    const auto limit = m_rateLimits.constFind(ip);
    if (limit == m_rateLimits.constEnd())
        return false;
    const qint64 minute = simNowMs / 60000;
    QPair<qint64, int> &window = m_rateWindows[ip];
    if (window.first != minute)
        window = qMakePair(minute, 0);
    ++window.second;
    return window.second > *limit;
}

} // namespace portcullis::sim
