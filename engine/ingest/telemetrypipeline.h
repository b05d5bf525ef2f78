// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "detect/alert.h"
#include "detect/detectionengine.h"
#include "ingest/backendclient.h"
#include "store/store.h"

#include <QObject>
#include <QUrl>

#include <memory>

namespace portcullis {
namespace fraud {
class FraudAlertDetector;
}

class LogParser;

// Limits of one delivered event; a larger or incomplete one is quarantined.
inline constexpr qsizetype MaxTelemetryEventBytes = 64 * 1024;
inline constexpr qsizetype MaxTelemetryEventIdBytes = 128;

struct TelemetryCounters {
    qint64 received = 0;
    qint64 stored = 0;
    qint64 duplicates = 0;           // already stored or repeated in the page
    qint64 quarantined = 0;
    qint64 alertsChanged = 0;
    qint64 gaps = 0;
    qint64 backendAlerts = 0;        // the backend's own alerts stored or updated
};

// Stores the pages of one backend connection through the same parse, detect
// and store path as a file import: each page's valid events, the alerts they
// changed, its quarantined events and the connection's cursor are committed
// in one SQLite transaction. Re-delivered events (same event.id) are neither
// stored nor detected twice. Events are stored with log.file.path
// "backend:NAME", which is how open() finds them again for the replay.
class TelemetryPipeline : public QObject {
    Q_OBJECT

public:
    TelemetryPipeline(Store &store, const QString &connectionName, const QUrl &baseUrl,
        const DetectionConfig &config = {}, QObject *parent = nullptr);
    ~TelemetryPipeline() override;

    // Creates the connection's row if needed and reads its cursor and the
    // active suppressions. Then replays the stored events of the last
    // detection window (the longest window of the config, at most
    // maxReplayEvents) into the detectors, so that bursts running across a
    // restart are still seen as one. commitPage() reads the suppressions
    // again once a minute and stores their hits with the page.
    bool open(QString *errorMessage);
    QString cursor() const { return m_cursor; }

    bool commitPage(const EventPage &page, QString *errorMessage);
    // Raises a telemetry-gap alert (high) naming the missing range and moves
    // the cursor to the oldest retained event, in one transaction.
    bool commitGap(const TelemetryGap &gap, QString *errorMessage);
    // Raises or updates a telemetry-silence alert (medium) for this connection.
    bool raiseSilence(qint64 silentForMs, QString *errorMessage);
    // Stores the alerts the backend raised itself (GET /alerts) as alerts with
    // rule id "backend:TYPE", each backend alert id once, in one transaction;
    // an alert without a usable id is quarantined.
    bool commitBackendAlerts(const QList<QJsonObject> &alerts, QString *errorMessage);

    // Connects a client's handlers to this pipeline, tells it where the
    // import of the backend's alerts stands and whether the backend was
    // reached in an earlier run.
    void attach(BackendClient *client);

    const TelemetryCounters &counters() const { return m_counters; }
    qint64 newestEventMs() const { return m_newestEventMs; }

    // Test hook: the page after this many committed pages writes its rows and
    // then returns false with the transaction still open, as a crash would
    // leave it. -1: never.
    void setCrashAfterPages(int pages) { m_crashAfterPages = pages; }
    int maxReplayEvents = 200000;

Q_SIGNALS:
    // Alerts created or changed by a committed page, with their store ids.
    void alertsStored(const QVector<portcullis::Alert> &alerts);
    void pageCommitted(qint64 storedEvents, const QString &cursor);

private:
    struct Parsed;
    Parsed parsePage(const EventPage &page);
    bool isStored(const QByteArray &eventId);
    bool writeQuarantine(const QByteArray &raw, const QString &reason, QString *errorMessage);
    bool saveCursor(const QString &cursor, qint64 stored, QString *errorMessage);
    bool storeAlerts(QVector<Alert> &alerts, QString *errorMessage);
    bool replay(QString *errorMessage);
    bool loadSuppressions(QString *errorMessage);
    void addRuleDetectors();
    bool commitOrRollback(QString *errorMessage);

    Store &m_store;
    QString m_name;
    QUrl m_baseUrl;
    QString m_filePath;              // "backend:NAME"
    DetectionEngine m_engine;
    fraud::FraudAlertDetector *m_fraud = nullptr;  // owned by m_engine
    std::unique_ptr<LogParser> m_parser;
    QString m_cursor;
    qint64 m_newestEventMs = 0;
    TelemetryCounters m_counters;
    int m_crashAfterPages = -1;
    int m_pagesCommitted = 0;
    qint64 m_suppressionsLoadedMs = 0; // wall clock of the last loadSuppressions()
    Statement m_existsStatement;
};

} // namespace portcullis
