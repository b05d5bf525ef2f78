// SPDX-License-Identifier: GPL-3.0-or-later
#include "ingest/fileimport.h"

#include "core/logging.h"
#include "detect/suppressionservice.h"
#include "ingest/ruledetectors.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QFileInfo>

#include <cstring>

namespace portcullis {

namespace {

// Lines read to detect a file's format.
constexpr int FormatProbeLines = 20;

QString tr(const char *text)
{
    return QCoreApplication::translate("portcullis::ImportService", text);
}

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

// Writes the decimal digits of `value` (not negative) to end just before
// `end`; returns where they begin. Spares the QByteArray::number() temporary,
// and writes two digits per division, as a file offset has eight or more.
char *writeDigits(char *end, qint64 value)
{
    static constexpr char pairs[] = "00010203040506070809101112131415161718192021222324"
                                    "25262728293031323334353637383940414243444546474849"
                                    "50515253545556575859606162636465666768697071727374"
                                    "75767778798081828384858687888990919293949596979899";
    quint64 rest = quint64(value);
    while (rest > 0xffffffffu) {
        const quint64 pair = rest % 100;
        rest /= 100;
        end -= 2;
        end[0] = pairs[2 * pair];
        end[1] = pairs[2 * pair + 1];
    }
    // Below 2^32 (offsets in files under 4 GiB), 32-bit division costs less.
    quint32 low = quint32(rest);
    while (low >= 100) {
        const quint32 pair = low % 100;
        low /= 100;
        end -= 2;
        end[0] = pairs[2 * pair];
        end[1] = pairs[2 * pair + 1];
    }
    rest = low;
    if (rest >= 10) {
        end -= 2;
        end[0] = pairs[2 * rest];
        end[1] = pairs[2 * rest + 1];
    } else {
        *--end = char('0' + rest);
    }
    return end;
}

} // namespace

// "PREFIX:OFFSET:INDEX", the id of the event `index` of the line at `offset`.
// Built for every event, so the prefix is computed once per file. The id is
// written into the previous id's buffer when no event or detector still
// shares it, which saves an allocation and a free per event. That buffer
// already starts with the prefix, because run() drops it when it sets
// m_idPrefix, so only the numbers are written into it.
QByteArray FileImport::eventId(qint64 offset, qsizetype index)
{
    char digits[48];
    char *const end = digits + sizeof digits;
    char *begin = end;
    if (index < 10)
        *--begin = char('0' + index);  // most lines have one event
    else
        begin = writeDigits(end, index);
    *--begin = ':';
    begin = writeDigits(begin, offset);
    const qsizetype size = m_idPrefix.size() + (end - begin);
    // isDetached() is false for a null array and for one that others share.
    if (m_spareId.isDetached() && m_spareId.capacity() >= size) {
        if (m_spareId.size() != size)
            m_spareId.resize(size);
    } else {
        m_spareId = QByteArray(size, Qt::Uninitialized);
        std::memcpy(m_spareId.data(), m_idPrefix.constData(), size_t(m_idPrefix.size()));
    }
    std::memcpy(m_spareId.data() + m_idPrefix.size(), begin, size_t(end - begin));
    return m_spareId;
}

void AlertCollection::put(const Alert &alert)
{
    const auto it = indexByKey.constFind(alert.key);
    if (it != indexByKey.cend()) {
        alerts[it.value()] = alert;
        return;
    }
    indexByKey.insert(alert.key, alerts.size());
    alerts.append(alert);
}

FileImport::FileImport(
    Store *store, const ImportOptions &options, ImportSummary &summary, AlertCollection *collected)
    : m_store(store)
    , m_options(options)
    , m_summary(summary)
    , m_collected(collected)
{
}

FileImport::Result FileImport::run(const QString &path,
    const ImportService::ProgressCallback &progress, int fileIndex, int fileCount,
    QString *errorMessage)
{
    m_path = path;
    m_progress = progress;
    m_fileIndex = fileIndex;
    m_fileCount = fileCount;
    ++m_summary.files;

    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *errorMessage = tr("Cannot open %1: %2. Check the path and that you may read the file.")
                            .arg(path, file.errorString());
        return Result::Failed;
    }
    m_fileSize = file.size();
    m_modifiedMs = QFileInfo(file).lastModified().toMSecsSinceEpoch();
    if (m_fileSize == 0)
        return Result::Done;

    bool upToDate = false;
    if (!prepareRun(file, errorMessage, &upToDate))
        return Result::Failed;
    if (upToDate) {
        ++m_summary.filesUpToDate;
        return Result::Done;
    }

