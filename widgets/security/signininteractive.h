// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "security/identity.h"

#include <optional>

class QWidget;

namespace portcullis {

class Database;

// Signs a user in to the GUI: the first-run set-up when the database has no
// user yet, else the login dialog. Nothing when the user cancels.
std::optional<Identity> signInInteractive(Database &db, QWidget *parent);

// The demo administrator, for `portcullis --demo` on a throw-away database
// only (":memory:" or a file under the temporary folder).
std::optional<Identity> signInDemo(Database &db, QString *errorMessage);

} // namespace portcullis
