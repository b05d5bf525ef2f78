// SPDX-License-Identifier: GPL-3.0-or-later
#include "detect/detectionengine.h"

#include "core/logging.h"
#include "detect/credentialstuffingdetector.h"
#include "detect/distributedlogindetector.h"
#include "detect/sshbruteforcedetector.h"
#include "detect/successafterfailuresdetector.h"
#include "detect/webscandetector.h"

namespace portcullis {

namespace {
// Event time between expiries of waiting attempts.
constexpr qint64 SweepIntervalMs = 60 * 1000;
} // namespace

DetectionEngine::DetectionEngine(const DetectionConfig &config)
    : m_config(config)
    , m_attempts(std::make_unique<detect::AuthAttemptTracker>())
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
}

DetectionEngine::~DetectionEngine() = default;

void DetectionEngine::addDetector(std::unique_ptr<Detector> detector)
{
    m_detectors.push_back(std::move(detector));
}

void DetectionEngine::addAttemptDetector(std::unique_ptr<detect::AttemptDetector> detector)
{
    m_attemptDetectors.push_back(detector.get());
    m_detectors.push_back(std::move(detector));
}

void DetectionEngine::dispatchAttempt(const detect::AuthAttempt &attempt)
{
    for (detect::AttemptDetector *detector : m_attemptDetectors)
        detector->processAttempt(attempt, *this);
}

void DetectionEngine::processEvent(const Event &event)
{
    // Attempts first: a successful login must find the failures before it.
    if (event.category != EventCategory::Web) {
        m_newestMs = qMax(m_newestMs, event.timestampMs);
        if (m_newestMs - m_lastSweepMs >= SweepIntervalMs) {
            m_lastSweepMs = m_newestMs;
            m_attempts->expire(m_newestMs, m_dispatchAttempt);
        }
        m_attempts->processEvent(event, m_dispatchAttempt);
    }
    for (const auto &detector : m_detectors)
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
