// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ingest/fileimporter.h"
#include "security/identity.h"

#include <QObject>
#include <QStringList>

#include <atomic>

namespace portcullis {

// Runs ImportService::importFiles on its own thread with its own Store,
// because a SQLite connection must stay on the thread that opened it.
// Progress and the result arrive through queued signals.
class ImportWorker : public QObject {
    Q_OBJECT

public:
    ImportWorker(const QString &databasePath, const Identity &identity, const QStringList &paths,
        LogFormat format);

    // Thread-safe. The import stops after the batch in progress commits.
    void cancel() { m_cancelled = true; }
    bool isCancelled() const { return m_cancelled; }

public Q_SLOTS:
    void run();

Q_SIGNALS:
    // After each committed batch and at the end of each file.
    void progressed(const portcullis::ImportProgress &progress);
    void finished(bool ok, const portcullis::ImportSummary &summary, const QString &errorMessage);

private:
    QString m_databasePath;
    Identity m_identity;
    QStringList m_paths;
    LogFormat m_format;
    std::atomic<bool> m_cancelled { false };
};

} // namespace portcullis
