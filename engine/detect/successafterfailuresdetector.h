// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "detect/authattempttracker.h"
#include "detect/detectionengine.h"
#include "detect/detectorsupport.h"

#include <QHash>
#include <QList>

namespace portcullis::detect {

// A successful login from a source that failed at least successMinFailures
// times within successWindowMs before it: a possible compromise. Later
// successes from the source within the window of the alert's last success
// update the same alert. A success that raises no alert removes its own
// account's earlier failures, so honest typos followed by the right password
// count towards no later success.
class SuccessAfterFailuresDetector : public AttemptDetector {
public:
    static constexpr char RuleId[] = "success-after-failures";

    explicit SuccessAfterFailuresDetector(const DetectionConfig &config);
    QString ruleId() const override { return QLatin1String(RuleId); }
    void processEvent(const Event &event, AlertSink &sink) override;
    void processAttempt(const AuthAttempt &attempt, AlertSink &sink) override;
    void finish(AlertSink &sink) override;

private:
    struct Failure {
        qint64 timestampMs = 0;
        QString userName;
        QVarLengthArray<QByteArray, 3> eventIds;
    };
    struct SourceState {
        QString sourceField;
        QList<Failure> failures; // within the window of the newest, oldest first
        Alert alert; // the open alert; empty key when none
        qint64 failuresInAlert = 0;
        qint64 successesInAlert = 0;
        BoundedValueSet failedUsers;
        BoundedValueSet successUsers;
        qint64 lastSeenMs = 0;
    };

    void addFailure(const AuthAttempt &attempt);
    void addSuccess(const Event &event, AlertSink &sink);
    void settleOwnFailures(SourceState &state, const Event &success);
    void openAlert(const QString &source, SourceState &state, const Event &success);
    void updateReason(const QString &source, SourceState &state) const;
    void expire(qint64 nowMs);

    const DetectionConfig &m_config;
    QHash<QString, SourceState> m_sources;
    OldestTimeBound m_oldest; // of the sources' lastSeenMs, which only grows
    qint64 m_newestMs = 0;
    qint64 m_lastSweepMs = 0;
};

} // namespace portcullis::detect
