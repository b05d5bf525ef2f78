// SPDX-License-Identifier: GPL-3.0-or-later
#include "detect/detectorsupport.h"

#include <QCoreApplication>

namespace portcullis::detect {

void TimeWindow::insert(qint64 timestampMs)
{
    auto position = m_times.end();
    while (position != m_times.begin() && *(position - 1) > timestampMs)
        --position;
    m_times.insert(position, timestampMs);
}

void TimeWindow::removeBefore(qint64 timestampMs)
{
    while (!m_times.empty() && m_times.front() < timestampMs)
        m_times.pop_front();
}

bool TimeWindow::hasBurst(int minCount, qint64 windowMs) const
{
    const qsizetype count = m_times.size();
    if (minCount <= 0)
        return true;
    for (qsizetype i = 0; i + minCount - 1 < count; ++i) {
        if (m_times[i + minCount - 1] - m_times[i] <= windowMs)
            return true;
    }
    return false;
}

// Whether `value` shares its buffer with m_lastSeen. A shared buffer contains
// the same text, because a QString copies its buffer before writing to it.
// Null strings and raw data have no buffer, so they never match here.
bool BoundedValueSet::isLastSeen(const QString &value) const
{
    return value.isSharedWith(m_lastSeen) && value.constData() == m_lastSeen.constData()
        && value.size() == m_lastSeen.size();
}

void BoundedValueSet::add(const QString &value, int limit)
{
    if (isLastSeen(value))
        return;
    if (m_seen.contains(value)) {
        m_lastSeen = value;
        return;
    }
    ++m_count;
    if (m_order.size() >= limit)
        return;
    m_seen.insert(value);
    m_order.append(value);
    m_lastSeen = value;
}

void BoundedValueSet::clear()
{
    m_seen.clear();
    m_order.clear();
    m_count = 0;
    m_lastSeen.clear();
}

QByteArray alertKey(const QString &ruleId, const QString &group, qint64 burstStartMs)
{
    return ruleId.toUtf8() + '|' + group.toUtf8() + '|' + QByteArray::number(burstStartMs);
}

QString countText(qint64 count, const char *singular, const char *plural)
{
    const char *context = "portcullis::detect";
    if (count == 1)
        return QCoreApplication::translate(context, singular);
    return QCoreApplication::translate(context, plural).arg(count);
}

QString describeSpan(qint64 firstMs, qint64 lastMs)
{
    const qint64 seconds = qMax<qint64>(0, (lastMs - firstMs + 999) / 1000);
    if (seconds < 120)
        return countText(seconds, QT_TRANSLATE_NOOP("portcullis::detect", "1 second"),
            QT_TRANSLATE_NOOP("portcullis::detect", "%1 seconds"));
    const qint64 minutes = (seconds + 59) / 60;
    if (minutes < 120)
        return countText(minutes, QT_TRANSLATE_NOOP("portcullis::detect", "1 minute"),
            QT_TRANSLATE_NOOP("portcullis::detect", "%1 minutes"));
    const qint64 hours = (minutes + 59) / 60;
    return countText(hours, QT_TRANSLATE_NOOP("portcullis::detect", "1 hour"),
        QT_TRANSLATE_NOOP("portcullis::detect", "%1 hours"));
}

QString eventSource(const Event &event, QString *field)
{
    if (!event.sourceIp.isEmpty()) {
        *field = QStringLiteral("source.ip");
        return event.sourceIp;
    }
    if (!event.sourceDomain.isEmpty()) {
        *field = QStringLiteral("source.domain");
        return event.sourceDomain;
    }
    field->clear();
    return QString();
}

QStringView urlPath(const QString &urlOriginal)
{
    QStringView path(urlOriginal);
    const qsizetype end = path.indexOf(QLatin1Char('?'));
    if (end >= 0)
        path = path.first(end);
    const qsizetype fragment = path.indexOf(QLatin1Char('#'));
    if (fragment >= 0)
        path = path.first(fragment);
    return path;
}

bool isSshProcess(const Event &event)
{
    return event.processName.isEmpty() || startsWithAscii(event.processName, "sshd");
}

} // namespace portcullis::detect
