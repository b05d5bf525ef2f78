// SPDX-License-Identifier: GPL-3.0-or-later
#include "detect/suppressionservice.h"

#include "core/logging.h"
#include "security/auditlog.h"
#include "store/database.h"

#include <QDateTime>
#include <QJsonObject>

namespace portcullis {

namespace {

QJsonObject describe(const Suppression &suppression)
{
    QJsonObject details {
        { QStringLiteral("kind"), suppressionKindName(suppression.kind) },
        { QStringLiteral("value"), suppression.value },
        { QStringLiteral("reason"), suppression.reason },
        { QStringLiteral("expires_ms"), suppression.expiresMs },
    };
    if (!suppression.ruleId.isEmpty())
        details.insert(QStringLiteral("rule_id"), suppression.ruleId);
    return details;
}

QString target(qint64 id)
{
    return QStringLiteral("suppression:%1").arg(id);
}

} // namespace

SuppressionService::SuppressionService(Database &db)
    : m_db(db)
    , m_clock([] { return QDateTime::currentMSecsSinceEpoch(); })
{
}

std::optional<Suppression> SuppressionService::add(
    const Identity &who, Suppression suppression, QString *errorMessage)
{
    if (!checkPermission(who, Permission::ManageRules, errorMessage))
        return std::nullopt;
    suppression.value = suppression.value.trimmed();
    suppression.ruleId = suppression.ruleId.trimmed();
    suppression.reason = suppression.reason.trimmed();
    if (!validateSuppression(suppression, errorMessage))
        return std::nullopt;
    suppression.id = 0;
    suppression.hits = 0;
    suppression.createdBy = who.userName;
    suppression.createdMs = m_clock();

    if (!m_db.begin(errorMessage))
        return std::nullopt;
    SuppressionStore store(m_db);
    AuditLog audit(m_db);
    if (!store.insert(&suppression, errorMessage)
        || !audit.append(who, QStringLiteral("suppression.add"), target(suppression.id),
            describe(suppression), errorMessage)
        || !m_db.commit(errorMessage)) {
        m_db.rollback();
        return std::nullopt;
    }
    qCInfo(lcDetect) << "suppression" << suppression.id << "added by" << who.userName;
    return suppression;
}

bool SuppressionService::remove(const Identity &who, qint64 id, QString *errorMessage)
{
    if (!checkPermission(who, Permission::ManageRules, errorMessage))
        return false;
    if (!m_db.begin(errorMessage))
        return false;
    SuppressionStore store(m_db);
    AuditLog audit(m_db);
    const std::optional<Suppression> existing = store.find(id, errorMessage);
    if (!existing || !store.remove(id, errorMessage)
        || !audit.append(who, QStringLiteral("suppression.remove"), target(id),
            describe(*existing), errorMessage)
        || !m_db.commit(errorMessage)) {
        m_db.rollback();
        return false;
    }
    qCInfo(lcDetect) << "suppression" << id << "removed by" << who.userName;
    return true;
}

QVector<Suppression> SuppressionService::list(const Identity &who, bool *ok, QString *errorMessage)
{
    *ok = false;
    if (!checkPermission(who, Permission::ViewAlerts, errorMessage))
        return {};
    SuppressionStore store(m_db);
    return store.list(ok, errorMessage);
}

SuppressionList SuppressionService::loadActive(Database &db, QString *errorMessage)
{
    SuppressionStore store(db);
    bool ok = false;
    const QVector<Suppression> entries = store.list(&ok, errorMessage);
    QVector<Suppression> active;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (const Suppression &entry : entries) {
        if (entry.isActive(now))
            active.append(entry);
    }
    return SuppressionList(active);
}

bool SuppressionService::recordHits(
    Database &db, const QHash<qint64, qint64> &hits, QString *errorMessage)
{
    if (hits.isEmpty())
        return true;
    SuppressionStore store(db);
    return store.addHits(hits, errorMessage);
}

} // namespace portcullis
