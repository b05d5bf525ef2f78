// SPDX-License-Identifier: GPL-3.0-or-later
// portcullis-cli users ... and portcullis-cli whoami
#include "commands.h"
#include "terminaltext.h"
#include "signin.h"

#include "security/accounts.h"
#include "security/securitypolicy.h"
#include "store/database.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>

namespace portcullis::cli {

static QString tr(const char *text)
{
    return QCoreApplication::translate("cli", text);
}

static int deniedOrFailed(const Identity &who, const QString &error)
{
    err() << error << '\n';
    return hasPermission(who, Permission::ManageUsers) ? ExitFailure : ExitPermissionDenied;
}

static int listUsers(AccountService &accounts, const Identity &who)
{
    QString error;
    const QVector<UserInfo> users = accounts.listUsers(who, &error);
    if (!error.isEmpty())
        return deniedOrFailed(who, error);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (const UserInfo &user : users) {
        QStringList flags;
        flags << (user.mfaEnrolled ? tr("mfa (%1 recovery codes)").arg(user.recoveryCodesLeft)
                                   : tr("no mfa"));
        if (user.disabled)
            flags << tr("disabled");
        if (user.lockedUntilMs > now)
            flags << tr("locked");
        out() << terminalText(user.name).leftJustified(20) << "  " << rolesToText(user.roles).leftJustified(40)
              << "  " << flags.join(QStringLiteral(", ")) << '\n';
    }
    return ExitOk;
}

static int changeUser(AccountService &accounts, const Identity &who, const QString &action,
                      const QStringList &args, const QCommandLineParser &parser)
{
    const QString name = args.value(1);
    if (name.isEmpty()) {
        err() << tr("users %1 needs a user name.\n").arg(action);
        return ExitUsage;
    }
    if (!hasPermission(who, Permission::ManageUsers)) {
        QString error;
        checkPermission(who, Permission::ManageUsers, &error);
        return deniedOrFailed(who, error);
    }
    QString error;
    QSet<Role> roles;
    if ((action == QLatin1String("add") || action == QLatin1String("roles"))
        && !rolesFromText(parser.value(QStringLiteral("roles")) + QLatin1Char(',')
                              + args.value(2),
                          &roles, &error)) {
        err() << error << '\n';
        return ExitUsage;
    }

    bool ok = false;
    if (action == QLatin1String("add")) {
        const QString password = promptNewPassword(name);
        ok = !password.isEmpty() && accounts.addUser(who, name, password, roles, &error);
    } else if (action == QLatin1String("roles")) {
        ok = accounts.setRoles(who, name, roles, &error);
    } else if (action == QLatin1String("disable") || action == QLatin1String("enable")) {
        ok = accounts.setDisabled(who, name, action == QLatin1String("disable"), &error);
    } else if (action == QLatin1String("reset-mfa")) {
        ok = accounts.resetMfa(who, name, &error);
    } else if (action == QLatin1String("reset-password")) {
        const QString password = promptNewPassword(name);
        ok = !password.isEmpty() && accounts.resetPassword(who, name, password, &error);
    }
    if (!ok) {
        if (!error.isEmpty())
            err() << error << '\n';
        return ExitFailure;
    }
    out() << tr("Done: users %1 %2.\n").arg(action, terminalText(name));
    return ExitOk;
}

// Applies KEY=VALUE settings; the engine checks the permission and step-up.
static int setPolicy(Database &db, const Identity &who, const QStringList &settings)
{
    SecurityPolicy p = loadSecurityPolicy(db);
    const QHash<QString, int *> numbers = {
        {QStringLiteral("min_password_length"), &p.minPasswordLength},
        {QStringLiteral("max_failures"), &p.maxFailures},
        {QStringLiteral("lockout_minutes"), &p.lockoutMinutes},
        {QStringLiteral("idle_lock_minutes"), &p.idleLockMinutes},
        {QStringLiteral("step_up_minutes"), &p.stepUpValidityMinutes},
    };
    const QHash<QString, bool *> flags = {
        {QStringLiteral("mfa_required_for_all"), &p.mfaRequiredForAll},
        {QStringLiteral("step_up_approve"), &p.stepUpApprove},
        {QStringLiteral("step_up_export"), &p.stepUpExport},
        {QStringLiteral("step_up_users"), &p.stepUpUsers},
    };
    for (const QString &setting : settings) {
        const QString key = setting.section(QLatin1Char('='), 0, 0);
        bool ok = false;
        const qint64 value = setting.section(QLatin1Char('='), 1).toLongLong(&ok);
        if (ok && numbers.contains(key))
            *numbers.value(key) = int(value);
        else if (ok && flags.contains(key))
            *flags.value(key) = value != 0;
        else if (ok && key == QLatin1String("scrypt_n"))
            p.scrypt.n = quint64(value);
        else if (ok && key == QLatin1String("scrypt_r"))
            p.scrypt.r = quint32(value);
        else if (ok && key == QLatin1String("scrypt_p"))
            p.scrypt.p = quint32(value);
        else {
            err() << tr("Invalid setting '%1': use KEY=NUMBER with a key that "
                        "'portcullis-cli users policy' prints.\n")
                         .arg(setting);
            return ExitUsage;
        }
    }
    QString error;
    if (!saveSecurityPolicy(db, who, p, &error))
        return deniedOrFailed(who, error);
    out() << tr("Policy updated.\n");
    return ExitOk;
}

static int showPolicy(Database &db)
{
    const SecurityPolicy p = loadSecurityPolicy(db);
    out() << "min_password_length " << p.minPasswordLength << '\n'
          << "max_failures " << p.maxFailures << '\n'
          << "lockout_minutes " << p.lockoutMinutes << '\n'
          << "idle_lock_minutes " << p.idleLockMinutes << '\n'
          << "mfa_required_for_all " << p.mfaRequiredForAll << '\n'
          << "step_up_approve " << p.stepUpApprove << '\n'
          << "step_up_export " << p.stepUpExport << '\n'
          << "step_up_users " << p.stepUpUsers << '\n'
          << "step_up_minutes " << p.stepUpValidityMinutes << '\n'
          << "scrypt_n " << p.scrypt.n << '\n'
          << "scrypt_r " << p.scrypt.r << '\n'
          << "scrypt_p " << p.scrypt.p << '\n';
    return ExitOk;
}

int runUsers(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Manage console users (administrators), or enrol your own authenticator.\n"
           "  list                      users, roles and MFA state\n"
           "  add NAME ROLES            add a user; reads the password twice\n"
           "  roles NAME ROLES          replace a user's roles (comma-separated)\n"
           "  disable NAME | enable NAME\n"
           "  reset-mfa NAME            remove the authenticator; they enrol again\n"
           "  reset-password NAME       set a new password; reads it twice\n"
           "  enrol-mfa                 enrol an authenticator for yourself\n"
           "  policy                    show the security policy\n"
           "  policy --set KEY=VALUE    change it (repeat --set for several keys)\n"
           "Roles: analyst, responder, compliance_officer, administrator."));
    addDatabaseOptions(parser);
    parser.addPositionalArgument(QStringLiteral("action"), tr("What to do (see above)."));
    parser.addOption({QStringLiteral("roles"), tr("Roles, comma-separated."),
                      QStringLiteral("ROLES")});
    parser.addOption({QStringLiteral("set"), tr("policy: a setting to change, KEY=VALUE."),
                      QStringLiteral("KEY=VALUE")});
    int exitCode = ExitOk;
    if (!parseCommandLine(parser, arguments, &exitCode))
        return exitCode;
    const QStringList args = parser.positionalArguments();
    const QString action = args.value(0);
    static const QStringList known = {
        QStringLiteral("list"),      QStringLiteral("add"),       QStringLiteral("roles"),
        QStringLiteral("disable"),   QStringLiteral("enable"),    QStringLiteral("reset-mfa"),
        QStringLiteral("reset-password"), QStringLiteral("enrol-mfa"), QStringLiteral("policy"),
    };
    if (!known.contains(action)) {
        err() << tr("Unknown users action '%1'; run 'portcullis-cli users --help'.\n")
                     .arg(action);
        return ExitUsage;
    }

    Database db;
    if (!openDatabase(db, parser))
        return ExitFailure;
    Identity who;
    const bool enrol = action == QLatin1String("enrol-mfa");
    if (!(enrol ? signInForEnrolment(db, parser, &who, &exitCode)
                : signIn(db, parser, &who, &exitCode)))
        return exitCode;

    AccountService accounts(db);
    if (enrol)
        return enrolTotpInteractively(accounts, who) ? ExitOk : ExitFailure;
    if (action == QLatin1String("list"))
        return listUsers(accounts, who);
    if (action == QLatin1String("policy") && parser.isSet(QStringLiteral("set")))
        return setPolicy(db, who, parser.values(QStringLiteral("set")));
    if (action == QLatin1String("policy"))
        return showPolicy(db);
    return changeUser(accounts, who, action, args, parser);
}