    ParserOptions parserOptions;
    parserOptions.referenceTimeMs = m_run.referenceTimeMs;
    parserOptions.filePath = path;
    m_parser = createParser(m_format, parserOptions);
    m_idPrefix = m_identity.eventIdPrefix() + ':';
    m_spareId = QByteArray();  // its buffer may start with another prefix
    createEngine();
    if (m_startOffset > 0 && !replayCommitted(file, errorMessage))
        return Result::Failed;
    // The replay only rebuilds detector state: its suppressed alerts were
    // counted when those batches were committed.
    m_engine->takeSuppressionHits();
    const qint64 suppressedBefore = m_engine->suppressedAlertCount();
    const qint64 allowListedBefore = m_engine->allowListedEventCount();

    LineReader reader(file, MaxLineBytes);
    if (!reader.seek(m_startOffset, m_startLine)) {
        *errorMessage = tr("Cannot read %1: %2").arg(path, reader.error());
        return Result::Failed;
    }
    m_offset = m_startOffset;
    if (m_store) {
        m_hashFile.setFileName(path);
        if (!m_hashFile.open(QIODevice::ReadOnly)) {
            *errorMessage = tr("Cannot open %1: %2. Check the path and that you may read the file.")
                                .arg(path, m_hashFile.errorString());
            return Result::Failed;
        }
        m_writer = std::make_unique<BatchWriter>(
            [this](PendingBatch &batch, QString *error) { return writeBatch(batch, error); });
    }
    const int batchSize = qMax(1, m_options.batchSize);
    FileLine line;
    while (reader.next(&line)) {
        if (holdBackLastLine(file, reader, line))
            continue;
        processLine(line);
        if (m_batchEvents < batchSize && m_batchLines < 4 * qint64(batchSize))
            continue;
        if (!commitBatch(false, errorMessage))
            return Result::Failed;
        if (m_options.stopAfterBatches >= 0 && m_batches >= m_options.stopAfterBatches) {
            if (!finishWrites(errorMessage))
                return Result::Failed;
            *errorMessage
                = tr("Import of %1 stopped after %2 batches by request.").arg(path).arg(m_batches);
            return Result::Stopped;
        }
        if (!reportProgress()) {
            if (!finishWrites(errorMessage))
                return Result::Failed;
            *errorMessage = tr("Import cancelled in %1 at line %2; what was read so far is stored, "
                               "and importing the file again continues from there.")
                                .arg(path)
                                .arg(line.lineNumber);
            return Result::Cancelled;
        }
    }
    if (!reader.error().isEmpty()) {
        if (!finishWrites(errorMessage))
            return Result::Failed;
        *errorMessage
            = tr("Cannot read %1 after byte %2: %3").arg(path).arg(m_offset).arg(reader.error());
        return Result::Failed;
    }

    m_engine->finish();
    if (!commitBatch(true, errorMessage) || !finishWrites(errorMessage))
        return Result::Failed;
    m_summary.alertsSuppressed += m_engine->suppressedAlertCount() - suppressedBefore;
    m_summary.eventsAllowListed += m_engine->allowListedEventCount() - allowListedBefore;
    reportProgress();
    return Result::Done;
}

// The file's detection engine: the built-in detectors, the Sigma rules of the
// options (those equivalent to a built-in detector raise no alerts), and the
// suppressions.
void FileImport::createEngine()
{
    m_engine = std::make_unique<DetectionEngine>(m_options.detection);
    addSigmaDetector(*m_engine, m_options.sigmaRules);
    if (!m_options.suppressions.isEmpty())
        m_engine->setSuppressions(m_options.suppressions);
}

// A last line without a terminator may be half-written. When the file has
// grown since it was read, moves the reader back to the line's start once, so
// the line is read again with what was written since, and returns true.
bool FileImport::holdBackLastLine(QFile &file, LineReader &reader, const FileLine &line)
{
    if (line.terminated || m_recheckedLastLine)
        return false;
    m_recheckedLastLine = true;
    const qint64 size = file.size();
    if (size <= line.endOffset)
        return false;
    m_fileSize = size;
    return reader.seek(line.offset, line.lineNumber - 1);
}

