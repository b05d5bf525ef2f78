// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "detect/authattempttracker.h"
#include "detect/detectionengine.h"
#include "detect/detectorsupport.h"

#include <QHash>

namespace portcullis::detect {

// Failed SSH logins from one source: at least bruteForceMinAttempts within
// bruteForceWindowMs raise one alert per burst. A burst ends when a window
// passes with no failure from the source. The alert counts every attempt of
// the burst, including those before the threshold was reached.
class SshBruteForceDetector : public AttemptDetector {
public:
    static constexpr char RuleId[] = "ssh-brute-force";

    explicit SshBruteForceDetector(const DetectionConfig &config);
    QString ruleId() const override { return QLatin1String(RuleId); }
    void processEvent(const Event &event, AlertSink &sink) override;
    void processAttempt(const AuthAttempt &attempt, AlertSink &sink) override;
    void flush(AlertSink &sink) override;
    void finish(AlertSink &sink) override;

    int trackedSources() const { return static_cast<int>(m_sources.size()); }

private:
    struct Burst {
        QString sourceField;
        qint64 firstSeenMs = 0;
        qint64 lastSeenMs = 0;
        qint64 attempts = 0;
        TimeWindow window; // attempt times until the threshold is reached
        BoundedValueSet users;
        QVector<QByteArray> evidence;
        QByteArray key; // set when the alert fires
        bool dirty = false;
    };

    void addAttempt(const AuthAttempt &attempt, AlertSink &sink);
    void markDirty(const QString &source, Burst &burst);
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
