// SPDX-License-Identifier: GPL-3.0-or-later
#include "security/identity.h"

#include <QCoreApplication>

namespace portcullis {

QString roleName(Role role)
{
    switch (role) {
    case Role::Analyst:
        return QStringLiteral("analyst");
    case Role::Responder:
        return QStringLiteral("responder");
    case Role::ComplianceOfficer:
        return QStringLiteral("compliance_officer");
    case Role::Administrator:
        return QStringLiteral("administrator");
    }
    return QString();
}

bool roleFromName(QStringView name, Role *role)
{
    for (int i = 0; i <= static_cast<int>(Role::Administrator); ++i) {
        const auto candidate = static_cast<Role>(i);
        if (name.compare(roleName(candidate), Qt::CaseInsensitive) == 0) {
            *role = candidate;
            return true;
        }
    }
    return false;
}

QString permissionName(Permission permission)
{
    switch (permission) {
    case Permission::ViewAlerts:
        return QStringLiteral("view_alerts");
    case Permission::TriageAlerts:
        return QStringLiteral("triage_alerts");
    case Permission::ImportLogs:
        return QStringLiteral("import_logs");
    case Permission::ManageRules:
        return QStringLiteral("manage_rules");
    case Permission::RunPlaybooks:
        return QStringLiteral("run_playbooks");
    case Permission::ApprovePlaybookSteps:
        return QStringLiteral("approve_playbook_steps");
    case Permission::ViewEvidence:
        return QStringLiteral("view_evidence");
    case Permission::ExportEvidence:
        return QStringLiteral("export_evidence");
    case Permission::ViewAudit:
        return QStringLiteral("view_audit");
    case Permission::ManageUsers:
        return QStringLiteral("manage_users");
    case Permission::ManageConnections:
        return QStringLiteral("manage_connections");
    }
    return QString();
}

QSet<Role> Identity::effectiveRoles() const
{
    if (tokenRoles.isEmpty())
        return roles;
    return roles & tokenRoles;
}

// The role-to-permission table. Administrators manage the console but do not
// triage or run playbooks unless they also hold those roles.
static bool roleGrants(Role role, Permission permission)
{
    switch (role) {
    case Role::Analyst:
        return permission == Permission::ViewAlerts || permission == Permission::TriageAlerts
            || permission == Permission::ImportLogs;
    case Role::Responder:
        return permission == Permission::ViewAlerts || permission == Permission::TriageAlerts
            || permission == Permission::RunPlaybooks
            || permission == Permission::ApprovePlaybookSteps;
    case Role::ComplianceOfficer:
        return permission == Permission::ViewEvidence || permission == Permission::ExportEvidence
            || permission == Permission::ViewAudit || permission == Permission::ViewAlerts;
    case Role::Administrator:
        return permission == Permission::ManageUsers || permission == Permission::ManageRules
            || permission == Permission::ManageConnections || permission == Permission::ViewAudit
            || permission == Permission::ViewAlerts || permission == Permission::ImportLogs;
    }
    return false;
}

bool hasPermission(const Identity &identity, Permission permission)
{
    if (!identity.isValid())
        return false;
    const QSet<Role> roles = identity.effectiveRoles();
    for (Role role : roles) {
        if (roleGrants(role, permission))
            return true;
    }
    return false;
}

Identity identityForTesting(const QString &userName, const QSet<Role> &roles, qint64 userId)
{
    Identity identity;
    identity.userId = userId;
    identity.userName = userName;
    identity.roles = roles;
    return identity;
}

bool checkPermission(const Identity &identity, Permission permission, QString *errorMessage)
{
    if (hasPermission(identity, permission))
        return true;
    if (errorMessage) {
        *errorMessage = identity.isValid()
            ? QCoreApplication::translate("portcullis::Permissions",
                                          "User %1 lacks the %2 permission; ask an administrator "
                                          "for a role that grants it.")
                  .arg(identity.userName, permissionName(permission))
            : QCoreApplication::translate("portcullis::Permissions",
                                          "Not signed in: sign in to %1.")
                  .arg(permissionName(permission));
    }
    return false;
}

} // namespace portcullis
