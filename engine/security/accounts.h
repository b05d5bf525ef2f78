// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "security/identity.h"
#include "security/qrcode.h"

#include <QJsonObject>
#include <QStringList>
#include <QVector>

#include <functional>
#include <optional>

namespace portcullis {

class Database;

struct UserInfo
{
    qint64 id = 0;
    QString name;
    QSet<Role> roles;
    bool disabled = false;
    bool mfaEnrolled = false;
    int recoveryCodesLeft = 0;
    qint64 createdMs = 0;
    qint64 lockedUntilMs = 0;
};

// A TOTP key offered to the user before they confirm it with a first code.
// The key is secret: show it once and never log it.
struct TotpEnrolment
{
    QByteArray key; // 20 random bytes
    QString base32Key;
    QString uri;    // otpauth://totp/...
    QrMatrix qr;
};

// Console accounts: the first administrator, users and roles, MFA enrolment
// and recovery codes. Calls that change another user need
// Permission::ManageUsers and a step-up; each change is audited.
class AccountService
{
public:
    explicit AccountService(Database &db);

    bool hasUsers() const;

    // First run only: creates the administrator when no user exists yet.
    std::optional<Identity> createFirstAdministrator(const QString &name, const QString &password,
                                                     QString *errorMessage);

    bool addUser(const Identity &who, const QString &name, const QString &password,
                 const QSet<Role> &roles, QString *errorMessage);
    QVector<UserInfo> listUsers(const Identity &who, QString *errorMessage) const;
    bool setRoles(const Identity &who, const QString &name, const QSet<Role> &roles,
                  QString *errorMessage);
    bool setDisabled(const Identity &who, const QString &name, bool disabled,
                     QString *errorMessage);
    // Removes the user's TOTP key and recovery codes; they enrol again at the
    // next sign-in.
    bool resetMfa(const Identity &who, const QString &name, QString *errorMessage);
    bool resetPassword(const Identity &who, const QString &name, const QString &newPassword,
                       QString *errorMessage);
    bool changeOwnPassword(const Identity &who, const QString &currentPassword,
                           const QString &newPassword, QString *errorMessage);

    // MFA for the signed-in user's own account.
    TotpEnrolment beginTotpEnrolment(const Identity &who) const;
    // Stores the key once `code` proves the authenticator has it, and returns
    // ten new single-use recovery codes (stored hashed; shown once).
    bool confirmTotpEnrolment(const Identity &who, const TotpEnrolment &enrolment,
                              const QString &code, QStringList *recoveryCodes,
                              QString *errorMessage);
    bool isMfaEnrolled(qint64 userId) const;

    // Creates the demo administrator on a throw-away database (":memory:" or
    // a file under the temporary folder); refuses any other database.
    std::optional<Identity> demoIdentity(QString *errorMessage);

    // Loads the identity of an existing, enabled user (after authentication).
    std::optional<Identity> loadIdentity(qint64 userId) const;

private:
    bool changeUser(const Identity &who, const QString &name, const QString &action,
                    const QJsonObject &details, const std::function<bool(qint64)> &apply,
                    QString *errorMessage);
    qint64 userIdByName(const QString &name) const;
    bool insertUser(const QString &name, const QString &password, const QSet<Role> &roles,
                    qint64 *userId, QString *errorMessage);
    bool writeRoles(qint64 userId, const QSet<Role> &roles, QString *errorMessage);

    Database &m_db;
};

// SHA-256 of the user id and the normalized code (lower case, no dashes).
QByteArray hashRecoveryCode(qint64 userId, const QString &code);
// "analyst,responder" and back; unknown names are an error.
QString rolesToText(const QSet<Role> &roles);
bool rolesFromText(const QString &text, QSet<Role> *roles, QString *errorMessage);

} // namespace portcullis
