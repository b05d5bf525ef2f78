// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "store/database.h"

#include <QList>
#include <QMetaType>
#include <QString>
#include <QVector>

#include <array>

namespace portcullis {

// The time window the dashboard reads: `bucketCount` buckets of `bucketMs`
// event time each, for the event rate, ending at `endMs` (exclusive).
struct MetricsWindow
{
    qint64 endMs = 0;                // 0: just after the newest stored event
    qint64 bucketMs = 5000;
    int bucketCount = 180;           // 15 minutes of 5-second buckets
    qint64 alertBucketMs = 60000;    // alerts are counted per minute
    int topSourceCount = 8;

    qint64 spanMs() const { return bucketMs * bucketCount; }
};

struct SourceCount
{
    QString sourceIp;                // attacker-controlled text: show as plain text
    qint64 events = 0;
    qint64 failures = 0;             // events with event.outcome "failure"
};

// One backend connection as stored by the telemetry pipeline.
struct BackendHealthRow
{
    QString name;
    QString baseUrl;
    qint64 lastEventMs = 0;
    qint64 eventsStored = 0;
    qint64 updatedMs = 0;            // wall clock of the last committed batch
    qint64 quarantined = 0;          // rows in the quarantine (the newest 100,000 are kept)
};

// Figures the dashboard shows, read in one go from the store.
struct DashboardMetrics
{
    MetricsWindow window;            // with endMs resolved
    qint64 newestEventMs = 0;        // 0: no event stored
    QVector<qint64> eventCounts;     // per bucket of window.bucketMs, oldest first
    // Alerts first seen in each window.alertBucketMs, oldest first, counted by
    // severity (index: the Severity value, Informational .. Critical).
    QVector<std::array<qint64, 5>> alertCounts;
    QVector<SourceCount> topSources; // most events first
    QVector<BackendHealthRow> backends;
    qint64 openAlerts = 0;           // alerts not closed, any time

    qint64 windowStartMs() const { return window.endMs - window.spanMs(); }
    int alertBucketCount() const;
};

// Reads the dashboard's figures with indexed queries (events by time, alerts
// by first seen). The window ends at the time of the most recently stored
// event rather than at the newest timestamp, so one event dated far in the
// future cannot blank the charts for longer than one refresh.
bool readDashboardMetrics(Database &db, const MetricsWindow &window, DashboardMetrics *metrics,
    QString *errorMessage);

} // namespace portcullis

Q_DECLARE_METATYPE(portcullis::DashboardMetrics)