// Finds the file's earlier runs and decides where this one starts. A new file
// starts at 0. An interrupted run is continued from its committed offset. A
// file that has grown since its last finished run starts where that run ended.
bool FileImport::prepareRun(QFile &file, QString *errorMessage, bool *upToDate)
{
    if (!identifyFile(m_store, file, m_fileSize, &m_identity, errorMessage))
        return false;

    const std::optional<ImportRun> &last = m_identity.lastRun;
    if (last && last->finishedMs != 0 && last->committedOffset >= m_fileSize) {
        if (last->committedOffset > m_fileSize)
            qCWarning(lcIngest) << m_path << "is shorter than when it was imported"
                                << "(" << m_fileSize << "<" << last->committedOffset
                                << "bytes) but starts the same; nothing new to import";
        *upToDate = true;
        return true;
    }

    if (last && last->finishedMs == 0) {
        m_run = *last;
        m_run.filePath = m_path;
    } else {
        m_run = ImportRun();
        m_run.filePath = m_path;
        m_run.fileFingerprint = m_identity.fingerprint;
        m_run.headBytes = m_identity.headBytes;
        m_run.referenceTimeMs = m_modifiedMs;
        m_run.committedOffset = last ? last->committedOffset : 0;
        m_run.resumeHash = last ? last->resumeHash : QByteArray();
    }
    m_run.idPrefix = m_identity.idPrefix;
    m_run.startedMs = nowMs();
    m_run.fileSize = m_fileSize;
    m_startOffset = m_run.committedOffset;
    if (last)
        ++m_summary.filesResumed;

    if (last && !m_run.format.isEmpty() && m_options.format == LogFormat::Auto)
        formatFromName(m_run.format, &m_format);
    else if (!chooseFormat(file, errorMessage))
        return false;
    m_run.format = formatName(m_format);

    if (!m_store)
        return true;
    if (m_run.id != 0)
        m_storedSamples = m_store->countUnparsedLines(m_run.id);
    QString error;
    if (!m_store->database().begin(&error) || !m_store->saveImportRun(m_run, &error)
        || !m_store->database().commit(&error)) {
        m_store->database().rollback();
        *errorMessage = tr("Cannot record the import of %1 in the database: %2").arg(m_path, error);
        return false;
    }
    return true;
}

bool FileImport::chooseFormat(QFile &file, QString *errorMessage)
{
    if (m_options.format != LogFormat::Auto) {
        m_format = m_options.format;
        return true;
    }
    QList<QByteArray> firstLines;
    LineReader reader(file, MaxLineBytes, 256 * 1024);
    FileLine line;
    reader.seek(0, 0);
    while (firstLines.size() < FormatProbeLines && reader.next(&line)) {
        if (!line.text.trimmed().isEmpty())
            firstLines.append(line.text.toByteArray());
    }
    m_format = detectFormat(firstLines);
    if (m_format != LogFormat::Auto)
        return true;
    *errorMessage = tr("%1: the format is not recognised: its first %2 lines are not syslog, web "
                       "access log or JSON lines. Name the format with --format "
                       "(syslog, web or jsonl) if the file holds one of them.")
                        .arg(m_path)
                        .arg(firstLines.size());
    return false;
}

// Re-parses the part of the file committed by earlier runs and feeds it to
// the detectors without storing anything, so that parser state (year, sshd
// sessions) and detector windows are what an uninterrupted import would have.
bool FileImport::replayCommitted(QFile &file, QString *errorMessage)
{
    LineReader reader(file, MaxLineBytes);
    if (!reader.seek(0, 0)) {
        *errorMessage = tr("Cannot read %1: %2").arg(m_path, reader.error());
        return false;
    }
    std::vector<Event> events;
    FileLine line;
    bool crossing = false;
    while (reader.next(&line)) {
        if (line.endOffset > m_startOffset && line.offset < m_startOffset) {
            crossing = true;
            break;
        }
        events.clear();
        LineInfo info { line.lineNumber, line.offset, line.truncated };
        if (m_parser->parseLine(line.text, info, events)) {
            for (qsizetype i = 0; i < qsizetype(events.size()); ++i) {
                Event &event = events[i];
                event.id = eventId(line.offset, i);
                m_engine->processEvent(event);
            }
        }
        if (line.lineNumber % 4096 == 0)
            m_engine->takeChangedAlerts();
        if (line.endOffset >= m_startOffset)
            break;
    }
    m_engine->takeChangedAlerts();
    if (!crossing && line.endOffset < m_startOffset) {
        *errorMessage = tr("%1 changed since its last import: it ends at byte %2, before the %3 "
                           "bytes already imported. Import the file under a new name or start "
                           "with a new database.")
                            .arg(m_path)
                            .arg(line.endOffset)
                            .arg(m_startOffset);
        return false;
    }
    if (crossing) {
        finishReplay(line);
        return true;
    }
    m_startLine = line.lineNumber;
    return true;
}

