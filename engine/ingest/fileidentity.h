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

// SHA-256 of the first `headBytes` bytes of `file` (read from offset 0).
QByteArray fileHeadFingerprint(QFile &file, qint64 headBytes, QString *errorMessage);

// The identity of a file across imports: its fingerprint and how many bytes
// that covers, plus the latest import run of the same file, if any. A file
// that was smaller than 4 KiB at its first import is found again through
// the shorter head its fingerprint was taken over.
struct FileIdentity {
    QByteArray fingerprint;
    qint64 headBytes = 0;
    std::optional<ImportRun> lastRun;

    // First 12 hex digits of the fingerprint, the prefix of the file's event ids.
    QByteArray eventIdPrefix() const { return fingerprint.toHex().left(12); }
};

bool identifyFile(
    Store *store, QFile &file, qint64 fileSize, FileIdentity *identity, QString *errorMessage);

} // namespace portcullis
