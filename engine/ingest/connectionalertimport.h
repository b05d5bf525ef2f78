// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "detect/alert.h"

#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>

namespace portcullis {

class Database;
class Store;

// Limits of one backend alert; longer text is cut, a bad id is rejected.
inline constexpr qsizetype MaxBackendAlertIdChars = 128;
inline constexpr qsizetype MaxBackendAlertTitleChars = 300;

// Maps one alert of GET /alerts (docs/telemetry-api.md) to a console alert:
// rule id "backend:TYPE", key "backend-alert|CONNECTION|ID", the backend's
// severity, entities under their ECS names, event_ids as evidence. Returns
// false with the reason when the alert has no usable id or creation time.
bool mapBackendAlert(const QString &connection, const QJsonObject &object, Alert *alert,
    QString *reason);

struct BackendAlertImport {
    QVector<Alert> changed;                          // stored or updated, with store ids
    QList<QPair<QJsonObject, QString>> rejected;     // raw alert and why
    int unchanged = 0;                               // already stored as the backend has it
};

// Stores the alerts in the caller's transaction, each backend id once per
// connection: an alert already imported is skipped unless the backend changed
// its severity, status or title.
bool importBackendAlerts(Store &store, const QString &connection, const QList<QJsonObject> &alerts,
    BackendAlertImport *result, QString *errorMessage);

// The created_at of the newest imported alert of the connection; empty: none.
QString newestBackendAlert(Database &db, const QString &connection);

} // namespace portcullis
