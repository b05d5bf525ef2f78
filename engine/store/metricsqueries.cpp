// SPDX-License-Identifier: GPL-3.0-or-later
#include "store/metricsqueries.h"

#include "detect/alert.h"
#include "store/storeutil.h"

namespace portcullis {

using storeutil::fail;

int DashboardMetrics::alertBucketCount() const
{
    if (window.alertBucketMs <= 0)
        return 0;
    return int((window.spanMs() + window.alertBucketMs - 1) / window.alertBucketMs);
}

namespace {

bool failed(const Statement &statement, const char *queryName, QString *errorMessage)
{
    return fail(errorMessage,
        QStringLiteral("Reading the dashboard (%1) failed: %2")
            .arg(QLatin1String(queryName), statement.error()));
}

bool prepare(Database &db, const char *sql, Statement *statement, QString *errorMessage)
{
    *statement = db.prepare(sql, errorMessage);
    return statement->isValid();
}

// The time of the most recently inserted event, by rowid.
bool readNewestEvent(Database &db, DashboardMetrics *metrics, QString *errorMessage)
{
    Statement statement;
    if (!prepare(db, "SELECT ts_ms FROM events ORDER BY id DESC LIMIT 1", &statement,
            errorMessage))
        return false;
    metrics->newestEventMs = statement.step() ? statement.columnInt64(0) : 0;
    return statement.error().isEmpty() || failed(statement, "newest event", errorMessage);
}

bool readEventCounts(Database &db, DashboardMetrics *metrics, QString *errorMessage)
{
    const MetricsWindow &window = metrics->window;
    metrics->eventCounts = QVector<qint64>(window.bucketCount, 0);
    Statement statement;
    if (!prepare(db,
            "SELECT (ts_ms - ?1) / ?2, count(*) FROM events "
            "WHERE ts_ms >= ?1 AND ts_ms < ?3 GROUP BY 1",
            &statement, errorMessage))
        return false;
    statement.bind(1, metrics->windowStartMs());
    statement.bind(2, window.bucketMs);
    statement.bind(3, window.endMs);
    while (statement.step()) {
        const qint64 bucket = statement.columnInt64(0);
        if (bucket >= 0 && bucket < window.bucketCount)
            metrics->eventCounts[int(bucket)] = statement.columnInt64(1);
    }
    return statement.error().isEmpty() || failed(statement, "event rate", errorMessage);
}

bool readAlertCounts(Database &db, DashboardMetrics *metrics, QString *errorMessage)
{
    const int buckets = metrics->alertBucketCount();
    metrics->alertCounts = QVector<std::array<qint64, 5>>(buckets, std::array<qint64, 5>{});
    Statement statement;
    if (!prepare(db,
            "SELECT (first_seen_ms - ?1) / ?2, severity, count(*) FROM alerts "
            "WHERE first_seen_ms >= ?1 AND first_seen_ms < ?3 GROUP BY 1, 2",
            &statement, errorMessage))
        return false;
    statement.bind(1, metrics->windowStartMs());
    statement.bind(2, metrics->window.alertBucketMs);
    statement.bind(3, metrics->window.endMs);
    while (statement.step()) {
        const qint64 bucket = statement.columnInt64(0);
        const qint64 severity = statement.columnInt64(1);
        if (bucket >= 0 && bucket < buckets && severity >= 0 && severity < 5)
            metrics->alertCounts[int(bucket)][size_t(severity)] += statement.columnInt64(2);
    }
    return statement.error().isEmpty() || failed(statement, "alerts by severity", errorMessage);
}

// NOTE: groups every event of the window, so the cost grows with the event
// rate (900,000 rows per refresh at 1,000 events/s); not measured at that rate.
bool readTopSources(Database &db, DashboardMetrics *metrics, QString *errorMessage)
{
    metrics->topSources.clear();
    Statement statement;
    if (!prepare(db,
            "SELECT source_ip, count(*), sum(outcome = 'failure') FROM events "
            "WHERE ts_ms >= ?1 AND ts_ms < ?2 AND source_ip IS NOT NULL AND source_ip != '' "
            "GROUP BY source_ip ORDER BY 2 DESC, 1 LIMIT ?3",
            &statement, errorMessage))
        return false;
    statement.bind(1, metrics->windowStartMs());
    statement.bind(2, metrics->window.endMs);
    statement.bind(3, metrics->window.topSourceCount);
    while (statement.step())
        metrics->topSources.append(
            { statement.columnText(0), statement.columnInt64(1), statement.columnInt64(2) });
    return statement.error().isEmpty() || failed(statement, "top sources", errorMessage);
}

bool readBackends(Database &db, DashboardMetrics *metrics, QString *errorMessage)
{
    metrics->backends.clear();
    Statement statement;
    if (!prepare(db,
            "SELECT b.name, b.base_url, b.last_event_ms, b.events_stored, b.updated_ms, "
            "(SELECT count(*) FROM quarantine q WHERE q.connection = b.name) "
            "FROM backend_connections b ORDER BY b.name",
            &statement, errorMessage))
        return false;
    while (statement.step()) {
        BackendHealthRow row;
        row.name = statement.columnText(0);
        row.baseUrl = statement.columnText(1);
        row.lastEventMs = statement.columnInt64(2);
        row.eventsStored = statement.columnInt64(3);
        row.updatedMs = statement.columnInt64(4);
        row.quarantined = statement.columnInt64(5);
        metrics->backends.append(row);
    }
    return statement.error().isEmpty() || failed(statement, "backends", errorMessage);
}

bool readOpenAlerts(Database &db, DashboardMetrics *metrics, QString *errorMessage)
{
    Statement statement;
    if (!prepare(db, "SELECT count(*) FROM alerts WHERE status < ?1", &statement, errorMessage))
        return false;
    statement.bind(1, int(AlertStatus::Closed));
    metrics->openAlerts = statement.step() ? statement.columnInt64(0) : 0;
    return statement.error().isEmpty() || failed(statement, "open alerts", errorMessage);
}

} // namespace

bool readDashboardMetrics(Database &db, const MetricsWindow &window, DashboardMetrics *metrics,
    QString *errorMessage)
{
    if (window.bucketMs <= 0 || window.bucketCount <= 0 || window.alertBucketMs <= 0)
        return fail(errorMessage,
            QStringLiteral("Dashboard window: bucket sizes and count must be positive (got %1 ms "
                           "x %2, alerts %3 ms).")
                .arg(window.bucketMs)
                .arg(window.bucketCount)
                .arg(window.alertBucketMs));

    *metrics = DashboardMetrics();
    metrics->window = window;
    if (!readNewestEvent(db, metrics, errorMessage))
        return false;

    // Align the end to a whole alert bucket (minute) so that buckets do not
    // shift between refreshes and their labels read as times of day.
    if (metrics->window.endMs == 0 && metrics->newestEventMs > 0) {
        const qint64 align = window.alertBucketMs % window.bucketMs == 0 ? window.alertBucketMs
                                                                         : window.bucketMs;
        const qint64 after = metrics->newestEventMs + 1;
        metrics->window.endMs = after + (align - after % align) % align;
    }
    if (metrics->window.endMs == 0)
        metrics->window.endMs = storeutil::nowMs();

    return readEventCounts(db, metrics, errorMessage) && readAlertCounts(db, metrics, errorMessage)
        && readTopSources(db, metrics, errorMessage) && readBackends(db, metrics, errorMessage)
        && readOpenAlerts(db, metrics, errorMessage);
}

} // namespace portcullis
