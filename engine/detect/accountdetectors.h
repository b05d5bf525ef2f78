// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "detect/baseline.h"
#include "detect/behavioursupport.h"
#include "detect/detectionengine.h"

#include <QList>
#include <QStringList>

namespace portcullis::detect {

// Many failed logins for one account, from any number of sources: at least
// accountBruteForceMinFailures within accountBruteForceWindowMs. Skips sshd
// events, which SshBruteForceDetector counts per source.
class AccountBruteForceDetector : public BehaviourDetector {
public:
    static constexpr char RuleId[] = "account-brute-force";

    explicit AccountBruteForceDetector(const DetectionConfig &config);
    QString ruleId() const override { return QLatin1String(RuleId); }
    void processEvent(const Event &event, AlertSink &sink) override;
    void flush(AlertSink &sink) override { m_alerts.flush(sink); }
    void finish(AlertSink &sink) override { m_alerts.finish(sink); }
    int trackedEntities() const override { return m_accounts.size(); }
    qint64 evictedEntities() const override { return m_accounts.evicted(); }

private:
    struct Failures {
        QList<std::pair<qint64, QByteArray>> recent; // time and event id, oldest first
    };

    const DetectionConfig &m_config;
    EntityTable<Failures> m_accounts;
    OpenAlerts m_alerts;
    SweepClock m_clock;
};

// Account takeover chain: a risky login (success after failures for the
// account from a source it never logged in from, a success from a source
// that failed for stuffingMinUsers accounts, or a first login from a new
// country), then within takeoverChainWindowMs an email or phone change, a payout
// destination change or new bank account, or a payout. One alert per chain,
// updated with each step.
class AccountTakeoverDetector : public BehaviourDetector {
public:
    static constexpr char RuleId[] = "account-takeover";

    explicit AccountTakeoverDetector(const DetectionConfig &config);
    QString ruleId() const override { return QLatin1String(RuleId); }
    void processEvent(const Event &event, AlertSink &sink) override;
    void flush(AlertSink &sink) override { m_alerts.flush(sink); }
    void finish(AlertSink &sink) override { m_alerts.finish(sink); }
    int trackedEntities() const override { return m_accounts.size() + m_sources.size(); }
    qint64 evictedEntities() const override
    {
        return m_accounts.evicted() + m_sources.evicted();
    }

private:
    struct Account {
        QList<qint64> failures; // times, oldest first
        QStringList knownSources; // sources of successful logins, newest last
        QStringList knownCountries;
        int successes = 0;
        qint64 riskyLoginMs = 0; // 0: no risky login open
        QString riskySource;
        QString riskReason;
        QByteArray riskyEventId;
        QStringList steps;
    };
    struct Source {
        QList<std::pair<qint64, QString>> failedAccounts; // time and account
    };

    void onFailure(const Event &event, const QString &account, const QString &source);
    void onSuccess(const Event &event, const QString &account, const QString &source);
    void onSensitiveStep(const Event &event, const QString &account, const QString &step,
        bool payout);
    QString riskOf(const Account &state, const Event &event, const QString &source,
        const QString &country) const;
    int distinctFailedAccounts(const QString &source, qint64 nowMs) const;

    const DetectionConfig &m_config;
    EntityTable<Account> m_accounts;
    EntityTable<Source> m_sources;
    OpenAlerts m_alerts;
    SweepClock m_clock;
};

} // namespace portcullis::detect