// The last import ended inside `line`, which had no terminator then. If only
// its terminator was added since, the line was stored whole: replay it and
// continue after it. If it has grown, it was half-written: import it again,
// replacing the events stored from its first part.
void FileImport::finishReplay(const FileLine &line)
{
    const qint64 storedLength = m_startOffset - line.offset;
    if (line.text.size() == storedLength && !line.truncated) {
        std::vector<Event> events;
        LineInfo info { line.lineNumber, line.offset, line.truncated };
        if (m_parser->parseLine(line.text, info, events)) {
            for (qsizetype i = 0; i < qsizetype(events.size()); ++i) {
                events[i].id = eventId(line.offset, i);
                m_engine->processEvent(events[i]);
            }
        }
        m_engine->takeChangedAlerts();
        m_startOffset = line.endOffset;
        m_startLine = line.lineNumber;
        return;
    }
    qCInfo(lcIngest) << m_path << "line" << line.lineNumber
                     << "was imported before it was complete; importing it again";
    // NOTE: an alert raised only by the events of the incomplete line stays
    // stored; its evidence then names events that the new ones replaced.
    m_replacedLineOffset = line.offset;
    m_startOffset = line.offset;
    m_startLine = line.lineNumber - 1;
}

void FileImport::processLine(const FileLine &line)
{
    ++m_batchLines;
    ++m_linesDone;
    m_offset = line.endOffset;
    if (line.truncated)
        ++m_batchTruncated;

    const qsizetype before = qsizetype(m_batch.size());
    LineInfo info { line.lineNumber, line.offset, line.truncated };
    if (!m_parser->parseLine(line.text, info, m_batch)) {
        ++m_batchUnparsed;
        ++m_unparsedDone;
        const QByteArrayView head = line.text.first(qMin(line.text.size(), qsizetype(4000)));
        UnparsedLine unparsed { m_path, line.lineNumber, QString::fromUtf8(head).left(1000) };
        if (m_storedSamples + m_pendingUnparsed.size() < MaxUnparsedSamples)
            m_pendingUnparsed.append(unparsed);
        if (m_summary.unparsedSamples.size() < MaxUnparsedSamples)
            m_summary.unparsedSamples.append(unparsed);
        return;
    }

    for (qsizetype i = before; i < qsizetype(m_batch.size()); ++i) {
        Event &event = m_batch[i];
        event.id = eventId(line.offset, i - before);
        if (!event.filePath.isSharedWith(m_path))
            event.filePath = m_path;
        event.lineNumber = line.lineNumber;
        event.fileOffset = line.offset;
        event.originalTruncated = event.originalTruncated || line.truncated;
        if (event.original.isEmpty())
            event.original = QString::fromUtf8(line.text);
        m_engine->processEvent(event);
    }
    m_eventsDone += qsizetype(m_batch.size()) - before;
    m_batchEvents += qsizetype(m_batch.size()) - before;
    // Without a store nothing reads the events after the detectors. Releasing
    // them per line, not per batch, lets the next line reuse their memory from
    // the allocator's per-thread cache, which costs far less than freeing
    // thousands of events at the end of each batch.
    if (!m_writer)
        m_batch.clear();
}

// Ends the batch: with a store, hands it to the writer thread; without one,
// only counts it (and keeps the alerts at the end).
bool FileImport::commitBatch(bool final, QString *errorMessage)
{
    PendingBatch batch;
    batch.changedAlerts = m_engine->takeChangedAlerts();
    QHash<qint64, qint64> hits = m_engine->takeSuppressionHits();
    if (m_writer)
        batch.events = std::move(m_batch);
    batch.unparsed = std::move(m_pendingUnparsed);
    batch.endOffset = m_offset;
    if (m_writer)
        batch.resumeHash = fileResumeHash(m_hashFile, m_offset);
    if (m_replacedLineOffset >= 0) {
        batch.replacedLineIds = m_idPrefix + QByteArray::number(m_replacedLineOffset) + ':';
        m_replacedLineOffset = -1;
    }
    batch.lines = m_batchLines;
    batch.unparsedLines = m_batchUnparsed;
    batch.truncatedLines = m_batchTruncated;
    batch.lastLineNumber = m_startLine + m_linesDone;
    batch.final = final;
    m_summary.lines += m_batchLines;
    m_summary.events += m_batchEvents;
    m_summary.unparsedLines += m_batchUnparsed;
    m_summary.truncatedLines += m_batchTruncated;
    m_storedSamples += batch.unparsed.size();
    ++m_batches;

    if (m_writer) {
        m_batch = std::vector<Event>();
        m_batch.reserve(batch.events.size());
    }
    m_pendingUnparsed.clear();
    m_batchEvents = 0;
    m_batchLines = 0;
    m_batchUnparsed = 0;
    m_batchTruncated = 0;

    if (m_writer) {
        {
            const std::lock_guard<std::mutex> lock(m_hitsMutex);
            m_pendingHits.push_back(std::move(hits));
        }
        return m_writer->push(std::move(batch)) || finishWrites(errorMessage);
    }
    if (m_collected && final) {
        const QVector<Alert> all = m_engine->alerts();
        for (const Alert &alert : all)
            m_collected->put(alert);
    }
    return true;
}

