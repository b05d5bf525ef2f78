// SPDX-License-Identifier: GPL-3.0-or-later
#include "security/apitokens.h"

#include "security/accounts.h"
#include "security/auditlog.h"
#include "security/cryptoutil.h"
#include "store/database.h"

#include <QCoreApplication>
#include <QJsonObject>

namespace portcullis {

static QString tr(const char *text)
{
    return QCoreApplication::translate("portcullis::ApiTokenService", text);
}

ApiTokenService::ApiTokenService(Database &db)
    : m_db(db)
{
}

QString ApiTokenService::create(const Identity &who, const QString &name,
                                const QSet<Role> &roles, int validDays, qint64 *tokenId,
                                QString *errorMessage)
{
    if (!who.isValid() || who.isDemo || !who.tokenRoles.isEmpty()) {
        if (errorMessage)
            *errorMessage = tr("Sign in with a password to create an API token; a token cannot "
                               "create another.");
        return QString();
    }
    if (validDays < 1 || validDays > maxValidDays) {
        if (errorMessage)
            *errorMessage = tr("A token is valid for %1 days; give 1 to %2.")
                                .arg(validDays)
                                .arg(maxValidDays);
        return QString();
    }
    if (roles.isEmpty() || !who.roles.contains(roles)) {
        if (errorMessage)
            *errorMessage = tr("A token needs one or more of your own roles (%1), not '%2'.")
                                .arg(rolesToText(who.roles), rolesToText(roles));
        return QString();
    }
    const QString label = name.trimmed().left(100);
    const QString token = QStringLiteral("pct_")
        + QString::fromLatin1(crypto::randomBytes(32).toBase64(QByteArray::Base64UrlEncoding
                                                               | QByteArray::OmitTrailingEquals));
    const qint64 now = crypto::nowMs();

    if (!m_db.begin(errorMessage))
        return QString();
    Statement insert = m_db.prepare(
        "INSERT INTO api_tokens (user_id, name, token_hash, roles, created_ms, expires_ms) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        errorMessage);
    insert.bind(1, who.userId);
    insert.bind(2, label);
    insert.bind(3, crypto::sha256(token.toUtf8()));
    insert.bind(4, rolesToText(roles));
    insert.bind(5, now);
    insert.bind(6, now + qint64(validDays) * 24 * 3600 * 1000);
    insert.step();
    const qint64 id = m_db.lastInsertRowId();
    if (!insert.error().isEmpty()
        || !AuditLog(m_db).append(who, QStringLiteral("token.create"),
                                  QStringLiteral("token:") + QString::number(id),
                                  QJsonObject{{QStringLiteral("name"), label},
                                              {QStringLiteral("roles"), rolesToText(roles)},
                                              {QStringLiteral("valid_days"), validDays}},
                                  errorMessage)) {
        if (errorMessage && !insert.error().isEmpty())
            *errorMessage = insert.error();
        m_db.rollback();
        return QString();
    }
    if (!m_db.commit(errorMessage))
        return QString();
    if (tokenId)
        *tokenId = id;
    return token;
}

bool ApiTokenService::revoke(const Identity &who, qint64 tokenId, QString *errorMessage)
{
    if (!who.isValid()) {
        checkPermission(who, Permission::ManageUsers, errorMessage);
        return false;
    }
    const bool admin = hasPermission(who, Permission::ManageUsers);
    if (!m_db.begin(errorMessage))
        return false;
    Statement update = m_db.prepare(
        "UPDATE api_tokens SET revoked_ms = ?3 WHERE id = ?1 AND revoked_ms IS NULL "
        "AND (?2 OR user_id = ?4)",
        errorMessage);
    update.bind(1, tokenId);
    update.bind(2, admin ? 1 : 0);
    update.bind(3, crypto::nowMs());
    update.bind(4, who.userId);
    update.step();
    if (m_db.changes() != 1) {
        m_db.rollback();
        if (errorMessage)
            *errorMessage = tr("No active token %1 of yours; 'portcullis-cli token list' shows "
                               "them.")
                                .arg(tokenId);
        return false;
    }
    if (!AuditLog(m_db).append(who, QStringLiteral("token.revoke"),
                               QStringLiteral("token:") + QString::number(tokenId), QJsonObject(),
                               errorMessage)) {
        m_db.rollback();
        return false;
    }
    return m_db.commit(errorMessage);
}

QVector<ApiTokenInfo> ApiTokenService::list(const Identity &who, QString *errorMessage) const
{
    QVector<ApiTokenInfo> tokens;
    if (!who.isValid()) {
        checkPermission(who, Permission::ManageUsers, errorMessage);
        return tokens;
    }
    Statement query = m_db.prepare(
        "SELECT t.id, u.name, t.name, t.roles, t.created_ms, COALESCE(t.expires_ms, 0), "
        "COALESCE(t.revoked_ms, 0), COALESCE(t.last_used_ms, 0) FROM api_tokens t "
        "JOIN users u ON u.id = t.user_id WHERE ?1 OR t.user_id = ?2 ORDER BY t.id",
        errorMessage);
    query.bind(1, hasPermission(who, Permission::ManageUsers) ? 1 : 0);
    query.bind(2, who.userId);
    while (query.isValid() && query.step()) {
        ApiTokenInfo info;
        info.id = query.columnInt64(0);
        info.userName = query.columnText(1);
        info.name = query.columnText(2);
        rolesFromText(query.columnText(3), &info.roles, nullptr);
        info.createdMs = query.columnInt64(4);
        info.expiresMs = query.columnInt64(5);
        info.revokedMs = query.columnInt64(6);
        info.lastUsedMs = query.columnInt64(7);
        tokens.append(info);
    }
    return tokens;
}

} // namespace portcullis
