// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "detect/alert.h"
#include "detect/detector.h"
#include "detect/suppression.h"
#include "event/event.h"

#include <QHash>
#include <QJsonObject>
#include <QSet>
#include <QStringList>
#include <QVector>

#include <functional>
#include <memory>
#include <vector>

namespace portcullis {

namespace detect {
struct AuthAttempt;
class AuthAttemptTracker;
class AttemptDetector;
class BehaviourDetector;
class GeoLocator;
} // namespace detect

// Thresholds and windows of the built-in detectors. The defaults are the
// documented ones (docs/detections.md). Files use the keys that validate()
// and the error messages name, such as "ssh_brute_force.min_attempts".
struct DetectionConfig {
    // SSH brute force: failed attempts from one source.ip (fail2ban's maxretry 5, findtime 10m).
    int bruteForceMinAttempts = 5;
    qint64 bruteForceWindowMs = 10 * 60 * 1000;
    int bruteForceHighAttempts = 50; // severity becomes high at this count

    // Credential stuffing / user enumeration: distinct user names from one source.ip.
    int stuffingMinUsers = 5;
    qint64 stuffingWindowMs = 10 * 60 * 1000;
    int stuffingHighUsers = 20;

    // Success after failures: failures from the source within the window before a success.
    int successMinFailures = 3;
    // When every failure was for the account that then logged in, a typo is
    // the likelier story: it takes this many failures.
    int successOwnAccountMinFailures = 5;
    qint64 successWindowMs = 30 * 60 * 1000;

    // Distributed login attack: POSTs to one login path from many sources, few
    // each. A day, because such attacks run low and slow: a few POSTs an hour.
    int distributedMinSources = 20;
    int distributedMaxMedianAttempts = 3;
    qint64 distributedWindowMs = 24 * 60 * 60 * 1000;
    QStringList loginPaths; // path prefixes, compared case-insensitively without the query

    // Web scanning: 404 bursts or distinct probe paths from one source.ip.
    int scan404MinResponses = 20;
    qint64 scan404WindowMs = 5 * 60 * 1000;
    int scanMinProbePaths = 3;
    qint64 scanProbeWindowMs = 10 * 60 * 1000;
    QStringList probePatterns; // substrings of url.original, compared case-insensitively
    // Substrings that make a probe only when the response is 404, because
    // sites that have them serve files there (WordPress plugin folders).
    QStringList notFoundProbePatterns;

    // How far an event may be older than the newest seen and still count in
    // its window; web logs are written in request-completion order.
    qint64 reorderToleranceMs = 5 * 60 * 1000;
    // Entity values listed per alert key ("source.ip" of a distributed attack);
    // the reason gives the full count.
    int maxEntityValues = 1000;

    // Behavioural detectors over the backend's telemetry (docs/detections.md,
    // "Behavioural detectors"). Failed logins for one account from any source.
    int accountBruteForceMinFailures = 10;
    qint64 accountBruteForceWindowMs = 10 * 60 * 1000;

    // Account takeover: a risky login, then a sensitive change or a payout.
    int takeoverMinFailures = 3; // failures for the account before the login
    qint64 takeoverFailureWindowMs = 60 * 60 * 1000;
    qint64 takeoverChainWindowMs = 2 * 60 * 60 * 1000; // login to the last step

    // Impossible travel between consecutive logins of one account.
    int travelMinDistanceKm = 500;
    int travelMaxSpeedKmh = 1000;
    // MaxMind GeoIP2/GeoLite2 City or ASN database (.mmdb) for events without
    // source.geo fields; empty: event fields only.
    QString geoDatabasePath;

    // Session hijack: idle time after which a session id is forgotten.
    qint64 sessionIdleMs = 24 * 60 * 60 * 1000;

    // Device rotation and user-agent spoofing.
    int deviceMaxPerAccount = 10; // also per source address
    qint64 deviceWindowMs = 60 * 60 * 1000;
    int userAgentMaxPerSource = 8;
    qint64 userAgentWindowMs = 10 * 60 * 1000;

    // API abuse: requests per minute of one API token or account.
    int apiMinRequestsPerMinute = 120; // floor of a warm baseline's threshold
    int apiColdRequestsPerMinute = 300; // threshold before the baseline is warm

    // Scraping: sequential ids of one path template from one source.
    int scrapeMinIds = 50;
    qint64 scrapeWindowMs = 10 * 60 * 1000;
    int scrapeMinSequentialPercent = 80;

    // Data exfiltration: response bytes per hour of one account or source.
    int exfilMinMegabytes = 20;
    int exfilColdMegabytes = 100;

    // Request flood: requests per minute to one path template, or from one source.
    int floodMinRequestsPerMinute = 600;

