// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "detect/alert.h"
#include "event/event.h"
#include "store/database.h"

#include <QSet>
#include <QVector>

#include <memory>
#include <optional>
#include <vector>

namespace portcullis {

class EventIdSet;

// Columns the alert list can sort by.
enum class AlertSortKey : quint8 { Id, Severity, Title, RuleId, FirstSeen, LastSeen, EventCount, Status, Assignee };

struct AlertQuery
{
    QString text;                    // substring of title, rule id, reason or entity values
    QSet<Severity> severities;       // empty: all
    QSet<AlertStatus> statuses;      // empty: all
    AlertSortKey sortKey = AlertSortKey::LastSeen;
    bool ascending = false;
    int offset = 0;
    int limit = -1;                  // -1: no limit
};

// One change of an alert's triage state.
struct AlertHistoryEntry
{
    qint64 atMs = 0;
    QString actor;                   // user name of the acting identity
    QString action;                  // "created", "acknowledged", "assigned", "closed", "reopened", "updated"
    AlertStatus status = AlertStatus::Open;  // status after the change
    QString assignee;                // assignee after the change
    Disposition disposition = Disposition::None;
    QString note;
};

// One run of `import` over one file; resumable from committedOffset.
struct ImportRun
{
    qint64 id = 0;
    QString filePath;
    QByteArray fileFingerprint;      // SHA-256 of the file's first headBytes bytes
    qint64 headBytes = 0;            // bytes it covers: min(file size, 4 KiB) at first import
    QString format;
    qint64 referenceTimeMs = 0;      // ParserOptions::referenceTimeMs used for the file
    qint64 startedMs = 0;
    qint64 finishedMs = 0;           // 0 while running or after a kill
    qint64 fileSize = 0;             // size of the file when the run started
    qint64 committedOffset = 0;      // bytes of the file whose events are committed
    qint64 linesRead = 0;
    qint64 eventsStored = 0;
    qint64 unparsedLines = 0;
    qint64 truncatedLines = 0;
    QByteArray idPrefix;             // prefix of the file's event ids ("3f2a9c0e41b7")
    // SHA-256 of the up to 4 KiB before committedOffset. It distinguishes a file
    // that grew by appends from another file with the same head. Empty when
    // not recorded (runs from before schema version 4).
    QByteArray resumeHash;
};

// A line that no parser accepted, kept so the user can see it.
struct UnparsedLine
{
    QString filePath;
    qint64 lineNumber = 0;
    QString text;                    // cut at 1,000 characters
};

// Storage for events, alerts and import runs on one SQLite connection. The
// store checks no permissions: the services in respond/ and ingest/ that
// take an Identity do that before calling it. Not thread-safe: open one
// Store per thread on the same file (WAL lets readers and a writer share it).
class Store
{
public:
    Store();
    ~Store();

    bool open(const QString &path, QString *errorMessage);  // ":memory:" for a throw-away store
    Database &database() { return m_db; }

    // For a store that is thrown away after one run (portcullis-cli detect):
    // drops the indexes that only serve later queries (events by time, alerts
    // by evidence event, the alert list's sort orders) and turns off
    // foreign-key checks, because each is an extra b-tree search or insert
    // per stored row. While no event is stored it also moves the journal to
    // memory and the pages to 16 KiB, and replaces the unique index on
    // events.event_id by an EventIdSet in memory. The index is built again
    // when an id repeats, when more than 4,194,304 events are stored, before
    // events are looked up or deleted by id, and when the file is opened
    // again. Only this Store object may write events to the file meanwhile.
    // Everything the import pipeline itself reads keeps working.
    bool relaxForThrowAway(QString *errorMessage);
    // Writes within the caller's transaction (Database::begin/commit).
    // Events whose event.id is already stored are skipped; `inserted` counts the rest.
    bool insertEvents(const std::vector<Event> &events, qint64 *inserted, QString *errorMessage);
    // Deletes the events whose event.id starts with `idPrefix` (the events of
    // one line: "PREFIX:OFFSET:").
    bool deleteEventsWithIdPrefix(const QByteArray &idPrefix, QString *errorMessage);
    // Inserts or replaces the detection fields of the alert with the same key,
    // keeping its triage state, and links its evidence events. Sets alert.id.
    // Also fills the alert's triage fields from the store. `created` is set to
    // true when the key was new, and a "created" history entry is then written.
    bool upsertAlert(Alert &alert, QString *errorMessage, bool *created = nullptr);

