// SPDX-License-Identifier: GPL-3.0-or-later
#include "detect/automationdetectors.h"

#include "detect/detectorsupport.h"

#include <QCoreApplication>

#include <algorithm>
#include <vector>

namespace portcullis::detect {

namespace {

constexpr char Context[] = "portcullis::detect";
constexpr qsizetype MaxWalkIds = 2048;

QString tr(const char *text)
{
    return QCoreApplication::translate(Context, text);
}

} // namespace

int ValueWindow::add(const QString &value, qint64 timestampMs, qint64 windowMs)
{
    for (auto it = values.begin(); it != values.end();) {
        if (it->first == value || it->second < timestampMs - windowMs)
            it = values.erase(it);
        else
            ++it;
    }
    values.append({ value, timestampMs });
    if (values.size() > MaxValues)
        values.removeFirst();
    return int(values.size());
}

DeviceRotationDetector::DeviceRotationDetector(const DetectionConfig &config)
    : m_config(config)
    , m_accountDevices(config.baselineMaxEntities, config.deviceWindowMs)
    , m_sourceDevices(config.baselineMaxEntities, config.deviceWindowMs)
    , m_sourceAgents(config.baselineMaxEntities, config.userAgentWindowMs)
    , m_alerts(QLatin1String(RuleId), qMax(config.deviceWindowMs, config.userAgentWindowMs))
{
}

int DeviceRotationDetector::trackedEntities() const
{
    return m_accountDevices.size() + m_sourceDevices.size() + m_sourceAgents.size();
}

qint64 DeviceRotationDetector::evictedEntities() const
{
    return m_accountDevices.evicted() + m_sourceDevices.evicted() + m_sourceAgents.evicted();
}

void DeviceRotationDetector::processEvent(const Event &event, AlertSink &sink)
{
    m_clock.advance(event.timestampMs, [this, &sink](qint64 nowMs) {
        m_accountDevices.expire(nowMs);
        m_sourceDevices.expire(nowMs);
        m_sourceAgents.expire(nowMs);
        m_alerts.expire(nowMs, sink);
    });
    // Without extra fields there is no device id, and without a user agent
    // nothing else to check: most log events leave here.
    if (event.extra.isEmpty() && event.userAgent.isEmpty())
        return;
    const QString device = extraText(event, QStringLiteral("bookedbarber.device.id"));
    if (!device.isEmpty()) {
        const QString account = eventActor(event);
        if (!account.isEmpty())
            check(m_accountDevices, QStringLiteral("user.id"), account, event,
                m_config.deviceMaxPerAccount, m_config.deviceWindowMs, "device");
        if (!event.sourceIp.isEmpty())
            check(m_sourceDevices, QStringLiteral("source.ip"), event.sourceIp, event,
                m_config.deviceMaxPerAccount, m_config.deviceWindowMs, "device");
    }
    if (!event.userAgent.isEmpty() && !event.sourceIp.isEmpty())
        check(m_sourceAgents, QStringLiteral("source.ip"), event.sourceIp, event,
            m_config.userAgentMaxPerSource, m_config.userAgentWindowMs, "agent");
}

void DeviceRotationDetector::check(EntityTable<ValueWindow> &table, const QString &field,
    const QString &entity, const Event &event, int threshold, qint64 windowMs, const char *what)
{
    const bool devices = qstrcmp(what, "device") == 0;
    const QString value
        = devices ? extraText(event, QStringLiteral("bookedbarber.device.id")) : event.userAgent.left(256);
    ValueWindow &window = table.touch(entity, event.timestampMs);
    const int distinct = window.add(value, event.timestampMs, windowMs);
    const QString group = field + QLatin1Char('|') + entity + QLatin1Char('|')
        + QLatin1String(what);
    const Alert *open = m_alerts.find(group);
    if (distinct < threshold && !(open && event.timestampMs <= open->lastSeenMs + windowMs))
        return;

    Alert &alert = m_alerts.update(group, event.timestampMs);
    appendEvidence(alert.evidence, event.id);
    ++alert.eventCount;
    alert.title = devices ? tr("Many device ids for one client") : tr("Rotating user agents");
    alert.severity = Severity::Medium;
    alert.mitreTechnique.clear(); // no ATT&CK technique covers fingerprint rotation
    addEntity(alert, field, entity);
    addEntity(alert, QStringLiteral("user.name"), event.userName);
    if (devices)
        addEntity(alert, QStringLiteral("bookedbarber.device.id"), value, m_config.maxEntityValues);
    else
        addEntity(alert, QStringLiteral("user_agent.original"), value, m_config.maxEntityValues);
    if (distinct < threshold)
        return; // the reason keeps the figures of the last window above the threshold
    const qsizetype seen = alert.entities.value(devices ? QStringLiteral("bookedbarber.device.id")
                                                        : QStringLiteral("user_agent.original"))
                               .size();
    alert.reason = (devices ? tr("%1 %2 used %3 distinct device ids within %4 (%5 since the "
                                 "alert opened); the threshold is %6 within %7.")
                            : tr("%1 %2 sent %3 distinct user agents within %4 (%5 since the "
                                 "alert opened); the threshold is %6 within %7."))
                       .arg(field, entity, QString::number(distinct), describeSpan(0, windowMs),
                           QString::number(seen), QString::number(threshold),
                           describeSpan(0, windowMs));
}

ScrapingDetector::ScrapingDetector(const DetectionConfig &config)
    : m_config(config)
    , m_walks(config.baselineMaxEntities, config.scrapeWindowMs + config.reorderToleranceMs)
    , m_alerts(QLatin1String(RuleId), config.scrapeWindowMs)
{
}

int ScrapingDetector::sequentialPercent(const Walk &walk, int *distinct)
{
    std::vector<qint64> ids;
    ids.reserve(std::size_t(walk.ids.size()));
    for (const auto &entry : walk.ids)
        ids.push_back(entry.second);
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    *distinct = int(ids.size());
    if (ids.size() < 2)
        return 0;
    std::size_t close = 0;
    for (std::size_t i = 1; i < ids.size(); ++i)
        close += ids[i] - ids[i - 1] <= 2 ? 1 : 0;
    return int(close * 100 / (ids.size() - 1));
}

void ScrapingDetector::processEvent(const Event &event, AlertSink &sink)
{
    m_clock.advance(event.timestampMs, [this, &sink](qint64 nowMs) {
        m_walks.expire(nowMs);
        m_alerts.expire(nowMs, sink);
    });
    if (event.category != EventCategory::Web || event.sourceIp.isEmpty())
        return;
    qint64 id = -1;
    const QString pattern = pathTemplate(eventUrlPath(event), &id);
    if (id < 0)
        return;

    const QString group = event.sourceIp + QLatin1Char(' ') + pattern;
    const Alert *open = m_alerts.find(group);
    if (open && event.timestampMs <= open->lastSeenMs + m_config.scrapeWindowMs) {
        Alert &alert = m_alerts.update(group, event.timestampMs);
        appendEvidence(alert.evidence, event.id);
        ++alert.eventCount;
        return;
    }

    Walk &walk = m_walks.touch(group, event.timestampMs);
    walk.ids.append({ event.timestampMs, id });
    walk.eventIds.append(event.id);
    while (!walk.ids.isEmpty()
        && (walk.ids.size() > MaxWalkIds
            || walk.ids.front().first < event.timestampMs - m_config.scrapeWindowMs)) {
        walk.ids.removeFirst();
        walk.eventIds.removeFirst();
    }
    if (walk.ids.size() < m_config.scrapeMinIds)
        return;
    int distinct = 0;
    const int percent = sequentialPercent(walk, &distinct);
    if (distinct < m_config.scrapeMinIds || percent < m_config.scrapeMinSequentialPercent)
        return;

    Alert &alert = m_alerts.update(group, walk.ids.front().first);
    alert.lastSeenMs = qMax(alert.lastSeenMs, event.timestampMs);
    for (const QByteArray &eventId : std::as_const(walk.eventIds))
        appendEvidence(alert.evidence, eventId);
    alert.eventCount = walk.ids.size();
    alert.title = tr("Scraping by enumerating ids");
    alert.severity = Severity::Medium;
    alert.mitreTechnique = QStringLiteral("T1119");
    addEntity(alert, QStringLiteral("source.ip"), event.sourceIp);
    addEntity(alert, QStringLiteral("url.path"), pattern);
    addEntity(alert, QStringLiteral("user_agent.original"), event.userAgent.left(256));
    alert.reason = tr("%1 requested %2 distinct ids of %3 within %4, %5% of them next to each "
                      "other; the threshold is %6 ids within %7, %8% sequential.")
                       .arg(event.sourceIp, QString::number(distinct), pattern,
                           describeSpan(walk.ids.front().first, event.timestampMs),
                           QString::number(percent), QString::number(m_config.scrapeMinIds),
                           describeSpan(0, m_config.scrapeWindowMs),
                           QString::number(m_config.scrapeMinSequentialPercent));
    walk.ids.clear();
    walk.eventIds.clear();
}

} // namespace portcullis::detect
