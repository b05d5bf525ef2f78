// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "security/identity.h"
#include "store/store.h"

#include <functional>

namespace portcullis {

// Alert triage: the one gate that the GUI and the CLI both use to read and
// change alerts. Each call checks the identity's permission, records the
// change with its history, and appends it to the audit trail.
class AlertService
{
public:
    explicit AlertService(Store &store);

    // Returns -1 when the identity may not view alerts.
    qint64 countAlerts(const Identity &who, const AlertQuery &query, QString *errorMessage);
    QVector<Alert> queryAlerts(const Identity &who, const AlertQuery &query, QString *errorMessage);
    QVector<qint64> queryAlertIds(const Identity &who, const AlertQuery &query, QString *errorMessage);
    std::optional<Alert> alert(const Identity &who, qint64 alertId, QString *errorMessage);
    QVector<Event> evidence(const Identity &who, qint64 alertId, QString *errorMessage);
    QVector<AlertHistoryEntry> history(const Identity &who, qint64 alertId, QString *errorMessage);

    bool acknowledge(const Identity &who, qint64 alertId, const QString &note, QString *errorMessage);
    bool assign(const Identity &who, qint64 alertId, const QString &assignee, const QString &note,
                QString *errorMessage);
    bool close(const Identity &who, qint64 alertId, Disposition disposition, const QString &note,
               QString *errorMessage);
    bool reopen(const Identity &who, qint64 alertId, const QString &note, QString *errorMessage);

private:
    bool change(const Identity &who, qint64 alertId, const QString &action, const QString &note,
                QString *errorMessage, const std::function<bool(Alert &, QString *)> &transition);

    Store &m_store;
};

} // namespace portcullis
