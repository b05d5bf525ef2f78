// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "detect/authattempttracker.h"
#include "detect/detectionengine.h"
#include "detect/detectorsupport.h"

#include <QHash>
#include <QList>

namespace portcullis::detect {

// Failed logins for many user names from one source: at least
// stuffingMinUsers distinct names within stuffingWindowMs raise one alert
// per burst (bursts as in SshBruteForceDetector). Counts any authentication
// failure, not only SSH.
class CredentialStuffingDetector : public AttemptDetector {
public:
    static constexpr char RuleId[] = "credential-stuffing";

    explicit CredentialStuffingDetector(const DetectionConfig &config);
    QString ruleId() const override { return QLatin1String(RuleId); }
    void processEvent(const Event &event, AlertSink &sink) override;
    void processAttempt(const AuthAttempt &attempt, AlertSink &sink) override;
    void flush(AlertSink &sink) override;
    void finish(AlertSink &sink) override;

private:
    struct Burst {
        QString sourceField;
        qint64 firstSeenMs = 0;
        qint64 lastSeenMs = 0;
        qint64 attempts = 0;
        // Names tried within the window of the newest attempt, until the alert fires.
        QList<std::pair<qint64, QString>> recent;
        QHash<QString, int> recentCounts;
        BoundedValueSet users;
        QVector<QByteArray> evidence;
        QByteArray key;
        bool dirty = false;
    };

    void addAttempt(const AuthAttempt &attempt, AlertSink &sink);
    bool addRecent(Burst &burst, const AuthAttempt &attempt) const;
    Alert buildAlert(const QString &source, const Burst &burst) const;
    void expire(qint64 nowMs, AlertSink &sink);

    const DetectionConfig &m_config;
    QHash<QString, Burst> m_sources;
    OldestTimeBound m_oldest; // of the bursts' lastSeenMs
    QVector<QString> m_dirty;
    qint64 m_newestMs = 0;
    qint64 m_lastSweepMs = 0;
};

} // namespace portcullis::detect
