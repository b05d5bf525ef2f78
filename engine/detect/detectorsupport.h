// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "detect/alert.h"
#include "detect/detector.h"
#include "detect/expirybound.h"
#include "event/event.h"

#include <QHash>
#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>
#include <QVector>

namespace portcullis::detect {

// Sorted timestamps of one group's recent events, for "N events within W"
// checks on input that may be out of order by a few minutes.
class TimeWindow {
public:
    // Inserts in time order; late events walk back from the newest.
    void insert(qint64 timestampMs);
    void removeBefore(qint64 timestampMs);
    // True when some span of `windowMs` contains at least `minCount` timestamps.
    bool hasBurst(int minCount, qint64 windowMs) const;
    qint64 newest() const { return m_times.empty() ? 0 : m_times.back(); }
    int size() const { return static_cast<int>(m_times.size()); }
    void clear() { m_times.clear(); }

private:
    QList<qint64> m_times; // no allocation until the first insert
};

// Distinct values in first-seen order, at most `limit` kept; count() goes on past it.
class BoundedValueSet {
public:
    void add(const QString &value, int limit);
    const QStringList &values() const { return m_order; }
    int count() const { return m_count; }
    bool isCapped() const { return m_count > m_order.size(); }
    void clear();

private:
    bool isLastSeen(const QString &value) const;

    QSet<QString> m_seen;
    QStringList m_order;
    int m_count = 0;
    // The last value found in or added to m_seen. Callers often add the
    // same shared string again (the parsers intern user names), which then
    // needs no hash look-up.
    QString m_lastSeen;
};

// Appends an event id while the alert has fewer than MaxEvidence.
inline void appendEvidence(QVector<QByteArray> &evidence, const QByteArray &eventId)
{
    if (!eventId.isEmpty() && evidence.size() < MaxEvidence)
        evidence.append(eventId);
}

// "ssh-brute-force|1.2.3.4|1700000000000": rule, group value and burst start.
QByteArray alertKey(const QString &ruleId, const QString &group, qint64 burstStartMs);

// "1 user" or "5 users": `singular` for one, else `plural` with %1 the count.
// Both are looked up in the "portcullis::detect" translation context.
QString countText(qint64 count, const char *singular, const char *plural);

// "6 minutes", "40 seconds", "2 hours": the span between two times, for reasons.
QString describeSpan(qint64 firstMs, qint64 lastMs);

// The source of an event: source.ip, else source.domain (a PAM rhost that is
// a host name). `field` receives the ECS name. Empty when the event has neither.
QString eventSource(const Event &event, QString *field);

// The path of url.original without query or fragment, as written.
QStringView urlPath(const QString &urlOriginal);

bool isSshProcess(const Event &event);

// QString::startsWith() for an ASCII literal prefix, compared inline, because
// Qt 6.4's out-of-line comparison costs more than these few characters.
template<qsizetype N>
inline bool startsWithAscii(const QString &s, const char (&prefix)[N])
{
    constexpr qsizetype size = N - 1;
    if (s.size() < size)
        return false;
    const QChar *data = s.constData();
    for (qsizetype i = 0; i < size; ++i) {
        if (data[i].unicode() != char16_t(prefix[i]))
            return false;
    }
    return true;
}

// QString == QLatin1String for an ASCII literal, compared inline for the
// same reason as startsWithAscii(); detectors compare event.action this way.
template<qsizetype N>
inline bool equalsAscii(const QString &s, const char (&text)[N])
{
    return s.size() == N - 1 && startsWithAscii(s, text);
}

// Sends the alert of every burst marked dirty since the last call, then
// clears the marks. `buildAlert(source, burst)` makes the alert.
template<typename Burst, typename BuildAlert>
void flushDirtyBursts(QHash<QString, Burst> &bursts, QVector<QString> &dirty,
                      const BuildAlert &buildAlert, AlertSink &sink)
{
    for (const QString &source : std::as_const(dirty)) {
        const auto it = bursts.find(source);
        if (it == bursts.end() || !it->dirty)
            continue;
        sink.upsertAlert(buildAlert(source, *it));
        it->dirty = false;
    }
    dirty.clear();
}

// Drops the bursts last seen before `horizonMs`, first sending the final
// alert of each one that changed since its last flush. `oldest` bounds the
// bursts' lastSeenMs: the caller adds each new burst's time to it.
template<typename Burst, typename BuildAlert>
void expireBursts(QHash<QString, Burst> &bursts, OldestTimeBound &oldest, qint64 horizonMs,
                  const BuildAlert &buildAlert, AlertSink &sink)
{
    if (oldest.noneBefore(horizonMs))
        return;

    oldest.reset();
    for (auto it = bursts.begin(); it != bursts.end();) {
        if (it->lastSeenMs >= horizonMs) {
            oldest.add(it->lastSeenMs);
            ++it;
            continue;
        }
        if (it->dirty)
            sink.upsertAlert(buildAlert(it.key(), *it));
        it = bursts.erase(it);
    }
}

} // namespace portcullis::detect
