// SPDX-License-Identifier: GPL-3.0-or-later
#include "ingest/fileimporter.h"

#include "core/logging.h"
#include "ingest/fileimport.h"
#include "detect/suppressionservice.h"
#include "security/auditlog.h"
#include "store/store.h"

#include <QCoreApplication>
#include <QFileInfo>
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

    ImportOptions options = m_options;
    QString suppressionError;
    options.suppressions = SuppressionService::loadActive(m_store.database(), &suppressionError);
    if (!suppressionError.isEmpty()) {
        *errorMessage
            = tr("Cannot read the suppressions and allow-lists: %1").arg(suppressionError);
        return false;
    }
    return runFiles(options, true, paths, summary, errorMessage, progress, nullptr);
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
    return runFiles(m_options, false, paths, summary, errorMessage, progress, alerts);
}

bool ImportService::runFiles(const ImportOptions &options, bool recordHits,
    const QStringList &paths, ImportSummary *summary, QString *errorMessage,
    const ProgressCallback &progress, QVector<Alert> *alerts)
{
    ImportSummary local;
    ImportSummary &result = summary ? *summary : local;
    AlertCollection collected;
    Store *store = options.storeEvents ? &m_store : nullptr;

    bool ok = true;
    for (int i = 0; i < paths.size(); ++i) {
        FileImport file(store, options, result, alerts ? &collected : nullptr);
        file.setRecordSuppressionHits(recordHits && store);
        QString error;
        const FileImport::Result outcome
            = file.run(paths.at(i), progress, i, int(paths.size()), &error);
        if (outcome == FileImport::Result::Done)
            continue;

        ok = false;
        result.errors.append(error);
        // The caller gets the error, so the log keeps it only at info level.
        qCInfo(lcIngest) << "Import of" << paths.at(i) << "did not finish:" << error;
        if (outcome != FileImport::Result::Failed)
            break; // cancelled or stopped: leave the remaining files alone
    }
    if (!ok && errorMessage)
        *errorMessage = result.errors.join(QLatin1Char('\n'));
    if (alerts)
        *alerts = collected.alerts;
    return ok;
}

bool loadActiveSuppressions(
    const QString &databasePath, SuppressionList *suppressions, QString *errorMessage)
{
    if (!QFileInfo(databasePath).isFile()) {
        *errorMessage = tr("The console database %1 does not exist. Name an existing one "
                           "(portcullis-cli setup creates it).")
                            .arg(databasePath);
        return false;
    }
    Store store;
    QString error;
    if (!store.open(databasePath, &error)) {
        *errorMessage = tr("Cannot open the console database %1: %2").arg(databasePath, error);
        return false;
    }
    *suppressions = SuppressionService::loadActive(store.database(), &error);
    if (!error.isEmpty()) {
        *errorMessage = tr("Cannot read the suppressions of %1: %2").arg(databasePath, error);
        return false;
    }
    return true;
}

} // namespace portcullis
