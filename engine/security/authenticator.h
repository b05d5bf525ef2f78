// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "security/identity.h"

#include <QString>

#include <optional>

namespace portcullis {

class Database;

enum class SignInStatus : quint8 {
    Success,
    SecondFactorRequired, // password right; ask for a TOTP or recovery code
    InvalidCredentials,   // wrong name, password or code (the message does not say which)
    LockedOut,            // too many failures; no password is checked until the lock ends
    PasswordMissing,      // empty password; rejected unchecked and not counted as a failure
};

struct SignInResult
{
    SignInStatus status = SignInStatus::InvalidCredentials;
    Identity identity;               // valid only on Success
    bool mfaEnrolmentRequired = false; // the role needs MFA and none is enrolled yet
    bool usedRecoveryCode = false;
    int recoveryCodesLeft = 0;
    qint64 lockedUntilMs = 0;
    QString message;                 // for the user; names no secret
};

// Password, TOTP, recovery-code and API-token sign-in with lockout, plus
// step-up re-authentication. Every attempt is audited.
class Authenticator
{
public:
    explicit Authenticator(Database &db);

    // Checks the password, then (when the user has enrolled) the second
    // factor: a 6-digit TOTP code or a recovery code. Call it first with an
    // empty `secondFactor`; on SecondFactorRequired call it again with all
    // three. `method` names the client in the audit record ("gui", "cli").
    SignInResult signIn(const QString &userName, const QString &password,
                        const QString &secondFactor, const QString &method);

    // Signs in with an API token; the identity's tokenRoles limit it.
    std::optional<Identity> signInWithToken(const QString &token, QString *errorMessage);

    // Re-authenticates the signed-in user with their password or a current
    // TOTP code and grants a step-up for the policy's validity (in this
    // process only). Failures count toward the lockout.
    bool stepUp(const Identity &who, const QString &passwordOrCode, QString *errorMessage);

private:
    Database &m_db;
};

} // namespace portcullis
