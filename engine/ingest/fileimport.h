// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ingest/batchwriter.h"
#include "ingest/fileidentity.h"
#include "ingest/fileimporter.h"
#include "ingest/linereader.h"

#include <QHash>
#include <QSet>

#include <deque>
#include <memory>
#include <mutex>
#include <vector>

namespace portcullis {

// Alerts gathered across the files of one detectFiles() call, in the order
// first seen, the latest version of each key replacing the earlier one.
struct AlertCollection {
    QVector<Alert> alerts;
    QHash<QByteArray, int> indexByKey;
    void put(const Alert &alert);
};

// Imports one file: the pipeline behind ImportService. Not part of the
// public API.
class FileImport {
public:
    enum class Result { Done, Failed, Cancelled, Stopped };

    FileImport(Store *store, const ImportOptions &options, ImportSummary &summary,
        AlertCollection *collected);

    Result run(const QString &path, const ImportService::ProgressCallback &progress, int fileIndex,
        int fileCount, QString *errorMessage);
    // Stores the suppressions' hits of each batch in its transaction (only
    // with a store). Off by default, for throw-away stores.
    void setRecordSuppressionHits(bool record) { m_recordHits = record; }

private:
    void createEngine();
    bool prepareRun(QFile &file, QString *errorMessage, bool *upToDate);
    bool chooseFormat(QFile &file, QString *errorMessage);
    bool replayCommitted(QFile &file, QString *errorMessage);
    void finishReplay(const FileLine &line);
    bool holdBackLastLine(QFile &file, LineReader &reader, const FileLine &line);
    void processLine(const FileLine &line);
    QByteArray eventId(qint64 offset, qsizetype index);
    bool commitBatch(bool final, QString *errorMessage);
    bool finishWrites(QString *errorMessage);
    bool writeBatch(PendingBatch &batch, QString *errorMessage);
    void countStoredAlerts(const QVector<QByteArray> &raised, const QVector<QByteArray> &updated);
    bool reportProgress();

    Store *m_store; // nullptr: nothing is written (ImportOptions::storeEvents false)
    const ImportOptions &m_options;
    ImportSummary &m_summary;
    AlertCollection *m_collected;

    QString m_path;
    qint64 m_fileSize = 0;
    qint64 m_modifiedMs = 0;
    FileIdentity m_identity;
    QByteArray m_idPrefix; // m_identity.eventIdPrefix() and ':'
    QByteArray m_spareId; // the last id built, whose buffer the next id reuses when unshared
    ImportRun m_run;
    qint64 m_startOffset = 0;
    qint64 m_startLine = 0; // lines before m_startOffset
    // Offset of a line whose events an earlier run stored while it was
    // incomplete (no terminator yet) and which has grown since; -1 for none.
    qint64 m_replacedLineOffset = -1;
    bool m_recheckedLastLine = false; // the file's size was checked again at its last line
    QFile m_hashFile; // a second handle on the file for resume hashes
    LogFormat m_format = LogFormat::Auto;
    std::unique_ptr<LogParser> m_parser;
    std::unique_ptr<DetectionEngine> m_engine;

    std::vector<Event> m_batch;
    QVector<UnparsedLine> m_pendingUnparsed; // samples to store with the batch
    qint64 m_storedSamples = 0; // samples stored (or handed to the writer) for this run so far
    qint64 m_offset = 0; // end of the last processed line
    qint64 m_batchEvents = 0; // events parsed into this batch, also those already released
    qint64 m_batchLines = 0;
    qint64 m_batchUnparsed = 0;
    qint64 m_batchTruncated = 0;
    qint64 m_linesDone = 0; // in this call, for progress
    qint64 m_eventsDone = 0;
    qint64 m_unparsedDone = 0;
    int m_batches = 0;
    QSet<QByteArray> m_raisedKeys;   // alerts this import stored first
    QSet<QByteArray> m_updatedKeys;  // alerts stored before and changed by this import
    bool m_recordHits = false;
    // Suppression hits per batch handed to the writer, oldest first: commitBatch()
    // appends, writeBatch() takes the front, as batches are written in order.
    std::mutex m_hitsMutex;
    std::deque<QHash<qint64, qint64>> m_pendingHits;

    ImportService::ProgressCallback m_progress;
    int m_fileIndex = 0;
    int m_fileCount = 0;

    // Stores the batches while the next one is read (only with a store).
    // Declared last, so it is destroyed (its thread joined) before the
    // members that thread uses.
    std::unique_ptr<BatchWriter> m_writer;
};

} // namespace portcullis