// Prints the signed-in identity; with --require, exits 4 unless it has the
// permission, through the same engine check every command uses.
int runWhoami(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(tr("Sign in and print the user, roles and permissions."));
    addDatabaseOptions(parser);
    parser.addOption({QStringLiteral("require"),
                      tr("Exit with code 4 unless the identity holds PERMISSION "
                         "(e.g. approve_playbook_steps)."),
                      QStringLiteral("PERMISSION")});
    int exitCode = ExitOk;
    if (!parseCommandLine(parser, arguments, &exitCode))
        return exitCode;
    Database db;
    if (!openDatabase(db, parser))
        return ExitFailure;
    Identity who;
    if (!signIn(db, parser, &who, &exitCode))
        return exitCode;

    out() << tr("user: %1\nroles: %2\n").arg(who.userName, rolesToText(who.effectiveRoles()));
    QStringList granted;
    const QString required = parser.value(QStringLiteral("require"));
    bool requiredKnown = required.isEmpty();
    for (int i = 0; i <= static_cast<int>(Permission::ManageConnections); ++i) {
        const auto permission = static_cast<Permission>(i);
        if (permissionName(permission) == required) {
            requiredKnown = true;
            QString error;
            if (!checkPermission(who, permission, &error)) {
                err() << error << '\n';
                return ExitPermissionDenied;
            }
        }
        if (hasPermission(who, permission))
            granted << permissionName(permission);
    }
    if (!requiredKnown) {
        err() << tr("Unknown permission '%1'.\n").arg(required);
        return ExitUsage;
    }
    out() << tr("permissions: %1\n").arg(granted.join(QStringLiteral(", ")));
    return ExitOk;
}

} // namespace portcullis::cli
