// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "store/store.h"

#include <QByteArray>
#include <QFile>

#include <optional>

namespace portcullis {

// Bytes at the start of a file that identify it. A log that grows by
// appends keeps its first 4 KiB, so it keeps its fingerprint.
inline constexpr qint64 FingerprintHeadBytes = 4096;

// Bytes before an import run's committed offset whose hash is kept with the
// run (ImportRun::resumeHash).
inline constexpr qint64 ResumeHashBytes = 4096;

// SHA-256 of the first `headBytes` bytes of `file` (read from offset 0).
QByteArray fileHeadFingerprint(QFile &file, qint64 headBytes, QString *errorMessage);

// SHA-256 of the up to ResumeHashBytes bytes of `file` that end at `offset`.
// Empty on a read error or when the file is shorter than `offset`.
QByteArray fileResumeHash(QFile &file, qint64 offset);

// The identity of a file across imports. A file is the one an earlier run
// imported when its first 4 KiB (or its whole size at that run, when it was
// smaller) hash to that run's fingerprint and the bytes before that run's
// committed offset hash to the run's resume hash. So a log that grew by
// appends is resumed, while a different file with the same head, or a file
// truncated and written again, is imported as a new file under event ids of
// its own.
struct FileIdentity {
    QByteArray fingerprint;
    qint64 headBytes = 0;
    QByteArray idPrefix; // prefix of the file's event ids, 12 hex digits
    std::optional<ImportRun> lastRun;

    QByteArray eventIdPrefix() const { return idPrefix; }
};

bool identifyFile(
    Store *store, QFile &file, qint64 fileSize, FileIdentity *identity, QString *errorMessage);

} // namespace portcullis
