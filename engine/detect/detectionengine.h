// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "detect/alert.h"
#include "detect/detector.h"
#include "event/event.h"

#include <QHash>
#include <QJsonObject>
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

private:
    void upsertAlert(const Alert &alert) override;
    void dispatchAttempt(const detect::AuthAttempt &attempt);

    DetectionConfig m_config;
    std::vector<std::unique_ptr<Detector>> m_detectors;
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
};

} // namespace portcullis
