// SPDX-License-Identifier: GPL-3.0-or-later
#include "consolesignin.h"

#include "security/signininteractive.h"
#include "store/database.h"

namespace portcullis {

ConsoleSignIn signInToConsole(const QString &databasePath)
{
    ConsoleSignIn result;
    Database db;
    if (!db.open(databasePath, &result.errorMessage))
        return result;

    result.identity = signInInteractive(db, nullptr);
    result.outcome = result.identity ? ConsoleSignIn::SignedIn : ConsoleSignIn::Cancelled;
    return result;
}

} // namespace portcullis
