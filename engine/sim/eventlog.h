// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

#include <deque>

namespace portcullis::sim {

struct StoredEvent {
    quint64 sequence = 0; // 1 for the first event the server emitted
    qint64 timeMs = 0;
    QByteArray json; // the ECS document, compact, one line
};

// The events the server emitted and still retains, addressed by cursor.
//
// A cursor is "<epoch>-<sequence>": the epoch names one stream (one seed and
// start time), the sequence is that of the last event the client has. Events
// leave the log when the retention (a count, an age or both) is exceeded.
class EventLog {
public:
    enum class CursorState { Valid, Expired, Invalid };

    explicit EventLog(const QString &epoch);

    void setRetention(qint64 maxEvents, qint64 maxAgeMs);
    quint64 append(qint64 timeMs, QByteArray json);
    // Drops events beyond the retention, counted back from `nowMs`.
    void applyRetention(qint64 nowMs);
    // Drops every retained event up to and including `sequence`. Returns the count.
    qint64 dropThrough(quint64 sequence);

    quint64 firstSequence() const; // oldest retained, or lastSequence() + 1 when empty
    quint64 lastSequence() const { return m_lastSequence; }
    const StoredEvent *at(quint64 sequence) const; // nullptr when not retained
    qint64 retainedCount() const { return qint64(m_events.size()); }

    QString cursor(quint64 sequence) const;
    // Reads a cursor. An empty cursor means "from the oldest retained event".
    // A cursor of another epoch is Expired, and so is one whose next event is
    // no longer retained. A cursor ahead of the newest event is Valid, because
    // the events after it are still to come.
    CursorState parseCursor(const QString &cursor, quint64 *sequence) const;

private:
    QString m_epoch;
    std::deque<StoredEvent> m_events;
    quint64 m_lastSequence = 0;
    qint64 m_maxEvents = 0;
    qint64 m_maxAgeMs = 0;
};

} // namespace portcullis::sim
