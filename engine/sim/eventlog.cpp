// SPDX-License-Identifier: GPL-3.0-or-later
#include "sim/eventlog.h"

namespace portcullis::sim {

EventLog::EventLog(const QString &epoch)
    : m_epoch(epoch)
{
}

void EventLog::setRetention(qint64 maxEvents, qint64 maxAgeMs)
{
    m_maxEvents = maxEvents;
    m_maxAgeMs = maxAgeMs;
}

quint64 EventLog::append(qint64 timeMs, QByteArray json)
{
    StoredEvent event;
    event.sequence = ++m_lastSequence;
    event.timeMs = timeMs;
    event.json = std::move(json);
    m_events.push_back(std::move(event));
    return m_lastSequence;
}

void EventLog::applyRetention(qint64 nowMs)
{
    while (m_maxEvents > 0 && qint64(m_events.size()) > m_maxEvents)
        m_events.pop_front();
    while (m_maxAgeMs > 0 && !m_events.empty() && m_events.front().timeMs < nowMs - m_maxAgeMs)
        m_events.pop_front();
}

qint64 EventLog::dropThrough(quint64 sequence)
{
    qint64 dropped = 0;
    while (!m_events.empty() && m_events.front().sequence <= sequence) {
        m_events.pop_front();
        ++dropped;
    }
    return dropped;
}

quint64 EventLog::firstSequence() const
{
    return m_events.empty() ? m_lastSequence + 1 : m_events.front().sequence;
}

const StoredEvent *EventLog::at(quint64 sequence) const
{
    if (m_events.empty() || sequence < m_events.front().sequence || sequence > m_lastSequence)
        return nullptr;
    return &m_events[std::size_t(sequence - m_events.front().sequence)];
}

QString EventLog::cursor(quint64 sequence) const
{
    return m_epoch + QLatin1Char('-') + QString::number(sequence);
}

EventLog::CursorState EventLog::parseCursor(const QString &cursor, quint64 *sequence) const
{
    if (cursor.isEmpty()) {
        *sequence = firstSequence() - 1;
        return CursorState::Valid;
    }
    const qsizetype dash = cursor.lastIndexOf(QLatin1Char('-'));
    if (dash <= 0 || cursor.size() > 64)
        return CursorState::Invalid;
    bool ok = false;
    const quint64 value = QStringView(cursor).mid(dash + 1).toULongLong(&ok);
    if (!ok)
        return CursorState::Invalid;
    *sequence = value;
    if (QStringView(cursor).left(dash) != m_epoch)
        return CursorState::Expired;
    return value + 1 < firstSequence() ? CursorState::Expired : CursorState::Valid;
}

} // namespace portcullis::sim
