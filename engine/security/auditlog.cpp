// SPDX-License-Identifier: GPL-3.0-or-later
#include "security/auditlog.h"

#include "core/logging.h"
#include "security/cryptoutil.h"
#include "store/database.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QtEndian>

#include <sqlite3.h>

namespace portcullis {

static const QByteArray genesisHash(32, '\0');

static QString tr(const char *text)
{
    return QCoreApplication::translate("portcullis::AuditLog", text);
}

AuditLog::AuditLog(Database &db)
    : m_db(db)
{
}

bool AuditLog::append(const Identity &actor, const QString &action, const QString &target,
                      const QJsonObject &details, QString *errorMessage)
{
    QString name = actor.userName;
    if (actor.isDemo)
        name += QStringLiteral(" (demo)");
    return appendRecord(actor.userId, name, action, target, details, errorMessage);
}

bool AuditLog::appendAnonymous(const QString &actorName, const QString &action,
                               const QString &target, const QJsonObject &details,
                               QString *errorMessage)
{
    return appendRecord(0, actorName, action, target, details, errorMessage);
}

static void appendField(QByteArray &out, const QByteArray &field)
{
    char length[8];
    qToBigEndian<quint64>(static_cast<quint64>(field.size()), length);
    out.append(length, 8);
    out.append(field);
}

// Canonical form, version 1: a tag, then each field as an 8-byte big-endian
// length and its bytes, in this fixed order. Integers are decimal ASCII.
QByteArray AuditLog::computeHash(const AuditRecord &record)
{
    QByteArray canonical("portcullis-audit-v1");
    appendField(canonical, QByteArray::number(record.seq));
    appendField(canonical, QByteArray::number(record.tsMs));
    appendField(canonical, QByteArray::number(record.actorId));
    appendField(canonical, record.actor.toUtf8());
    appendField(canonical, record.action.toUtf8());
    appendField(canonical, record.target.toUtf8());
    appendField(canonical, record.details.toUtf8());
    appendField(canonical, record.prevHash);
    return crypto::sha256(canonical);
}

// Reads the anchor: the number of records and the head hash written with the
// last append. A missing anchor means an empty log.
static bool readAnchor(Database &db, qint64 *count, QByteArray *head, QString *errorMessage)
{
    Statement query = db.prepare("SELECT record_count, head_hash FROM audit_anchor WHERE id = 1",
                                 errorMessage);
    if (!query.isValid())
        return false;
    *count = 0;
    *head = genesisHash;
    if (query.step()) {
        *count = query.columnInt64(0);
        *head = query.columnBlob(1);
    }
    return query.error().isEmpty();
}

static bool insertRecord(Database &db, const AuditRecord &record, QString *errorMessage)
{
    Statement insert = db.prepare(
        "INSERT INTO audit_log (seq, ts_ms, actor_id, actor, action, target, details, prev_hash, "
        "hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        errorMessage);
    if (!insert.isValid())
        return false;
    insert.bind(1, record.seq);
    insert.bind(2, record.tsMs);
    insert.bind(3, record.actorId);
    insert.bind(4, record.actor);
    insert.bind(5, record.action);
    insert.bind(6, record.target);
    insert.bind(7, record.details);
    insert.bind(8, record.prevHash);
    insert.bind(9, record.hash);
    insert.step();
    if (!insert.error().isEmpty()) {
        if (errorMessage)
            *errorMessage = tr("Cannot append audit record %1: %2. Run 'portcullis-cli audit "
                               "verify' to check the audit trail.")
                                .arg(record.seq)
                                .arg(insert.error());
        return false;
    }

    Statement anchor = db.prepare(
        "INSERT INTO audit_anchor (id, record_count, head_hash) VALUES (1, ?1, ?2) "
        "ON CONFLICT(id) DO UPDATE SET record_count = excluded.record_count, "
        "head_hash = excluded.head_hash",
        errorMessage);
    if (!anchor.isValid())
        return false;
    anchor.bind(1, record.seq);
    anchor.bind(2, record.hash);
    anchor.step();
    if (!anchor.error().isEmpty()) {
        if (errorMessage)
            *errorMessage = anchor.error();
        return false;
    }
    return true;
}

// The anchor, not MAX(seq), decides the next sequence number and previous
// hash, so that rows deleted from the end leave a gap that verify() reports.
bool AuditLog::appendRecord(qint64 actorId, const QString &actorName, const QString &action,
                            const QString &target, const QJsonObject &details,
                            QString *errorMessage)
{
    const bool ownTransaction = sqlite3_get_autocommit(m_db.handle()) != 0;
    if (ownTransaction && !m_db.begin(errorMessage))
        return false;

    AuditRecord record;
    qint64 count = 0;
    bool ok = readAnchor(m_db, &count, &record.prevHash, errorMessage);
    if (ok) {
        record.seq = count + 1;
        record.tsMs = crypto::nowMs();
        record.actorId = actorId;
        record.actor = actorName;
        record.action = action;
        record.target = target;
        record.details = QString::fromUtf8(QJsonDocument(details).toJson(QJsonDocument::Compact));
        record.hash = computeHash(record);
        ok = insertRecord(m_db, record, errorMessage);
    }

    if (ownTransaction) {
        if (ok)
            ok = m_db.commit(errorMessage);
        else
            m_db.rollback();
    }
    if (!ok)
        qCWarning(lcSecurity) << "Audit append failed for action" << action;
    return ok;
}

static AuditRecord readRecord(const Statement &row)
{
    AuditRecord record;
    record.seq = row.columnInt64(0);
    record.tsMs = row.columnInt64(1);
    record.actorId = row.columnInt64(2);
    record.actor = row.columnText(3);
    record.action = row.columnText(4);
    record.target = row.columnText(5);
    record.details = row.columnText(6);
    record.prevHash = row.columnBlob(7);
    record.hash = row.columnBlob(8);
    return record;
}

QVector<AuditRecord> AuditLog::list(const Identity &who, const AuditFilter &filter,
                                    QString *errorMessage) const
{
    QVector<AuditRecord> records;
    if (!checkPermission(who, Permission::ViewAudit, errorMessage))
        return records;

    Statement query = m_db.prepare(
        "SELECT seq, ts_ms, actor_id, actor, action, target, details, prev_hash, hash "
        "FROM audit_log WHERE (?1 = '' OR instr(lower(actor || ' ' || action || ' ' || target "
        "|| ' ' || details), lower(?1)) > 0) AND (?2 = '' OR substr(action, 1, length(?2)) = ?2) "
        "AND (?3 = 0 OR ts_ms >= ?3) AND (?4 = 0 OR ts_ms < ?4) ORDER BY seq LIMIT ?5",
        errorMessage);
    if (!query.isValid())
        return records;
    query.bind(1, filter.text);
    query.bind(2, filter.action);
    query.bind(3, filter.fromMs);
    query.bind(4, filter.toMs);
    query.bind(5, filter.limit > 0 ? filter.limit : -1);
    while (query.step())
        records.append(readRecord(query));
    if (!query.error().isEmpty() && errorMessage)
        *errorMessage = query.error();
    return records;
}

AuditVerifyResult AuditLog::verify(const Identity &who, QString *errorMessage,
                                   const QByteArray &keptHead) const
{
    if (!checkPermission(who, Permission::ViewAudit, errorMessage))
        return AuditVerifyResult();
    return verifyUnchecked(keptHead);
}

static qint64 countOf(Database &db, const char *sql)
{
    Statement query = db.prepare(sql);
    return query.isValid() && query.step() ? query.columnInt64(0) : -1;
}

// Rows that only audited actions write, against the audit records those
// actions leave: fewer records than rows means records were removed.
struct CrossCheck
{
    const char *rowsSql;
    const char *recordsSql;
    const char *what;
};

static const CrossCheck crossChecks[] = {
    {"SELECT COUNT(*) FROM users",
     "SELECT COUNT(*) FROM audit_log WHERE action IN "
     "('user.create_first_admin', 'user.add', 'login.demo')",
     QT_TRANSLATE_NOOP("portcullis::AuditLog", "user accounts against user.create_first_admin, "
                                               "user.add and login.demo records")},
    {"SELECT COUNT(*) FROM login_state",
     "SELECT COUNT(*) FROM audit_log WHERE action = 'login.failure'",
     QT_TRANSLATE_NOOP("portcullis::AuditLog", "login_state rows against login.failure records")},
    {"SELECT COUNT(*) FROM alert_history WHERE actor <> 'detection'",
     "SELECT COUNT(*) FROM audit_log WHERE action LIKE 'alert.%'",
     QT_TRANSLATE_NOOP("portcullis::AuditLog", "alert triage history rows against alert.* "
                                               "records")},
};

// Empty when the other tables agree with the trail, else the problem.
static QString crossCheckProblem(Database &db)
{
    const qint64 users = countOf(db, "SELECT COUNT(*) FROM users");
    const qint64 firstAdmin = countOf(db, "SELECT COUNT(*) FROM audit_log WHERE action IN "
                                          "('user.create_first_admin', 'login.demo')");
    if (users > 0 && firstAdmin == 0)
        return tr("the users table holds %1 accounts but the trail has no "
                  "user.create_first_admin record: the trail was wiped or replaced")
            .arg(users);
    for (const CrossCheck &check : crossChecks) {
        const qint64 rows = countOf(db, check.rowsSql);
        const qint64 records = countOf(db, check.recordsSql);
        if (rows < 0 || records < 0)
            return tr("cannot count %1").arg(tr(check.what));
        if (rows > records)
            return tr("%1 rows but only %2 audit records (%3): records were deleted")
                .arg(rows)
                .arg(records)
                .arg(tr(check.what));
    }
    return QString();
}

static AuditVerifyResult broken(qint64 count, qint64 seq, const QString &problem)
{
    AuditVerifyResult result;
    result.recordCount = count;
    result.firstBrokenSeq = seq;
    result.problem = problem;
    return result;
}

// Checks, record by record: the sequence has no gap, the stored hash matches
// the content (an edit), and prev_hash matches the previous record's hash (a
// deletion or reordering). Then the end of the chain must match the anchor
// (a truncation).
AuditVerifyResult AuditLog::verifyUnchecked(const QByteArray &keptHead) const
{
    Statement query = m_db.prepare(
        "SELECT seq, ts_ms, actor_id, actor, action, target, details, prev_hash, hash "
        "FROM audit_log ORDER BY seq");
    if (!query.isValid())
        return broken(0, 0, tr("Cannot read the audit_log table."));

    qint64 count = 0;
    qint64 expectedSeq = 1;
    QByteArray previous = genesisHash;
    bool keptHeadFound = keptHead.isEmpty();
    while (query.step()) {
        const AuditRecord record = readRecord(query);
        ++count;
        keptHeadFound = keptHeadFound || crypto::constantTimeEquals(record.hash, keptHead);
        if (record.seq != expectedSeq)
            return broken(count, expectedSeq,
                          tr("record %1 is missing (the next stored record is %2): deleted")
                              .arg(expectedSeq)
                              .arg(record.seq));
        if (!crypto::constantTimeEquals(computeHash(record), record.hash))
            return broken(count, record.seq,
                          tr("record %1 does not match its hash: edited, or moved from "
                             "another position")
                              .arg(record.seq));
        if (!crypto::constantTimeEquals(record.prevHash, previous))
            return broken(count, record.seq,
                          tr("record %1 does not follow record %2: deleted, inserted or "
                             "reordered")
                              .arg(record.seq)
                              .arg(record.seq - 1));
        previous = record.hash;
        ++expectedSeq;
    }

    qint64 anchorCount = 0;
    QByteArray anchorHead;
    QString error;
    if (!readAnchor(m_db, &anchorCount, &anchorHead, &error))
        return broken(count, 0, tr("Cannot read the audit anchor: %1").arg(error));
    if (anchorCount != count || !crypto::constantTimeEquals(anchorHead, previous))
        return broken(count, count + 1,
                      tr("the log ends at record %1 but the anchor records %2 records: "
                         "truncated, or the anchor was changed")
                          .arg(count)
                          .arg(anchorCount));
    const QString inconsistency = crossCheckProblem(m_db);
    if (!inconsistency.isEmpty())
        return broken(count, 1, inconsistency);
    if (!keptHeadFound)
        return broken(count, 1,
                      tr("no record has the kept head hash %1: the chain was rewritten "
                         "(or the hash belongs to another database)")
                          .arg(QString::fromLatin1(keptHead.toHex())));

    AuditVerifyResult result;
    result.ok = true;
    result.recordCount = count;
    result.headHash = previous;
    return result;
}

} // namespace portcullis
