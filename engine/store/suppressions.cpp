// SPDX-License-Identifier: GPL-3.0-or-later
#include "store/suppressions.h"

#include "store/storeutil.h"

#include <QCoreApplication>

namespace portcullis {

using storeutil::fail;

namespace {

constexpr char Columns[]
    = "id, kind, value, rule_id, reason, created_by, created_ms, expires_ms, hits";

Suppression readRow(const Statement &row)
{
    Suppression entry;
    entry.id = row.columnInt64(0);
    suppressionKindFromName(row.columnText(1), &entry.kind);
    entry.value = row.columnText(2);
    entry.ruleId = row.columnText(3);
    entry.reason = row.columnText(4);
    entry.createdBy = row.columnText(5);
    entry.createdMs = row.columnInt64(6);
    entry.expiresMs = row.columnInt64(7);
    entry.hits = row.columnInt64(8);
    return entry;
}

} // namespace

SuppressionStore::SuppressionStore(Database &db)
    : m_db(db)
{
}

bool SuppressionStore::insert(Suppression *suppression, QString *errorMessage)
{
    Statement insert = m_db.prepare(
        "INSERT INTO suppressions (kind, value, rule_id, reason, created_by, created_ms, "
        "expires_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        errorMessage);
    if (!insert.isValid())
        return false;
    insert.bind(1, suppressionKindName(suppression->kind));
    insert.bind(2, suppression->value);
    insert.bind(3, suppression->ruleId);
    insert.bind(4, suppression->reason);
    insert.bind(5, suppression->createdBy);
    insert.bind(6, suppression->createdMs);
    insert.bind(7, suppression->expiresMs);
    insert.step();
    if (!insert.error().isEmpty())
        return fail(errorMessage, insert.error());
    suppression->id = m_db.lastInsertRowId();
    return true;
}

QVector<Suppression> SuppressionStore::list(bool *ok, QString *errorMessage)
{
    QVector<Suppression> entries;
    *ok = false;
    const QByteArray sql = QByteArray("SELECT ") + Columns + " FROM suppressions ORDER BY id";
    Statement select = m_db.prepare(sql.constData(), errorMessage);
    if (!select.isValid())
        return entries;
    while (select.step())
        entries.append(readRow(select));
    if (!select.error().isEmpty()) {
        fail(errorMessage, select.error());
        return entries;
    }
    *ok = true;
    return entries;
}

std::optional<Suppression> SuppressionStore::find(qint64 id, QString *errorMessage)
{
    const QByteArray sql = QByteArray("SELECT ") + Columns + " FROM suppressions WHERE id = ?1";
    Statement select = m_db.prepare(sql.constData(), errorMessage);
    if (!select.isValid())
        return std::nullopt;
    select.bind(1, id);
    if (select.step())
        return readRow(select);
    fail(errorMessage, select.error().isEmpty()
            ? QCoreApplication::translate("portcullis::Store",
                "No suppression has id %1; list them with 'portcullis-cli suppress list'.")
                  .arg(id)
            : select.error());
    return std::nullopt;
}

bool SuppressionStore::remove(qint64 id, QString *errorMessage)
{
    Statement remove = m_db.prepare("DELETE FROM suppressions WHERE id = ?1", errorMessage);
    if (!remove.isValid())
        return false;
    remove.bind(1, id);
    remove.step();
    if (!remove.error().isEmpty())
        return fail(errorMessage, remove.error());
    if (m_db.changes() == 0)
        return fail(errorMessage,
            QCoreApplication::translate("portcullis::Store",
                "No suppression has id %1; list them with 'portcullis-cli suppress list'.")
                .arg(id));
    return true;
}

bool SuppressionStore::addHits(const QHash<qint64, qint64> &hits, QString *errorMessage)
{
    Statement update
        = m_db.prepare("UPDATE suppressions SET hits = hits + ?2 WHERE id = ?1", errorMessage);
    if (!update.isValid())
        return false;
    for (auto it = hits.constBegin(); it != hits.constEnd(); ++it) {
        update.bind(1, it.key());
        update.bind(2, it.value());
        update.step();
        if (!update.error().isEmpty())
            return fail(errorMessage, update.error());
        update.reset();
    }
    return true;
}

} // namespace portcullis
