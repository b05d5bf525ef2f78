// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "detect/baseline.h"
#include "detect/behavioursupport.h"
#include "detect/detectionengine.h"

namespace portcullis::detect {

// The rate of one entity (a token, a path, an account) in fixed buckets,
// judged against its own robust baseline once that is warm, else against a
// cold threshold.
struct RateState {
    BucketedRate rate;
    double peak = 0;           // the largest bucket while an alert is open
    qint64 peakBucketMs = 0;
    double thresholdAtPeak = 0;
    bool warmAtPeak = false;
    double lastThreshold = 0; // of the current bucket
    bool lastWarm = false;
};

// Adds `amount` to the entity's current bucket and returns whether the
// bucket is now at or above its threshold.
bool addToRate(RateState &state, qint64 timestampMs, qint64 bucketMs, double amount,
    double warmFloor, double coldThreshold, const DetectionConfig &config);
// Records the current bucket as the peak of the alert when it is larger, or
// when `newAlert` starts the alert's peak afresh.
void notePeak(RateState &state, bool newAlert);

// "its baseline is a median of 3 (scaled MAD 1.5) over 12 active minutes, so
// the threshold is 120" or the cold-threshold sentence; `unit` formats values.
QString describeBaseline(const RateState &state, const DetectionConfig &config,
    const char *bucketName, QString (*unit)(double));

// Requests per minute of one API token (bookedbarber.api_token.id), else
// of one signed-in account (user.id), above apiColdRequestsPerMinute
// before the entity's baseline is warm and above the larger of
// apiMinRequestsPerMinute and the baseline's threshold after.
class ApiAbuseDetector : public BehaviourDetector {
public:
    static constexpr char RuleId[] = "api-abuse";

    explicit ApiAbuseDetector(const DetectionConfig &config);
    QString ruleId() const override { return QLatin1String(RuleId); }
    void processEvent(const Event &event, AlertSink &sink) override;
    void flush(AlertSink &sink) override { m_alerts.flush(sink); }
    void finish(AlertSink &sink) override { m_alerts.finish(sink); }
    int trackedEntities() const override { return m_principals.size(); }
    qint64 evictedEntities() const override { return m_principals.evicted(); }

private:
    const DetectionConfig &m_config;
    EntityTable<RateState> m_principals;
    OpenAlerts m_alerts;
    SweepClock m_clock;
};

// Requests per minute to one path template (ids replaced by {id}) from all
// sources, or from one source to any path, above floodMinRequestsPerMinute
// and above the entity's baseline threshold once that is warm.
class RequestFloodDetector : public BehaviourDetector {
public:
    static constexpr char RuleId[] = "request-flood";

    explicit RequestFloodDetector(const DetectionConfig &config);
    QString ruleId() const override { return QLatin1String(RuleId); }
    void processEvent(const Event &event, AlertSink &sink) override;
    void flush(AlertSink &sink) override { m_alerts.flush(sink); }
    void finish(AlertSink &sink) override { m_alerts.finish(sink); }
    int trackedEntities() const override { return m_paths.size() + m_sources.size(); }
    qint64 evictedEntities() const override { return m_paths.evicted() + m_sources.evicted(); }

private:
    void observe(EntityTable<RateState> &table, const QString &field, const QString &entity,
        const Event &event);

    const DetectionConfig &m_config;
    EntityTable<RateState> m_paths;
    EntityTable<RateState> m_sources;
    OpenAlerts m_alerts;
    SweepClock m_clock;
};

// Response bytes per hour of one account (user.id, else user.name), or of
// one source for anonymous requests, above exfilColdMegabytes before the
// entity's baseline is warm and above the larger of exfilMinMegabytes and
// the baseline's threshold after. A megabyte here is 10^6 bytes.
class ExfiltrationDetector : public BehaviourDetector {
public:
    static constexpr char RuleId[] = "data-exfiltration";

    explicit ExfiltrationDetector(const DetectionConfig &config);
    QString ruleId() const override { return QLatin1String(RuleId); }
    void processEvent(const Event &event, AlertSink &sink) override;
    void flush(AlertSink &sink) override { m_alerts.flush(sink); }
    void finish(AlertSink &sink) override { m_alerts.finish(sink); }
    int trackedEntities() const override { return m_principals.size(); }
    qint64 evictedEntities() const override { return m_principals.evicted(); }

private:
    const DetectionConfig &m_config;
    EntityTable<RateState> m_principals;
    OpenAlerts m_alerts;
    SweepClock m_clock;
};

} // namespace portcullis::detect
