// SPDX-License-Identifier: GPL-3.0-or-later
#include "detect/detectionengine.h"

#include "core/logging.h"
#include "detect/accountdetectors.h"
#include "detect/automationdetectors.h"
#include "detect/credentialstuffingdetector.h"
#include "detect/distributedlogindetector.h"
#include "detect/geolocator.h"
#include "detect/ratedetectors.h"
#include "detect/sessiondetectors.h"
#include "detect/sshbruteforcedetector.h"
#include "detect/successafterfailuresdetector.h"
#include "detect/webscandetector.h"

#include <QDateTime>

namespace portcullis {

namespace {
// Event time between expiries of waiting attempts.
constexpr qint64 SweepIntervalMs = 60 * 1000;
constexpr qsizetype MaxSuppressedKeys = 100000;
} // namespace

DetectionEngine::DetectionEngine(const DetectionConfig &config)
    : m_config(config)
    , m_attempts(std::make_unique<detect::AuthAttemptTracker>())
    , m_clock([] { return QDateTime::currentMSecsSinceEpoch(); })
{
    const QString invalid = m_config.validate();
    if (!invalid.isEmpty()) {
        qCWarning(lcDetect).noquote()
            << "invalid detection settings, using the defaults:" << invalid;
        m_config = DetectionConfig();
    }
    m_dispatchAttempt = [this](const detect::AuthAttempt &attempt) { dispatchAttempt(attempt); };

    // Detectors keep a reference to m_config, which lives as long as they do.
    addAttemptDetector(std::make_unique<detect::SshBruteForceDetector>(m_config));
    addAttemptDetector(std::make_unique<detect::CredentialStuffingDetector>(m_config));
    addAttemptDetector(std::make_unique<detect::SuccessAfterFailuresDetector>(m_config));
    addDetector(std::make_unique<detect::DistributedLoginDetector>(m_config));
    addDetector(std::make_unique<detect::WebScanDetector>(m_config));
    addBehaviourDetectors();
}

void DetectionEngine::addBehaviourDetectors()
{
    if (!m_config.geoDatabasePath.isEmpty()) {
        auto geo = std::make_unique<detect::GeoLocator>();
        QString error;
        if (geo->open(m_config.geoDatabasePath, &error))
            m_geo = std::move(geo);
        else
            qCWarning(lcDetect).noquote() << error;
    }
    std::vector<std::unique_ptr<detect::BehaviourDetector>> detectors;
    detectors.push_back(std::make_unique<detect::AccountBruteForceDetector>(m_config));
    detectors.push_back(std::make_unique<detect::AccountTakeoverDetector>(m_config));
    detectors.push_back(std::make_unique<detect::ImpossibleTravelDetector>(m_config, m_geo.get()));
    detectors.push_back(std::make_unique<detect::SessionHijackDetector>(m_config, m_geo.get()));
    detectors.push_back(std::make_unique<detect::DeviceRotationDetector>(m_config));
    detectors.push_back(std::make_unique<detect::ScrapingDetector>(m_config));
    detectors.push_back(std::make_unique<detect::ApiAbuseDetector>(m_config));
    detectors.push_back(std::make_unique<detect::RequestFloodDetector>(m_config));
    detectors.push_back(std::make_unique<detect::ExfiltrationDetector>(m_config));
    for (auto &detector : detectors) {
        m_behaviourDetectors.push_back(detector.get());
        addDetector(std::move(detector));
    }
}

void DetectionEngine::setSuppressions(const SuppressionList &suppressions)
{
    m_suppressions = suppressions;
}

QHash<qint64, qint64> DetectionEngine::takeSuppressionHits()
{
    return std::exchange(m_suppressionHits, {});
}

qint64 DetectionEngine::trackedEntities() const
{
    qint64 total = 0;
    for (const detect::BehaviourDetector *detector : m_behaviourDetectors)
        total += detector->trackedEntities();
    return total;
}

qint64 DetectionEngine::evictedEntities() const
{
    qint64 total = 0;
    for (const detect::BehaviourDetector *detector : m_behaviourDetectors)
        total += detector->evictedEntities();
    return total;
}

bool DetectionEngine::hasGeoDatabase() const
{
    return m_geo != nullptr;
}

bool DetectionEngine::isSuppressed(const Alert &alert)
{
    const qint64 entry = m_suppressions.suppressingEntry(alert, m_clock());
    if (entry == 0)
        return false;
    if (m_suppressedKeys.size() >= MaxSuppressedKeys)
        m_suppressedKeys.clear();
    if (!m_suppressedKeys.contains(alert.key)) {
        m_suppressedKeys.insert(alert.key);
        ++m_suppressedAlerts;
        ++m_suppressionHits[entry];
        qCDebug(lcDetect) << "alert suppressed by entry" << entry << alert.key;
    }
    return true;
}

DetectionEngine::~DetectionEngine() = default;

void DetectionEngine::addDetector(std::unique_ptr<Detector> detector)
{
    if (!detector->webEventsOnly())
        m_nonWebDetectors.push_back(detector.get());
    m_detectors.push_back(std::move(detector));
}

void DetectionEngine::addAttemptDetector(std::unique_ptr<detect::AttemptDetector> detector)
{
    m_attemptDetectors.push_back(detector.get());
    addDetector(std::move(detector));
}

void DetectionEngine::dispatchAttempt(const detect::AuthAttempt &attempt)
{
    for (detect::AttemptDetector *detector : m_attemptDetectors)
        detector->processAttempt(attempt, *this);
}

void DetectionEngine::processEvent(const Event &event)
{
    if (!m_suppressions.isEmpty()) {
        const qint64 entry = m_suppressions.allowedSource(event.sourceIp, m_clock());
        if (entry != 0) {
            ++m_allowListedEvents;
            ++m_suppressionHits[entry];
            return;
        }
    }

    if (event.category == EventCategory::Web) {
        for (const auto &detector : m_detectors)
            detector->processEvent(event, *this);
        return;
    }

    // Attempts first: a successful login must find the failures before it.
    m_newestMs = qMax(m_newestMs, event.timestampMs);
    if (m_newestMs - m_lastSweepMs >= SweepIntervalMs) {
        m_lastSweepMs = m_newestMs;
        m_attempts->expire(m_newestMs, m_dispatchAttempt);
    }
    m_attempts->processEvent(event, m_dispatchAttempt);
    for (Detector *detector : m_nonWebDetectors)
        detector->processEvent(event, *this);
}

void DetectionEngine::finish()
{
    m_attempts->flushAll(m_dispatchAttempt);
    for (const auto &detector : m_detectors)
        detector->finish(*this);
    qCDebug(lcDetect) << "detection finished with" << m_alerts.size() << "alerts";
}

QVector<Alert> DetectionEngine::takeChangedAlerts()
{
    for (const auto &detector : m_detectors)
        detector->flush(*this);

    QVector<Alert> changed;
    changed.reserve(m_changed.size());
    for (int index : std::as_const(m_changed)) {
        changed.append(m_alerts.at(index));
        m_isChanged[index] = false;
    }
    m_changed.clear();
    return changed;
}

QVector<Alert> DetectionEngine::alerts() const
{
    return m_alerts;
}

void DetectionEngine::upsertAlert(const Alert &alert)
{
    if (!m_suppressions.isEmpty() && isSuppressed(alert))
        return;
    const auto it = m_indexByKey.constFind(alert.key);
    int index = 0;
    if (it == m_indexByKey.constEnd()) {
        index = m_alerts.size();
        m_alerts.append(alert);
        m_isChanged.append(false);
        m_indexByKey.insert(alert.key, index);
        qCDebug(lcDetect) << "alert raised:" << alert.ruleId << alert.key;
    } else {
        index = *it;
        m_alerts[index] = alert;
    }
    if (!m_isChanged.at(index)) {
        m_isChanged[index] = true;
        m_changed.append(index);
    }
}

} // namespace portcullis
