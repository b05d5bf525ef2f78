// SPDX-License-Identifier: GPL-3.0-or-later
#include "ingest/fileidentity.h"

#include "core/logging.h"

#include <QCoreApplication>
#include <QCryptographicHash>

namespace portcullis {

namespace {

// First 12 hex digits of the fingerprint: the event id prefix of the first
// file with this head.
QByteArray defaultIdPrefix(const QByteArray &fingerprint)
{
    return fingerprint.toHex().left(12);
}

// Whether `file` is the file that `run` imported: the bytes before the run's
// committed offset are unchanged. Runs from before resume hashes were kept
// match on their head alone.
bool continuesRun(QFile &file, qint64 fileSize, const ImportRun &run)
{
    if (run.resumeHash.isEmpty())
        return true;
    if (fileSize < run.committedOffset)
        return false;
    return fileResumeHash(file, run.committedOffset) == run.resumeHash;
}

// An event id prefix that no other file uses, for a new file whose head
// equals that of a file imported before. Derived from the fingerprint and a
// counter, so it depends only on what the store holds.
QByteArray freeIdPrefix(Store *store, const QByteArray &fingerprint)
{
    QByteArray prefix = defaultIdPrefix(fingerprint);
    for (int n = 1; store->isIdPrefixUsed(prefix); ++n) {
        const QByteArray seed = fingerprint + ':' + QByteArray::number(n);
        prefix = QCryptographicHash::hash(seed, QCryptographicHash::Sha256).toHex().left(12);
    }
    return prefix;
}

// Looks for an earlier run of this file among the runs whose fingerprint
// covers `headBytes` bytes.
bool findRun(Store *store, QFile &file, qint64 fileSize, const QByteArray &fingerprint,
    qint64 headBytes, FileIdentity *identity)
{
    const QVector<ImportRun> runs = store->latestRunsPerFile(fingerprint, headBytes);
    for (const ImportRun &run : runs) {
        if (!continuesRun(file, fileSize, run)) {
            qCInfo(lcIngest) << file.fileName() << "starts like" << run.filePath
                             << "but differs before byte" << run.committedOffset
                             << "; importing it as another file";
            continue;
        }
        identity->fingerprint = fingerprint;
        identity->headBytes = headBytes;
        identity->idPrefix = run.idPrefix.isEmpty() ? defaultIdPrefix(fingerprint) : run.idPrefix;
        identity->lastRun = run;
        return true;
    }
    return false;
}

} // namespace

QByteArray fileHeadFingerprint(QFile &file, qint64 headBytes, QString *errorMessage)
{
    if (!file.seek(0)) {
        *errorMessage = file.errorString();
        return {};
    }
    const QByteArray head = file.read(headBytes);
    if (head.size() != headBytes) {
        *errorMessage = QCoreApplication::translate(
            "portcullis::ImportService", "%1: could not read its first %2 bytes: %3")
                            .arg(file.fileName())
                            .arg(headBytes)
                            .arg(file.errorString());
        return {};
    }
    return QCryptographicHash::hash(head, QCryptographicHash::Sha256);
}

QByteArray fileResumeHash(QFile &file, qint64 offset)
{
    const qint64 begin = qMax(qint64(0), offset - ResumeHashBytes);
    if (!file.seek(begin))
        return {};
    const QByteArray bytes = file.read(offset - begin);
    if (bytes.size() != offset - begin)
        return {};
    return QCryptographicHash::hash(bytes, QCryptographicHash::Sha256);
}

bool identifyFile(
    Store *store, QFile &file, qint64 fileSize, FileIdentity *identity, QString *errorMessage)
{
    identity->headBytes = qMin(fileSize, FingerprintHeadBytes);
    identity->fingerprint = fileHeadFingerprint(file, identity->headBytes, errorMessage);
    if (identity->fingerprint.isEmpty())
        return false;
    identity->idPrefix = defaultIdPrefix(identity->fingerprint);
    identity->lastRun.reset();
    if (!store)
        return true;

    const QByteArray fingerprint = identity->fingerprint;
    const qint64 headBytes = identity->headBytes;
    if (findRun(store, file, fileSize, fingerprint, headBytes, identity))
        return true;

    // A file smaller than 4 KiB at its first import has a shorter
    // fingerprint. Try the longest shorter head first, the most specific one.
    const QVector<qint64> lengths = store->fingerprintLengthsBelow(headBytes);
    for (auto it = lengths.crbegin(); it != lengths.crend(); ++it) {
        const qint64 length = *it;
        if (length <= 0)
            continue;
        const QByteArray candidate = fileHeadFingerprint(file, length, errorMessage);
        if (candidate.isEmpty())
            return false;
        if (findRun(store, file, fileSize, candidate, length, identity))
            return true;
    }

    identity->idPrefix = freeIdPrefix(store, fingerprint);
    return true;
}

} // namespace portcullis
