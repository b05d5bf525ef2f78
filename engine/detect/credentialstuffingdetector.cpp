// SPDX-License-Identifier: GPL-3.0-or-later
#include "detect/credentialstuffingdetector.h"

#include <QCoreApplication>

namespace portcullis::detect {

namespace {
constexpr qint64 SweepIntervalMs = 60 * 1000;
// Attempts remembered per source before the alert fires; a source that
// retries one name faster than this within the window drops its oldest.
constexpr qsizetype MaxRecentAttempts = 4096;
constexpr char Context[] = "portcullis::detect";
} // namespace

CredentialStuffingDetector::CredentialStuffingDetector(const DetectionConfig &config)
    : m_config(config)
{
}

void CredentialStuffingDetector::processEvent(const Event &event, AlertSink &sink)
{
    if (event.category == EventCategory::Web)
        return;

    m_newestMs = qMax(m_newestMs, event.timestampMs);
    if (m_newestMs - m_lastSweepMs >= SweepIntervalMs) {
        m_lastSweepMs = m_newestMs;
        expire(m_newestMs, sink);
    }
}

void CredentialStuffingDetector::processAttempt(const AuthAttempt &attempt, AlertSink &sink)
{
    addAttempt(attempt, sink);
}

void CredentialStuffingDetector::addAttempt(const AuthAttempt &attempt, AlertSink &sink)
{
    if (!attempt.hasUserName || attempt.source.isEmpty())
        return;

    auto it = m_sources.find(attempt.source);
    if (it != m_sources.end() && attempt.timestampMs > it->lastSeenMs + m_config.stuffingWindowMs) {
        if (it->dirty)
            sink.upsertAlert(buildAlert(it.key(), *it));
        m_sources.erase(it);
        it = m_sources.end();
    }
    if (it == m_sources.end()) {
        it = m_sources.emplace(attempt.source);
        it->sourceField = attempt.sourceField;
        it->firstSeenMs = attempt.timestampMs;
        it->lastSeenMs = attempt.timestampMs;
        m_oldest.add(attempt.timestampMs);
    }

    Burst &burst = *it;
    burst.firstSeenMs = qMin(burst.firstSeenMs, attempt.timestampMs);
    burst.lastSeenMs = qMax(burst.lastSeenMs, attempt.timestampMs);
    ++burst.attempts;
    burst.users.add(attempt.userName, m_config.maxEntityValues);
    for (const QByteArray &id : attempt.eventIds)
        appendEvidence(burst.evidence, id);

    if (burst.key.isEmpty()) {
        if (!addRecent(burst, attempt))
            return;
        burst.key = alertKey(ruleId(), attempt.source, burst.firstSeenMs);
        burst.recent.clear();
        burst.recentCounts.clear();
    }
    if (!burst.dirty) {
        burst.dirty = true;
        m_dirty.append(it.key());
    }
}

// Adds the attempt to the sliding window and returns whether the window now
// contains enough distinct names. Attempts older than the window of the newest
// one count for the burst but not for the window.
bool CredentialStuffingDetector::addRecent(Burst &burst, const AuthAttempt &attempt) const
{
    const qint64 newest = burst.recent.empty()
        ? attempt.timestampMs
        : qMax(burst.recent.back().first, attempt.timestampMs);
    const qint64 horizon = newest - m_config.stuffingWindowMs;
    if (attempt.timestampMs >= horizon) {
        burst.recent.emplace_back(attempt.timestampMs, attempt.userName);
        ++burst.recentCounts[attempt.userName];
    }
    while (!burst.recent.empty()
        && (burst.recent.front().first < horizon || burst.recent.size() > MaxRecentAttempts)) {
        const auto name = burst.recentCounts.find(burst.recent.front().second);
        if (name != burst.recentCounts.end() && --*name == 0)
            burst.recentCounts.erase(name);
        burst.recent.pop_front();
    }
    return burst.recentCounts.size() >= m_config.stuffingMinUsers;
}

Alert CredentialStuffingDetector::buildAlert(const QString &source, const Burst &burst) const
{
    Alert alert;
    alert.key = burst.key;
    alert.ruleId = ruleId();
    alert.title = QCoreApplication::translate(Context, "Credential stuffing or user enumeration");
    alert.severity
        = burst.users.count() >= m_config.stuffingHighUsers ? Severity::High : Severity::Medium;
    alert.mitreTechnique = QStringLiteral("T1110.004");
    alert.firstSeenMs = burst.firstSeenMs;
    alert.lastSeenMs = burst.lastSeenMs;
    alert.eventCount = burst.attempts;
    alert.entities.insert(burst.sourceField, { source });
    alert.entities.insert(QStringLiteral("user.name"), burst.users.values());
    alert.evidence = burst.evidence;

    const QString listed = burst.users.isCapped()
        ? QCoreApplication::translate(Context, " (the first %1 listed)")
              .arg(burst.users.values().size())
        : QString();
    alert.reason = QCoreApplication::translate(
        Context, "%1 failed logins from %2 tried %3 distinct user names%4 within %5.")
                       .arg(burst.attempts)
                       .arg(source)
                       .arg(burst.users.count())
                       .arg(listed, describeSpan(burst.firstSeenMs, burst.lastSeenMs));
    return alert;
}

void CredentialStuffingDetector::flush(AlertSink &sink)
{
    flushDirtyBursts(m_sources, m_dirty, [this](const QString &source, const Burst &burst) {
        return buildAlert(source, burst);
    }, sink);
}

void CredentialStuffingDetector::expire(qint64 nowMs, AlertSink &sink)
{
    const qint64 horizon = nowMs - m_config.stuffingWindowMs - m_config.reorderToleranceMs;
    expireBursts(m_sources, m_oldest, horizon, [this](const QString &source, const Burst &burst) {
        return buildAlert(source, burst);
    }, sink);
}

void CredentialStuffingDetector::finish(AlertSink &sink)
{
    flush(sink);
    m_sources.clear();
    m_oldest.reset();
}

} // namespace portcullis::detect
