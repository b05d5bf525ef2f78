// SPDX-License-Identifier: GPL-3.0-or-later
#include "detect/behavioursupport.h"

#include "detect/detectorsupport.h"

#include <QDateTime>

namespace portcullis::detect {

QString isoTime(qint64 timestampMs)
{
    return QDateTime::fromMSecsSinceEpoch(timestampMs, Qt::UTC).toString(Qt::ISODate);
}

namespace {

// Maps with at most this many keys are searched key by key: the sizes differ
// for most keys, so that costs less than the map's QString::compare() calls.
constexpr qsizetype MaxScannedExtra = 4;

QVariantMap::const_iterator findExtra(const QVariantMap &extra, const QString &field)
{
    if (extra.size() > MaxScannedExtra)
        return extra.constFind(field);
    for (auto it = extra.constBegin(); it != extra.constEnd(); ++it) {
        if (it.key() == field)
            return it;
    }
    return extra.constEnd();
}

} // namespace

// extraText() for an event with extra fields.
QString findExtraText(const Event &event, const QString &field)
{
    const auto it = findExtra(event.extra, field);
    if (it == event.extra.constEnd() || it->isNull())
        return QString();
    if (it->typeId() == QMetaType::QVariantList) {
        const QVariantList list = it->toList();
        return list.isEmpty() ? QString() : list.first().toString();
    }
    return it->toString();
}

bool extraNumber(const Event &event, const QString &field, double *value)
{
    if (event.extra.isEmpty())
        return false;
    const auto it = findExtra(event.extra, field);
    if (it == event.extra.constEnd() || it->isNull())
        return false;
    bool ok = false;
    *value = it->toDouble(&ok);
    return ok;
}

// Whether Event::extra may contain one of the "user." fields that
// eventAccount() and eventActor() read. Small maps are scanned key by key.
// Most events have none of these keys: sshd lines carry only "ssh.method".
static bool mayHaveUserExtra(const QVariantMap &extra)
{
    if (extra.isEmpty())
        return false;
    if (extra.size() > MaxScannedExtra)
        return true;
    for (auto it = extra.constBegin(); it != extra.constEnd(); ++it) {
        if (startsWithAscii(it.key(), "user."))
            return true;
    }
    return false;
}

QString eventAccount(const Event &event)
{
    if (!mayHaveUserExtra(event.extra))
        return event.userName;  // what the look-ups below return without those fields
    QString account = extraText(event, QStringLiteral("user.target.id"));
    if (account.isEmpty())
        account = extraText(event, QStringLiteral("user.target.name"));
    if (account.isEmpty())
        account = eventActor(event);
    return account;
}

QString eventActor(const Event &event)
{
    if (!mayHaveUserExtra(event.extra))
        return event.userName;
    const QString id = extraText(event, QStringLiteral("user.id"));
    return id.isEmpty() ? event.userName : id;
}

QString eventUrlPath(const Event &event)
{
    const QString path = extraText(event, QStringLiteral("url.path"));
    return path.isEmpty() ? urlPath(event.urlOriginal).toString() : path;
}

QString pathTemplate(const QString &path, qint64 *lastId)
{
    *lastId = -1;
    QString result;
    result.reserve(path.size());
    qsizetype start = 0;
    while (start <= path.size()) {
        qsizetype end = path.indexOf(QLatin1Char('/'), start);
        if (end < 0)
            end = path.size();
        const QStringView segment = QStringView(path).mid(start, end - start);
        bool digits = !segment.isEmpty() && segment.size() <= 18;
        for (QChar c : segment)
            digits = digits && c.isDigit() && c.unicode() < 128;
        if (digits) {
            *lastId = segment.toLongLong();
            result += QLatin1String("{id}");
        } else {
            result += segment;
        }
        if (end < path.size())
            result += QLatin1Char('/');
        start = end + 1;
    }
    return result;
}

OpenAlerts::OpenAlerts(const QString &ruleId, qint64 gapMs, int maxOpen)
    : m_ruleId(ruleId)
    , m_gapMs(gapMs)
    , m_maxOpen(qMax(1, maxOpen))
{
}

Alert &OpenAlerts::update(const QString &group, qint64 timestampMs)
{
    auto it = m_open.find(group);
    if (it != m_open.end() && timestampMs > it->alert.lastSeenMs + m_gapMs) {
        if (it->dirty)
            m_pendingDropped.append(it->alert);
        m_open.erase(it);
        it = m_open.end();
    }
    if (it == m_open.end()) {
        if (m_open.size() >= m_maxOpen)
            dropOldest(nullptr);
        Open open;
        open.alert.ruleId = m_ruleId;
        open.alert.key = alertKey(m_ruleId, group, timestampMs);
        open.alert.firstSeenMs = timestampMs;
        open.alert.lastSeenMs = timestampMs;
        it = m_open.insert(group, open);
        m_oldest.add(timestampMs);
    }
    it->alert.firstSeenMs = qMin(it->alert.firstSeenMs, timestampMs);
    it->alert.lastSeenMs = qMax(it->alert.lastSeenMs, timestampMs);
    if (!it->dirty) {
        it->dirty = true;
        m_dirty.append(group);
    }
    return it->alert;
}

const Alert *OpenAlerts::find(const QString &group) const
{
    const auto it = m_open.constFind(group);
    return it == m_open.constEnd() ? nullptr : &it->alert;
}

void OpenAlerts::flush(AlertSink &sink)
{
    for (const Alert &alert : std::as_const(m_pendingDropped))
        sink.upsertAlert(alert);
    m_pendingDropped.clear();
    for (const QString &group : std::as_const(m_dirty)) {
        const auto it = m_open.find(group);
        if (it == m_open.end() || !it->dirty)
            continue;
        sink.upsertAlert(it->alert);
        it->dirty = false;
    }
    m_dirty.clear();
}

void OpenAlerts::expire(qint64 nowMs, AlertSink &sink)
{
    flush(sink);
    const qint64 horizon = nowMs - m_gapMs;
    if (m_oldest.noneBefore(horizon))
        return;

    m_oldest.reset();
    for (auto it = m_open.begin(); it != m_open.end();) {
        if (it->alert.lastSeenMs < horizon) {
            it = m_open.erase(it);
        } else {
            m_oldest.add(it->alert.lastSeenMs);
            ++it;
        }
    }
}

void OpenAlerts::finish(AlertSink &sink)
{
    flush(sink);
    m_open.clear();
    m_oldest.reset();
}

void OpenAlerts::dropOldest(AlertSink *sink)
{
    auto oldest = m_open.begin();
    for (auto it = m_open.begin(); it != m_open.end(); ++it) {
        if (it->alert.lastSeenMs < oldest->alert.lastSeenMs)
            oldest = it;
    }
    if (oldest == m_open.end())
        return;
    if (oldest->dirty) {
        if (sink)
            sink->upsertAlert(oldest->alert);
        else
            m_pendingDropped.append(oldest->alert);
    }
    m_open.erase(oldest);
}

void addEntity(Alert &alert, const QString &field, const QString &value, int limit)
{
    if (value.isEmpty())
        return;
    QStringList &values = alert.entities[field];
    if (values.size() < limit && !values.contains(value))
        values.append(value);
}

} // namespace portcullis::detect
