// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "security/identity.h"

#include <QString>

#include <optional>

namespace portcullis {

struct ConsoleSignIn
{
    enum Outcome { SignedIn, Cancelled, Failed };
    Outcome outcome = Failed;
    std::optional<Identity> identity; // set when SignedIn
    QString errorMessage;             // set when Failed
};

// Opens the console database and signs a user in: the first-run set-up when
// it has no user yet (it creates the administrator), else the login dialog.
ConsoleSignIn signInToConsole(const QString &databasePath);

} // namespace portcullis
