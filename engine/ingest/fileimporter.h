// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "detect/alert.h"
#include "detect/detectionengine.h"
#include "detect/suppression.h"
#include "event/logparser.h"
#include "security/identity.h"
#include "store/store.h"

#include <QString>
#include <QStringList>
#include <QVector>

#include <functional>
#include <memory>

namespace portcullis {

namespace sigma {
struct SigmaRules;
}

struct ImportOptions {
    LogFormat format = LogFormat::Auto; // Auto: detect each file's format from its first lines
    // False skips SQLite for events (alerts are still returned by detectFiles);
    // used by the benchmark and by `detect` when no evidence needs storing.
    bool storeEvents = true;
    DetectionConfig detection;
    // Sigma rules run beside the built-in detectors of each file
    // (loadDetectionRules() in ingest/ruledetectors.h); null runs none.
    std::shared_ptr<const sigma::SigmaRules> sigmaRules;
    // Suppressions and allow-lists for detectFiles() (loadActiveSuppressions()).
    // importFiles() ignores this value: it applies the active entries of its
    // own store and records their hits with each batch.
    SuppressionList suppressions;
    int batchSize = 5000; // events per transaction
    // Test hook: after this many committed batches the import stops at once,
    // leaving the run unfinished as a kill would. -1: never.
    int stopAfterBatches = -1;
};

// Reported after each batch and at the end of each file.
struct ImportProgress {
    QString filePath;
    qint64 bytesDone = 0;
    qint64 bytesTotal = 0;
    qint64 lines = 0;
    qint64 events = 0;
    qint64 unparsed = 0;
    int fileIndex = 0; // 0-based index into the paths passed in
    int fileCount = 0;
};

struct ImportSummary {
    int files = 0;
    qint64 lines = 0; // lines read in this call (resumed runs: only the new part)
    qint64 events = 0; // events parsed from those lines
    qint64 eventsStored = 0;
    qint64 duplicatesSkipped = 0; // events whose id was already stored
    qint64 unparsedLines = 0;
    qint64 truncatedLines = 0;
    qint64 alertsRaised = 0; // alert keys stored for the first time
    qint64 alertsUpdated = 0; // stored alert keys whose detection fields changed
    qint64 alertsSuppressed = 0; // distinct alert keys dropped by a suppression
    qint64 eventsAllowListed = 0; // events of allow-listed sources, kept from the detectors
    qint64 filesUpToDate = 0; // files already imported completely, skipped
    qint64 filesResumed = 0; // files whose earlier import was interrupted or that grew
    QVector<UnparsedLine> unparsedSamples; // the first MaxUnparsedSamples
    QStringList errors; // one sentence per file that failed
};

// Unparsed lines kept per file run (and in ImportSummary); all are counted.
inline constexpr int MaxUnparsedSamples = 2000;

// Reads the active suppressions and allow-lists of the console database at
// `databasePath` into `suppressions`, for ImportService::detectFiles(). The
// database must exist; it is opened (and migrated) but not otherwise changed.
bool loadActiveSuppressions(
    const QString &databasePath, SuppressionList *suppressions, QString *errorMessage);

// Reads log files in large chunks, parses them, runs the detections and
// commits each batch of events, the alerts it changed and the file's
// committed offset in one transaction. Importing a file again adds nothing;
// an import killed at any point resumes from the last committed batch, with
// detector state rebuilt by re-parsing the committed part of the file.
// Each file gets its own DetectionEngine, so a file's alerts do not depend
// on which other files are imported with it.
class ImportService {
public:
    // Return false from the callback to cancel; what was committed stays.
    using ProgressCallback = std::function<bool(const ImportProgress &)>;

    ImportService(Store &store, const ImportOptions &options = {});

    // Imports into the console's store. Checks Permission::ImportLogs and
    // appends the audit record "logs.import". The store's active suppressions
    // apply, and their hits are stored in each batch's transaction. Returns
    // false when a file could not be read or stored, or when cancelled. The
    // summary then contains what was done, and `errorMessage` describes the failure.
    bool importFiles(const Identity &who, const QStringList &paths, ImportSummary *summary,
        QString *errorMessage, const ProgressCallback &progress = {});

    // Runs the same pipeline for a throw-away store (opened on ":memory:" or
    // a temporary file), without an identity or audit record, and returns
    // every alert (stored ones with their ids) in `alerts`. The suppressions
    // of ImportOptions apply; their hits are not recorded.
    bool detectFiles(const QStringList &paths, ImportSummary *summary, QString *errorMessage,
        const ProgressCallback &progress = {}, QVector<Alert> *alerts = nullptr);

private:
    bool runFiles(const ImportOptions &options, bool recordHits, const QStringList &paths,
        ImportSummary *summary, QString *errorMessage, const ProgressCallback &progress,
        QVector<Alert> *alerts);

    Store &m_store;
    ImportOptions m_options;
};

} // namespace portcullis
