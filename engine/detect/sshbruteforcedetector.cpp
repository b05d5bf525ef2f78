// SPDX-License-Identifier: GPL-3.0-or-later
#include "detect/sshbruteforcedetector.h"

#include <QCoreApplication>

namespace portcullis::detect {

namespace {
constexpr qint64 SweepIntervalMs = 60 * 1000;
constexpr char Context[] = "portcullis::detect";
} // namespace

SshBruteForceDetector::SshBruteForceDetector(const DetectionConfig &config)
    : m_config(config)
{
}

void SshBruteForceDetector::processEvent(const Event &event, AlertSink &sink)
{
    if (event.category == EventCategory::Web)
        return;

    m_newestMs = qMax(m_newestMs, event.timestampMs);
    if (m_newestMs - m_lastSweepMs >= SweepIntervalMs) {
        m_lastSweepMs = m_newestMs;
        expire(m_newestMs, sink);
    }
}

void SshBruteForceDetector::processAttempt(const AuthAttempt &attempt, AlertSink &sink)
{
    addAttempt(attempt, sink);
}

void SshBruteForceDetector::addAttempt(const AuthAttempt &attempt, AlertSink &sink)
{
    if (!attempt.ssh || attempt.source.isEmpty())
        return;

    auto it = m_sources.find(attempt.source);
    if (it != m_sources.end()
        && attempt.timestampMs > it->lastSeenMs + m_config.bruteForceWindowMs) {
        // The previous burst ended: send its final state and start afresh.
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
    if (attempt.hasUserName)
        burst.users.add(attempt.userName, m_config.maxEntityValues);
    for (const QByteArray &id : attempt.eventIds)
        appendEvidence(burst.evidence, id);

    if (burst.key.isEmpty()) {
        burst.window.insert(attempt.timestampMs);
        burst.window.removeBefore(
            burst.window.newest() - m_config.bruteForceWindowMs - m_config.reorderToleranceMs);
        if (!burst.window.hasBurst(m_config.bruteForceMinAttempts, m_config.bruteForceWindowMs))
            return;
        burst.key = alertKey(ruleId(), attempt.source, burst.firstSeenMs);
        burst.window.clear();
    }
    markDirty(it.key(), burst);
}

void SshBruteForceDetector::markDirty(const QString &source, Burst &burst)
{
    if (burst.dirty)
        return;
    burst.dirty = true;
    m_dirty.append(source);
}

Alert SshBruteForceDetector::buildAlert(const QString &source, const Burst &burst) const
{
    Alert alert;
    alert.key = burst.key;
    alert.ruleId = ruleId();
    alert.title = QCoreApplication::translate(Context, "SSH brute force");
    alert.severity
        = burst.attempts >= m_config.bruteForceHighAttempts ? Severity::High : Severity::Medium;
    alert.mitreTechnique = QStringLiteral("T1110.001");
    alert.firstSeenMs = burst.firstSeenMs;
    alert.lastSeenMs = burst.lastSeenMs;
    alert.eventCount = burst.attempts;
    alert.entities.insert(burst.sourceField, { source });
    if (!burst.users.values().isEmpty())
        alert.entities.insert(QStringLiteral("user.name"), burst.users.values());
    alert.evidence = burst.evidence;

    const QString span = describeSpan(burst.firstSeenMs, burst.lastSeenMs);
    const QString users = burst.users.isCapped()
        ? QCoreApplication::translate(Context, "more than %1 users")
              .arg(burst.users.values().size())
        : countText(burst.users.count(), QT_TRANSLATE_NOOP("portcullis::detect", "1 user"),
            QT_TRANSLATE_NOOP("portcullis::detect", "%1 users"));
    alert.reason
        = QCoreApplication::translate(Context, "%1 failed SSH logins from %2 for %3 within %4.")
              .arg(burst.attempts)
              .arg(source, users, span);
    return alert;
}

void SshBruteForceDetector::flush(AlertSink &sink)
{
    flushDirtyBursts(m_sources, m_dirty, [this](const QString &source, const Burst &burst) {
        return buildAlert(source, burst);
    }, sink);
}

void SshBruteForceDetector::expire(qint64 nowMs, AlertSink &sink)
{
    const qint64 horizon = nowMs - m_config.bruteForceWindowMs - m_config.reorderToleranceMs;
    expireBursts(m_sources, m_oldest, horizon, [this](const QString &source, const Burst &burst) {
        return buildAlert(source, burst);
    }, sink);
}

void SshBruteForceDetector::finish(AlertSink &sink)
{
    flush(sink);
    m_sources.clear();
    m_oldest.reset();
}

} // namespace portcullis::detect
