// SPDX-License-Identifier: GPL-3.0-or-later
// Shared set-up for the security tests: a real SQLite file in a temporary
// folder, fast scrypt parameters, and users created through the engine.
#pragma once

#include "security/accounts.h"
#include "security/cryptoutil.h"
#include "security/securitypolicy.h"
#include "security/totp.h"
#include "store/database.h"

#include <QDateTime>
#include <QTemporaryDir>
#include <QTest>

namespace portcullis::testutil {

inline const QString strongPassword = QStringLiteral("violet tractor harbour 42");

// Opens `dir/name` and lowers the scrypt cost so that tests run quickly; the
// scrypt tests use the default cost.
inline bool openFastDatabase(Database &db, const QTemporaryDir &dir,
                             const QString &name = QStringLiteral("console.db"))
{
    QString error;
    if (!db.open(dir.filePath(name), &error)) {
        qWarning("open failed: %s", qPrintable(error));
        return false;
    }
    SecurityPolicy policy = loadSecurityPolicy(db);
    policy.scrypt = ScryptParams{1 << 10, 8, 1};
    return saveSecurityPolicyUnchecked(db, policy, &error);
}

// Creates the first administrator, enrolled in TOTP; returns the TOTP key.
inline QByteArray createAdmin(Database &db, const QString &name, Identity *admin,
                              QStringList *recoveryCodes = nullptr)
{
    AccountService accounts(db);
    QString error;
    const std::optional<Identity> created =
        accounts.createFirstAdministrator(name, strongPassword, &error);
    if (!created)
        return QByteArray();
    *admin = *created;
    const TotpEnrolment enrolment = accounts.beginTotpEnrolment(*admin);
    QStringList codes;
    const QString code = totp::code(enrolment.key, crypto::nowMs() / 1000);
    if (!accounts.confirmTotpEnrolment(*admin, enrolment, code, &codes, &error))
        return QByteArray();
    if (recoveryCodes)
        *recoveryCodes = codes;
    return enrolment.key;
}

// Moves the test clock to the next TOTP step, so that a new code is accepted.
inline void nextTotpStep()
{
    const qint64 offset = crypto::nowMs() - QDateTime::currentMSecsSinceEpoch();
    crypto::setClockOffsetForTesting(offset + totp::stepSeconds * 1000);
}

inline QString currentCode(const QByteArray &key)
{
    return totp::code(key, crypto::nowMs() / 1000);
}

} // namespace portcullis::testutil
