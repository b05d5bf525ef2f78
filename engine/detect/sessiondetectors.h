// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "detect/baseline.h"
#include "detect/behavioursupport.h"
#include "detect/detectionengine.h"
#include "detect/geolocator.h"

namespace portcullis::detect {

// Two successful logins of one account from places further apart than
// travelMinDistanceKm, at a speed above travelMaxSpeedKmh between them.
// Places come from source.geo.* or, for events without them, the MaxMind
// database of geo.maxmind_database.
class ImpossibleTravelDetector : public BehaviourDetector {
public:
    static constexpr char RuleId[] = "impossible-travel";

    ImpossibleTravelDetector(const DetectionConfig &config, const GeoLocator *locator);
    QString ruleId() const override { return QLatin1String(RuleId); }
    void processEvent(const Event &event, AlertSink &sink) override;
    void flush(AlertSink &sink) override { m_alerts.flush(sink); }
    void finish(AlertSink &sink) override { m_alerts.finish(sink); }
    int trackedEntities() const override { return m_accounts.size(); }
    qint64 evictedEntities() const override { return m_accounts.evicted(); }

private:
    struct LastLogin {
        qint64 timestampMs = 0;
        GeoInfo place;
        QString source;
        QByteArray eventId;
    };

    const DetectionConfig &m_config;
    const GeoLocator *m_locator;
    EntityTable<LastLogin> m_accounts;
    OpenAlerts m_alerts;
    SweepClock m_clock;
};

// One session id used from a second source address whose user agent,
// country or autonomous system differs from the session's first one. An
// address change alone (a phone moving between networks) does not fire.
class SessionHijackDetector : public BehaviourDetector {
public:
    static constexpr char RuleId[] = "session-hijack";

    SessionHijackDetector(const DetectionConfig &config, const GeoLocator *locator);
    QString ruleId() const override { return QLatin1String(RuleId); }
    void processEvent(const Event &event, AlertSink &sink) override;
    void flush(AlertSink &sink) override { m_alerts.flush(sink); }
    void finish(AlertSink &sink) override { m_alerts.finish(sink); }
    int trackedEntities() const override { return m_sessions.size(); }
    qint64 evictedEntities() const override { return m_sessions.evicted(); }

private:
    struct Session {
        QString source;
        QString userAgent;
        QString country;
        quint32 asn = 0;
        QByteArray firstEventId;
        QString hijackSource; // the second source, once seen
        QString changes;
    };

    QString describeChanges(const Session &session, const Event &event, const GeoInfo &place)
        const;

    const DetectionConfig &m_config;
    const GeoLocator *m_locator;
    EntityTable<Session> m_sessions;
    OpenAlerts m_alerts;
    SweepClock m_clock;
};

} // namespace portcullis::detect
