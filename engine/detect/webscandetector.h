// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "detect/detectionengine.h"
#include "detect/detectorsupport.h"

#include <QHash>
#include <QList>

namespace portcullis::detect {

// Web scanning from one source.ip: at least scan404MinResponses responses
// with status 404 within scan404WindowMs, or at least scanMinProbePaths
// distinct paths matching a probe pattern (/.env, /wp-admin, ...) within
// scanProbeWindowMs. One alert per source per burst; a burst ends when the
// longer of the two windows passes with no 404 or probe from the source.
class WebScanDetector : public Detector {
public:
    static constexpr char RuleId[] = "web-scanning";

    explicit WebScanDetector(const DetectionConfig &config);
    QString ruleId() const override { return QLatin1String(RuleId); }
    void processEvent(const Event &event, AlertSink &sink) override;
    bool webEventsOnly() const override { return true; }
    void flush(AlertSink &sink) override;
    void finish(AlertSink &sink) override;

    static bool isProbePath(QStringView path, const QStringList &probePatterns);

private:
    struct Burst {
        qint64 firstSeenMs = 0;
        qint64 lastSeenMs = 0;
        qint64 requests = 0; // 404s and probes in the burst
        qint64 notFound = 0;
        TimeWindow notFoundWindow; // until the alert fires
        QList<std::pair<qint64, QString>> recentProbes; // until the alert fires
        QHash<QString, int> recentProbeCounts;
        BoundedValueSet probePaths;
        QVector<QByteArray> evidence;
        QByteArray key;
        bool dirty = false;
    };

    void addRequest(const Event &event, const QString &probePath, AlertSink &sink);
    bool reachedThreshold(Burst &burst, const Event &event, const QString &probePath) const;
    bool addRecentProbe(Burst &burst, qint64 timestampMs, const QString &probePath) const;
    Alert buildAlert(const QString &source, const Burst &burst) const;
    void expire(qint64 nowMs, AlertSink &sink);
    qint64 burstGapMs() const;

    const DetectionConfig &m_config;
    QHash<QString, Burst> m_sources;
    OldestTimeBound m_oldest; // of the bursts' lastSeenMs
    QVector<QString> m_dirty;
    qint64 m_newestMs = 0;
    qint64 m_lastSweepMs = 0;
};

} // namespace portcullis::detect
