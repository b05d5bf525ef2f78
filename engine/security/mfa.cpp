// SPDX-License-Identifier: GPL-3.0-or-later
// TOTP enrolment and recovery codes (the rest of AccountService is in
// accounts.cpp).
#include "security/accounts.h"

#include "security/auditlog.h"
#include "security/cryptoutil.h"
#include "security/totp.h"
#include "store/database.h"

#include <QCoreApplication>

namespace portcullis {

static constexpr int recoveryCodeCount = 10;
static constexpr int totpKeySize = 20; // 160 bits, as RFC 4226 recommends

static QString tr(const char *text)
{
    return QCoreApplication::translate("portcullis::AccountService", text);
}

QByteArray hashRecoveryCode(qint64 userId, const QString &code)
{
    QString normalized = code.trimmed().toLower();
    normalized.remove(QLatin1Char('-'));
    normalized.remove(QLatin1Char(' '));
    return crypto::sha256(QByteArray::number(userId) + ':' + normalized.toUtf8());
}

// A code of 12 base32 characters (60 bits), shown as three groups of four.
static QString newRecoveryCode()
{
    const QString text = totp::base32Encode(crypto::randomBytes(8)).left(12).toLower();
    return text.mid(0, 4) + QLatin1Char('-') + text.mid(4, 4) + QLatin1Char('-') + text.mid(8, 4);
}

TotpEnrolment AccountService::beginTotpEnrolment(const Identity &who) const
{
    TotpEnrolment enrolment;
    enrolment.key = crypto::randomBytes(totpKeySize);
    enrolment.base32Key = totp::base32Encode(enrolment.key);
    enrolment.uri = totp::provisioningUri(QStringLiteral("Portcullis"), who.userName,
                                          enrolment.key);
    enrolment.qr = encodeQr(enrolment.uri.toUtf8());
    return enrolment;
}

static bool storeRecoveryCodes(Database &db, qint64 userId, QStringList *codes,
                               QString *errorMessage)
{
    Statement remove = db.prepare("DELETE FROM recovery_codes WHERE user_id = ?1", errorMessage);
    remove.bind(1, userId);
    remove.step();
    Statement insert = db.prepare("INSERT INTO recovery_codes (user_id, code_hash) VALUES (?1, ?2)",
                                  errorMessage);
    codes->clear();
    for (int i = 0; i < recoveryCodeCount; ++i) {
        const QString code = newRecoveryCode();
        insert.reset();
        insert.bind(1, userId);
        insert.bind(2, hashRecoveryCode(userId, code));
        insert.step();
        if (!insert.error().isEmpty()) {
            if (errorMessage)
                *errorMessage = insert.error();
            return false;
        }
        codes->append(code);
    }
    return remove.error().isEmpty();
}

bool AccountService::confirmTotpEnrolment(const Identity &who, const TotpEnrolment &enrolment,
                                          const QString &code, QStringList *recoveryCodes,
                                          QString *errorMessage)
{
    if (!who.isValid() || who.isDemo || !who.tokenRoles.isEmpty()) {
        if (errorMessage)
            *errorMessage = tr("Sign in with a password to enrol an authenticator.");
        return false;
    }
    const qint64 now = crypto::nowMs() / 1000;
    const std::optional<qint64> step = totp::verify(enrolment.key, code, now, 0);
    if (!step) {
        if (errorMessage)
            *errorMessage = tr("The code does not match the key. Check the device clock and "
                               "enter the code the authenticator shows now.");
        return false;
    }

    if (!m_db.begin(errorMessage))
        return false;
    Statement update = m_db.prepare("UPDATE users SET totp_secret = ?2, totp_enrolled = 1, "
                                    "totp_last_step = ?3 WHERE id = ?1",
                                    errorMessage);
    update.bind(1, who.userId);
    update.bind(2, enrolment.key);
    update.bind(3, *step);
    update.step();
    if (!update.error().isEmpty() || !storeRecoveryCodes(m_db, who.userId, recoveryCodes,
                                                         errorMessage)
        || !AuditLog(m_db).append(who, QStringLiteral("user.mfa_enrol"),
                                  QStringLiteral("user:") + who.userName, QJsonObject(),
                                  errorMessage)) {
        m_db.rollback();
        recoveryCodes->clear();
        return false;
    }
    return m_db.commit(errorMessage);
}

bool AccountService::isMfaEnrolled(qint64 userId) const
{
    Statement query = m_db.prepare("SELECT totp_enrolled FROM users WHERE id = ?1");
    query.bind(1, userId);
    return query.step() && query.columnInt(0) != 0;
}

} // namespace portcullis
