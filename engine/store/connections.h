// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QVector>

namespace portcullis {

class Database;

// One row of backend_connections (migrations 3 and 7): a named backend, its
// committed cursor and the last state its client recorded.
struct StoredConnection {
    QString name;
    QString baseUrl;
    QString cursor;
    qint64 lastEventMs = 0;
    qint64 eventsStored = 0;
    QString state;                   // "connecting", "connected", "lagging", "error", "stopped"
    QString stateReason;             // why it is in error, or the retried failure
    qint64 lagSeconds = 0;
    qint64 stateMs = 0;              // when the state was recorded, UTC ms
    QString lastError;               // the last error reason, kept after a recovery
    bool reached = false;            // the backend responded at least once
};

// Every connection, by name.
bool listConnections(Database &db, QVector<StoredConnection> *connections, QString *errorMessage);
// Records a connection's state; an "error" state also becomes its last_error.
bool saveConnectionState(Database &db, const QString &name, const QString &state,
    const QString &reason, qint64 lagSeconds, QString *errorMessage);
// Records that the backend responded, which stays recorded across restarts.
bool markConnectionReached(Database &db, const QString &name, QString *errorMessage);
bool connectionReached(Database &db, const QString &name);

} // namespace portcullis
