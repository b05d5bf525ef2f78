// SPDX-License-Identifier: GPL-3.0-or-later
#include "security/auditexport.h"

#include "security/securitypolicy.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

namespace portcullis {

QString csvCell(const QString &text)
{
    QString cell = text;
    static const QString formulaStarts = QStringLiteral("=+-@\t\r");
    if (!cell.isEmpty() && formulaStarts.contains(cell.at(0)))
        cell.prepend(QLatin1Char('\''));
    const bool quote = cell.contains(QLatin1Char(',')) || cell.contains(QLatin1Char('"'))
        || cell.contains(QLatin1Char('\n')) || cell.contains(QLatin1Char('\r'))
        || cell.startsWith(QLatin1Char('\''));
    if (!quote)
        return cell;
    cell.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    return QLatin1Char('"') + cell + QLatin1Char('"');
}

static QString isoTime(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs);
}

QByteArray auditRecordsToCsv(const QVector<AuditRecord> &records)
{
    QByteArray out("seq,time,actor_id,actor,action,target,details,prev_hash,hash\r\n");
    for (const AuditRecord &r : records) {
        const QStringList cells = {
            QString::number(r.seq), isoTime(r.tsMs), QString::number(r.actorId),
            csvCell(r.actor), csvCell(r.action), csvCell(r.target), csvCell(r.details),
            QString::fromLatin1(r.prevHash.toHex()), QString::fromLatin1(r.hash.toHex()),
        };
        out += cells.join(QLatin1Char(',')).toUtf8() + "\r\n";
    }
    return out;
}

QByteArray auditRecordsToJsonLines(const QVector<AuditRecord> &records)
{
    QByteArray out;
    for (const AuditRecord &r : records) {
        QJsonObject object{
            {QStringLiteral("seq"), r.seq},
            {QStringLiteral("time"), isoTime(r.tsMs)},
            {QStringLiteral("actor_id"), r.actorId},
            {QStringLiteral("actor"), r.actor},
            {QStringLiteral("action"), r.action},
            {QStringLiteral("target"), r.target},
            {QStringLiteral("details"), QJsonDocument::fromJson(r.details.toUtf8()).object()},
            {QStringLiteral("prev_hash"), QString::fromLatin1(r.prevHash.toHex())},
            {QStringLiteral("hash"), QString::fromLatin1(r.hash.toHex())},
        };
        out += QJsonDocument(object).toJson(QJsonDocument::Compact) + '\n';
    }
    return out;
}

qint64 exportAuditTrail(Database &db, const Identity &who, const AuditFilter &filter,
                        AuditExportFormat format, const QString &path, QString *errorMessage)
{
    if (!checkPermission(who, Permission::ViewAudit, errorMessage)
        || !checkStepUp(db, who, SensitiveAction::ExportEvidence, errorMessage))
        return -1;

    AuditLog audit(db);
    QString error;
    const QVector<AuditRecord> records = audit.list(who, filter, &error);
    if (!error.isEmpty()) {
        if (errorMessage)
            *errorMessage = error;
        return -1;
    }

    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)
        || !file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner)
        || file.write(format == AuditExportFormat::JsonLines ? auditRecordsToJsonLines(records)
                                                             : auditRecordsToCsv(records))
               < 0
        || !file.commit()) {
        if (errorMessage)
            *errorMessage = QCoreApplication::translate("portcullis::AuditLog",
                                                        "Cannot write %1: %2")
                                .arg(path, file.errorString());
        return -1;
    }
    audit.append(who, QStringLiteral("audit.export"), QStringLiteral("file:") + path,
                 QJsonObject{{QStringLiteral("records"), records.size()}}, nullptr);
    return records.size();
}

} // namespace portcullis
