// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "sim/generator.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QSet>
#include <QString>

namespace portcullis::sim {

// One response action the stand-in received.
struct SimAction {
    QString id; // "act_000001"
    QString type; // block_ip, suspend_account, ...
    QString target; // an IP address, a user id or user name, a host name
    QString reason;
    QJsonObject parameters; // optional: duration_seconds, limit_per_minute
    QString idempotencyKey;
    QJsonObject requestBody; // as received, to tell a replay from a conflicting reuse of the key
    QString status; // in_progress, completed
    qint64 receivedMs = 0; // wall-clock UTC milliseconds
    qint64 completedMs = 0;
    qint64 effectiveSimMs = 0; // simulated time from which the action applies
    qint64 expiresSimMs = 0; // simulated time at which it lapses, 0 for never

    QJsonObject toJson() const;
};

// The result of applying the actions in force to one event about to be emitted.
struct Enforcement {
    bool cancelActivity = false; // the event's visit cannot go on (login refused)
    QList<QJsonObject> followUps; // events to emit right after it (enforced MFA)
};

// The actions received and the state they put the backend in: blocked
// addresses, suspended accounts, accounts with enforced MFA, rate limits and
// isolated hosts.
class ActionRegistry {
public:
    enum class Outcome { Created, Replayed, KeyConflict, Invalid };

    static QStringList actionTypes();

    // Validates and records an action. The same key with the same body returns
    // the first action (Replayed); with another body, KeyConflict.
    Outcome submit(const QString &idempotencyKey, const QJsonObject &body, qint64 simNowMs,
        const SimAction **action, QString *error);
    const SimAction *find(const QString &id) const;
    const QList<SimAction> &actions() const { return m_actions; }
    void markCompleted(const QString &id, qint64 nowMs);
    // Accounts that account actions may name (user ids and user names).
    void addKnownUser(const QString &idOrName) { m_knownUsers.insert(idOrName); }

    // Rewrites `doc` as the backend would log it with the actions in force at
    // `simNowMs`: a blocked or rate-limited address gets 403 or 429, a suspended
    // account is refused, an account with enforced MFA is challenged.
    Enforcement enforce(QJsonObject &doc, bool attacker, qint64 simNowMs);

    bool isBlocked(const QString &ip, qint64 simNowMs) const;
    bool isSuspended(const QString &userId, const QString &userName) const;

private:
    QString validate(const QJsonObject &body) const;
    void apply(const SimAction &action);
    bool rateLimited(const QString &ip, qint64 simNowMs);
    void refuse(QJsonObject &doc, int status, const QString &reason) const;
    void challenge(QJsonObject &doc, bool attacker, Enforcement *result) const;

    QList<SimAction> m_actions;
    QHash<QString, int> m_byKey; // idempotency key -> index
    QHash<QString, qint64> m_blocked; // ip -> expiry (0 for never)
    QHash<QString, bool> m_suspended; // user id or name
    QHash<QString, bool> m_mfaEnforced; // user id or name
    QHash<QString, int> m_rateLimits; // ip -> requests per simulated minute
    QHash<QString, QPair<qint64, int>> m_rateWindows; // ip -> (minute, count)
    QHash<QString, bool> m_isolatedHosts;
    QSet<QString> m_knownUsers;
};

} // namespace portcullis::sim
