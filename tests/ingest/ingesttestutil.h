// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "security/identity.h"

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

} // namespace portcullis::testing
