// SPDX-License-Identifier: GPL-3.0-or-later
#include "ingest/connectionalertimport.h"

#include "store/store.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QJsonArray>
#include <QRegularExpression>

namespace portcullis {

namespace {

constexpr qsizetype MaxEntityValues = 50;
constexpr qsizetype MaxEntityChars = 256;
constexpr qsizetype MaxEvidenceIdBytes = 128;
constexpr int MaxBackendEvidence = 50;

QString tr(const char *text)
{
    return QCoreApplication::translate("TelemetryPipeline", text);
}

// The backend's entity names and the ECS fields the console files them under.
QString ecsField(const QString &key)
{
    static const QHash<QString, QString> known {
        { QStringLiteral("source_ip"), QStringLiteral("source.ip") },
        { QStringLiteral("ip"), QStringLiteral("source.ip") },
        { QStringLiteral("user_id"), QStringLiteral("user.id") },
        { QStringLiteral("user_name"), QStringLiteral("user.name") },
        { QStringLiteral("user"), QStringLiteral("user.name") },
        { QStringLiteral("email"), QStringLiteral("user.email") },
        { QStringLiteral("host"), QStringLiteral("host.name") },
        { QStringLiteral("charge"), QStringLiteral("stripe.data.object.id") },
        { QStringLiteral("account"), QStringLiteral("stripe.account") },
        { QStringLiteral("session_id"), QStringLiteral("bookedbarber.session.id") },
    };
    const auto it = known.constFind(key);
    if (it != known.constEnd())
        return *it;
    static const QRegularExpression plain(QStringLiteral("^[a-z0-9_]{1,64}$"));
    return plain.match(key).hasMatch() ? QStringLiteral("bookedbarber.alert.") + key : QString();
}

Severity severityOf(const QString &name)
{
    Severity severity = Severity::Medium;
    if (name == QLatin1String("informational") || !severityFromName(name, &severity))
        return Severity::Medium;  // an unknown level is neither ignored nor alarming
    return severity;
}

QStringList entityValues(const QJsonValue &value)
{
    QStringList values;
    const QJsonArray array = value.isArray() ? value.toArray() : QJsonArray { value };
    for (const QJsonValue item : array) {
        if (values.size() >= MaxEntityValues)
            break;
        if (item.isString() && !item.toString().isEmpty())
            values << item.toString().left(MaxEntityChars);
    }
    return values;
}

QString text(const QJsonObject &object, const char *key, qsizetype maxChars)
{
    return object.value(QLatin1String(key)).toString().left(maxChars);
}

} // namespace

bool mapBackendAlert(
    const QString &connection, const QJsonObject &object, Alert *alert, QString *reason)
{
    const QString id = object.value(QLatin1String("id")).toString();
    if (id.isEmpty() || id.size() > MaxBackendAlertIdChars) {
        *reason = tr("the backend alert's id is missing, not a string or over %1 characters")
                      .arg(MaxBackendAlertIdChars);
        return false;
    }
    const QDateTime created = QDateTime::fromString(
        text(object, "created_at", 40), Qt::ISODateWithMs);
    if (!created.isValid()) {
        *reason = tr("the backend alert %1 has no valid created_at time").arg(id.left(64));
        return false;
    }
    static const QRegularExpression typePattern(QStringLiteral("^[a-z0-9_.-]{1,64}$"));
    QString type = text(object, "type", 64);
    if (!typePattern.match(type).hasMatch())
        type = QStringLiteral("unknown");
    const QString status = text(object, "status", 32);

    *alert = Alert();
    alert->key = "backend-alert|" + connection.toUtf8() + '|' + id.toUtf8();
    alert->ruleId = QStringLiteral("backend:") + type;
    alert->title = text(object, "title", MaxBackendAlertTitleChars);
    if (alert->title.isEmpty())
        alert->title = tr("Backend alert %1").arg(type);
    alert->severity = severityOf(text(object, "severity", 32));
    if (type == QLatin1String("brute_force"))
        alert->mitreTechnique = QStringLiteral("T1110");
    alert->firstSeenMs = created.toMSecsSinceEpoch();
    alert->lastSeenMs = alert->firstSeenMs;
    const QJsonObject entities = object.value(QLatin1String("entities")).toObject();
    for (auto it = entities.begin(); it != entities.end(); ++it) {
        const QString field = ecsField(it.key());
        const QStringList values = entityValues(it.value());
        if (!field.isEmpty() && !values.isEmpty())
            alert->entities[field] << values;
    }
    alert->entities.insert(QStringLiteral("observer.name"), { connection });
    for (const QJsonValue value : object.value(QLatin1String("event_ids")).toArray()) {
        const QByteArray eventId = value.toString().toUtf8();
        if (!eventId.isEmpty() && eventId.size() <= MaxEvidenceIdBytes
            && alert->evidence.size() < MaxBackendEvidence)
            alert->evidence.append(eventId);
    }
    alert->eventCount = std::max<qint64>(1, alert->evidence.size());
    alert->reason = tr("The backend %1 raised this alert itself (its id %2, type %3, status "
                       "%4); Portcullis imported it as the backend reported it.")
                        .arg(connection, id, type, status.isEmpty() ? tr("unknown") : status);
    return true;
}

bool importBackendAlerts(Store &store, const QString &connection, const QList<QJsonObject> &alerts,
    BackendAlertImport *result, QString *errorMessage)
{
    Database &db = store.database();
    Statement find = db.prepare("SELECT severity, status, title FROM backend_alerts "
                                "WHERE connection = ? AND backend_id = ?",
        errorMessage);
    Statement save = db.prepare(
        "INSERT INTO backend_alerts (connection, backend_id, alert_id, created_ms, created_at, "
        "severity, status, title, imported_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) "
        "ON CONFLICT (connection, backend_id) DO UPDATE SET alert_id = ?3, severity = ?6, "
        "status = ?7, title = ?8, imported_ms = ?9",
        errorMessage);
    if (!find.isValid() || !save.isValid())
        return false;
    for (const QJsonObject &object : alerts) {
        Alert alert;
        QString reason;
        if (!mapBackendAlert(connection, object, &alert, &reason)) {
            result->rejected.append({ object, reason });
            continue;
        }
        const QString id = object.value(QLatin1String("id")).toString();
        const QString severity = text(object, "severity", 32);
        const QString status = text(object, "status", 32);
        find.reset();
        find.bind(1, connection);
        find.bind(2, id);
        if (find.step() && find.columnText(0) == severity && find.columnText(1) == status
            && find.columnText(2) == alert.title) {
            ++result->unchanged;
            continue;
        }
        find.reset();
        if (!store.upsertAlert(alert, errorMessage))
            return false;
        save.reset();
        save.bind(1, connection);
        save.bind(2, id);
        save.bind(3, alert.id);
        save.bind(4, alert.firstSeenMs);
        save.bind(5, text(object, "created_at", 40));
        save.bind(6, severity);
        save.bind(7, status);
        save.bind(8, alert.title);
        save.bind(9, QDateTime::currentMSecsSinceEpoch());
        save.step();
        if (!save.error().isEmpty()) {
            *errorMessage = save.error();
            return false;
        }
        result->changed.append(alert);
    }
    return true;
}

QString newestBackendAlert(Database &db, const QString &connection)
{
    Statement select = db.prepare("SELECT created_at FROM backend_alerts WHERE connection = ? "
                                  "ORDER BY created_ms DESC LIMIT 1");
    if (!select.isValid())
        return QString();
    select.bind(1, connection);
    return select.step() ? select.columnText(0) : QString();
}

} // namespace portcullis
