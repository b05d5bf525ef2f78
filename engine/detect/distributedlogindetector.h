// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "detect/detectionengine.h"
#include "detect/detectorsupport.h"

#include <QHash>

#include <deque>

namespace portcullis::detect {

// POSTs to one login path from many sources with few attempts each: within
// distributedWindowMs at least distributedMinSources distinct source.ip
// values, and at least half of them sent at most distributedMaxMedianAttempts
// (the median is at most that). The alert stays open, collecting the path's
// POSTs, until the window no longer meets the condition.
class DistributedLoginDetector : public Detector {
public:
    static constexpr char RuleId[] = "web-distributed-login";

    explicit DistributedLoginDetector(const DetectionConfig &config);
    QString ruleId() const override { return QLatin1String(RuleId); }
    void processEvent(const Event &event, AlertSink &sink) override;
    bool webEventsOnly() const override { return true; }
    void flush(AlertSink &sink) override;
    void finish(AlertSink &sink) override;

    // The configured login path that `path` ends with, or an empty view.
    static QStringView matchLoginPath(QStringView path, const QStringList &loginPaths);

private:
    struct Post {
        qint64 timestampMs = 0;
        QString sourceIp;
        QByteArray eventId;
    };
    struct PathState {
        std::deque<Post> window; // POSTs within the window of the newest, oldest first
        QHash<QString, int> countBySource; // POSTs per source.ip in `window`
        int sourcesAtMostMedian = 0; // sources with at most MaxMedian POSTs in `window`
        Alert alert; // the open alert; empty key when none
        BoundedValueSet alertSources;
        bool dirty = false;
    };

    void addToWindow(PathState &state, const Post &post);
    void removeOldest(PathState &state);
    void changeCount(PathState &state, const QString &sourceIp, int delta);
    bool conditionHolds(const PathState &state) const;
    void openAlert(const QString &path, PathState &state);
    void addToAlert(PathState &state, const Post &post);
    void updateReason(const QString &path, PathState &state) const;
    void expire(qint64 nowMs, AlertSink &sink);

    const DetectionConfig &m_config;
    QHash<QString, PathState> m_paths; // keyed by the lower-cased request path
    qint64 m_newestMs = 0;
    qint64 m_lastSweepMs = 0;
};

} // namespace portcullis::detect
