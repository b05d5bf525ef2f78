// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "security/identity.h"

#include <QVector>

namespace portcullis {

class Database;

struct ApiTokenInfo
{
    qint64 id = 0;
    QString userName;
    QString name;
    QSet<Role> roles;
    qint64 createdMs = 0;
    qint64 expiresMs = 0;  // 0: no expiry
    qint64 revokedMs = 0;  // 0: active
    qint64 lastUsedMs = 0;
};

// Per-user API tokens for the CLI and scripts. A token is 32 random bytes,
// shown once as "pct_" and base64url; only its SHA-256 is stored. It acts
// with at most the roles it was created for, which must be the user's own.
class ApiTokenService
{
public:
    explicit ApiTokenService(Database &db);

    // Every token expires: `validDays` runs from 1 to this maximum.
    static constexpr int maxValidDays = 366;

    // Returns the token text, or an empty string with errorMessage set, also
    // when `validDays` is outside 1 to maxValidDays.
    QString create(const Identity &who, const QString &name, const QSet<Role> &roles,
                   int validDays, qint64 *tokenId, QString *errorMessage);
    // The owner or an administrator (Permission::ManageUsers) may revoke.
    bool revoke(const Identity &who, qint64 tokenId, QString *errorMessage);
    // The caller's tokens; with Permission::ManageUsers, every user's.
    QVector<ApiTokenInfo> list(const Identity &who, QString *errorMessage) const;

private:
    Database &m_db;
};

} // namespace portcullis
