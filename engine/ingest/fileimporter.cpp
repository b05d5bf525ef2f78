// SPDX-License-Identifier: GPL-3.0-or-later
#include "ingest/fileimporter.h"

#include "core/logging.h"
#include "ingest/fileimport.h"
#include "security/auditlog.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonObject>

namespace portcullis {

static QString tr(const char *text)
{
    return QCoreApplication::translate("portcullis::ImportService", text);
}

ImportService::ImportService(Store &store, const ImportOptions &options)
    : m_store(store)
    , m_options(options)
{
}

bool ImportService::importFiles(const Identity &who, const QStringList &paths,
    ImportSummary *summary, QString *errorMessage, const ProgressCallback &progress)
{
    if (!checkPermission(who, Permission::ImportLogs, errorMessage))
        return false;
    if (!m_options.storeEvents) {
        *errorMessage = tr("Importing needs ImportOptions::storeEvents; use detectFiles() to run "
                           "detections without storing events.");
        return false;
    }

    QJsonObject details;
    details.insert(QStringLiteral("files"), QJsonArray::fromStringList(paths));
    details.insert(QStringLiteral("format"), formatName(m_options.format));
    AuditLog audit(m_store.database());
    QString auditError;
    if (!audit.append(
            who, QStringLiteral("logs.import"), QStringLiteral("files"), details, &auditError)) {
        *errorMessage = tr("Cannot write the audit record of the import: %1").arg(auditError);
        return false;
    }
    qCInfo(lcIngest) << who.userName << "imports" << paths.size() << "files";
    return runFiles(paths, summary, errorMessage, progress, nullptr);
}

bool ImportService::detectFiles(const QStringList &paths, ImportSummary *summary,
    QString *errorMessage, const ProgressCallback &progress, QVector<Alert> *alerts)
{
    // The store is thrown away afterwards, so durability is not needed: a
    // rollback journal in memory without syncs avoids writing every page twice.
    if (m_options.storeEvents && m_store.database().isOpen()) {
        m_store.database().exec("PRAGMA journal_mode=MEMORY");
        m_store.database().exec("PRAGMA synchronous=OFF");
        QString error;
        if (!m_store.relaxForThrowAway(&error))
            qCWarning(lcIngest) << "Cannot drop the query indexes of the throw-away store:"
                                << error;
    }
    return runFiles(paths, summary, errorMessage, progress, alerts);
}

bool ImportService::runFiles(const QStringList &paths, ImportSummary *summary,
    QString *errorMessage, const ProgressCallback &progress, QVector<Alert> *alerts)
{
    ImportSummary local;
    ImportSummary &result = summary ? *summary : local;
    AlertCollection collected;
    Store *store = m_options.storeEvents ? &m_store : nullptr;

    bool ok = true;
    for (int i = 0; i < paths.size(); ++i) {
        FileImport file(store, m_options, result, alerts ? &collected : nullptr);
        QString error;
        const FileImport::Result outcome
            = file.run(paths.at(i), progress, i, int(paths.size()), &error);
        if (outcome == FileImport::Result::Done)
            continue;

        ok = false;
        result.errors.append(error);
        qCWarning(lcIngest) << "Import of" << paths.at(i) << "did not finish:" << error;
        if (outcome != FileImport::Result::Failed)
            break; // cancelled or stopped: leave the remaining files alone
    }
    if (!ok && errorMessage)
        *errorMessage = result.errors.join(QLatin1Char('\n'));
    if (alerts)
        *alerts = collected.alerts;
    return ok;
}

} // namespace portcullis
