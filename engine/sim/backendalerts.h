// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QUrlQuery>

namespace portcullis::sim {

// The backend's own view: the counters behind GET /dashboard and the alerts
// its own simple detectors raise (GET /alerts), which the console imports as
// another alert source. The figures the backend's team claims (accuracy,
// compliance scores) are returned as constants and marked as claims.
class BackendAlerts {
public:
    // Counts one emitted event and raises an alert when a rule trips.
    void observe(const QJsonObject &doc, const QByteArray &eventId, qint64 timeMs);

    QJsonObject dashboard(qint64 nowMs) const;
    // Alerts filtered by ?severity=, ?status=, ?since= (RFC 3339) and ?limit=.
    QJsonObject alerts(const QUrlQuery &query) const;
    static QJsonObject complianceStatus(qint64 nowMs);

private:
    void raise(const QString &type, const QString &severity, const QString &title,
        const QJsonObject &entities, const QJsonArray &eventIds, qint64 timeMs);

    struct Window {
        qint64 startMs = 0;
        int count = 0;
        QJsonArray eventIds;
        bool raised = false;
    };

    // Counts one event in the address's window and raises the alert once when
    // the count reaches `threshold`.
    void countInWindow(QHash<QString, Window> &windows, const QString &ip, qint64 windowMs,
        int threshold, const QByteArray &eventId, qint64 timeMs, const QString &type,
        const QString &title);

    QJsonArray m_alerts;
    QHash<QString, Window> m_failedLogins; // source.ip -> 5-minute window
    QHash<QString, Window> m_declines; // source.ip -> 10-minute window of failed charges
    qint64 m_events = 0;
    qint64 m_failedLoginCount = 0;
    qint64 m_blockedCharges = 0;
    qint64 m_declinedCharges = 0;
    qint64 m_charges = 0;
    qint64 m_refused = 0; // requests refused by a response action (403, 429)
};

} // namespace portcullis::sim
