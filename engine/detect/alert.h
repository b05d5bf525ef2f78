// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QMap>
#include <QString>
#include <QStringList>
#include <QVector>

namespace portcullis {

enum class Severity : quint8 { Informational, Low, Medium, High, Critical };
enum class AlertStatus : quint8 { Open, Acknowledged, Closed };
enum class Disposition : quint8 { None, TruePositive, FalsePositive, Benign };

QString severityName(Severity severity);           // "informational" ... "critical"
bool severityFromName(QStringView name, Severity *severity);
QString statusName(AlertStatus status);            // "open", "acknowledged", "closed"
bool statusFromName(QStringView name, AlertStatus *status);
QString dispositionName(Disposition disposition);  // "", "true_positive", "false_positive", "benign"
bool dispositionFromName(QStringView name, Disposition *disposition);

// An alert raised by a detector. A detector that sees a burst go on sends the
// same `key` again with larger counts, and the receiver replaces the alert.
struct Alert
{
    qint64 id = 0;       // store row id; 0 until stored
    QByteArray key;      // stable identity: rule id, group value and burst start
    QString ruleId;      // e.g. "ssh-brute-force"
    QString title;
    Severity severity = Severity::Medium;
    QString mitreTechnique;  // ATT&CK id such as "T1110.001", empty when none fits
    qint64 firstSeenMs = 0;
    qint64 lastSeenMs = 0;
    qint64 eventCount = 0;
    QMap<QString, QStringList> entities;  // keyed by ECS field name: "source.ip", "user.name"
    QVector<QByteArray> evidence;         // event ids, oldest first, at most MaxEvidence
    QString reason;                       // one sentence saying why it fired

    AlertStatus status = AlertStatus::Open;
    QString assignee;
    Disposition disposition = Disposition::None;
};

// Evidence ids kept per alert; eventCount keeps counting past it.
inline constexpr int MaxEvidence = 1000;

} // namespace portcullis
