// SPDX-License-Identifier: GPL-3.0-or-later
// Alerts: upsert from the detectors, list queries, evidence links and triage.
#include "store/store.h"

#include "store/eventcodec.h"
#include "store/storeutil.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

namespace portcullis {

namespace {

const char alertColumns[]
    = "id, alert_key, rule_id, title, severity, mitre, first_seen_ms, last_seen_ms, event_count, "
      "entities, reason, status, assignee, disposition";

// {"source.ip":["203.0.113.7"],...} in the key order of the map. Written
// by hand because QJsonObject costs several allocations per value, and an
// alert is written again each time a batch adds to it.
QByteArray entitiesJson(const QMap<QString, QStringList> &entities)
{
    QByteArray json;
    json.reserve(64);
    json += '{';
    for (auto it = entities.cbegin(); it != entities.cend(); ++it) {
        if (it != entities.cbegin())
            json += ',';
        appendJsonString(json, it.key());
        json += ":[";
        const QStringList &values = it.value();
        for (qsizetype i = 0; i < values.size(); ++i) {
            if (i > 0)
                json += ',';
            appendJsonString(json, values.at(i));
        }
        json += ']';
    }
    json += '}';
    return json;
}

QMap<QString, QStringList> entitiesFromJson(const QByteArray &json)
{
    QMap<QString, QStringList> entities;
    const QJsonObject object = QJsonDocument::fromJson(json).object();
    for (auto it = object.begin(); it != object.end(); ++it) {
        QStringList values;
        const QJsonArray array = it.value().toArray();
        for (const QJsonValue &value : array)
            values.append(value.toString());
        entities.insert(it.key(), values);
    }
    return entities;
}

// Lower-cased title, rule id, reason and entity values, one per line, that
// AlertQuery::text is searched in.
QString searchText(const Alert &alert)
{
    QStringList parts { alert.title, alert.ruleId, alert.reason, alert.mitreTechnique };
    for (auto it = alert.entities.cbegin(); it != alert.entities.cend(); ++it)
        parts += it.value();
    return parts.join(QLatin1Char('\n')).toLower();
}

Alert alertFromRow(const Statement &row)
{
    Alert alert;
    alert.id = row.columnInt64(0);
    alert.key = row.columnBlob(1);
    alert.ruleId = row.columnText(2);
    alert.title = row.columnText(3);
    alert.severity = static_cast<Severity>(row.columnInt(4));
    alert.mitreTechnique = row.columnText(5);
    alert.firstSeenMs = row.columnInt64(6);
    alert.lastSeenMs = row.columnInt64(7);
    alert.eventCount = row.columnInt64(8);
    alert.entities = entitiesFromJson(row.columnBlob(9));
    alert.reason = row.columnText(10);
    alert.status = static_cast<AlertStatus>(row.columnInt(11));
    alert.assignee = row.columnText(12);
    alert.disposition = static_cast<Disposition>(row.columnInt(13));
    return alert;
}

const char *sortColumn(AlertSortKey key)
{
    switch (key) {
    case AlertSortKey::Id:
        return "id";
    case AlertSortKey::Severity:
        return "severity";
    case AlertSortKey::Title:
        return "title";
    case AlertSortKey::RuleId:
        return "rule_id";
    case AlertSortKey::FirstSeen:
        return "first_seen_ms";
    case AlertSortKey::LastSeen:
        return "last_seen_ms";
    case AlertSortKey::EventCount:
        return "event_count";
    case AlertSortKey::Status:
        return "status";
    case AlertSortKey::Assignee:
        return "assignee";
    }
    return "last_seen_ms";
}

// Builds the WHERE clause from fixed fragments and one placeholder per
// value; bindFilter() binds the values in the same order.
QByteArray whereClause(const AlertQuery &query)
{
    QByteArrayList conditions;
    if (!query.severities.isEmpty()) {
        QByteArrayList marks(query.severities.size(), "?");
        conditions.append("severity IN (" + marks.join(',') + ')');
    }
    if (!query.statuses.isEmpty()) {
        QByteArrayList marks(query.statuses.size(), "?");
        conditions.append("status IN (" + marks.join(',') + ')');
    }
    if (!query.text.trimmed().isEmpty())
        conditions.append("instr(search_text, ?) > 0");
    return conditions.isEmpty() ? QByteArray() : " WHERE " + conditions.join(" AND ");
}

// Binds the filter values in whereClause() order; returns the next index.
int bindFilter(Statement *statement, const AlertQuery &query)
{
    int index = 1;
    for (Severity severity : query.severities)
        statement->bind(index++, static_cast<int>(severity));
    for (AlertStatus status : query.statuses)
        statement->bind(index++, static_cast<int>(status));
    if (!query.text.trimmed().isEmpty())
        statement->bind(index++, query.text.trimmed().toLower());
    return index;
}

QByteArray orderClause(const AlertQuery &query)
{
    const QByteArray direction = query.ascending ? " ASC" : " DESC";
    QByteArray clause = " ORDER BY ";
    if (query.sortKey != AlertSortKey::Id)
        clause += QByteArray(sortColumn(query.sortKey)) + direction + ", ";
    return clause + "id" + direction;
}

} // namespace

bool Store::upsertAlert(Alert &alert, QString *errorMessage, bool *created)
{
    Statement *find
        = cached(QByteArray("SELECT ") + alertColumns + " FROM alerts WHERE alert_key = ?");
    if (!find)
        return storeutil::fail(errorMessage, m_db, "prepare alert lookup");
    find->bind(1, alert.key);
    std::optional<Alert> existing;
    if (find->step())
        existing = alertFromRow(*find);
    find->reset();

    Statement *write = existing
        ? cached("UPDATE alerts SET rule_id = ?1, title = ?2, severity = ?3, mitre = ?4, "
                 "first_seen_ms = ?5, last_seen_ms = ?6, event_count = ?7, entities = ?8, "
                 "reason = ?9, search_text = ?10, updated_ms = ?11 WHERE id = ?12")
        : cached(
            "INSERT INTO alerts (rule_id, title, severity, mitre, first_seen_ms, last_seen_ms, "
            "event_count, entities, reason, search_text, updated_ms, created_ms, alert_key) "
            "VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?11,?12)");
    if (!write)
        return storeutil::fail(errorMessage, m_db, "prepare alert write");
    write->bind(1, alert.ruleId);
    write->bind(2, alert.title);
    write->bind(3, static_cast<int>(alert.severity));
    write->bind(4, alert.mitreTechnique);
    write->bind(5, alert.firstSeenMs);
    write->bind(6, alert.lastSeenMs);
    write->bind(7, alert.eventCount);
    write->bindText(8, entitiesJson(alert.entities));
    write->bind(9, alert.reason);
    write->bind(10, searchText(alert));
    write->bind(11, storeutil::nowMs());
    if (existing)
        write->bind(12, existing->id);
    else
        write->bind(12, alert.key);
    write->step();
    const QString error = write->error();
    write->reset();
    if (!error.isEmpty())
        return storeutil::fail(errorMessage, error);

    if (existing) {
        alert.id = existing->id;
        alert.status = existing->status;
        alert.assignee = existing->assignee;
        alert.disposition = existing->disposition;
    } else {
        alert.id = m_db.lastInsertRowId();
        alert.status = AlertStatus::Open;
        alert.assignee.clear();
        alert.disposition = Disposition::None;
        AlertHistoryEntry entry;
        entry.atMs = storeutil::nowMs();
        entry.actor = QStringLiteral("detection");
        entry.action = QStringLiteral("created");
        entry.note = alert.reason;
        if (!insertHistory(alert.id, entry, errorMessage))
            return false;
    }
    if (created)
        *created = !existing;
    return linkEvidence(alert.id, alert.evidence, errorMessage);
}

// How many leading entries of `evidence` are linked already, when that is
// known cheaply: the links this store wrote last for the alert are a prefix of
// `evidence` (detectors only append) and the last of them is still stored (a
// rolled-back transaction removed it otherwise). -1 when not known.
qsizetype Store::linkedPrefix(qint64 alertId, const QVector<QByteArray> &evidence)
{
    const auto it = m_linkedEvidence.constFind(alertId);
    if (it == m_linkedEvidence.cend() || it->count == 0 || it->count > evidence.size()
        || evidence.at(it->count - 1) != it->last || !isLinked(alertId, it->last))
        return -1;
    return it->count;
}

bool Store::isLinked(qint64 alertId, const QByteArray &eventId)
{
    Statement *find
        = cached("SELECT 1 FROM alert_events WHERE alert_id = ? AND event_id = ?");
    if (!find)
        return false;
    find->bind(1, alertId);
    find->bind(2, eventId);
    const bool found = find->step();
    find->reset();
    return found;
}

// Rows of the next evidence link insert when `left` links remain.
static int linkRowsPerInsert(qsizetype left)
{
    if (left >= 64)
        return 64;
    if (left >= 16)
        return 16;
    if (left >= 4)
        return 4;
    return 1;
}

// Inserts the links evidence[start...] with as few statements as the cached
// sizes allow (64, 16, 4 and 1 rows), as a statement per row costs several
// times a row. n links take at most n / 64 + 9 statements.
bool Store::insertLinks(qint64 alertId, const QVector<QByteArray> &evidence, qsizetype start,
                        QString *errorMessage)
{
    qsizetype next = start;
    while (next < evidence.size()) {
        const int rows = linkRowsPerInsert(evidence.size() - next);
        QByteArray sql = "INSERT OR IGNORE INTO alert_events (alert_id, event_id, seq) VALUES ";
        for (int row = 0; row < rows; ++row)
            sql += row == 0 ? "(?,?,?)" : ",(?,?,?)";
        Statement *insert = cached(sql);
        if (!insert)
            return storeutil::fail(errorMessage, m_db, "prepare evidence link");
        for (int row = 0; row < rows; ++row, ++next) {
            insert->bind(row * 3 + 1, alertId);
            insert->bindStaticBlob(row * 3 + 2, evidence.at(next));
            insert->bind(row * 3 + 3, qint64(next));
        }
        insert->step();
        const QString error = insert->error();
        insert->reset();
        if (!error.isEmpty())
            return storeutil::fail(errorMessage, error);
    }
    return true;
}

// Makes the alert's links equal to `evidence`, in its order. Detectors
// usually only append to the list, so when the stored links are a prefix of
// it, only the tail is inserted. Otherwise the links are rewritten.
bool Store::linkEvidence(qint64 alertId, const QVector<QByteArray> &evidence, QString *errorMessage)
{
    qsizetype start = linkedPrefix(alertId, evidence);
    m_linkedEvidence.remove(alertId);
    if (start < 0) {
        const QVector<QByteArray> linked = alertEvidenceIds(alertId);
        start = linked.size();
        if (linked.size() > evidence.size()
            || !std::equal(linked.cbegin(), linked.cend(), evidence.cbegin())) {
            Statement *remove = cached("DELETE FROM alert_events WHERE alert_id = ?");
            if (!remove)
                return storeutil::fail(errorMessage, m_db, "prepare evidence unlink");
            remove->bind(1, alertId);
            remove->step();
            const QString error = remove->error();
            remove->reset();
            if (!error.isEmpty())
                return storeutil::fail(errorMessage, error);
            start = 0;
        }
    }

    if (!insertLinks(alertId, evidence, start, errorMessage))
        return false;
    if (!evidence.isEmpty())
        m_linkedEvidence.insert(alertId, LinkedEvidence { evidence.size(), evidence.last() });
    return true;
}

QVector<QByteArray> Store::alertEvidenceIds(qint64 alertId)
{
    QVector<QByteArray> ids;
    Statement *statement
        = cached("SELECT event_id FROM alert_events WHERE alert_id = ? ORDER BY seq");
    if (!statement)
        return ids;
    statement->bind(1, alertId);
    while (statement->step())
        ids.append(statement->columnBlob(0));
    statement->reset();
    return ids;
}

qint64 Store::countAlerts(const AlertQuery &query)
{
    Statement *statement = cached("SELECT COUNT(*) FROM alerts" + whereClause(query));
    if (!statement)
        return 0;
    bindFilter(statement, query);
    const qint64 count = statement->step() ? statement->columnInt64(0) : 0;
    statement->reset();
    return count;
}

QVector<Alert> Store::queryAlerts(const AlertQuery &query)
{
    QVector<Alert> alerts;
    Statement *statement = cached(QByteArray("SELECT ") + alertColumns + " FROM alerts"
        + whereClause(query) + orderClause(query) + " LIMIT ? OFFSET ?");
    if (!statement)
        return alerts;
    const int index = bindFilter(statement, query);
    statement->bind(index, qint64(query.limit < 0 ? -1 : query.limit));
    statement->bind(index + 1, qint64(qMax(0, query.offset)));
    while (statement->step())
        alerts.append(alertFromRow(*statement));
    statement->reset();
    return alerts;
}

QVector<qint64> Store::queryAlertIds(const AlertQuery &query)
{
    QVector<qint64> ids;
    Statement *statement = cached(
        "SELECT id FROM alerts" + whereClause(query) + orderClause(query) + " LIMIT ? OFFSET ?");
    if (!statement)
        return ids;
    const int index = bindFilter(statement, query);
    statement->bind(index, qint64(query.limit < 0 ? -1 : query.limit));
    statement->bind(index + 1, qint64(qMax(0, query.offset)));
    while (statement->step())
        ids.append(statement->columnInt64(0));
    statement->reset();
    return ids;
}

std::optional<Alert> Store::alertById(qint64 id)
{
    Statement *statement
        = cached(QByteArray("SELECT ") + alertColumns + " FROM alerts WHERE id = ?");
    if (!statement)
        return std::nullopt;
    statement->bind(1, id);
    std::optional<Alert> alert;
    if (statement->step())
        alert = alertFromRow(*statement);
    statement->reset();
    if (alert)
        alert->evidence = alertEvidenceIds(id);
    return alert;
}

bool Store::insertHistory(qint64 alertId, const AlertHistoryEntry &entry, QString *errorMessage)
{
    Statement *statement = cached("INSERT INTO alert_history (alert_id, at_ms, actor, action, "
                                  "status, assignee, disposition, note) VALUES (?,?,?,?,?,?,?,?)");
    if (!statement)
        return storeutil::fail(errorMessage, m_db, "prepare alert history insert");
    statement->bind(1, alertId);
    statement->bind(2, entry.atMs);
    statement->bind(3, entry.actor);
    statement->bind(4, entry.action);
    statement->bind(5, static_cast<int>(entry.status));
    statement->bind(6, entry.assignee);
    statement->bind(7, static_cast<int>(entry.disposition));
    statement->bind(8, entry.note);
    statement->step();
    const QString error = statement->error();
    statement->reset();
    return error.isEmpty() || storeutil::fail(errorMessage, error);
}

bool Store::updateAlertTriage(
    qint64 alertId, const AlertHistoryEntry &change, QString *errorMessage)
{
    const bool ownTransaction = !inTransaction();
    if (ownTransaction && !m_db.begin(errorMessage))
        return false;

    Statement *statement = cached("UPDATE alerts SET status = ?, assignee = ?, disposition = ?, "
                                  "updated_ms = ? WHERE id = ?");
    bool ok = statement != nullptr;
    if (ok) {
        statement->bind(1, static_cast<int>(change.status));
        statement->bind(2, change.assignee);
        statement->bind(3, static_cast<int>(change.disposition));
        statement->bind(4, storeutil::nowMs());
        statement->bind(5, alertId);
        statement->step();
        ok = statement->error().isEmpty() && m_db.changes() == 1;
        if (!ok)
            storeutil::fail(errorMessage,
                statement->error().isEmpty() ? QStringLiteral("Alert %1 not found.").arg(alertId)
                                             : statement->error());
        statement->reset();
    } else {
        storeutil::fail(errorMessage, m_db, "prepare alert triage update");
    }
    ok = ok && insertHistory(alertId, change, errorMessage);

    if (!ownTransaction)
        return ok;
    if (!ok) {
        m_db.rollback();
        return false;
    }
    return m_db.commit(errorMessage);
}

QVector<AlertHistoryEntry> Store::alertHistory(qint64 alertId)
{
    QVector<AlertHistoryEntry> entries;
    Statement *statement
        = cached("SELECT at_ms, actor, action, status, assignee, disposition, note "
                 "FROM alert_history WHERE alert_id = ? ORDER BY id");
    if (!statement)
        return entries;
    statement->bind(1, alertId);
    while (statement->step()) {
        AlertHistoryEntry entry;
        entry.atMs = statement->columnInt64(0);
        entry.actor = statement->columnText(1);
        entry.action = statement->columnText(2);
        entry.status = static_cast<AlertStatus>(statement->columnInt(3));
        entry.assignee = statement->columnText(4);
        entry.disposition = static_cast<Disposition>(statement->columnInt(5));
        entry.note = statement->columnText(6);
        entries.append(entry);
    }
    statement->reset();
    return entries;
}

} // namespace portcullis