    qint64 countAlerts(const AlertQuery &query);
    QVector<Alert> queryAlerts(const AlertQuery &query);
    QVector<qint64> queryAlertIds(const AlertQuery &query);  // all matching ids in query order
    std::optional<Alert> alertById(qint64 id);
    QVector<Event> eventsByIds(const QVector<QByteArray> &eventIds);
    qint64 countEvents();
    QVector<QByteArray> alertEvidenceIds(qint64 alertId);

    bool inTransaction() const;

    // Changes triage fields and appends a history entry, in one transaction:
    // the caller's when one is open (so an audit record can join it), else its own.
    bool updateAlertTriage(qint64 alertId, const AlertHistoryEntry &change, QString *errorMessage);
    QVector<AlertHistoryEntry> alertHistory(qint64 alertId);

    // Import runs.
    std::optional<ImportRun> lastImportRun(const QByteArray &fileFingerprint);
    // The latest run whose fingerprint covers exactly `headBytes` bytes.
    std::optional<ImportRun> lastImportRun(const QByteArray &fileFingerprint, qint64 headBytes);
    // Distinct fingerprint lengths below `below` (files smaller than 4 KiB at
    // first import), so a file that has grown since can still be recognised.
    QVector<qint64> fingerprintLengthsBelow(qint64 below);
    // The latest run of each file (each event id prefix) whose fingerprint
    // covers exactly `headBytes` bytes, newest first.
    QVector<ImportRun> latestRunsPerFile(const QByteArray &fileFingerprint, qint64 headBytes);
    bool isIdPrefixUsed(const QByteArray &idPrefix);
    qint64 countUnparsedLines(qint64 importRunId);
    bool saveImportRun(ImportRun &run, QString *errorMessage);  // insert when id == 0
    bool insertUnparsedLines(qint64 importRunId, const QVector<UnparsedLine> &lines, QString *errorMessage);
    QVector<UnparsedLine> unparsedLines(qint64 importRunId, int limit);

private:
    struct Statements;
    Statement *cached(const QByteArray &sql);
    bool addImportRunIdentityColumns(QString *errorMessage);
    bool insertHistory(qint64 alertId, const AlertHistoryEntry &entry, QString *errorMessage);
    bool linkEvidence(qint64 alertId, const QVector<QByteArray> &evidence, QString *errorMessage);
    bool insertLinks(qint64 alertId, const QVector<QByteArray> &evidence, qsizetype start,
                     QString *errorMessage);
    qsizetype linkedPrefix(qint64 alertId, const QVector<QByteArray> &evidence);
    bool isLinked(qint64 alertId, const QByteArray &eventId);

    // Record of the links linkEvidence() last wrote for an alert: the number of links and
    // the last one. Lets an alert updated in every batch get only its new
    // evidence linked without reading back the links it already has.
    struct LinkedEvidence {
        qsizetype count = 0;
        QByteArray last;
    };

    bool dropEventIdIndex(QString *errorMessage);
    bool hasEventIdIndex(bool *present, QString *errorMessage);
    bool restoreEventIdIndex(QString *errorMessage);
    bool checkNewEventIds(const std::vector<Event> &events, size_t begin, size_t end,
                          bool *indexed, QString *errorMessage);

    Database m_db;
    std::unique_ptr<Statements> m_statements;
    // Set while events.event_id has no unique index (see relaxForThrowAway()).
    std::unique_ptr<EventIdSet> m_unindexedEventIds;
    QHash<qint64, LinkedEvidence> m_linkedEvidence;
};

} // namespace portcullis
