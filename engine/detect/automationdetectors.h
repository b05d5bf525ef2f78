// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "detect/baseline.h"
#include "detect/behavioursupport.h"
#include "detect/detectionengine.h"

#include <QList>

namespace portcullis::detect {

// Distinct values of one entity seen within a window, most recent last, at
// most MaxValues (a rotating client sends far more, and the count only has
// to pass the threshold).
struct ValueWindow {
    static constexpr qsizetype MaxValues = 128;
    QList<std::pair<QString, qint64>> values; // value and last seen

    // Adds or refreshes `value`, drops values older than the window, and
    // returns the distinct count.
    int add(const QString &value, qint64 timestampMs, qint64 windowMs);
};

// Device rotation and spoofing: many bookedbarber.device.id values for one
// account or from one address (deviceMaxPerAccount within deviceWindowMs),
// or many user agents from one address (userAgentMaxPerSource within
// userAgentWindowMs), as emulator farms and bots that rotate their
// fingerprint produce.
class DeviceRotationDetector : public BehaviourDetector {
public:
    static constexpr char RuleId[] = "device-rotation";

    explicit DeviceRotationDetector(const DetectionConfig &config);
    QString ruleId() const override { return QLatin1String(RuleId); }
    void processEvent(const Event &event, AlertSink &sink) override;
    void flush(AlertSink &sink) override { m_alerts.flush(sink); }
    void finish(AlertSink &sink) override { m_alerts.finish(sink); }
    int trackedEntities() const override;
    qint64 evictedEntities() const override;

private:
    void check(EntityTable<ValueWindow> &table, const QString &field, const QString &entity,
        const Event &event, int threshold, qint64 windowMs, const char *what);

    const DetectionConfig &m_config;
    EntityTable<ValueWindow> m_accountDevices;
    EntityTable<ValueWindow> m_sourceDevices;
    EntityTable<ValueWindow> m_sourceAgents;
    OpenAlerts m_alerts;
    SweepClock m_clock;
};

// Scraping by enumeration: one source requests at least scrapeMinIds
// distinct numeric ids of one path template ("/api/v2/shops/{id}/barbers")
// within scrapeWindowMs, and at least scrapeMinSequentialPercent of the
// sorted ids follow each other with gaps of at most 2.
class ScrapingDetector : public BehaviourDetector {
public:
    static constexpr char RuleId[] = "web-scraping";

    explicit ScrapingDetector(const DetectionConfig &config);
    QString ruleId() const override { return QLatin1String(RuleId); }
    void processEvent(const Event &event, AlertSink &sink) override;
    void flush(AlertSink &sink) override { m_alerts.flush(sink); }
    void finish(AlertSink &sink) override { m_alerts.finish(sink); }
    int trackedEntities() const override { return m_walks.size(); }
    qint64 evictedEntities() const override { return m_walks.evicted(); }

private:
    struct Walk {
        QList<std::pair<qint64, qint64>> ids; // time and id, oldest first
        QList<QByteArray> eventIds; // of the ids above, until an alert opens
    };

    // Percentage of neighbouring distinct ids at most 2 apart; `distinct` receives the count.
    static int sequentialPercent(const Walk &walk, int *distinct);

    const DetectionConfig &m_config;
    EntityTable<Walk> m_walks; // keyed by source and path template
    OpenAlerts m_alerts;
    SweepClock m_clock;
};

} // namespace portcullis::detect
