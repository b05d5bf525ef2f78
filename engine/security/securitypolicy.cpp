// SPDX-License-Identifier: GPL-3.0-or-later
#include "security/securitypolicy.h"

#include "security/auditlog.h"
#include "security/cryptoutil.h"
#include "security/stepupgrants.h"
#include "store/database.h"

#include <QCoreApplication>
#include <QFile>
#include <QHash>
#include <QJsonObject>
#include <QMutex>
#include <QSet>

// Q_INIT_RESOURCE must be used outside a namespace.
static void initSecurityResources()
{
    Q_INIT_RESOURCE(security);
}

namespace portcullis {

static QString tr(const char *text)
{
    return QCoreApplication::translate("portcullis::SecurityPolicy", text);
}

bool SecurityPolicy::requiresStepUp(SensitiveAction action) const
{
    switch (action) {
    case SensitiveAction::ApprovePlaybookStep:
        return stepUpApprove;
    case SensitiveAction::ExportEvidence:
        return stepUpExport;
    case SensitiveAction::ChangeUsers:
    case SensitiveAction::ChangePolicy:
        return stepUpUsers;
    }
    return true;
}

bool SecurityPolicy::requiresMfa(const QSet<Role> &roles) const
{
    return mfaRequiredForAll || roles.contains(Role::Responder)
        || roles.contains(Role::Administrator);
}

static QHash<QString, QString> readSettings(Database &db)
{
    QHash<QString, QString> settings;
    Statement query = db.prepare("SELECT key, value FROM security_settings");
    while (query.isValid() && query.step())
        settings.insert(query.columnText(0), query.columnText(1));
    return settings;
}

SecurityPolicy loadSecurityPolicy(Database &db)
{
    SecurityPolicy policy;
    const QHash<QString, QString> s = readSettings(db);
    auto number = [&](const char *key, qint64 fallback) {
        bool ok = false;
        const qint64 value = s.value(QLatin1String(key)).toLongLong(&ok);
        return ok ? value : fallback;
    };
    policy.minPasswordLength = int(number("min_password_length", policy.minPasswordLength));
    policy.maxFailures = int(number("max_failures", policy.maxFailures));
    policy.lockoutMinutes = int(number("lockout_minutes", policy.lockoutMinutes));
    policy.idleLockMinutes = int(number("idle_lock_minutes", policy.idleLockMinutes));
    policy.mfaRequiredForAll = number("mfa_required_for_all", policy.mfaRequiredForAll) != 0;
    policy.stepUpApprove = number("step_up_approve", policy.stepUpApprove) != 0;
    policy.stepUpExport = number("step_up_export", policy.stepUpExport) != 0;
    policy.stepUpUsers = number("step_up_users", policy.stepUpUsers) != 0;
    policy.stepUpValidityMinutes = int(number("step_up_minutes", policy.stepUpValidityMinutes));
    policy.scrypt.n = quint64(number("scrypt_n", qint64(policy.scrypt.n)));
    policy.scrypt.r = quint32(number("scrypt_r", policy.scrypt.r));
    policy.scrypt.p = quint32(number("scrypt_p", policy.scrypt.p));
    if (!policy.scrypt.isValid())
        policy.scrypt = ScryptParams();
    return policy;
}

static QHash<QString, qint64> policyValues(const SecurityPolicy &p)
{
    return {
        {QStringLiteral("min_password_length"), p.minPasswordLength},
        {QStringLiteral("max_failures"), p.maxFailures},
        {QStringLiteral("lockout_minutes"), p.lockoutMinutes},
        {QStringLiteral("idle_lock_minutes"), p.idleLockMinutes},
        {QStringLiteral("mfa_required_for_all"), p.mfaRequiredForAll},
        {QStringLiteral("step_up_approve"), p.stepUpApprove},
        {QStringLiteral("step_up_export"), p.stepUpExport},
        {QStringLiteral("step_up_users"), p.stepUpUsers},
        {QStringLiteral("step_up_minutes"), p.stepUpValidityMinutes},
        {QStringLiteral("scrypt_n"), qint64(p.scrypt.n)},
        {QStringLiteral("scrypt_r"), p.scrypt.r},
        {QStringLiteral("scrypt_p"), p.scrypt.p},
    };
}

static bool writePolicy(Database &db, const QHash<QString, qint64> &values, QString *errorMessage)
{
    Statement upsert = db.prepare("INSERT INTO security_settings (key, value) VALUES (?1, ?2) "
                                  "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                                  errorMessage);
    if (!upsert.isValid())
        return false;
    for (auto it = values.cbegin(); it != values.cend(); ++it) {
        upsert.reset();
        upsert.bind(1, it.key());
        upsert.bind(2, QString::number(it.value()));
        upsert.step();
        if (!upsert.error().isEmpty()) {
            if (errorMessage)
                *errorMessage = upsert.error();
            return false;
        }
    }
    return true;
}

bool saveSecurityPolicyUnchecked(Database &db, const SecurityPolicy &policy,
                                 QString *errorMessage)
{
    return writePolicy(db, policyValues(policy), errorMessage);
}

bool saveSecurityPolicy(Database &db, const Identity &who, const SecurityPolicy &policy,
                        QString *errorMessage)
{
    if (!checkPermission(who, Permission::ManageUsers, errorMessage)
        || !checkStepUp(db, who, SensitiveAction::ChangePolicy, errorMessage))
        return false;
    if (!policy.scrypt.isValid() || policy.minPasswordLength < 8 || policy.maxFailures < 1) {
        if (errorMessage)
            *errorMessage = tr("Invalid policy: scrypt N must be a power of two up to 2^22, the "
                               "minimum password length at least 8 and the failure limit at "
                               "least 1.");
        return false;
    }

    const QHash<QString, qint64> values = policyValues(policy);
    QJsonObject details;
    for (auto it = values.cbegin(); it != values.cend(); ++it)
        details.insert(it.key(), it.value());
    if (!db.begin(errorMessage))
        return false;
    if (!writePolicy(db, values, errorMessage)
        || !AuditLog(db).append(who, QStringLiteral("policy.change"), QStringLiteral("policy"),
                                details, errorMessage)) {
        db.rollback();
        return false;
    }
    return db.commit(errorMessage);
}

static const QSet<QString> &commonPasswords()
{
    static const QSet<QString> words = [] {
        initSecurityResources();
        QSet<QString> set;
        QFile file(QStringLiteral(":/portcullis/security/common-passwords.txt"));
        if (file.open(QIODevice::ReadOnly)) {
            while (!file.atEnd()) {
                const QString line = QString::fromUtf8(file.readLine()).trimmed();
                if (!line.isEmpty())
                    set.insert(line);
            }
        }
        return set;
    }();
    return words;
}

// The password without leading and trailing digits and punctuation, so that
// "Password2024!" reduces to "password".
static QString coreWord(const QString &lower)
{
    qsizetype begin = 0;
    qsizetype end = lower.size();
    while (begin < end && !lower.at(begin).isLetter())
        ++begin;
    while (end > begin && !lower.at(end - 1).isLetter())
        --end;
    return lower.mid(begin, end - begin);
}

static bool isRepetition(const QString &text, QString *unit)
{
    for (qsizetype length = 1; length <= text.size() / 2; ++length) {
        if (text.size() % length != 0)
            continue;
        const QString part = text.left(length);
        if (part.repeated(text.size() / length) == text) {
            *unit = part;
            return true;
        }
    }
    return false;
}

static bool isCommon(const QString &password)
{
    const QSet<QString> &words = commonPasswords();
    const QString lower = password.toLower();
    const QString core = coreWord(lower);
    QString unit;
    return words.contains(lower) || (core.size() >= 4 && words.contains(core))
        || (isRepetition(lower, &unit) && (unit.size() < 4 || words.contains(unit)));
}

bool checkPasswordStrength(const QString &password, const QString &userName,
                           const SecurityPolicy &policy, QString *errorMessage)
{
    const qsizetype length = password.toUcs4().size();
    QString problem;
    if (length < policy.minPasswordLength)
        problem = tr("The password has %1 characters; use at least %2.")
                      .arg(length)
                      .arg(policy.minPasswordLength);
    else if (isCommon(password))
        problem = tr("The password is, or is built on, a commonly used password; choose "
                     "another, for example several unrelated words.");
    else if (!userName.isEmpty() && password.toLower().contains(userName.toLower()))
        problem = tr("The password contains the user name; choose another.");
    if (problem.isEmpty())
        return true;
    if (errorMessage)
        *errorMessage = problem;
    return false;
}

bool checkStepUp(Database &db, const Identity &who, SensitiveAction action,
                 QString *errorMessage)
{
    if (who.isDemo)
        return true;
    if (!loadSecurityPolicy(db).requiresStepUp(action))
        return true;
    if (who.isValid() && stepup::grantedUntil(who.userId) > crypto::nowMs())
        return true;
    if (errorMessage)
        *errorMessage = tr("This action needs a fresh confirmation: enter your password or a "
                           "current authentication code again, then retry.");
    return false;
}

namespace stepup {

static QMutex grantsMutex;
static QHash<qint64, qint64> grants;

void grant(qint64 userId, qint64 untilMs)
{
    QMutexLocker lock(&grantsMutex);
    grants.insert(userId, untilMs);
}

qint64 grantedUntil(qint64 userId)
{
    QMutexLocker lock(&grantsMutex);
    return grants.value(userId, 0);
}

void revoke(qint64 userId)
{
    QMutexLocker lock(&grantsMutex);
    grants.remove(userId);
}

} // namespace stepup

} // namespace portcullis
