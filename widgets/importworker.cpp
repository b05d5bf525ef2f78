// SPDX-License-Identifier: GPL-3.0-or-later
#include "importworker.h"

#include "core/logging.h"
#include "ingest/ruledetectors.h"
#include "store/store.h"

namespace portcullis {

ImportWorker::ImportWorker(const QString &databasePath, const Identity &identity,
    const QStringList &paths, LogFormat format)
    : m_databasePath(databasePath)
    , m_identity(identity)
    , m_paths(paths)
    , m_format(format)
{
}

void ImportWorker::run()
{
    ImportSummary summary;
    Store store;
    QString error;
    if (!store.open(m_databasePath, &error)) {
        qCWarning(lcIngest) << "Import could not open the database" << m_databasePath << error;
        Q_EMIT finished(false, summary, error);
        return;
    }

    ImportOptions options;
    options.format = m_format;
    // The shipped Sigma rules run beside the built-in detectors, as in
    // `portcullis-cli import`. Without them the import still runs.
    QString rulesError;
    options.sigmaRules = loadDetectionRules(true, {}, nullptr, &rulesError);
    if (!rulesError.isEmpty())
        qCWarning(lcIngest) << "GUI import runs without the shipped Sigma rules:" << rulesError;
    ImportService service(store, options);
    qCInfo(lcIngest) << "GUI import started:" << m_paths.size() << "file(s) into" << m_databasePath;

    const bool ok = service.importFiles(
        m_identity, m_paths, &summary, &error, [this](const ImportProgress &progress) {
            Q_EMIT progressed(progress);
            return !m_cancelled.load();
        });
    qCInfo(lcIngest) << "GUI import finished: ok" << ok << "cancelled" << m_cancelled.load()
                     << "events" << summary.eventsStored << "error" << error;
    Q_EMIT finished(ok, summary, error);
}

} // namespace portcullis
