// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "security/identity.h"
#include "security/passwordhash.h"

#include <QString>

namespace portcullis {

class Database;

// Actions that need a fresh password or code (step-up) before they run.
enum class SensitiveAction : quint8 {
    ApprovePlaybookStep,
    ExportEvidence,
    ChangeUsers,
    ChangePolicy,
};

// The console's security settings, stored in `security_settings`. Defaults
// are the values below.
struct SecurityPolicy
{
    int minPasswordLength = 12;
    int maxFailures = 5;          // failed sign-ins before a lockout
    int lockoutMinutes = 15;
    int idleLockMinutes = 15;     // GUI idle lock; 0 turns it off
    bool mfaRequiredForAll = false; // otherwise only responders and administrators
    bool stepUpApprove = true;    // step-up before approving a playbook step
    bool stepUpExport = true;     // ... before exporting evidence
    bool stepUpUsers = true;      // ... before changing users or the policy
    int stepUpValidityMinutes = 5;
    ScryptParams scrypt;

    bool requiresStepUp(SensitiveAction action) const;
    bool requiresMfa(const QSet<Role> &roles) const;
};

SecurityPolicy loadSecurityPolicy(Database &db);
// Stores the policy; needs Permission::ManageUsers and a step-up, and audits
// the change as "policy.change".
bool saveSecurityPolicy(Database &db, const Identity &who, const SecurityPolicy &policy,
                        QString *errorMessage);
// Stores the policy without a check, for first-run set-up and tests.
bool saveSecurityPolicyUnchecked(Database &db, const SecurityPolicy &policy,
                                 QString *errorMessage);

// Checks a new password against the policy: its length in characters, the
// bundled list of common passwords, and the user's own name.
bool checkPasswordStrength(const QString &password, const QString &userName,
                           const SecurityPolicy &policy, QString *errorMessage);

// Returns true when the identity holds a step-up grant still valid for the
// action, or when the policy needs none. Otherwise fills errorMessage.
bool checkStepUp(Database &db, const Identity &who, SensitiveAction action,
                 QString *errorMessage);

} // namespace portcullis
