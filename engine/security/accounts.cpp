// SPDX-License-Identifier: GPL-3.0-or-later
#include "security/accounts.h"

#include "core/logging.h"
#include "security/auditlog.h"
#include "security/cryptoutil.h"
#include "security/passwordhash.h"
#include "security/securitypolicy.h"
#include "store/database.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QRegularExpression>

namespace portcullis {

static QString tr(const char *text)
{
    return QCoreApplication::translate("portcullis::AccountService", text);
}

QString rolesToText(const QSet<Role> &roles)
{
    QStringList names;
    for (Role role : roles)
        names.append(roleName(role));
    names.sort();
    return names.join(QLatin1Char(','));
}

bool rolesFromText(const QString &text, QSet<Role> *roles, QString *errorMessage)
{
    roles->clear();
    for (const QString &part : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        Role role;
        if (!roleFromName(part.trimmed(), &role)) {
            if (errorMessage)
                *errorMessage = tr("Unknown role '%1'; use analyst, responder, "
                                   "compliance_officer or administrator.")
                                    .arg(part.trimmed());
            return false;
        }
        roles->insert(role);
    }
    return true;
}

static QJsonArray rolesJson(const QSet<Role> &roles)
{
    return QJsonArray::fromStringList(rolesToText(roles).split(QLatin1Char(','),
                                                               Qt::SkipEmptyParts));
}

AccountService::AccountService(Database &db)
    : m_db(db)
{
}

bool AccountService::hasUsers() const
{
    Statement query = m_db.prepare("SELECT EXISTS (SELECT 1 FROM users)");
    return query.isValid() && query.step() && query.columnInt(0) != 0;
}

static bool validUserName(const QString &name, QString *errorMessage)
{
    static const QRegularExpression pattern(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$"));
    if (pattern.match(name).hasMatch())
        return true;
    if (errorMessage)
        *errorMessage = tr("Invalid user name '%1': use 1 to 64 letters, digits, '.', '_', '@' "
                           "or '-', starting with a letter or digit.")
                            .arg(name.left(80));
    return false;
}

qint64 AccountService::userIdByName(const QString &name) const
{
    Statement query = m_db.prepare("SELECT id FROM users WHERE name = ?1");
    query.bind(1, name);
    return query.step() ? query.columnInt64(0) : 0;
}

bool AccountService::writeRoles(qint64 userId, const QSet<Role> &roles, QString *errorMessage)
{
    Statement remove = m_db.prepare("DELETE FROM user_roles WHERE user_id = ?1", errorMessage);
    remove.bind(1, userId);
    remove.step();
    Statement insert = m_db.prepare("INSERT INTO user_roles (user_id, role) VALUES (?1, ?2)",
                                    errorMessage);
    for (Role role : roles) {
        insert.reset();
        insert.bind(1, userId);
        insert.bind(2, roleName(role));
        insert.step();
        if (!insert.error().isEmpty()) {
            if (errorMessage)
                *errorMessage = insert.error();
            return false;
        }
    }
    return remove.error().isEmpty();
}

bool AccountService::insertUser(const QString &name, const QString &password,
                                const QSet<Role> &roles, qint64 *userId, QString *errorMessage)
{
    const SecurityPolicy policy = loadSecurityPolicy(m_db);
    if (!validUserName(name, errorMessage)
        || !checkPasswordStrength(password, name, policy, errorMessage))
        return false;
    if (roles.isEmpty()) {
        if (errorMessage)
            *errorMessage = tr("User %1 needs at least one role.").arg(name);
        return false;
    }
    if (userIdByName(name) != 0) {
        if (errorMessage)
            *errorMessage = tr("User %1 already exists; choose another name.").arg(name);
        return false;
    }

    QByteArray utf8 = password.toUtf8();
    const PasswordHash hash = hashPassword(utf8, policy.scrypt);
    crypto::wipe(utf8);
    Statement insert = m_db.prepare(
        "INSERT INTO users (name, password_hash, password_salt, scrypt_n, scrypt_r, scrypt_p, "
        "created_ms, password_changed_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
        errorMessage);
    insert.bind(1, name);
    insert.bind(2, hash.hash);
    insert.bind(3, hash.salt);
    insert.bind(4, qint64(hash.params.n));
    insert.bind(5, qint64(hash.params.r));
    insert.bind(6, qint64(hash.params.p));
    insert.bind(7, crypto::nowMs());
    insert.step();
    if (!insert.error().isEmpty()) {
        if (errorMessage)
            *errorMessage = insert.error();
        return false;
    }
    *userId = m_db.lastInsertRowId();
    return writeRoles(*userId, roles, errorMessage);
}

std::optional<Identity> AccountService::createFirstAdministrator(const QString &name,
                                                                 const QString &password,
                                                                 QString *errorMessage)
{
    if (!m_db.begin(errorMessage))
        return std::nullopt;
    if (hasUsers()) {
        m_db.rollback();
        if (errorMessage)
            *errorMessage = tr("The console already has users; an administrator adds new ones "
                               "with 'portcullis-cli users add'.");
        return std::nullopt;
    }
    const QSet<Role> roles{Role::Administrator};
    qint64 userId = 0;
    if (!insertUser(name, password, roles, &userId, errorMessage)) {
        m_db.rollback();
        return std::nullopt;
    }
    Identity admin = identityForTesting(name, roles, userId);
    if (!AuditLog(m_db).append(admin, QStringLiteral("user.create_first_admin"),
                               QStringLiteral("user:") + name,
                               QJsonObject{{QStringLiteral("roles"), rolesJson(roles)}},
                               errorMessage)
        || !m_db.commit(errorMessage)) {
        m_db.rollback();
        return std::nullopt;
    }
    qCInfo(lcSecurity) << "Created the first administrator" << name;
    return admin;
}

bool AccountService::addUser(const Identity &who, const QString &name, const QString &password,
                             const QSet<Role> &roles, QString *errorMessage)
{
    if (!checkPermission(who, Permission::ManageUsers, errorMessage)
        || !checkStepUp(m_db, who, SensitiveAction::ChangeUsers, errorMessage))
        return false;
    if (!m_db.begin(errorMessage))
        return false;
    qint64 userId = 0;
    if (!insertUser(name, password, roles, &userId, errorMessage)
        || !AuditLog(m_db).append(who, QStringLiteral("user.add"), QStringLiteral("user:") + name,
                                  QJsonObject{{QStringLiteral("roles"), rolesJson(roles)}},
                                  errorMessage)) {
        m_db.rollback();
        return false;
    }
    return m_db.commit(errorMessage);
}

QVector<UserInfo> AccountService::listUsers(const Identity &who, QString *errorMessage) const
{
    QVector<UserInfo> users;
    if (!checkPermission(who, Permission::ManageUsers, errorMessage))
        return users;
    Statement query = m_db.prepare(
        "SELECT u.id, u.name, u.disabled, u.totp_enrolled, u.created_ms, "
        "(SELECT group_concat(role) FROM user_roles r WHERE r.user_id = u.id), "
        "(SELECT count(*) FROM recovery_codes c WHERE c.user_id = u.id AND c.used_ms IS NULL), "
        "COALESCE((SELECT locked_until_ms FROM login_state s WHERE s.user_name = u.name), 0) "
        "FROM users u ORDER BY u.name",
        errorMessage);
    while (query.isValid() && query.step()) {
        UserInfo info;
        info.id = query.columnInt64(0);
        info.name = query.columnText(1);
        info.disabled = query.columnInt(2) != 0;
        info.mfaEnrolled = query.columnInt(3) != 0;
        info.createdMs = query.columnInt64(4);
        rolesFromText(query.columnText(5), &info.roles, nullptr);
        info.recoveryCodesLeft = query.columnInt(6);
        info.lockedUntilMs = query.columnInt64(7);
        users.append(info);
    }
    return users;
}

bool AccountService::changeUser(const Identity &who, const QString &name, const QString &action,
                                const QJsonObject &details,
                                const std::function<bool(qint64)> &apply, QString *errorMessage)
{
    if (!checkPermission(who, Permission::ManageUsers, errorMessage)
        || !checkStepUp(m_db, who, SensitiveAction::ChangeUsers, errorMessage))
        return false;
    if (!m_db.begin(errorMessage))
        return false;
    const qint64 userId = userIdByName(name);
    if (userId == 0) {
        m_db.rollback();
        if (errorMessage)
            *errorMessage = tr("User %1 not found; 'portcullis-cli users list' shows the users.")
                                .arg(name.left(80));
        return false;
    }
    if (!apply(userId)
        || !AuditLog(m_db).append(who, action, QStringLiteral("user:") + name, details,
                                  errorMessage)) {
        m_db.rollback();
        return false;
    }
    return m_db.commit(errorMessage);
}

// Counts enabled administrators other than `exceptUserId`, so that the last
// one cannot be disabled or lose the role.
static int otherAdministrators(Database &db, qint64 exceptUserId)
{
    Statement query = db.prepare(
        "SELECT count(*) FROM users u JOIN user_roles r ON r.user_id = u.id "
        "WHERE r.role = 'administrator' AND u.disabled = 0 AND u.id != ?1");
    query.bind(1, exceptUserId);
    return query.step() ? query.columnInt(0) : 0;
}

static bool lastAdminError(QString *errorMessage)
{
    if (errorMessage)
        *errorMessage = tr("This is the last enabled administrator; make another user an "
                           "administrator first.");
    return false;
}

bool AccountService::setRoles(const Identity &who, const QString &name, const QSet<Role> &roles,
                              QString *errorMessage)
{
    if (roles.isEmpty()) {
        if (errorMessage)
            *errorMessage = tr("User %1 needs at least one role.").arg(name);
        return false;
    }
    auto apply = [&](qint64 userId) {
        if (!roles.contains(Role::Administrator) && otherAdministrators(m_db, userId) == 0)
            return lastAdminError(errorMessage);
        return writeRoles(userId, roles, errorMessage);
    };
    return changeUser(who, name, QStringLiteral("user.roles"),
                      QJsonObject{{QStringLiteral("roles"), rolesJson(roles)}}, apply,
                      errorMessage);
}

bool AccountService::setDisabled(const Identity &who, const QString &name, bool disabled,
                                 QString *errorMessage)
{
    auto apply = [&](qint64 userId) {
        if (disabled && otherAdministrators(m_db, userId) == 0)
            return lastAdminError(errorMessage);
        Statement update = m_db.prepare("UPDATE users SET disabled = ?2 WHERE id = ?1");
        update.bind(1, userId);
        update.bind(2, disabled ? 1 : 0);
        update.step();
        return update.error().isEmpty();
    };
    return changeUser(who, name,
                      disabled ? QStringLiteral("user.disable") : QStringLiteral("user.enable"),
                      QJsonObject(), apply, errorMessage);
}

bool AccountService::resetMfa(const Identity &who, const QString &name, QString *errorMessage)
{
    auto apply = [&](qint64 userId) {
        Statement update = m_db.prepare("UPDATE users SET totp_secret = NULL, totp_enrolled = 0, "
                                        "totp_last_step = 0 WHERE id = ?1");
        update.bind(1, userId);
        update.step();
        Statement codes = m_db.prepare("DELETE FROM recovery_codes WHERE user_id = ?1");
        codes.bind(1, userId);
        codes.step();
        return update.error().isEmpty() && codes.error().isEmpty();
    };
    return changeUser(who, name, QStringLiteral("user.reset_mfa"), QJsonObject(), apply,
                      errorMessage);
}

static bool storePassword(Database &db, qint64 userId, const QString &password,
                          const ScryptParams &params)
{
    QByteArray utf8 = password.toUtf8();
    const PasswordHash hash = hashPassword(utf8, params);
    crypto::wipe(utf8);
    Statement update = db.prepare(
        "UPDATE users SET password_hash = ?2, password_salt = ?3, scrypt_n = ?4, scrypt_r = ?5, "
        "scrypt_p = ?6, password_changed_ms = ?7 WHERE id = ?1");
    update.bind(1, userId);
    update.bind(2, hash.hash);
    update.bind(3, hash.salt);
    update.bind(4, qint64(hash.params.n));
    update.bind(5, qint64(hash.params.r));
    update.bind(6, qint64(hash.params.p));
    update.bind(7, crypto::nowMs());
    update.step();
    return update.error().isEmpty() && !hash.hash.isEmpty();
}

bool AccountService::resetPassword(const Identity &who, const QString &name,
                                   const QString &newPassword, QString *errorMessage)
{
    const SecurityPolicy policy = loadSecurityPolicy(m_db);
    if (!checkPasswordStrength(newPassword, name, policy, errorMessage))
        return false;
    auto apply = [&](qint64 userId) {
        return storePassword(m_db, userId, newPassword, policy.scrypt);
    };
    return changeUser(who, name, QStringLiteral("user.reset_password"), QJsonObject(), apply,
                      errorMessage);
}

bool AccountService::changeOwnPassword(const Identity &who, const QString &currentPassword,
                                       const QString &newPassword, QString *errorMessage)
{
    const SecurityPolicy policy = loadSecurityPolicy(m_db);
    if (!who.isValid() || !checkPasswordStrength(newPassword, who.userName, policy, errorMessage))
        return false;
    Statement query = m_db.prepare("SELECT password_hash, password_salt, scrypt_n, scrypt_r, "
                                   "scrypt_p FROM users WHERE id = ?1");
    query.bind(1, who.userId);
    PasswordHash stored;
    if (query.step()) {
        stored.hash = query.columnBlob(0);
        stored.salt = query.columnBlob(1);
        stored.params = {quint64(query.columnInt64(2)), quint32(query.columnInt(3)),
                         quint32(query.columnInt(4))};
    }
    QByteArray current = currentPassword.toUtf8();
    const bool ok = verifyPassword(current, stored);
    crypto::wipe(current);
    if (!ok) {
        if (errorMessage)
            *errorMessage = tr("The current password is wrong.");
        return false;
    }
    if (!m_db.begin(errorMessage))
        return false;
    if (!storePassword(m_db, who.userId, newPassword, policy.scrypt)
        || !AuditLog(m_db).append(who, QStringLiteral("user.change_password"),
                                  QStringLiteral("user:") + who.userName, QJsonObject(),
                                  errorMessage)) {
        m_db.rollback();
        return false;
    }
    return m_db.commit(errorMessage);
}

std::optional<Identity> AccountService::loadIdentity(qint64 userId) const
{
    Statement query = m_db.prepare(
        "SELECT u.name, (SELECT group_concat(role) FROM user_roles r WHERE r.user_id = u.id) "
        "FROM users u WHERE u.id = ?1 AND u.disabled = 0");
    query.bind(1, userId);
    if (!query.step())
        return std::nullopt;
    Identity identity;
    identity.userId = userId;
    identity.userName = query.columnText(0);
    rolesFromText(query.columnText(1), &identity.roles, nullptr);
    return identity;
}

std::optional<Identity> AccountService::demoIdentity(QString *errorMessage)
{
    const QString path = m_db.path();
    const QString temp = QDir::tempPath();
    const QString canonical = QFileInfo(path).canonicalFilePath();
    const bool throwAway = path == QLatin1String(":memory:")
        || (!temp.isEmpty() && !canonical.isEmpty()
            && canonical.startsWith(QDir(temp).canonicalPath() + QLatin1Char('/')));
    if (!throwAway) {
        if (errorMessage)
            *errorMessage = tr("The demo identity is only for a throw-away database (in memory or "
                               "under %1), not %2.")
                                .arg(QDir::tempPath(), path);
        return std::nullopt;
    }
    const QString name = QStringLiteral("demo");
    qint64 userId = userIdByName(name);
    const QSet<Role> roles{Role::Analyst, Role::Responder, Role::ComplianceOfficer,
                           Role::Administrator};
    if (userId == 0) {
        // A random password that is never shown, so the demo user cannot sign in.
        const QString password = QString::fromLatin1(crypto::randomBytes(24).toBase64());
        if (!insertUser(name, password, roles, &userId, errorMessage))
            return std::nullopt;
    }
    Identity identity = identityForTesting(name, roles, userId);
    identity.isDemo = true;
    AuditLog(m_db).append(identity, QStringLiteral("login.demo"), QStringLiteral("user:demo"),
                          QJsonObject(), nullptr);
    return identity;
}

} // namespace portcullis
