// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "security/identity.h"

#include <QJsonObject>
#include <QString>

namespace portcullis {

class Database;

// The append-only, hash-chained audit trail (table `audit_log`, created by a
// schema migration). Each record's hash covers a canonical form of the record
// and the previous record's hash.
class AuditLog
{
public:
    explicit AuditLog(Database &db);

    // Appends one record. Runs inside the caller's transaction when one is
    // open, so that a change and its audit record commit together.
    // `action` is a dotted verb such as "alert.close"; `target` names the
    // object ("alert:42"); `details` must hold no secret.
    bool append(const Identity &actor, const QString &action, const QString &target,
                const QJsonObject &details, QString *errorMessage);

    // For events with no signed-in user, such as a failed login.
    bool appendAnonymous(const QString &actorName, const QString &action, const QString &target,
                         const QJsonObject &details, QString *errorMessage);

private:
    Database &m_db;
};

} // namespace portcullis
