// SPDX-License-Identifier: GPL-3.0-or-later
// portcullis-cli audit verify|list|export
#include "commands.h"
#include "terminaltext.h"
#include "signin.h"

#include "security/auditexport.h"
#include "security/auditlog.h"
#include "security/securitypolicy.h"
#include "store/database.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QSaveFile>

namespace portcullis::cli {

static QString tr(const char *text)
{
    return QCoreApplication::translate("cli", text);
}

static int verifyAudit(Database &db, const Identity &who, const QCommandLineParser &parser)
{
    const QString keptText = parser.value(QStringLiteral("expect-head")).trimmed();
    const QByteArray keptHead = QByteArray::fromHex(keptText.toLatin1());
    if (!keptText.isEmpty() && (keptHead.size() != 32 || keptHead.toHex() != keptText.toLower())) {
        err() << tr("--expect-head '%1' is not a head hash; give the 64 hex digits printed by an "
                    "earlier 'audit verify'.\n")
                     .arg(terminalText(keptText));
        return ExitUsage;
    }
    QString error;
    AuditLog audit(db);
    const AuditVerifyResult result = audit.verify(who, &error, keptHead);
    if (!error.isEmpty()) {
        err() << error << '\n';
        return ExitPermissionDenied;
    }
    audit.append(who, QStringLiteral("audit.verify"), QStringLiteral("audit_log"),
                 QJsonObject{{QStringLiteral("ok"), result.ok},
                             {QStringLiteral("first_broken"), result.firstBrokenSeq}},
                 nullptr);
    if (result.ok) {
        out() << tr("Audit trail intact: %1 records, each chained to the previous.\n"
                    "Head: record %1, hash %2 (keep a copy outside the console to detect a "
                    "rewritten chain).\n")
                     .arg(result.recordCount)
                     .arg(QString::fromLatin1(result.headHash.toHex()));
        return ExitOk;
    }
    out() << tr("Audit trail BROKEN at record %1: %2.\n")
                 .arg(result.firstBrokenSeq)
                 .arg(result.problem);
    return ExitVerifyFailed;
}

// Reads --text, --action, --limit and --since. On an invalid value prints
// why and returns false.
static bool filterFrom(const QCommandLineParser &parser, AuditFilter *filter)
{
    filter->text = parser.value(QStringLiteral("text"));
    filter->action = parser.value(QStringLiteral("action"));
    if (parser.isSet(QStringLiteral("limit"))) {
        const QString text = parser.value(QStringLiteral("limit"));
        bool ok = false;
        filter->limit = text.toInt(&ok);
        if (!ok || filter->limit < 1) {
            err() << tr("Invalid --limit '%1'; give a number of records, 1 or more.\n")
                         .arg(terminalText(text));
            return false;
        }
    }
    if (parser.isSet(QStringLiteral("since"))) {
        const QString text = parser.value(QStringLiteral("since"));
        const QDateTime since = QDateTime::fromString(text, Qt::ISODate);
        if (!since.isValid()) {
            err() << tr("Invalid --since '%1'; give an ISO 8601 date or time such as 2026-12-01 "
                        "or 2026-12-01T18:00:00Z.\n")
                         .arg(terminalText(text));
            return false;
        }
        filter->fromMs = since.toMSecsSinceEpoch();
    }
    return true;
}

static int listAudit(Database &db, const Identity &who, const QCommandLineParser &parser,
                     const AuditFilter &filter)
{
    QString error;
    const QVector<AuditRecord> records = AuditLog(db).list(who, filter, &error);
    if (!error.isEmpty()) {
        err() << error << '\n';
        return hasPermission(who, Permission::ViewAudit) ? ExitFailure : ExitPermissionDenied;
    }
    if (parser.isSet(QStringLiteral("json"))) {
        out() << QString::fromUtf8(auditRecordsToJsonLines(records));
        return ExitOk;
    }
    for (const AuditRecord &r : records) {
        out() << QString::number(r.seq).rightJustified(6) << "  "
              << QDateTime::fromMSecsSinceEpoch(r.tsMs, Qt::UTC).toString(Qt::ISODate) << "  "
              << terminalText(r.actor.left(32)).leftJustified(16) << "  "
              << terminalText(r.action).leftJustified(22) << "  " << terminalText(r.target) << "  "
              << terminalText(r.details) << '\n';
    }
    return ExitOk;
}

static int exportAudit(Database &db, const Identity &who, const QCommandLineParser &parser,
                       const AuditFilter &filter)
{
    const QString path = parser.value(QStringLiteral("output"));
    if (path.isEmpty()) {
        err() << tr("audit export needs --output FILE.\n");
        return ExitUsage;
    }
    const QString formatName = parser.value(QStringLiteral("format"));
    if (!formatName.isEmpty() && formatName != QLatin1String("csv")
        && formatName != QLatin1String("jsonl")) {
        err() << tr("Unknown --format '%1'; use csv or jsonl.\n").arg(formatName);
        return ExitUsage;
    }
    const AuditExportFormat format = formatName == QLatin1String("jsonl")
                                         ? AuditExportFormat::JsonLines
                                         : AuditExportFormat::Csv;
    QString error;
    const qint64 written = exportAuditTrail(db, who, filter, format, path, &error);
    if (written < 0) {
        if (!checkStepUp(db, who, SensitiveAction::ExportEvidence, nullptr)) {
            err() << tr("audit export needs a fresh password or code (policy step_up_export), "
                        "which a token sign-in does not give; sign in with --user NAME and "
                        "retry.\n");
            return ExitPermissionDenied;
        }
        err() << error << '\n';
        return hasPermission(who, Permission::ViewAudit) ? ExitFailure : ExitPermissionDenied;
    }
    out() << tr("Wrote %1 audit records to %2.\n").arg(written).arg(path);
    return ExitOk;
}

int runAudit(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Verify, list or export the hash-chained audit trail.\n"
           "  verify   walk the chain; exit 5 and name the first broken record\n"
           "  list     print records (filters: --action, --text, --since, --limit)\n"
           "  export   write records to --output FILE as CSV or JSON lines"));
    addDatabaseOptions(parser);
    parser.addPositionalArgument(QStringLiteral("action"), tr("verify, list or export"));
    parser.addOption({QStringLiteral("action"), tr("Only actions starting with PREFIX."),
                      QStringLiteral("PREFIX")});
    parser.addOption({QStringLiteral("text"), tr("Only records containing TEXT."),
                      QStringLiteral("TEXT")});
    parser.addOption({QStringLiteral("since"), tr("Only records at or after TIME (ISO 8601)."),
                      QStringLiteral("TIME")});
    parser.addOption({QStringLiteral("limit"), tr("At most N records (default 10000)."),
                      QStringLiteral("N")});
    parser.addOption({QStringLiteral("json"), tr("list: print JSON lines.")});
    parser.addOption({QStringLiteral("expect-head"),
                      tr("verify: a head hash kept from an earlier verify; fail unless the chain "
                         "still holds that record."),
                      QStringLiteral("HASH")});
    parser.addOption({QStringLiteral("output"), tr("export: the file to write."),
                      QStringLiteral("FILE")});
    parser.addOption({QStringLiteral("format"), tr("export: csv (default) or jsonl."),
                      QStringLiteral("FORMAT"), QStringLiteral("csv")});
    int exitCode = ExitOk;
    if (!parseCommandLine(parser, arguments, &exitCode))
        return exitCode;
    const QString action = parser.positionalArguments().value(0);
    if (action != QLatin1String("verify") && action != QLatin1String("list")
        && action != QLatin1String("export")) {
        err() << tr("audit needs verify, list or export, not '%1'.\n").arg(action);
        return ExitUsage;
    }
    AuditFilter filter;
    if (action != QLatin1String("verify") && !filterFrom(parser, &filter))
        return ExitUsage;

    Database db;
    if (!openDatabase(db, parser))
        return ExitFailure;
    Identity who;
    if (!signIn(db, parser, &who, &exitCode))
        return exitCode;
    if (!hasPermission(who, Permission::ViewAudit)) {
        QString error;
        checkPermission(who, Permission::ViewAudit, &error);
        err() << error << '\n';
        return ExitPermissionDenied;
    }
    if (action == QLatin1String("verify"))
        return verifyAudit(db, who, parser);
    if (action == QLatin1String("list"))
        return listAudit(db, who, parser, filter);
    return exportAudit(db, who, parser, filter);
}

} // namespace portcullis::cli
