// SPDX-License-Identifier: GPL-3.0-or-later
#include "detect/successafterfailuresdetector.h"

#include "event/parsertext.h"

#include <QCoreApplication>

namespace portcullis::detect {

namespace {
constexpr qint64 SweepIntervalMs = 60 * 1000;
constexpr char Context[] = "portcullis::detect";
} // namespace

SuccessAfterFailuresDetector::SuccessAfterFailuresDetector(const DetectionConfig &config)
    : m_config(config)
{
}

void SuccessAfterFailuresDetector::processEvent(const Event &event, AlertSink &sink)
{
    if (event.category == EventCategory::Web)
        return;

    if (event.category == EventCategory::Authentication && event.outcome == EventOutcome::Success)
        addSuccess(event, sink);

    m_newestMs = qMax(m_newestMs, event.timestampMs);
    if (m_newestMs - m_lastSweepMs >= SweepIntervalMs) {
        m_lastSweepMs = m_newestMs;
        expire(m_newestMs);
    }
}

void SuccessAfterFailuresDetector::processAttempt(const AuthAttempt &attempt, AlertSink &sink)
{
    Q_UNUSED(sink);
    addFailure(attempt);
}

void SuccessAfterFailuresDetector::addFailure(const AuthAttempt &attempt)
{
    if (attempt.source.isEmpty())
        return;

    const qsizetype sources = m_sources.size();
    SourceState &state = m_sources[attempt.source];
    if (state.sourceField.isEmpty())
        state.sourceField = attempt.sourceField;
    state.lastSeenMs = qMax(state.lastSeenMs, attempt.timestampMs);
    if (m_sources.size() != sources)
        m_oldest.add(state.lastSeenMs);

    Failure failure;
    failure.timestampMs = attempt.timestampMs;
    text::assign(failure.userName, attempt.userName);
    failure.eventIds = attempt.eventIds;
    auto position = state.failures.end();
    while (position != state.failures.begin() && (position - 1)->timestampMs > attempt.timestampMs)
        --position;
    state.failures.insert(position, std::move(failure));

    const qint64 horizon = state.failures.back().timestampMs - m_config.successWindowMs;
    while (!state.failures.empty()
        && (state.failures.front().timestampMs < horizon || state.failures.size() > MaxEvidence)) {
        state.failures.pop_front();
    }
}

void SuccessAfterFailuresDetector::addSuccess(const Event &event, AlertSink &sink)
{
    QString field;
    const QString source = eventSource(event, &field);
    const auto it = m_sources.find(source);
    if (source.isEmpty() || it == m_sources.end())
        return;

    SourceState &state = *it;
    state.lastSeenMs = qMax(state.lastSeenMs, event.timestampMs);
    const bool alertOpen = !state.alert.key.isEmpty()
        && event.timestampMs <= state.alert.lastSeenMs + m_config.successWindowMs;
    if (!alertOpen) {
        const qint64 horizon = event.timestampMs - m_config.successWindowMs;
        while (!state.failures.empty() && state.failures.front().timestampMs < horizon)
            state.failures.pop_front();
        qint64 before = 0;
        bool onlyOwnAccount = event.hasUserName;
        for (const Failure &failure : state.failures) {
            if (failure.timestampMs > event.timestampMs)
                continue;
            ++before;
            onlyOwnAccount = onlyOwnAccount && failure.userName == event.userName;
        }
        const int needed = onlyOwnAccount
            ? qMax(m_config.successMinFailures, m_config.successOwnAccountMinFailures)
            : m_config.successMinFailures;
        if (before < needed) {
            settleOwnFailures(state, event);
            return;
        }
        openAlert(source, state, event);
    }

    // Failures logged since the last success, then this success, join the alert.
    Alert &alert = state.alert;
    for (const Failure &failure : state.failures) {
        if (failure.timestampMs > event.timestampMs)
            continue;
        ++state.failuresInAlert;
        if (!failure.userName.isEmpty())
            state.failedUsers.add(failure.userName, m_config.maxEntityValues);
        for (const QByteArray &id : failure.eventIds)
            appendEvidence(alert.evidence, id);
        alert.firstSeenMs = qMin(alert.firstSeenMs, failure.timestampMs);
    }
    state.failures.clear();
    appendEvidence(alert.evidence, event.id);
    ++state.successesInAlert;
    if (event.hasUserName)
        state.successUsers.add(event.userName, m_config.maxEntityValues);
    alert.lastSeenMs = qMax(alert.lastSeenMs, event.timestampMs);
    alert.eventCount = state.failuresInAlert + state.successesInAlert;
    alert.entities.insert(QStringLiteral("user.name"), state.successUsers.values());
    updateReason(source, state);
    sink.upsertAlert(alert);
}

// Removes the failures of the success's account from the source's list when
// the success raised no alert. They were the user's own typos, so they count
// towards no later success. Without this, honest logins a few minutes apart
// (one user's, or several users' on one shared address) add up to an alert.
void SuccessAfterFailuresDetector::settleOwnFailures(SourceState &state, const Event &success)
{
    if (!success.hasUserName)
        return;
    state.failures.removeIf([&success](const Failure &failure) {
        return failure.timestampMs <= success.timestampMs && failure.userName == success.userName;
    });
}

void SuccessAfterFailuresDetector::openAlert(
    const QString &source, SourceState &state, const Event &success)
{
    const qint64 firstFailureMs = state.failures.front().timestampMs;
    state.alert = Alert();
    state.alert.key = alertKey(ruleId(), source, firstFailureMs);
    state.alert.ruleId = ruleId();
    state.alert.title = QCoreApplication::translate(Context, "Successful login after failures");
    state.alert.severity = Severity::High;
    state.alert.mitreTechnique = QStringLiteral("T1078");
    state.alert.firstSeenMs = firstFailureMs;
    state.alert.lastSeenMs = success.timestampMs;
    state.alert.entities.insert(state.sourceField, { source });
    state.failuresInAlert = 0;
    state.successesInAlert = 0;
    state.failedUsers.clear();
    state.successUsers.clear();
}

void SuccessAfterFailuresDetector::updateReason(const QString &source, SourceState &state) const
{
    const QString users = state.successUsers.values().join(QLatin1String(", "));
    state.alert.reason = QCoreApplication::translate(Context,
        "Possible compromise: %1 logged in as %2 after %3 failed "
        "logins for %4 within %5.")
                             .arg(source, users.isEmpty() ? QStringLiteral("?") : users)
                             .arg(state.failuresInAlert)
                             .arg(countText(state.failedUsers.count(),
                                      QT_TRANSLATE_NOOP("portcullis::detect", "1 user name"),
                                      QT_TRANSLATE_NOOP("portcullis::detect", "%1 user names")),
                                 describeSpan(state.alert.firstSeenMs, state.alert.lastSeenMs));
}

void SuccessAfterFailuresDetector::expire(qint64 nowMs)
{
    const qint64 horizon = nowMs - m_config.successWindowMs - m_config.reorderToleranceMs;
    if (m_sources.isEmpty())
        return; // non-const begin() on an empty QHash allocates
    if (m_oldest.noneBefore(horizon))
        return;
    m_oldest.reset();
    for (auto it = m_sources.begin(); it != m_sources.end();) {
        if (it->lastSeenMs < horizon) {
            it = m_sources.erase(it);
        } else {
            m_oldest.add(it->lastSeenMs);
            ++it;
        }
    }
}

void SuccessAfterFailuresDetector::finish(AlertSink &sink)
{
    Q_UNUSED(sink);
    m_sources.clear();
    m_oldest.reset();
}

} // namespace portcullis::detect
