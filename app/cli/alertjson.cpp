// SPDX-License-Identifier: GPL-3.0-or-later
#include "alertjson.h"

#include <QDateTime>
#include <QJsonArray>

namespace portcullis::cli {

QString isoTime(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs);
}

QJsonObject alertToJson(const Alert &alert)
{
    QJsonObject entities;
    for (auto it = alert.entities.constBegin(); it != alert.entities.constEnd(); ++it)
        entities.insert(it.key(), QJsonArray::fromStringList(it.value()));
    QJsonArray evidence;
    for (const QByteArray &id : alert.evidence)
        evidence.append(QString::fromLatin1(id));

    QJsonObject object;
    object.insert(QStringLiteral("id"), alert.id);
    object.insert(QStringLiteral("rule_id"), alert.ruleId);
    object.insert(QStringLiteral("title"), alert.title);
    object.insert(QStringLiteral("severity"), severityName(alert.severity));
    object.insert(QStringLiteral("mitre_technique"), alert.mitreTechnique);
    object.insert(QStringLiteral("first_seen"), isoTime(alert.firstSeenMs));
    object.insert(QStringLiteral("last_seen"), isoTime(alert.lastSeenMs));
    object.insert(QStringLiteral("event_count"), alert.eventCount);
    object.insert(QStringLiteral("entities"), entities);
    object.insert(QStringLiteral("evidence"), evidence);
    object.insert(QStringLiteral("reason"), alert.reason);
    return object;
}

QJsonObject alertWithTriageToJson(const Alert &alert, bool withEvidence)
{
    QJsonObject object = alertToJson(alert);
    if (!withEvidence)
        object.remove(QStringLiteral("evidence"));
    object.insert(QStringLiteral("status"), statusName(alert.status));
    object.insert(QStringLiteral("assignee"), alert.assignee);
    object.insert(QStringLiteral("disposition"), dispositionName(alert.disposition));
    return object;
}

} // namespace portcullis::cli
