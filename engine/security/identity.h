// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QSet>
#include <QString>

namespace portcullis {

enum class Role : quint8 { Analyst, Responder, ComplianceOfficer, Administrator };

// Actions an engine call may take. Every engine call that changes state or reveals
// evidence takes an Identity and checks one of these before it acts.
enum class Permission : quint8 {
    ViewAlerts,      // list alerts and read their evidence events
    TriageAlerts,    // acknowledge, assign, close, reopen
    ImportLogs,      // import files into the console's store
    ManageRules,
    RunPlaybooks,
    ApprovePlaybookSteps,
    ViewEvidence,
    ExportEvidence,
    ViewAudit,
    ManageUsers,
    ManageConnections,
};

QString roleName(Role role);  // "analyst", "responder", "compliance_officer", "administrator"
bool roleFromName(QStringView name, Role *role);
QString permissionName(Permission permission);

// The acting user of an engine call. Only the security module creates
// identities for real users (after authentication); tests and the demo use
// the factory functions below.
struct Identity
{
    qint64 userId = 0;
    QString userName;
    QSet<Role> roles;
    // Roles an API token is limited to; empty means the user's own roles.
    QSet<Role> tokenRoles;
    bool isDemo = false;

    bool isValid() const { return userId > 0 && !userName.isEmpty(); }
    QSet<Role> effectiveRoles() const;
};

bool hasPermission(const Identity &identity, Permission permission);

// An identity for unit tests of other engine parts, which need an actor
// but no account. Never used by the executables.
Identity identityForTesting(const QString &userName, const QSet<Role> &roles, qint64 userId = 1);

// Returns true when the identity has the permission; otherwise fills
// `errorMessage` with a sentence naming the user and the missing permission.
bool checkPermission(const Identity &identity, Permission permission, QString *errorMessage);

} // namespace portcullis

inline size_t qHash(portcullis::Role role, size_t seed = 0) noexcept
{
    return ::qHash(static_cast<int>(role), seed);
}
