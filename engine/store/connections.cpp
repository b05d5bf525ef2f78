// SPDX-License-Identifier: GPL-3.0-or-later
#include "store/connections.h"

#include "store/database.h"

#include <QDateTime>

namespace portcullis {

namespace {

bool finish(Statement &statement, QString *errorMessage)
{
    statement.step();
    if (statement.error().isEmpty())
        return true;
    if (errorMessage)
        *errorMessage = statement.error();
    return false;
}

} // namespace

bool listConnections(Database &db, QVector<StoredConnection> *connections, QString *errorMessage)
{
    Statement select = db.prepare(
        "SELECT name, base_url, cursor, last_event_ms, events_stored, state, state_reason, "
        "lag_seconds, state_ms, last_error, reached FROM backend_connections ORDER BY name",
        errorMessage);
    if (!select.isValid())
        return false;
    connections->clear();
    while (select.step()) {
        StoredConnection row;
        row.name = select.columnText(0);
        row.baseUrl = select.columnText(1);
        row.cursor = select.columnText(2);
        row.lastEventMs = select.columnInt64(3);
        row.eventsStored = select.columnInt64(4);
        row.state = select.columnText(5);
        row.stateReason = select.columnText(6);
        row.lagSeconds = select.columnInt64(7);
        row.stateMs = select.columnInt64(8);
        row.lastError = select.columnText(9);
        row.reached = select.columnInt64(10) != 0;
        connections->append(row);
    }
    if (select.error().isEmpty())
        return true;
    if (errorMessage)
        *errorMessage = select.error();
    return false;
}

bool saveConnectionState(Database &db, const QString &name, const QString &state,
    const QString &reason, qint64 lagSeconds, QString *errorMessage)
{
    Statement update = db.prepare(
        "UPDATE backend_connections SET state = ?1, state_reason = ?2, lag_seconds = ?3, "
        "state_ms = ?4, last_error = CASE WHEN ?1 = 'error' THEN ?2 ELSE last_error END "
        "WHERE name = ?5",
        errorMessage);
    if (!update.isValid())
        return false;
    update.bind(1, state);
    update.bind(2, reason);
    update.bind(3, lagSeconds);
    update.bind(4, QDateTime::currentMSecsSinceEpoch());
    update.bind(5, name);
    return finish(update, errorMessage);
}

bool markConnectionReached(Database &db, const QString &name, QString *errorMessage)
{
    Statement update = db.prepare(
        "UPDATE backend_connections SET reached = 1 WHERE name = ? AND reached = 0", errorMessage);
    if (!update.isValid())
        return false;
    update.bind(1, name);
    return finish(update, errorMessage);
}

bool connectionReached(Database &db, const QString &name)
{
    Statement select = db.prepare("SELECT reached FROM backend_connections WHERE name = ?");
    if (!select.isValid())
        return false;
    select.bind(1, name);
    return select.step() && select.columnInt64(0) != 0;
}

} // namespace portcullis
