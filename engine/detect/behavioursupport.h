// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "detect/alert.h"
#include "detect/detector.h"
#include "detect/expirybound.h"
#include "event/event.h"

#include <QHash>
#include <QString>
#include <QVector>

namespace portcullis::detect {

// Names of the backend's event.action values that the behavioural detectors
// read (docs/telemetry-api.md).
namespace backend {
inline constexpr char Login[] = "user_login";
inline constexpr char SessionCreated[] = "session_created";
inline constexpr char EmailChanged[] = "user_email_changed";
inline constexpr char PhoneChanged[] = "user_phone_changed";
inline constexpr char PayoutDestinationChanged[] = "payout_destination_changed";
inline constexpr char ExternalAccountCreated[] = "account.external_account.created";
inline constexpr char PayoutCreated[] = "payout.created";
} // namespace backend

// "2026-12-01T10:00:00Z": a UTC time for alert reasons.
QString isoTime(qint64 timestampMs);

QString findExtraText(const Event &event, const QString &field);

// A string in Event::extra, empty when absent. Pass the field as a
// QStringLiteral, which costs no allocation per event. Inline, so that the
// many events without extra fields cost no call.
inline QString extraText(const Event &event, const QString &field)
{
    return event.extra.isEmpty() ? QString() : findExtraText(event, field);
}
// A number in Event::extra; false when absent or not a number.
bool extraNumber(const Event &event, const QString &field, double *value);

// The account an event is about: user.target.id, else user.id, else user.name.
QString eventAccount(const Event &event);
// The account that acted: user.id, else user.name.
QString eventActor(const Event &event);
// url.path, else the path of url.original.
QString eventUrlPath(const Event &event);
// The path with every all-digit segment replaced by "{id}"; `lastId`
// receives the last such segment's value (-1 when none).
QString pathTemplate(const QString &path, qint64 *lastId);

// The alerts a detector has open, one per group (an account, a session, an
// address). An open alert is updated in place while its attack goes on, so
// one attack gives one Alert::key; after `gapMs` without an update the next
// update starts a new alert. Memory: the open alerts, at most `maxOpen`.
class OpenAlerts {
public:
    OpenAlerts(const QString &ruleId, qint64 gapMs, int maxOpen = 10000);

    // Returns the group's open alert, starting one at `timestampMs` when none
    // is open or the last update is older than the gap. Marks it changed.
    // Callers may move the alert's lastSeenMs forward but never back, because
    // expire() relies on that to skip sweeps that would drop nothing.
    Alert &update(const QString &group, qint64 timestampMs);
    // The group's open alert, or nullptr.
    const Alert *find(const QString &group) const;
    // Sends the alerts changed since the last flush.
    void flush(AlertSink &sink);
    // Sends and removes the alerts not updated since `nowMs` minus the gap.
    void expire(qint64 nowMs, AlertSink &sink);
    void finish(AlertSink &sink);
    int size() const { return int(m_open.size()); }

private:
    struct Open {
        Alert alert;
        bool dirty = false;
    };

    void dropOldest(AlertSink *sink);

    QString m_ruleId;
    qint64 m_gapMs;
    int m_maxOpen;
    QHash<QString, Open> m_open;
    OldestTimeBound m_oldest; // of the open alerts' lastSeenMs
    QVector<QString> m_dirty;
    QVector<Alert> m_pendingDropped; // alerts dropped over the cap, sent at the next flush
};

// Adds a value to an alert's entity list unless present, keeping at most `limit`.
void addEntity(Alert &alert, const QString &field, const QString &value, int limit = 100);

// Event time between sweeps of the behavioural detectors' tables.
inline constexpr qint64 BehaviourSweepMs = 60 * 1000;

// A detector with per-entity state, which reports its size for the memory bound.
class BehaviourDetector : public Detector {
public:
    // Entities (accounts, sessions, addresses) whose state the detector keeps.
    virtual int trackedEntities() const = 0;
    // Entities dropped because a table reached its cap.
    virtual qint64 evictedEntities() const { return 0; }
};

// Calls `sweep(nowMs)` when event time has moved BehaviourSweepMs since the last call.
class SweepClock {
public:
    template<typename Sweep> void advance(qint64 timestampMs, const Sweep &sweep)
    {
        m_newestMs = qMax(m_newestMs, timestampMs);
        if (m_newestMs - m_lastSweepMs < BehaviourSweepMs)
            return;
        m_lastSweepMs = m_newestMs;
        sweep(m_newestMs);
    }
    qint64 newest() const { return m_newestMs; }

private:
    qint64 m_newestMs = 0;
    qint64 m_lastSweepMs = 0;
};

} // namespace portcullis::detect
