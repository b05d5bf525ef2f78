// SPDX-License-Identifier: GPL-3.0-or-later
#include "security/authenticator.h"

#include "core/logging.h"
#include "security/accounts.h"
#include "security/auditlog.h"
#include "security/cryptoutil.h"
#include "security/passwordhash.h"
#include "security/securitypolicy.h"
#include "security/stepupgrants.h"
#include "security/totp.h"
#include "store/database.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QJsonObject>

namespace portcullis {

static QString tr(const char *text)
{
    return QCoreApplication::translate("portcullis::Authenticator", text);
}

namespace {

struct StoredUser
{
    qint64 id = 0;
    QString name;
    PasswordHash password;
    QByteArray totpKey;
    bool totpEnrolled = false;
    qint64 totpLastStep = 0;
    bool disabled = false;
};

} // namespace

static std::optional<StoredUser> loadUser(Database &db, const QString &name)
{
    Statement query = db.prepare(
        "SELECT id, name, password_hash, password_salt, scrypt_n, scrypt_r, scrypt_p, "
        "totp_secret, totp_enrolled, totp_last_step, disabled FROM users WHERE name = ?1");
    query.bind(1, name);
    if (!query.step())
        return std::nullopt;
    StoredUser user;
    user.id = query.columnInt64(0);
    user.name = query.columnText(1);
    user.password.hash = query.columnBlob(2);
    user.password.salt = query.columnBlob(3);
    user.password.params = {quint64(query.columnInt64(4)), quint32(query.columnInt(5)),
                            quint32(query.columnInt(6))};
    user.totpKey = query.columnBlob(7);
    user.totpEnrolled = query.columnInt(8) != 0;
    user.totpLastStep = query.columnInt64(9);
    user.disabled = query.columnInt(10) != 0;
    return user;
}

static qint64 lockedUntil(Database &db, const QString &name)
{
    Statement query = db.prepare("SELECT locked_until_ms FROM login_state WHERE user_name = ?1");
    query.bind(1, name);
    return query.step() ? query.columnInt64(0) : 0;
}

static void recordAttempt(Database &db, const QString &name, bool success, const QString &method,
                          const QString &reason)
{
    Statement insert = db.prepare("INSERT INTO login_attempts (user_name, ts_ms, success, method, "
                                  "reason) VALUES (?1, ?2, ?3, ?4, ?5)");
    insert.bind(1, name);
    insert.bind(2, crypto::nowMs());
    insert.bind(3, success ? 1 : 0);
    insert.bind(4, method);
    insert.bind(5, reason);
    insert.step();
}

// Counts a failure for the name (known or not, so that a lockout does not
// reveal which names exist) and locks it after the policy's limit. Returns
// the lock's end, or 0 when not locked.
static qint64 recordFailure(Database &db, const QString &name, const QString &method,
                            const QString &reason)
{
    const SecurityPolicy policy = loadSecurityPolicy(db);
    const qint64 now = crypto::nowMs();
    if (!db.begin())
        return 0;
    Statement upsert = db.prepare(
        "INSERT INTO login_state (user_name, failures, locked_until_ms, last_failure_ms) "
        "VALUES (?1, 1, 0, ?2) ON CONFLICT(user_name) DO UPDATE SET "
        "failures = failures + 1, last_failure_ms = ?2 RETURNING failures");
    upsert.bind(1, name);
    upsert.bind(2, now);
    const int failures = upsert.step() ? upsert.columnInt(0) : 0;
    upsert.reset();
    recordAttempt(db, name, false, method, reason);

    AuditLog audit(db);
    const QString target = QStringLiteral("user:") + name;
    audit.appendAnonymous(name, QStringLiteral("login.failure"), target,
                          QJsonObject{{QStringLiteral("method"), method},
                                      {QStringLiteral("reason"), reason},
                                      {QStringLiteral("failures"), failures}},
                          nullptr);
    qint64 until = 0;
    if (failures >= policy.maxFailures) {
        until = now + qint64(policy.lockoutMinutes) * 60 * 1000;
        Statement lock = db.prepare("UPDATE login_state SET failures = 0, locked_until_ms = ?2 "
                                    "WHERE user_name = ?1");
        lock.bind(1, name);
        lock.bind(2, until);
        lock.step();
        audit.appendAnonymous(name, QStringLiteral("login.lockout"), target,
                              QJsonObject{{QStringLiteral("failures"), failures},
                                          {QStringLiteral("locked_until_ms"), until}},
                              nullptr);
        qCWarning(lcSecurity) << "Locked sign-in for" << name << "after" << failures
                              << "failures";
    }
    db.commit();
    return until;
}

static bool clearFailures(Database &db, const QString &name)
{
    Statement reset = db.prepare("UPDATE login_state SET failures = 0, locked_until_ms = 0 "
                                 "WHERE user_name = ?1");
    reset.bind(1, name);
    reset.step();
    return reset.error().isEmpty();
}

// Verifies the password; for an unknown user it still spends one scrypt
// derivation, so that the response time does not reveal whether the name exists.
static bool checkPassword(const std::optional<StoredUser> &user, const QString &password,
                          const ScryptParams &params)
{
    QByteArray utf8 = password.toUtf8();
    bool ok = false;
    if (user) {
        ok = verifyPassword(utf8, user->password);
    } else {
        PasswordHash dummy;
        dummy.salt = QByteArray(16, 'x');
        dummy.hash = QByteArray(32, '\0');
        dummy.params = params;
        verifyPassword(utf8, dummy);
    }
    crypto::wipe(utf8);
    return ok;
}

static bool useTotp(Database &db, const StoredUser &user, const QString &code)
{
    const std::optional<qint64> step =
        totp::verify(user.totpKey, code, crypto::nowMs() / 1000, user.totpLastStep);
    if (!step)
        return false;
    Statement update = db.prepare("UPDATE users SET totp_last_step = ?2 WHERE id = ?1 AND "
                                  "totp_last_step < ?2");
    update.bind(1, user.id);
    update.bind(2, *step);
    update.step();
    return db.changes() == 1;
}

static bool useRecoveryCode(Database &db, const StoredUser &user, const QString &code)
{
    Statement update = db.prepare("UPDATE recovery_codes SET used_ms = ?3 WHERE user_id = ?1 AND "
                                  "code_hash = ?2 AND used_ms IS NULL");
    update.bind(1, user.id);
    update.bind(2, hashRecoveryCode(user.id, code));
    update.bind(3, crypto::nowMs());
    update.step();
    return db.changes() == 1;
}

static int recoveryCodesLeft(Database &db, qint64 userId)
{
    Statement query = db.prepare("SELECT count(*) FROM recovery_codes WHERE user_id = ?1 AND "
                                 "used_ms IS NULL");
    query.bind(1, userId);
    return query.step() ? query.columnInt(0) : 0;
}

static bool isTotpCode(const QString &text)
{
    const QString trimmed = text.trimmed().remove(QLatin1Char(' '));
    if (trimmed.size() != totp::digits)
        return false;
    for (QChar ch : trimmed) {
        if (!ch.isDigit())
            return false;
    }
    return true;
}

Authenticator::Authenticator(Database &db)
    : m_db(db)
{
}

static SignInResult failed(Database &db, const QString &name, const QString &method,
                           const QString &reason)
{
    SignInResult result;
    result.lockedUntilMs = recordFailure(db, name, method, reason);
    result.status = result.lockedUntilMs ? SignInStatus::LockedOut
                                         : SignInStatus::InvalidCredentials;
    result.message = result.lockedUntilMs
        ? tr("Too many failed sign-ins: %1 is locked for %2 minutes.")
              .arg(name)
              .arg(loadSecurityPolicy(db).lockoutMinutes)
        : tr("Invalid user name, password or code.");
    return result;
}

static void rehashIfWeaker(Database &db, const StoredUser &user, const QString &password,
                           const ScryptParams &params)
{
    if (!(user.password.params < params))
        return;
    QByteArray utf8 = password.toUtf8();
    const PasswordHash hash = hashPassword(utf8, params);
    crypto::wipe(utf8);
    Statement update = db.prepare("UPDATE users SET password_hash = ?2, password_salt = ?3, "
                                  "scrypt_n = ?4, scrypt_r = ?5, scrypt_p = ?6 WHERE id = ?1");
    update.bind(1, user.id);
    update.bind(2, hash.hash);
    update.bind(3, hash.salt);
    update.bind(4, qint64(hash.params.n));
    update.bind(5, qint64(hash.params.r));
    update.bind(6, qint64(hash.params.p));
    update.step();
    qCInfo(lcSecurity) << "Raised the scrypt parameters of" << user.name << "to N" << params.n;
}

SignInResult Authenticator::signIn(const QString &userName, const QString &password,
                                   const QString &secondFactor, const QString &method)
{
    const QString name = userName.trimmed().left(64);
    SignInResult result;
    // An empty password (Enter pressed, or nothing on standard input) is
    // rejected before any check, so it does not count toward the lockout.
    if (password.isEmpty()) {
        result.status = SignInStatus::PasswordMissing;
        result.message = tr("Password missing for %1: type it, or pass it on standard input "
                            "followed by a newline.")
                             .arg(name);
        return result;
    }
    const SecurityPolicy policy = loadSecurityPolicy(m_db);
    const qint64 until = lockedUntil(m_db, name);
    if (until > crypto::nowMs()) {
        result.status = SignInStatus::LockedOut;
        result.lockedUntilMs = until;
        result.message = tr("%1 is locked after too many failed sign-ins; try again after %2 "
                            "or ask an administrator.")
                             .arg(name, QDateTime::fromMSecsSinceEpoch(until, Qt::UTC)
                                            .toString(Qt::ISODate));
        recordAttempt(m_db, name, false, method, QStringLiteral("locked"));
        AuditLog(m_db).appendAnonymous(name, QStringLiteral("login.rejected_locked"),
                                       QStringLiteral("user:") + name,
                                       QJsonObject{{QStringLiteral("method"), method}}, nullptr);
        return result;
    }

    const std::optional<StoredUser> user = loadUser(m_db, name);
    if (!checkPassword(user, password, policy.scrypt))
        return failed(m_db, name, method, user ? QStringLiteral("password")
                                               : QStringLiteral("unknown_user"));
    if (user->disabled)
        return failed(m_db, name, method, QStringLiteral("disabled"));

    bool usedRecovery = false;
    if (user->totpEnrolled) {
        if (secondFactor.trimmed().isEmpty()) {
            result.status = SignInStatus::SecondFactorRequired;
            result.message = tr("Enter the code from your authenticator or a recovery code.");
            return result;
        }
        m_db.begin();
        bool ok = false;
        if (isTotpCode(secondFactor)) {
            ok = useTotp(m_db, *user, secondFactor);
        } else {
            ok = useRecoveryCode(m_db, *user, secondFactor);
            usedRecovery = ok;
        }
        m_db.commit();
        if (!ok)
            return failed(m_db, name, method, QStringLiteral("second_factor"));
    }

    const std::optional<Identity> identity = AccountService(m_db).loadIdentity(user->id);
    if (!identity)
        return failed(m_db, name, method, QStringLiteral("disabled"));
    result.status = SignInStatus::Success;
    result.identity = *identity;
    result.usedRecoveryCode = usedRecovery;
    result.mfaEnrolmentRequired = !user->totpEnrolled && policy.requiresMfa(identity->roles);
    result.recoveryCodesLeft = user->totpEnrolled ? recoveryCodesLeft(m_db, user->id) : 0;

    m_db.begin();
    clearFailures(m_db, name);
    rehashIfWeaker(m_db, *user, password, policy.scrypt);
    recordAttempt(m_db, user->name, true, method, QStringLiteral("ok"));
    AuditLog(m_db).append(*identity, QStringLiteral("login.success"),
                          QStringLiteral("user:") + user->name,
                          QJsonObject{{QStringLiteral("method"), method},
                                      {QStringLiteral("mfa"), user->totpEnrolled},
                                      {QStringLiteral("recovery_code"), usedRecovery}},
                          nullptr);
    m_db.commit();
    stepup::grant(user->id, crypto::nowMs() + qint64(policy.stepUpValidityMinutes) * 60 * 1000);
    return result;
}

std::optional<Identity> Authenticator::signInWithToken(const QString &token,
                                                       QString *errorMessage)
{
    const QByteArray hash = crypto::sha256(token.trimmed().toUtf8());
    Statement query = m_db.prepare(
        "SELECT t.id, t.user_id, t.roles, t.expires_ms, t.revoked_ms FROM api_tokens t "
        "WHERE t.token_hash = ?1");
    query.bind(1, hash);
    const qint64 now = crypto::nowMs();
    std::optional<Identity> identity;
    qint64 tokenId = 0;
    if (query.step() && query.columnIsNull(4)
        && (query.columnIsNull(3) || query.columnInt64(3) > now)) {
        tokenId = query.columnInt64(0);
        identity = AccountService(m_db).loadIdentity(query.columnInt64(1));
        if (identity)
            rolesFromText(query.columnText(2), &identity->tokenRoles, nullptr);
    }
    if (!identity || identity->tokenRoles.isEmpty()) {
        AuditLog(m_db).appendAnonymous(QStringLiteral("(api token)"),
                                       QStringLiteral("login.token_failure"), QString(),
                                       QJsonObject(), nullptr);
        if (errorMessage)
            *errorMessage = tr("The API token is invalid, revoked or expired; create a new one "
                               "with 'portcullis-cli token create'.");
        return std::nullopt;
    }

    m_db.begin();
    Statement used = m_db.prepare("UPDATE api_tokens SET last_used_ms = ?2 WHERE id = ?1");
    used.bind(1, tokenId);
    used.bind(2, now);
    used.step();
    AuditLog(m_db).append(*identity, QStringLiteral("login.token"),
                          QStringLiteral("token:") + QString::number(tokenId),
                          QJsonObject{{QStringLiteral("roles"), rolesToText(identity->tokenRoles)}},
                          nullptr);
    m_db.commit();
    return identity;
}

bool Authenticator::stepUp(const Identity &who, const QString &passwordOrCode,
                           QString *errorMessage)
{
    const SecurityPolicy policy = loadSecurityPolicy(m_db);
    const std::optional<StoredUser> user = who.isValid() && who.tokenRoles.isEmpty()
        ? loadUser(m_db, who.userName)
        : std::nullopt;
    bool ok = false;
    if (user && user->id == who.userId && !user->disabled
        && lockedUntil(m_db, user->name) <= crypto::nowMs()) {
        if (user->totpEnrolled && isTotpCode(passwordOrCode))
            ok = useTotp(m_db, *user, passwordOrCode);
        else
            ok = checkPassword(user, passwordOrCode, policy.scrypt);
    }
    if (!ok) {
        if (user)
            recordFailure(m_db, user->name, QStringLiteral("step_up"), QStringLiteral("step_up"));
        if (errorMessage)
            *errorMessage = tr("The password or code is wrong, so the action was not confirmed.");
        return false;
    }
    stepup::grant(who.userId, crypto::nowMs() + qint64(policy.stepUpValidityMinutes) * 60 * 1000);
    AuditLog(m_db).append(who, QStringLiteral("auth.step_up"),
                          QStringLiteral("user:") + who.userName, QJsonObject(), nullptr);
    return true;
}

} // namespace portcullis