// Waits for the writer thread to store every batch handed to it. False with
// `errorMessage` set when one could not be stored.
bool FileImport::finishWrites(QString *errorMessage)
{
    if (!m_writer)
        return true;
    QString error;
    const bool ok = m_writer->finish(&error);
    m_writer.reset();
    if (!ok && errorMessage)
        *errorMessage = error;
    return ok;
}

// Stores the batch's events, the alerts it changed and the run's new
// committed offset in one transaction. Runs on the writer thread, which owns
// m_run, the stored-alert counters and m_collected while the import runs.
bool FileImport::writeBatch(PendingBatch &batch, QString *errorMessage)
{
    Database &db = m_store->database();
    QString error;
    if (!db.begin(&error)) {
        *errorMessage = tr("Cannot store events of %1: %2").arg(m_path, error);
        return false;
    }

    qint64 inserted = 0;
    bool ok = batch.replacedLineIds.isEmpty()
        || m_store->deleteEventsWithIdPrefix(batch.replacedLineIds, &error);
    ok = ok && m_store->insertEvents(batch.events, &inserted, &error);
    QVector<QByteArray> raised;
    QVector<QByteArray> updated;
    for (qsizetype i = 0; ok && i < batch.changedAlerts.size(); ++i) {
        Alert &alert = batch.changedAlerts[i];
        bool created = false;
        ok = m_store->upsertAlert(alert, &error, &created);
        (created ? raised : updated).append(alert.key);
        if (ok && m_collected)
            m_collected->put(alert);
    }
    ok = ok && m_store->insertUnparsedLines(m_run.id, batch.unparsed, &error);
    QHash<qint64, qint64> hits;
    {
        const std::lock_guard<std::mutex> lock(m_hitsMutex);
        if (!m_pendingHits.empty()) {
            hits = std::move(m_pendingHits.front());
            m_pendingHits.pop_front();
        }
    }
    if (m_recordHits)
        ok = ok && SuppressionService::recordHits(db, hits, &error);

    m_run.committedOffset = batch.endOffset;
    m_run.resumeHash = batch.resumeHash;
    m_run.linesRead += batch.lines;
    m_run.eventsStored += inserted;
    m_run.unparsedLines += batch.unparsedLines;
    m_run.truncatedLines += batch.truncatedLines;
    if (batch.final)
        m_run.finishedMs = nowMs();
    ok = ok && m_store->saveImportRun(m_run, &error) && db.commit(&error);
    if (!ok) {
        db.rollback();
        *errorMessage = tr("Cannot store events of %1 up to line %2: %3")
                            .arg(m_path)
                            .arg(batch.lastLineNumber)
                            .arg(error);
        return false;
    }

    m_summary.eventsStored += inserted;
    m_summary.duplicatesSkipped += qint64(batch.events.size()) - inserted;
    countStoredAlerts(raised, updated);
    return true;
}

// Each alert counts once per file: as raised, or as updated when it was
// stored before this import.
void FileImport::countStoredAlerts(const QVector<QByteArray> &raised,
    const QVector<QByteArray> &updated)
{
    for (const QByteArray &key : raised)
        m_raisedKeys.insert(key);
    m_summary.alertsRaised += raised.size();
    for (const QByteArray &key : updated) {
        if (!m_raisedKeys.contains(key) && !m_updatedKeys.contains(key)) {
            m_updatedKeys.insert(key);
            ++m_summary.alertsUpdated;
        }
    }
}

bool FileImport::reportProgress()
{
    if (!m_progress)
        return true;
    ImportProgress progress;
    progress.filePath = m_path;
    progress.bytesDone = m_offset;
    progress.bytesTotal = m_fileSize;
    progress.lines = m_linesDone;
    progress.events = m_eventsDone;
    progress.unparsed = m_unparsedDone;
    progress.fileIndex = m_fileIndex;
    progress.fileCount = m_fileCount;
    return m_progress(progress);
}

} // namespace portcullis
