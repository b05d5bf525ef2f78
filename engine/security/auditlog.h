// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "security/identity.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>
#include <QVector>

namespace portcullis {

class Database;

// One row of `audit_log`. `details` is the compact JSON text exactly as stored
// and hashed.
struct AuditRecord
{
    qint64 seq = 0;
    qint64 tsMs = 0;
    qint64 actorId = 0;
    QString actor;
    QString action;
    QString target;
    QString details;
    QByteArray prevHash;
    QByteArray hash;
};

// Filter for AuditLog::list(); empty strings match everything.
struct AuditFilter
{
    QString text;       // substring of actor, action, target or details
    QString action;     // action prefix, e.g. "login" or "user."
    qint64 fromMs = 0;  // inclusive; 0 for no bound
    qint64 toMs = 0;    // exclusive; 0 for no bound
    int limit = 10000;
};

// The outcome of AuditLog::verify(). When `ok` is false, `firstBrokenSeq`
// names the first record that fails (or, for a truncation, the first missing
// one) and `problem` describes the failure.
struct AuditVerifyResult
{
    bool ok = false;
    qint64 recordCount = 0;
    qint64 firstBrokenSeq = 0;
    QString problem;
    QByteArray headHash; // the last record's hash when ok, to record elsewhere
};

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

    // Reads records, oldest first; needs Permission::ViewAudit.
    QVector<AuditRecord> list(const Identity &who, const AuditFilter &filter,
                              QString *errorMessage) const;

    // Walks the chain from the first record and compares the end with the
    // anchor (record count and head hash); needs Permission::ViewAudit.
    // Then cross-checks the tables that only audited actions write (users,
    // login_state, triage rows of alert_history): each needs at least as many
    // matching records, so a wiped trail fails. `keptHead`, when given, is a
    // head hash printed by an earlier verify and kept elsewhere: a record with
    // that hash must still be in the chain, else the chain was rewritten.
    AuditVerifyResult verify(const Identity &who, QString *errorMessage,
                             const QByteArray &keptHead = QByteArray()) const;
    // The same walk without a permission check, for `audit verify` run by
    // the database owner before any account exists and for tests.
    AuditVerifyResult verifyUnchecked(const QByteArray &keptHead = QByteArray()) const;

    // SHA-256 over the canonical, length-prefixed form of the record's fields
    // and its previous hash.
    static QByteArray computeHash(const AuditRecord &record);

private:
    bool appendRecord(qint64 actorId, const QString &actorName, const QString &action,
                      const QString &target, const QJsonObject &details, QString *errorMessage);

    Database &m_db;
};

} // namespace portcullis
