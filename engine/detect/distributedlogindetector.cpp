// SPDX-License-Identifier: GPL-3.0-or-later
#include "detect/distributedlogindetector.h"

#include <QCoreApplication>

namespace portcullis::detect {

namespace {
constexpr qint64 SweepIntervalMs = 60 * 1000;
constexpr char Context[] = "portcullis::detect";
} // namespace

DistributedLoginDetector::DistributedLoginDetector(const DetectionConfig &config)
    : m_config(config)
{
}

QStringView DistributedLoginDetector::matchLoginPath(
    QStringView path, const QStringList &loginPaths)
{
    while (path.size() > 1 && path.endsWith(QLatin1Char('/')))
        path.chop(1);
    for (const QString &loginPath : loginPaths) {
        if (path.endsWith(loginPath, Qt::CaseInsensitive))
            return loginPath;
    }
    return {};
}

void DistributedLoginDetector::processEvent(const Event &event, AlertSink &sink)
{
    if (event.category != EventCategory::Web)
        return;
    m_newestMs = qMax(m_newestMs, event.timestampMs);
    if (m_newestMs - m_lastSweepMs >= SweepIntervalMs) {
        m_lastSweepMs = m_newestMs;
        expire(m_newestMs, sink);
    }
    if (event.sourceIp.isEmpty()
        || event.httpMethod.compare(QLatin1String("POST"), Qt::CaseInsensitive) != 0) {
        return;
    }
    QStringView requestPath = urlPath(event.urlOriginal);
    if (matchLoginPath(requestPath, m_config.loginPaths).isEmpty())
        return;

    while (requestPath.size() > 1 && requestPath.endsWith(QLatin1Char('/')))
        requestPath.chop(1);
    const QString path = requestPath.toString().toLower();
    PathState &state = m_paths[path];
    const Post post { event.timestampMs, event.sourceIp, event.id };
    addToWindow(state, post);

    if (!state.alert.key.isEmpty()) {
        if (conditionHolds(state)) {
            addToAlert(state, post);
            return;
        }
        // The attack is over: send the final state; a later one opens a new alert.
        flush(sink);
        state.alert = Alert();
    }
    if (conditionHolds(state)) {
        openAlert(path, state);
        updateReason(path, state);
    }
}

void DistributedLoginDetector::addToWindow(PathState &state, const Post &post)
{
    const qint64 newest = state.window.empty()
        ? post.timestampMs
        : qMax(state.window.back().timestampMs, post.timestampMs);
    const qint64 horizon = newest - m_config.distributedWindowMs;
    if (post.timestampMs >= horizon) {
        auto position = state.window.end();
        while (position != state.window.begin() && (position - 1)->timestampMs > post.timestampMs)
            --position;
        state.window.insert(position, post);
        changeCount(state, post.sourceIp, +1);
    }
    while (!state.window.empty() && state.window.front().timestampMs < horizon)
        removeOldest(state);
}

void DistributedLoginDetector::removeOldest(PathState &state)
{
    changeCount(state, state.window.front().sourceIp, -1);
    state.window.pop_front();
}

// Keeps countBySource and sourcesAtMostMedian in step, so the median test is O(1).
void DistributedLoginDetector::changeCount(PathState &state, const QString &sourceIp, int delta)
{
    const int limit = m_config.distributedMaxMedianAttempts;
    auto it = state.countBySource.find(sourceIp);
    const int before = it == state.countBySource.end() ? 0 : *it;
    const int after = before + delta;
    if (before > 0 && before <= limit)
        --state.sourcesAtMostMedian;
    if (after > 0 && after <= limit)
        ++state.sourcesAtMostMedian;
    if (after <= 0) {
        if (it != state.countBySource.end())
            state.countBySource.erase(it);
    } else if (it == state.countBySource.end()) {
        state.countBySource.insert(sourceIp, after);
    } else {
        *it = after;
    }
}

bool DistributedLoginDetector::conditionHolds(const PathState &state) const
{
    const auto sources = state.countBySource.size();
    return sources >= m_config.distributedMinSources && 2 * state.sourcesAtMostMedian >= sources;
}

void DistributedLoginDetector::openAlert(const QString &path, PathState &state)
{
    Alert &alert = state.alert;
    alert = Alert();
    alert.key = alertKey(ruleId(), path, state.window.front().timestampMs);
    alert.ruleId = ruleId();
    alert.title = QCoreApplication::translate(Context, "Distributed login attack");
    alert.severity = Severity::High;
    alert.mitreTechnique = QStringLiteral("T1110.003");
    alert.firstSeenMs = state.window.front().timestampMs;
    alert.lastSeenMs = alert.firstSeenMs;
    state.alertSources.clear();
    for (const Post &post : state.window)
        addToAlert(state, post);
}

void DistributedLoginDetector::addToAlert(PathState &state, const Post &post)
{
    Alert &alert = state.alert;
    ++alert.eventCount;
    alert.firstSeenMs = qMin(alert.firstSeenMs, post.timestampMs);
    alert.lastSeenMs = qMax(alert.lastSeenMs, post.timestampMs);
    appendEvidence(alert.evidence, post.eventId);
    state.alertSources.add(post.sourceIp, m_config.maxEntityValues);
    state.dirty = true;
}

void DistributedLoginDetector::updateReason(const QString &path, PathState &state) const
{
    Alert &alert = state.alert;
    alert.entities.insert(QStringLiteral("source.ip"), state.alertSources.values());
    alert.entities.insert(QStringLiteral("url.path"), { path });
    const int sources = state.alertSources.count();
    const QString average = QString::number(double(alert.eventCount) / qMax(1, sources), 'f', 1);
    const QString listed = state.alertSources.isCapped()
        ? QCoreApplication::translate(Context, " (the first %1 listed)")
              .arg(state.alertSources.values().size())
        : QString();
    alert.reason = QCoreApplication::translate(Context,
        "%1 POST requests to %2 from %3 source addresses%4, %5 per address "
        "on average, within %6.")
                       .arg(alert.eventCount)
                       .arg(path)
                       .arg(sources)
                       .arg(listed, average, describeSpan(alert.firstSeenMs, alert.lastSeenMs));
}

void DistributedLoginDetector::flush(AlertSink &sink)
{
    for (auto it = m_paths.begin(); it != m_paths.end(); ++it) {
        if (!it->dirty || it->alert.key.isEmpty())
            continue;
        updateReason(it.key(), *it);
        sink.upsertAlert(it->alert);
        it->dirty = false;
    }
}

// Drops paths with no POST within the window, so that request paths made up
// by an attacker (/a/login, /b/login, ...) cannot grow memory without bound.
void DistributedLoginDetector::expire(qint64 nowMs, AlertSink &sink)
{
    const qint64 horizon = nowMs - m_config.distributedWindowMs - m_config.reorderToleranceMs;
    if (m_paths.isEmpty())
        return; // non-const begin() on an empty QHash allocates
    for (auto it = m_paths.begin(); it != m_paths.end();) {
        if (!it->window.empty() && it->window.back().timestampMs >= horizon) {
            ++it;
            continue;
        }
        if (it->dirty && !it->alert.key.isEmpty()) {
            updateReason(it.key(), *it);
            sink.upsertAlert(it->alert);
        }
        it = m_paths.erase(it);
    }
}

void DistributedLoginDetector::finish(AlertSink &sink)
{
    flush(sink);
    m_paths.clear();
}

} // namespace portcullis::detect
