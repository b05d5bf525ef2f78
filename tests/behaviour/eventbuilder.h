// SPDX-License-Identifier: GPL-3.0-or-later
// Builds events shaped like the backend stand-in's after JSON-lines parsing:
// the known ECS fields in Event members, the rest in Event::extra.
#pragma once

#include "detect/alert.h"
#include "event/event.h"

#include <QVector>

namespace portcullis::test {

inline constexpr qint64 BaseMs = 1'796'000'000'000; // 2026-11-30
inline constexpr qint64 Second = 1000;
inline constexpr qint64 Minute = 60 * Second;
inline constexpr qint64 Hour = 60 * Minute;

inline Event backendEvent(qint64 timeMs, EventCategory category, const QString &action,
    EventOutcome outcome, const QString &ip)
{
    static qint64 counter = 0;
    Event event;
    event.timestampMs = timeMs;
    event.id = "evt-" + QByteArray::number(++counter);
    event.category = category;
    event.action = action;
    event.outcome = outcome;
    event.sourceIp = ip;
    event.serviceName = QStringLiteral("bookedbarber-api");
    event.userAgent = QStringLiteral("Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Firefox/120.0");
    return event;
}

inline void setUser(Event &event, const QString &id, const QString &name)
{
    event.userName = name;
    event.hasUserName = true;
    event.extra.insert(QStringLiteral("user.id"), id);
}

inline void setGeo(Event &event, double latitude, double longitude, const QString &country)
{
    event.extra.insert(QStringLiteral("source.geo.location.lat"), latitude);
    event.extra.insert(QStringLiteral("source.geo.location.lon"), longitude);
    event.extra.insert(QStringLiteral("source.geo.country_iso_code"), country);
}

inline Event login(qint64 timeMs, const QString &ip, const QString &userId, bool success)
{
    Event event = backendEvent(timeMs, EventCategory::Authentication,
        QStringLiteral("user_login"), success ? EventOutcome::Success : EventOutcome::Failure, ip);
    setUser(event, userId, userId + QStringLiteral("@example.com"));
    return event;
}

inline Event request(qint64 timeMs, const QString &ip, const QString &path, qint64 bytes = 1000)
{
    Event event = backendEvent(timeMs, EventCategory::Web, QStringLiteral("http_request"),
        EventOutcome::Success, ip);
    event.httpMethod = QStringLiteral("GET");
    event.urlOriginal = path;
    event.httpStatus = 200;
    event.httpBytes = bytes;
    event.extra.insert(QStringLiteral("url.path"), path);
    return event;
}

inline QVector<Alert> alertsOf(const QVector<Alert> &alerts, const char *ruleId)
{
    QVector<Alert> matching;
    for (const Alert &alert : alerts) {
        if (alert.ruleId == QLatin1String(ruleId))
            matching.append(alert);
    }
    return matching;
}

} // namespace portcullis::test
