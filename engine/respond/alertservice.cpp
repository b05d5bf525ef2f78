// SPDX-License-Identifier: GPL-3.0-or-later
#include "respond/alertservice.h"

#include "core/logging.h"
#include "security/auditlog.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QJsonObject>

namespace portcullis {

namespace {

// Notes longer than this are rejected rather than cut, so that what the
// analyst wrote is stored whole or not at all.
constexpr qsizetype MaxNoteLength = 10000;
constexpr qsizetype MaxAssigneeLength = 200;

QString tr(const char *text)
{
    return QCoreApplication::translate("portcullis::AlertService", text);
}

// The stored spelling of an enabled user's name, or empty when there is none.
QString activeUserName(Database &db, const QString &name)
{
    Statement query = db.prepare("SELECT name FROM users WHERE name = ?1 AND disabled = 0");
    query.bind(1, name);
    return query.step() ? query.columnText(0) : QString();
}

bool fail(QString *errorMessage, const QString &message)
{
    if (errorMessage)
        *errorMessage = message;
    return false;
}

} // namespace

AlertService::AlertService(Store &store)
    : m_store(store)
{
}

qint64 AlertService::countAlerts(
    const Identity &who, const AlertQuery &query, QString *errorMessage)
{
    if (!checkPermission(who, Permission::ViewAlerts, errorMessage))
        return -1;
    return m_store.countAlerts(query);
}

QVector<Alert> AlertService::queryAlerts(
    const Identity &who, const AlertQuery &query, QString *errorMessage)
{
    if (!checkPermission(who, Permission::ViewAlerts, errorMessage))
        return {};
    return m_store.queryAlerts(query);
}

QVector<qint64> AlertService::queryAlertIds(
    const Identity &who, const AlertQuery &query, QString *errorMessage)
{
    if (!checkPermission(who, Permission::ViewAlerts, errorMessage))
        return {};
    return m_store.queryAlertIds(query);
}

std::optional<Alert> AlertService::alert(const Identity &who, qint64 alertId, QString *errorMessage)
{
    if (!checkPermission(who, Permission::ViewAlerts, errorMessage))
        return std::nullopt;
    std::optional<Alert> found = m_store.alertById(alertId);
    if (!found)
        fail(
            errorMessage, tr("Alert %1 not found; list the alerts to see their ids.").arg(alertId));
    return found;
}

QVector<Event> AlertService::evidence(const Identity &who, qint64 alertId, QString *errorMessage)
{
    const std::optional<Alert> found = alert(who, alertId, errorMessage);
    if (!found)
        return {};
    return m_store.eventsByIds(found->evidence);
}

QVector<AlertHistoryEntry> AlertService::history(
    const Identity &who, qint64 alertId, QString *errorMessage)
{
    if (!alert(who, alertId, errorMessage))
        return {};
    return m_store.alertHistory(alertId);
}

bool AlertService::acknowledge(
    const Identity &who, qint64 alertId, const QString &note, QString *errorMessage)
{
    return change(who, alertId, QStringLiteral("acknowledged"), note, errorMessage,
        [](Alert &alert, QString *error) {
            if (alert.status != AlertStatus::Open)
                return fail(error,
                    tr("Alert %1 is %2; only an open alert can be "
                       "acknowledged.")
                        .arg(alert.id)
                        .arg(statusName(alert.status)));
            alert.status = AlertStatus::Acknowledged;
            return true;
        });
}

bool AlertService::assign(const Identity &who, qint64 alertId, const QString &assignee,
    const QString &note, QString *errorMessage)
{
    const QString name = assignee.trimmed();
    if (name.isEmpty() || name.size() > MaxAssigneeLength)
        return checkPermission(who, Permission::TriageAlerts, errorMessage)
            && fail(errorMessage,
                tr("Assignee '%1' is invalid: give a user name of 1 to %2 "
                   "characters.")
                    .arg(assignee)
                    .arg(MaxAssigneeLength));
    if (!checkPermission(who, Permission::TriageAlerts, errorMessage))
        return false;
    const QString activeName = activeUserName(m_store.database(), name);
    if (activeName.isEmpty())
        return fail(errorMessage,
            tr("Assignee '%1' is not an active console user; give a name from "
               "'portcullis-cli users list'.")
                .arg(name));
    return change(who, alertId, QStringLiteral("assigned"), note, errorMessage,
        [name = activeName](Alert &alert, QString *error) {
            if (alert.status == AlertStatus::Closed)
                return fail(error,
                    tr("Alert %1 is closed; reopen it before assigning "
                       "it.")
                        .arg(alert.id));
            if (alert.assignee == name)
                return fail(
                    error, tr("Alert %1 is already assigned to %2.").arg(alert.id).arg(name));
            alert.assignee = name;
            return true;
        });
}

bool AlertService::close(const Identity &who, qint64 alertId, Disposition disposition,
    const QString &note, QString *errorMessage)
{
    return change(who, alertId, QStringLiteral("closed"), note, errorMessage,
        [disposition](Alert &alert, QString *error) {
            if (disposition == Disposition::None)
                return fail(error,
                    tr("Closing alert %1 needs a disposition: "
                       "true_positive, false_positive or benign.")
                        .arg(alert.id));
            if (alert.status == AlertStatus::Closed)
                return fail(error,
                    tr("Alert %1 is already closed as %2.")
                        .arg(alert.id)
                        .arg(dispositionName(alert.disposition)));
            alert.status = AlertStatus::Closed;
            alert.disposition = disposition;
            return true;
        });
}

bool AlertService::reopen(
    const Identity &who, qint64 alertId, const QString &note, QString *errorMessage)
{
    return change(who, alertId, QStringLiteral("reopened"), note, errorMessage,
        [](Alert &alert, QString *error) {
            if (alert.status != AlertStatus::Closed)
                return fail(error,
                    tr("Alert %1 is %2; only a closed alert can be "
                       "reopened.")
                        .arg(alert.id)
                        .arg(statusName(alert.status)));
            alert.status = AlertStatus::Open;
            alert.disposition = Disposition::None;
            return true;
        });
}

// Checks the permission, applies `transition` to the stored alert and writes
// the new triage state, its history entry and the audit record in one
// transaction.
bool AlertService::change(const Identity &who, qint64 alertId, const QString &action,
    const QString &note, QString *errorMessage,
    const std::function<bool(Alert &, QString *)> &transition)
{
    if (!checkPermission(who, Permission::TriageAlerts, errorMessage))
        return false;
    if (note.size() > MaxNoteLength)
        return fail(errorMessage,
            tr("The note has %1 characters; shorten it to at most %2.")
                .arg(note.size())
                .arg(MaxNoteLength));

    Database &db = m_store.database();
    QString error;
    if (!db.begin(&error))
        return fail(errorMessage, tr("Cannot change alert %1: %2").arg(alertId).arg(error));

    std::optional<Alert> current = m_store.alertById(alertId);
    bool ok = current.has_value();
    if (!ok)
        error = tr("Alert %1 not found; list the alerts to see their ids.").arg(alertId);
    ok = ok && transition(*current, &error);

    AlertHistoryEntry entry;
    if (ok) {
        entry.atMs = QDateTime::currentMSecsSinceEpoch();
        entry.actor = who.userName;
        entry.action = action;
        entry.status = current->status;
        entry.assignee = current->assignee;
        entry.disposition = current->disposition;
        entry.note = note;
        ok = m_store.updateAlertTriage(alertId, entry, &error);
    }
    if (ok) {
        QJsonObject details;
        details.insert(QStringLiteral("status"), statusName(entry.status));
        details.insert(QStringLiteral("assignee"), entry.assignee);
        details.insert(QStringLiteral("disposition"), dispositionName(entry.disposition));
        details.insert(QStringLiteral("note"), note);
        AuditLog audit(db);
        ok = audit.append(who, QStringLiteral("alert.") + action,
            QStringLiteral("alert:%1").arg(alertId), details, &error);
    }
    if (!ok || !db.commit(&error)) {
        db.rollback();
        return fail(errorMessage, error);
    }
    qCInfo(lcRespond) << "Alert" << alertId << action << "by" << who.userName;
    return true;
}

} // namespace portcullis
