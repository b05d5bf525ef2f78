// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "detect/suppressionservice.h"
#include "security/identity.h"
#include "store/store.h"

namespace portcullis::testing {

// An identity as the security module would create it for a signed-in user.
inline Identity identityWith(Role role, const QString &name = QStringLiteral("alice"))
{
    Identity identity;
    identity.userId = 1;
    identity.userName = name;
    identity.roles = { role };
    return identity;
}

// Creates the console database at `databasePath` with one active suppression
// of `ruleId`'s alerts, added by an administrator. Returns false with
// `errorMessage` set when the database or the entry cannot be written.
inline bool writeRuleSuppression(
    const QString &databasePath, const QString &ruleId, QString *errorMessage)
{
    Store store;
    if (!store.open(databasePath, errorMessage))
        return false;
    Suppression entry;
    entry.kind = SuppressionKind::Rule;
    entry.value = ruleId;
    entry.reason = QStringLiteral("Honeypot host");
    return SuppressionService(store.database())
        .add(identityWith(Role::Administrator), entry, errorMessage)
        .has_value();
}

} // namespace portcullis::testing
