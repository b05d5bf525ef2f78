// SPDX-License-Identifier: GPL-3.0-or-later
#include "detect/webscandetector.h"

#include <QCoreApplication>

namespace portcullis::detect {

namespace {
constexpr qint64 SweepIntervalMs = 60 * 1000;
constexpr qsizetype MaxRecentProbes = 4096;
constexpr qsizetype MaxProbeUrlLength = 256; // probe URLs are compared and listed cut to this
constexpr char Context[] = "portcullis::detect";
} // namespace

WebScanDetector::WebScanDetector(const DetectionConfig &config)
    : m_config(config)
{
}

bool WebScanDetector::isProbePath(QStringView path, const QStringList &probePatterns)
{
    for (const QString &pattern : probePatterns) {
        if (path.contains(pattern, Qt::CaseInsensitive))
            return true;
    }
    return false;
}

qint64 WebScanDetector::burstGapMs() const
{
    return qMax(m_config.scan404WindowMs, m_config.scanProbeWindowMs);
}

void WebScanDetector::processEvent(const Event &event, AlertSink &sink)
{
    if (event.category != EventCategory::Web || event.sourceIp.isEmpty())
        return;

    // The full url.original, query included, so that traversal in a parameter counts.
    const bool probe = isProbePath(event.urlOriginal, m_config.probePatterns)
        || (event.httpStatus == 404
            && isProbePath(event.urlOriginal, m_config.notFoundProbePatterns));
    if (probe || event.httpStatus == 404)
        addRequest(
            event, probe ? event.urlOriginal.left(MaxProbeUrlLength).toLower() : QString(), sink);

    m_newestMs = qMax(m_newestMs, event.timestampMs);
    if (m_newestMs - m_lastSweepMs >= SweepIntervalMs) {
        m_lastSweepMs = m_newestMs;
        expire(m_newestMs, sink);
    }
}

void WebScanDetector::addRequest(const Event &event, const QString &probePath, AlertSink &sink)
{
    auto it = m_sources.find(event.sourceIp);
    if (it != m_sources.end() && event.timestampMs > it->lastSeenMs + burstGapMs()) {
        if (it->dirty)
            sink.upsertAlert(buildAlert(it.key(), *it));
        m_sources.erase(it);
        it = m_sources.end();
    }
    if (it == m_sources.end()) {
        it = m_sources.emplace(event.sourceIp);
        it->firstSeenMs = event.timestampMs;
        it->lastSeenMs = event.timestampMs;
        m_oldest.add(event.timestampMs);
    }

    Burst &burst = *it;
    burst.firstSeenMs = qMin(burst.firstSeenMs, event.timestampMs);
    burst.lastSeenMs = qMax(burst.lastSeenMs, event.timestampMs);
    ++burst.requests;
    if (event.httpStatus == 404)
        ++burst.notFound;
    if (!probePath.isEmpty())
        burst.probePaths.add(probePath, m_config.maxEntityValues);
    appendEvidence(burst.evidence, event.id);

    if (burst.key.isEmpty()) {
        if (!reachedThreshold(burst, event, probePath))
            return;
        burst.key = alertKey(ruleId(), event.sourceIp, burst.firstSeenMs);
        burst.notFoundWindow.clear();
        burst.recentProbes.clear();
        burst.recentProbeCounts.clear();
    }
    if (!burst.dirty) {
        burst.dirty = true;
        m_dirty.append(it.key());
    }
}

bool WebScanDetector::reachedThreshold(
    Burst &burst, const Event &event, const QString &probePath) const
{
    bool reached = false;
    if (event.httpStatus == 404) {
        burst.notFoundWindow.insert(event.timestampMs);
        burst.notFoundWindow.removeBefore(
            burst.notFoundWindow.newest() - m_config.scan404WindowMs - m_config.reorderToleranceMs);
        reached
            = burst.notFoundWindow.hasBurst(m_config.scan404MinResponses, m_config.scan404WindowMs);
    }
    if (!probePath.isEmpty())
        reached = addRecentProbe(burst, event.timestampMs, probePath) || reached;
    return reached;
}

bool WebScanDetector::addRecentProbe(
    Burst &burst, qint64 timestampMs, const QString &probePath) const
{
    const qint64 newest = burst.recentProbes.empty()
        ? timestampMs
        : qMax(burst.recentProbes.back().first, timestampMs);
    const qint64 horizon = newest - m_config.scanProbeWindowMs;
    if (timestampMs >= horizon) {
        burst.recentProbes.emplace_back(timestampMs, probePath);
        ++burst.recentProbeCounts[probePath];
    }
    while (!burst.recentProbes.empty()
        && (burst.recentProbes.front().first < horizon
            || burst.recentProbes.size() > MaxRecentProbes)) {
        const auto path = burst.recentProbeCounts.find(burst.recentProbes.front().second);
        if (path != burst.recentProbeCounts.end() && --*path == 0)
            burst.recentProbeCounts.erase(path);
        burst.recentProbes.pop_front();
    }
    return burst.recentProbeCounts.size() >= m_config.scanMinProbePaths;
}

Alert WebScanDetector::buildAlert(const QString &source, const Burst &burst) const
{
    Alert alert;
    alert.key = burst.key;
    alert.ruleId = ruleId();
    alert.title = QCoreApplication::translate(Context, "Web scanning");
    alert.severity = burst.probePaths.count() > 0 ? Severity::Medium : Severity::Low;
    alert.mitreTechnique = QStringLiteral("T1595.002");
    alert.firstSeenMs = burst.firstSeenMs;
    alert.lastSeenMs = burst.lastSeenMs;
    alert.eventCount = burst.requests;
    alert.entities.insert(QStringLiteral("source.ip"), { source });
    if (!burst.probePaths.values().isEmpty())
        alert.entities.insert(QStringLiteral("url.original"), burst.probePaths.values());
    alert.evidence = burst.evidence;

    QStringList examples = burst.probePaths.values().mid(0, 3);
    const QString probes = examples.isEmpty()
        ? QString()
        : QCoreApplication::translate(Context, " (%1)").arg(examples.join(QLatin1String(", ")));
    alert.reason = QCoreApplication::translate(Context,
        "%1 requests from %2 got %3 responses with status 404 and asked "
        "for %4 known probe paths%5 within %6.")
                       .arg(burst.requests)
                       .arg(source)
                       .arg(burst.notFound)
                       .arg(burst.probePaths.count())
                       .arg(probes, describeSpan(burst.firstSeenMs, burst.lastSeenMs));
    return alert;
}

void WebScanDetector::flush(AlertSink &sink)
{
    flushDirtyBursts(m_sources, m_dirty, [this](const QString &source, const Burst &burst) {
        return buildAlert(source, burst);
    }, sink);
}

void WebScanDetector::expire(qint64 nowMs, AlertSink &sink)
{
    const qint64 horizon = nowMs - burstGapMs() - m_config.reorderToleranceMs;
    expireBursts(m_sources, m_oldest, horizon, [this](const QString &source, const Burst &burst) {
        return buildAlert(source, burst);
    }, sink);
}

void WebScanDetector::finish(AlertSink &sink)
{
    flush(sink);
    m_sources.clear();
    m_oldest.reset();
}

} // namespace portcullis::detect
