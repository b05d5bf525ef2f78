// SPDX-License-Identifier: GPL-3.0-or-later
#include "sim/actions.h"

#include "sim/ecsjson.h"

namespace portcullis::sim {

namespace {

QString stringAt(const QJsonObject &doc, QStringView path)
{
    return valueAt(doc, path).toString();
}

// The fields a refusal keeps: who sent the request, from where, with what.
const QStringList keptTopLevel { QStringLiteral("event"), QStringLiteral("source"),
    QStringLiteral("client"), QStringLiteral("user"), QStringLiteral("user_agent"),
    QStringLiteral("service"), QStringLiteral("host"), QStringLiteral("url"),
    QStringLiteral("http") };

} // namespace

void ActionRegistry::refuse(QJsonObject &doc, int status, const QString &reason) const
{
    const QString action = stringAt(doc, u"event.action");
    const bool login = action == QLatin1String("user_login");
    if (!login && action != QLatin1String("http_request")) {
        // A refused session, account or payment step never reaches its service,
        // so the backend logs the refused HTTP request instead.
        for (const QString &key : doc.keys()) {
            if (!keptTopLevel.contains(key))
                doc.remove(key);
        }
        QJsonObject event = doc.value(QStringLiteral("event")).toObject();
        event.insert(QStringLiteral("category"), QStringLiteral("web"));
        event.insert(QStringLiteral("action"), QStringLiteral("http_request"));
        event.insert(QStringLiteral("dataset"), QStringLiteral("bookedbarber.access"));
        doc.insert(QStringLiteral("event"), event);
        const QString path = QStringLiteral("/api/v2/") + action.section(QLatin1Char('.'), 0, 0);
        if (stringAt(doc, u"url.path").isEmpty()) {
            setPath(doc, u"url.path", path);
            setPath(doc, u"url.original", path);
        }
        if (stringAt(doc, u"http.request.method").isEmpty())
            setPath(doc, u"http.request.method", QStringLiteral("POST"));
    }
    setPath(doc, u"event.outcome", QStringLiteral("failure"));
    setPath(doc, u"event.reason", reason);
    setPath(doc, u"http.response.status_code", status);
    if (!login)
        setPath(doc, u"http.response.body.bytes", 96);
}

void ActionRegistry::challenge(QJsonObject &doc, bool attacker, Enforcement *result) const
{
    QJsonObject challenge = doc;
    challenge.remove(QStringLiteral("http"));
    challenge.remove(QStringLiteral("url"));
    setPath(challenge, u"event.action", QStringLiteral("mfa_challenge"));
    setPath(challenge, u"event.reason", QStringLiteral("mfa_enforced"));
    setPath(challenge, u"bookedbarber.mfa.method", QStringLiteral("email"));
    QJsonObject event = challenge.value(QStringLiteral("event")).toObject();
    event.remove(QStringLiteral("outcome"));
    challenge.insert(QStringLiteral("event"), event);
    result->followUps.append(challenge);

    QJsonObject verify = challenge;
    setPath(verify, u"event.action", QStringLiteral("mfa_verify"));
    setPath(
        verify, u"event.outcome", attacker ? QStringLiteral("failure") : QStringLiteral("success"));
    if (attacker) {
        setPath(verify, u"event.reason", QStringLiteral("invalid_code"));
        result->cancelActivity = true;
    }
    result->followUps.append(verify);
}

Enforcement ActionRegistry::enforce(QJsonObject &doc, bool attacker, qint64 simNowMs)
{
    Enforcement result;
    const QString ip = stringAt(doc, u"source.ip");
    const QString userId = stringAt(doc, u"user.id");
    const QString userName = stringAt(doc, u"user.name");
    const QString action = stringAt(doc, u"event.action");
    const bool login = action == QLatin1String("user_login");
    const bool wantedSuccess = stringAt(doc, u"event.outcome") == QLatin1String("success");
    const bool hasClient = !ip.isEmpty();

    const QString host = stringAt(doc, u"host.name");
    if (m_isolatedHosts.contains(host))
        setPath(doc, u"host.name",
            host == QLatin1String("api-1") ? QStringLiteral("api-2") : QStringLiteral("api-1"));

    if (hasClient && isBlocked(ip, simNowMs)) {
        refuse(doc, 403, QStringLiteral("ip_blocked"));
        result.cancelActivity = wantedSuccess || !login;
        return result;
    }
    if (hasClient && rateLimited(ip, simNowMs)) {
        refuse(doc, 429, QStringLiteral("rate_limited"));
        result.cancelActivity = wantedSuccess || !login;
        return result;
    }
    // Payouts and other events the backend starts itself carry no client.
    if (hasClient && isSuspended(userId, userName)) {
        refuse(doc, login ? 403 : 401, QStringLiteral("account_suspended"));
        result.cancelActivity = true;
        return result;
    }

    const bool enrolled = valueAt(doc, u"bookedbarber.mfa.enrolled").toBool();
    const bool enforced = m_mfaEnforced.contains(userId) || m_mfaEnforced.contains(userName);
    if (login && wantedSuccess && enforced && !enrolled)
        challenge(doc, attacker, &result);
    return result;
}

} // namespace portcullis::sim
