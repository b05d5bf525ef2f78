// SPDX-License-Identifier: GPL-3.0-or-later
#include "store/store.h"

#include "core/logging.h"
#include "store/eventcodec.h"
#include "store/storeutil.h"

#include <QCoreApplication>

#include <sqlite3.h>

#include <map>

namespace portcullis {

struct Store::Statements {
    std::map<QByteArray, Statement> bySql;
};

Store::Store()
    : m_statements(std::make_unique<Statements>())
{
}

Store::~Store()
{
    // Statements must be finalized before the connection closes.
    m_statements.reset();
    m_db.close();
}

bool Store::open(const QString &path, QString *errorMessage)
{
    m_statements->bySql.clear();
    if (!m_db.open(path, errorMessage))
        return false;
    // 32 MiB of page cache (SQLite's default is 2 MiB), so that batched
    // inserts into the events indexes do not re-read pages they just wrote.
    m_db.exec("PRAGMA cache_size=-32768");
    return true;
}

bool Store::inTransaction() const
{
    return m_db.isOpen() && sqlite3_get_autocommit(m_db.handle()) == 0;
}

Statement *Store::cached(const QByteArray &sql)
{
    auto it = m_statements->bySql.find(sql);
    if (it != m_statements->bySql.end()) {
        it->second.reset();
        return &it->second;
    }
    Statement statement = m_db.prepare(sql.constData());
    if (!statement.isValid())
        return nullptr;
    return &m_statements->bySql.emplace(sql, std::move(statement)).first->second;
}

static const char insertEventSql[]
    = "INSERT OR IGNORE INTO events (event_id, ts_ms, category, action, outcome, source_ip, "
      "user_name, host_name, file_path, line_number, file_offset, original, original_truncated, "
      "fields) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)";

static void bindOptionalText(Statement *statement, int index, const QString &value, bool present)
{
    if (present)
        statement->bind(index, value);
    else
        statement->bindNull(index);
}

bool Store::insertEvents(const std::vector<Event> &events, qint64 *inserted, QString *errorMessage)
{
    Statement *statement = cached(insertEventSql);
    if (!statement)
        return storeutil::fail(errorMessage, m_db, "prepare event insert");

    qint64 count = 0;
    for (const Event &event : events) {
        statement->reset();
        statement->bind(1, event.id);
        statement->bind(2, event.timestampMs);
        statement->bindText(3, categoryName(event.category).toUtf8());
        statement->bind(4, event.action);
        statement->bindText(5, outcomeName(event.outcome).toUtf8());
        bindOptionalText(statement, 6, event.sourceIp, !event.sourceIp.isEmpty());
        bindOptionalText(statement, 7, event.userName, event.hasUserName);
        bindOptionalText(statement, 8, event.hostName, !event.hostName.isEmpty());
        bindOptionalText(statement, 9, event.filePath, !event.filePath.isEmpty());
        statement->bind(10, event.lineNumber);
        statement->bind(11, event.fileOffset);
        statement->bind(12, event.original);
        statement->bind(13, event.originalTruncated ? 1 : 0);
        statement->bindText(14, eventFieldsJson(event));
        statement->step();
        if (!statement->error().isEmpty())
            return storeutil::fail(errorMessage, statement->error());
        count += m_db.changes();
    }
    statement->reset();
    if (inserted)
        *inserted = count;
    return true;
}

static Event eventFromRow(const Statement &row)
{
    Event event;
    event.id = row.columnBlob(0);
    event.timestampMs = row.columnInt64(1);
    event.category = categoryFromName(row.columnText(2));
    event.action = row.columnText(3);
    event.outcome = outcomeFromName(row.columnText(4));
    event.sourceIp = row.columnText(5);
    event.hasUserName = !row.columnIsNull(6);
    event.userName = row.columnText(6);
    event.hostName = row.columnText(7);
    event.filePath = row.columnText(8);
    event.lineNumber = row.columnInt64(9);
    event.fileOffset = row.columnInt64(10);
    event.original = row.columnText(11);
    event.originalTruncated = row.columnInt(12) != 0;
    if (!applyEventFieldsJson(row.columnBlob(13), &event))
        qCWarning(lcStore) << "Stored fields of event" << event.id << "are not a JSON object";
    return event;
}

QVector<Event> Store::eventsByIds(const QVector<QByteArray> &eventIds)
{
    QVector<Event> events;
    Statement *statement = cached(
        "SELECT event_id, ts_ms, category, action, outcome, source_ip, user_name, host_name, "
        "file_path, line_number, file_offset, original, original_truncated, fields "
        "FROM events WHERE event_id = ?");
    if (!statement)
        return events;
    events.reserve(eventIds.size());
    for (const QByteArray &id : eventIds) {
        statement->reset();
        statement->bind(1, id);
        if (statement->step())
            events.append(eventFromRow(*statement));
    }
    statement->reset();
    return events;
}

qint64 Store::countEvents()
{
    Statement *statement = cached("SELECT COUNT(*) FROM events");
    const qint64 count = statement && statement->step() ? statement->columnInt64(0) : 0;
    if (statement)
        statement->reset();
    return count;
}

} // namespace portcullis
