// SPDX-License-Identifier: GPL-3.0-or-later
// Import runs and unparsed lines: the bookkeeping that makes file import
// idempotent and resumable.
#include "store/store.h"

#include "store/storeutil.h"

namespace portcullis {

static const char runColumns[]
    = "id, file_path, fingerprint, head_bytes, format, reference_time_ms, started_ms, finished_ms, "
      "file_size, committed_offset, lines_read, events_stored, unparsed_lines, truncated_lines, "
      "id_prefix, resume_hash";

static ImportRun runFromRow(const Statement &row)
{
    ImportRun run;
    run.id = row.columnInt64(0);
    run.filePath = row.columnText(1);
    run.fileFingerprint = row.columnBlob(2);
    run.headBytes = row.columnInt64(3);
    run.format = row.columnText(4);
    run.referenceTimeMs = row.columnInt64(5);
    run.startedMs = row.columnInt64(6);
    run.finishedMs = row.columnInt64(7);
    run.fileSize = row.columnInt64(8);
    run.committedOffset = row.columnInt64(9);
    run.linesRead = row.columnInt64(10);
    run.eventsStored = row.columnInt64(11);
    run.unparsedLines = row.columnInt64(12);
    run.truncatedLines = row.columnInt64(13);
    run.idPrefix = row.columnBlob(14);
    run.resumeHash = row.columnBlob(15);
    return run;
}

std::optional<ImportRun> Store::lastImportRun(const QByteArray &fileFingerprint)
{
    Statement *statement = cached(QByteArray("SELECT ") + runColumns
        + " FROM import_runs WHERE fingerprint = ? ORDER BY id DESC LIMIT 1");
    if (!statement)
        return std::nullopt;
    statement->bind(1, fileFingerprint);
    std::optional<ImportRun> run;
    if (statement->step())
        run = runFromRow(*statement);
    statement->reset();
    return run;
}

std::optional<ImportRun> Store::lastImportRun(const QByteArray &fileFingerprint, qint64 headBytes)
{
    Statement *statement = cached(QByteArray("SELECT ") + runColumns
        + " FROM import_runs WHERE fingerprint = ? AND head_bytes = ? "
          "ORDER BY id DESC LIMIT 1");
    if (!statement)
        return std::nullopt;
    statement->bind(1, fileFingerprint);
    statement->bind(2, headBytes);
    std::optional<ImportRun> run;
    if (statement->step())
        run = runFromRow(*statement);
    statement->reset();
    return run;
}

QVector<ImportRun> Store::latestRunsPerFile(const QByteArray &fileFingerprint, qint64 headBytes)
{
    QVector<ImportRun> runs;
    Statement *statement = cached(QByteArray("SELECT ") + runColumns
        + " FROM import_runs WHERE id IN (SELECT max(id) FROM import_runs "
          "WHERE fingerprint = ? AND head_bytes = ? GROUP BY id_prefix) ORDER BY id DESC");
    if (!statement)
        return runs;
    statement->bind(1, fileFingerprint);
    statement->bind(2, headBytes);
    while (statement->step())
        runs.append(runFromRow(*statement));
    statement->reset();
    return runs;
}

bool Store::isIdPrefixUsed(const QByteArray &idPrefix)
{
    Statement *statement = cached("SELECT 1 FROM import_runs WHERE id_prefix = ? LIMIT 1");
    if (!statement)
        return false;
    statement->bind(1, idPrefix);
    const bool used = statement->step();
    statement->reset();
    return used;
}

QVector<qint64> Store::fingerprintLengthsBelow(qint64 below)
{
    QVector<qint64> lengths;
    Statement *statement = cached(
        "SELECT DISTINCT head_bytes FROM import_runs WHERE head_bytes < ? ORDER BY head_bytes");
    if (!statement)
        return lengths;
    statement->bind(1, below);
    while (statement->step())
        lengths.append(statement->columnInt64(0));
    statement->reset();
    return lengths;
}

bool Store::saveImportRun(ImportRun &run, QString *errorMessage)
{
    Statement *statement = nullptr;
    if (run.id == 0) {
        statement
            = cached("INSERT INTO import_runs (file_path, fingerprint, head_bytes, format, "
                     "reference_time_ms, started_ms, finished_ms, file_size, committed_offset, "
                     "lines_read, events_stored, unparsed_lines, truncated_lines, id_prefix, "
                     "resume_hash) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    } else {
        statement
            = cached("UPDATE import_runs SET file_path = ?, fingerprint = ?, head_bytes = ?, "
                     "format = ?, reference_time_ms = ?, started_ms = ?, finished_ms = ?, "
                     "file_size = ?, committed_offset = ?, lines_read = ?, events_stored = ?, "
                     "unparsed_lines = ?, truncated_lines = ?, id_prefix = ?, resume_hash = ? "
                     "WHERE id = ?");
    }
    if (!statement)
        return storeutil::fail(errorMessage, m_db, "prepare import run");

    statement->bind(1, run.filePath);
    statement->bind(2, run.fileFingerprint);
    statement->bind(3, run.headBytes);
    statement->bind(4, run.format);
    statement->bind(5, run.referenceTimeMs);
    statement->bind(6, run.startedMs);
    statement->bind(7, run.finishedMs);
    statement->bind(8, run.fileSize);
    statement->bind(9, run.committedOffset);
    statement->bind(10, run.linesRead);
    statement->bind(11, run.eventsStored);
    statement->bind(12, run.unparsedLines);
    statement->bind(13, run.truncatedLines);
    statement->bind(14, run.idPrefix);
    statement->bind(15, run.resumeHash);
    if (run.id != 0)
        statement->bind(16, run.id);
    statement->step();
    const QString error = statement->error();
    statement->reset();
    if (!error.isEmpty())
        return storeutil::fail(errorMessage, error);
    if (run.id == 0)
        run.id = m_db.lastInsertRowId();
    return true;
}

bool Store::insertUnparsedLines(
    qint64 importRunId, const QVector<UnparsedLine> &lines, QString *errorMessage)
{
    Statement *statement = cached("INSERT INTO unparsed_lines (import_run_id, file_path, "
                                  "line_number, text) VALUES (?,?,?,?)");
    if (!statement)
        return storeutil::fail(errorMessage, m_db, "prepare unparsed line insert");
    for (const UnparsedLine &line : lines) {
        statement->reset();
        statement->bind(1, importRunId);
        statement->bind(2, line.filePath);
        statement->bind(3, line.lineNumber);
        statement->bind(4, line.text.left(1000));
        statement->step();
        if (!statement->error().isEmpty())
            return storeutil::fail(errorMessage, statement->error());
    }
    statement->reset();
    return true;
}

QVector<UnparsedLine> Store::unparsedLines(qint64 importRunId, int limit)
{
    QVector<UnparsedLine> lines;
    Statement *statement = cached("SELECT file_path, line_number, text FROM unparsed_lines "
                                  "WHERE import_run_id = ? ORDER BY line_number LIMIT ?");
    if (!statement)
        return lines;
    statement->bind(1, importRunId);
    statement->bind(2, limit < 0 ? qint64(-1) : qint64(limit));
    while (statement->step())
        lines.append(
            { statement->columnText(0), statement->columnInt64(1), statement->columnText(2) });
    statement->reset();
    return lines;
}

qint64 Store::countUnparsedLines(qint64 importRunId)
{
    Statement *statement = cached("SELECT COUNT(*) FROM unparsed_lines WHERE import_run_id = ?");
    if (!statement)
        return 0;
    statement->bind(1, importRunId);
    const qint64 count = statement->step() ? statement->columnInt64(0) : 0;
    statement->reset();
    return count;
}

} // namespace portcullis
