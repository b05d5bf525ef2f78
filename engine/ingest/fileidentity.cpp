// SPDX-License-Identifier: GPL-3.0-or-later
#include "ingest/fileidentity.h"

#include <QCoreApplication>
#include <QCryptographicHash>

namespace portcullis {

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

bool identifyFile(
    Store *store, QFile &file, qint64 fileSize, FileIdentity *identity, QString *errorMessage)
{
    identity->headBytes = qMin(fileSize, FingerprintHeadBytes);
    identity->fingerprint = fileHeadFingerprint(file, identity->headBytes, errorMessage);
    if (identity->fingerprint.isEmpty())
        return false;
    if (!store)
        return true;

    identity->lastRun = store->lastImportRun(identity->fingerprint, identity->headBytes);
    if (identity->lastRun)
        return true;

    // Try the longest shorter head first, because it is the most specific match.
    QVector<qint64> lengths = store->fingerprintLengthsBelow(identity->headBytes);
    for (auto it = lengths.crbegin(); it != lengths.crend(); ++it) {
        const qint64 length = *it;
        if (length <= 0)
            continue;
        const QByteArray candidate = fileHeadFingerprint(file, length, errorMessage);
        if (candidate.isEmpty())
            return false;
        std::optional<ImportRun> run = store->lastImportRun(candidate, length);
        if (run) {
            identity->fingerprint = candidate;
            identity->headBytes = length;
            identity->lastRun = run;
            return true;
        }
    }
    return true;
}

} // namespace portcullis