    // Baselines shared by the rate detectors.
    int baselineMinSamples = 5;     // buckets before an entity's own baseline decides
    int baselineMadMultiplier = 8;  // threshold = median + this * scaled MAD ...
    int baselineRatio = 10;         // ... and at least this * median
    int baselineMaxEntities = 100000; // per table; see docs/detections.md for the memory
    qint64 baselineIdleMs = 7LL * 24 * 60 * 60 * 1000;

    DetectionConfig();

    // Returns an empty string when every value is in range, else one message
    // per invalid key, naming the key and its allowed range.
    QString validate() const;

    QJsonObject toJson() const;
    // Reads the keys present in `object` over the current values, then validates.
    bool fromJson(const QJsonObject &object, QString *errorMessage);

    // A file ending in ".json" is JSON, any other an INI file with one
    // [section] per detector. Loading validates and leaves *this unchanged on error.
    bool loadFromFile(const QString &path, QString *errorMessage);
    bool saveToFile(const QString &path, QString *errorMessage) const;
};

// Routes events to the built-in detectors and collects their alerts, one per
// Alert::key, the latest version replacing the earlier ones. Alerts have id 0:
// the store assigns ids. Not thread-safe; use one engine per import.
class DetectionEngine : private AlertSink {
public:
    explicit DetectionEngine(const DetectionConfig &config = {});
    ~DetectionEngine() override;

    const DetectionConfig &config() const { return m_config; }
    // Adds a detector after the built-in ones (for later rule engines and tests).
    void addDetector(std::unique_ptr<Detector> detector);
    // Adds a detector that also receives the login attempts of AuthAttemptTracker.
    void addAttemptDetector(std::unique_ptr<detect::AttemptDetector> detector);

    void processEvent(const Event &event);
    // Flushes state at the end of the input; call once after the last event,
    // then takeChangedAlerts() for the final versions.
    void finish();

    // Returns the alerts raised or updated since the last call, in the order
    // they first changed. Detectors send updates of a running burst here, so
    // call it after each batch of events.
    QVector<Alert> takeChangedAlerts();
    // Returns every alert raised so far, in the order first raised, as of the
    // last takeChangedAlerts() or finish().
    QVector<Alert> alerts() const;

    // Allow-lists and suppressions (SuppressionService::loadActive()). Events
    // from a source allowed for every rule reach no detector; an alert that an
    // entry matches is dropped and counted. Expiry is checked against clock().
    void setSuppressions(const SuppressionList &suppressions);
    const SuppressionList &suppressions() const { return m_suppressions; }
    // Distinct alert keys dropped by a suppression, and events skipped because
    // their source is allow-listed.
    qint64 suppressedAlertCount() const { return m_suppressedAlerts; }
    qint64 allowListedEventCount() const { return m_allowListedEvents; }
    // Suppressed alerts and skipped events per Suppression::id since the last
    // call, for SuppressionService::recordHits().
    QHash<qint64, qint64> takeSuppressionHits();
    // Wall clock for suppression expiry; tests replace it.
    void setClock(std::function<qint64()> clock) { m_clock = std::move(clock); }

    // Entities whose state the behavioural detectors keep, summed over their
    // tables, and those evicted because a table reached baseline.max_entities.
    qint64 trackedEntities() const;
    qint64 evictedEntities() const;
    // Whether geo.maxmind_database was opened.
    bool hasGeoDatabase() const;

private:
    void addBehaviourDetectors();
    bool isSuppressed(const Alert &alert);

    void upsertAlert(const Alert &alert) override;
    void dispatchAttempt(const detect::AuthAttempt &attempt);

    DetectionConfig m_config;
    std::vector<std::unique_ptr<Detector>> m_detectors;
    // The detectors that take events other than web ones, in the order of
    // m_detectors, which owns them.
    std::vector<Detector *> m_nonWebDetectors;
    // One tracker for all attempt detectors, so each event is turned into
    // attempts once.
    std::unique_ptr<detect::AuthAttemptTracker> m_attempts;
    std::vector<detect::AttemptDetector *> m_attemptDetectors; // owned by m_detectors
    std::function<void(const detect::AuthAttempt &)> m_dispatchAttempt;
    qint64 m_newestMs = 0;
    qint64 m_lastSweepMs = 0;
    QVector<Alert> m_alerts;
    QHash<QByteArray, int> m_indexByKey; // Alert::key -> index in m_alerts
    QVector<int> m_changed; // indexes in m_alerts, each once
    QVector<bool> m_isChanged; // parallel to m_alerts

    std::unique_ptr<detect::GeoLocator> m_geo;
    std::vector<detect::BehaviourDetector *> m_behaviourDetectors; // owned by m_detectors
    SuppressionList m_suppressions;
    std::function<qint64()> m_clock;
    qint64 m_suppressedAlerts = 0;
    qint64 m_allowListedEvents = 0;
    QHash<qint64, qint64> m_suppressionHits;
    QSet<QByteArray> m_suppressedKeys; // counted once each; cleared past 100,000
};

} // namespace portcullis
