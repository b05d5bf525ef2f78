// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "security/securitypolicy.h"

class QWidget;

namespace portcullis {

class Database;

// Asks the signed-in user for their password or a current code before a
// destructive action, and grants a short-lived step-up when it is right.
// Returns true at once when the policy needs no step-up or a grant is fresh.
bool confirmStepUp(Database &db, const Identity &who, SensitiveAction action, QWidget *parent);

} // namespace portcullis
