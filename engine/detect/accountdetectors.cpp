// SPDX-License-Identifier: GPL-3.0-or-later
#include "detect/accountdetectors.h"

#include "detect/detectorsupport.h"

#include <QCoreApplication>
#include <QSet>

namespace portcullis::detect {

namespace {

constexpr char Context[] = "portcullis::detect";
constexpr qsizetype MaxRecentFailures = 4096;
constexpr qsizetype MaxKnownSources = 16;
constexpr qsizetype MaxKnownCountries = 8;
constexpr qsizetype MaxSourceFailures = 256;

QString tr(const char *text)
{
    return QCoreApplication::translate(Context, text);
}

bool isSshEvent(const Event &event)
{
    return startsWithAscii(event.processName, "sshd")
        || startsWithAscii(event.action, "ssh_")
        || equalsAscii(event.action, actions::PamAuthFailure);
}

void appendBounded(QStringList &list, const QString &value, qsizetype limit)
{
    if (value.isEmpty() || list.contains(value))
        return;
    list.append(value);
    while (list.size() > limit)
        list.removeFirst();
}

} // namespace

AccountBruteForceDetector::AccountBruteForceDetector(const DetectionConfig &config)
    : m_config(config)
    , m_accounts(config.baselineMaxEntities, config.accountBruteForceWindowMs
            + config.reorderToleranceMs)
    , m_alerts(QLatin1String(RuleId), config.accountBruteForceWindowMs)
{
}

void AccountBruteForceDetector::processEvent(const Event &event, AlertSink &sink)
{
    m_clock.advance(event.timestampMs, [this, &sink](qint64 nowMs) {
        m_accounts.expire(nowMs);
        m_alerts.expire(nowMs, sink);
    });
    if (event.category != EventCategory::Authentication || event.outcome != EventOutcome::Failure
        || !event.countsAsAttempt || isSshEvent(event))
        return;
    const QString account = eventAccount(event);
    if (account.isEmpty())
        return;

    const qint64 now = event.timestampMs;
    Failures &state = m_accounts.touch(account, now);
    state.recent.append({ now, event.id });
    while (!state.recent.isEmpty()
        && (state.recent.front().first < now - m_config.accountBruteForceWindowMs
            || state.recent.size() > MaxRecentFailures))
        state.recent.removeFirst();

    const Alert *open = m_alerts.find(account);
    const bool isOpen = open && now <= open->lastSeenMs + m_config.accountBruteForceWindowMs;
    if (!isOpen && state.recent.size() < m_config.accountBruteForceMinFailures)
        return;

    Alert &alert = m_alerts.update(account, isOpen ? now : state.recent.front().first);
    alert.lastSeenMs = qMax(alert.lastSeenMs, now);
    if (alert.eventCount == 0) {
        for (const auto &failure : std::as_const(state.recent))
            appendEvidence(alert.evidence, failure.second);
        alert.eventCount = state.recent.size();
    } else {
        appendEvidence(alert.evidence, event.id);
        ++alert.eventCount;
    }
    alert.title = tr("Password guessing against one account");
    alert.severity = alert.eventCount >= 5 * qint64(m_config.accountBruteForceMinFailures)
        ? Severity::High
        : Severity::Medium;
    alert.mitreTechnique = QStringLiteral("T1110.001");
    addEntity(alert, QStringLiteral("user.name"), event.userName);
    addEntity(alert, QStringLiteral("source.ip"), event.sourceIp, m_config.maxEntityValues);
    const qsizetype sources = alert.entities.value(QStringLiteral("source.ip")).size();
    alert.reason = tr("%1 failed logins for account %2 from %3 within %4; the threshold is %5 "
                      "within %6.")
                       .arg(alert.eventCount)
                       .arg(event.userName.isEmpty() ? account : event.userName)
                       .arg(countText(sources, QT_TRANSLATE_NOOP("portcullis::detect", "1 source"),
                           QT_TRANSLATE_NOOP("portcullis::detect", "%1 sources")))
                       .arg(describeSpan(alert.firstSeenMs, alert.lastSeenMs))
                       .arg(m_config.accountBruteForceMinFailures)
                       .arg(describeSpan(0, m_config.accountBruteForceWindowMs));
}

AccountTakeoverDetector::AccountTakeoverDetector(const DetectionConfig &config)
    : m_config(config)
    , m_accounts(config.baselineMaxEntities, config.baselineIdleMs)
    , m_sources(config.baselineMaxEntities, config.takeoverFailureWindowMs)
    , m_alerts(QLatin1String(RuleId), config.takeoverChainWindowMs)
{
}

void AccountTakeoverDetector::processEvent(const Event &event, AlertSink &sink)
{
    m_clock.advance(event.timestampMs, [this, &sink](qint64 nowMs) {
        m_accounts.expire(nowMs);
        m_sources.expire(nowMs);
        m_alerts.expire(nowMs, sink);
    });
    // The account is looked up only for the events that use it, because
    // eventAccount() searches Event::extra for three keys.
    const QString &action = event.action;
    if (event.category == EventCategory::Authentication) {
        const bool failure = event.outcome == EventOutcome::Failure && event.countsAsAttempt;
        const bool login = event.outcome == EventOutcome::Success
            && (equalsAscii(action, backend::Login)
                || equalsAscii(action, actions::SshLogin));
        const QString account = failure || login ? eventAccount(event) : QString();
        if (account.isEmpty())
            return;
        if (failure)
            onFailure(event, account, event.sourceIp);
        else
            onSuccess(event, account, event.sourceIp);
        return;
    }
    if (event.category != EventCategory::Iam && event.category != EventCategory::Payment)
        return;
    const QString account = eventAccount(event);
    if (account.isEmpty())
        return;

    if (event.category == EventCategory::Iam && event.outcome != EventOutcome::Failure) {
        if (equalsAscii(action, backend::EmailChanged))
            onSensitiveStep(event, account, tr("email address changed"), false);
        else if (equalsAscii(action, backend::PhoneChanged))
            onSensitiveStep(event, account, tr("phone number changed"), false);
        else if (equalsAscii(action, backend::PayoutDestinationChanged))
            onSensitiveStep(event, account, tr("payout destination changed"), true);
        return;
    }
    if (event.category != EventCategory::Payment)
        return;
    if (equalsAscii(action, backend::ExternalAccountCreated)) {
        onSensitiveStep(event, account, tr("bank account added"), true);
    } else if (equalsAscii(action, backend::PayoutCreated)) {
        double cents = 0;
        extraNumber(event, QStringLiteral("stripe.data.object.amount"), &cents);
        const QString method = extraText(event, QStringLiteral("stripe.data.object.method"));
        onSensitiveStep(event, account,
            tr("%1 payout of %2").arg(method, QString::number(cents / 100.0, 'f', 2)), true);
    }
}

void AccountTakeoverDetector::onFailure(
    const Event &event, const QString &account, const QString &source)
{
    Account &state = m_accounts.touch(account, event.timestampMs);
    state.failures.append(event.timestampMs);
    while (state.failures.size() > MaxRecentFailures
        || (!state.failures.isEmpty()
            && state.failures.front() < event.timestampMs - m_config.takeoverFailureWindowMs))
        state.failures.removeFirst();
    if (source.isEmpty())
        return;
    Source &tried = m_sources.touch(source, event.timestampMs);
    tried.failedAccounts.append({ event.timestampMs, account });
    if (tried.failedAccounts.size() > MaxSourceFailures)
        tried.failedAccounts.removeFirst();
}

int AccountTakeoverDetector::distinctFailedAccounts(const QString &source, qint64 nowMs) const
{
    const Source *tried = m_sources.find(source);
    if (!tried)
        return 0;
    QSet<QString> accounts;
    for (const auto &failure : std::as_const(tried->failedAccounts)) {
        if (failure.first >= nowMs - m_config.takeoverFailureWindowMs)
            accounts.insert(failure.second);
    }
    return int(accounts.size());
}

QString AccountTakeoverDetector::riskOf(
    const Account &state, const Event &event, const QString &source, const QString &country) const
{
    const qint64 now = event.timestampMs;
    qsizetype failures = 0;
    for (qint64 time : state.failures)
        failures += time >= now - m_config.takeoverFailureWindowMs ? 1 : 0;
    QStringList reasons;
    if (failures >= m_config.takeoverMinFailures && !state.knownSources.contains(source)) {
        reasons << tr("%1 failed logins for the account in the %2 before, from a source that "
                      "never logged in to it")
                       .arg(failures)
                       .arg(describeSpan(0, m_config.takeoverFailureWindowMs));
    }
    // A stuffing source, by the credential-stuffing rule's own threshold.
    const int tried = distinctFailedAccounts(source, now);
    if (tried >= m_config.stuffingMinUsers)
        reasons << tr("the source failed logins for %1 accounts").arg(tried);
    if (state.successes >= m_config.baselineMinSamples && !country.isEmpty()
        && !state.knownCountries.isEmpty() && !state.knownCountries.contains(country)) {
        reasons << tr("first login from %1 after %2 logins from %3")
                       .arg(country)
                       .arg(state.successes)
                       .arg(state.knownCountries.join(QLatin1String(", ")));
    }
    return reasons.join(QLatin1String("; "));
}

void AccountTakeoverDetector::onSuccess(
    const Event &event, const QString &account, const QString &source)
{
    Account &state = m_accounts.touch(account, event.timestampMs);
    const QString country = extraText(event, QStringLiteral("source.geo.country_iso_code"));
    const QString risk = riskOf(state, event, source, country);
    if (!risk.isEmpty()) {
        state.riskyLoginMs = event.timestampMs;
        state.riskySource = source;
        state.riskReason = risk;
        state.riskyEventId = event.id;
        state.steps.clear();
    }
    appendBounded(state.knownSources, source, MaxKnownSources);
    appendBounded(state.knownCountries, country, MaxKnownCountries);
    ++state.successes;
}

void AccountTakeoverDetector::onSensitiveStep(
    const Event &event, const QString &account, const QString &step, bool payout)
{
    Account *state = m_accounts.find(account);
    if (!state || state->riskyLoginMs == 0
        || event.timestampMs - state->riskyLoginMs > m_config.takeoverChainWindowMs)
        return;
    m_accounts.touch(account, event.timestampMs);
    state->steps.append(step);

    const QString group = account + QLatin1Char('|') + QString::number(state->riskyLoginMs);
    Alert &alert = m_alerts.update(group, state->riskyLoginMs);
    alert.lastSeenMs = qMax(alert.lastSeenMs, event.timestampMs);
    if (alert.evidence.isEmpty())
        appendEvidence(alert.evidence, state->riskyEventId);
    appendEvidence(alert.evidence, event.id);
    alert.eventCount = 1 + state->steps.size();
    alert.title = tr("Account takeover: risky login, then sensitive changes");
    const bool critical = payout || alert.severity == Severity::Critical;
    alert.severity = critical ? Severity::Critical : Severity::High;
    alert.mitreTechnique = critical ? QStringLiteral("T1657") : QStringLiteral("T1098");
    addEntity(alert, QStringLiteral("user.id"), account);
    addEntity(alert, QStringLiteral("user.name"), event.userName);
    addEntity(alert, QStringLiteral("source.ip"), state->riskySource);
    addEntity(alert, QStringLiteral("source.ip"), event.sourceIp);
    alert.reason = tr("Account %1 logged in from %2 at %3 (%4), then: %5, within %6.")
                       .arg(event.userName.isEmpty() ? account : event.userName,
                           state->riskySource.isEmpty() ? tr("an unknown source")
                                                        : state->riskySource,
                           isoTime(state->riskyLoginMs), state->riskReason,
                           state->steps.join(QLatin1String(", ")),
                           describeSpan(state->riskyLoginMs, event.timestampMs));
}

} // namespace portcullis::detect
