// SPDX-License-Identifier: GPL-3.0-or-later
// portcullis-cli token create|list|revoke
#include "commands.h"
#include "terminaltext.h"
#include "signin.h"

#include "security/accounts.h"
#include "security/apitokens.h"
#include "store/database.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QSaveFile>

namespace portcullis::cli {

static QString tr(const char *text)
{
    return QCoreApplication::translate("cli", text);
}

static QString timeText(qint64 ms)
{
    return ms ? QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODate)
              : QStringLiteral("-");
}

static bool writePrivateFile(const QString &path, const QByteArray &data)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return false;
    file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    file.write(data);
    return file.commit();
}

static int createToken(Database &db, const Identity &who, const QCommandLineParser &parser)
{
    QSet<Role> roles;
    QString error;
    if (!rolesFromText(parser.value(QStringLiteral("roles")), &roles, &error)) {
        err() << error << '\n';
        return ExitUsage;
    }
    bool daysOk = false;
    const int days = parser.value(QStringLiteral("days")).toInt(&daysOk);
    if (!daysOk || days < 1 || days > ApiTokenService::maxValidDays) {
        err() << tr("--days is '%1'; give a whole number of days from 1 to %2.\n")
                     .arg(parser.value(QStringLiteral("days")))
                     .arg(ApiTokenService::maxValidDays);
        return ExitUsage;
    }
    qint64 id = 0;
    const QString token = ApiTokenService(db).create(who, parser.value(QStringLiteral("name")),
                                                     roles, days, &id, &error);
    if (token.isEmpty()) {
        err() << error << '\n';
        return ExitPermissionDenied;
    }
    const QString output = parser.value(QStringLiteral("output"));
    if (!output.isEmpty()) {
        if (!writePrivateFile(output, token.toUtf8() + '\n')) {
            err() << tr("Cannot write %1; revoke token %2 and try again.\n").arg(output).arg(id);
            return ExitFailure;
        }
        out() << tr("Created token %1; written to %2 (mode 0600).\n").arg(id).arg(output);
        return ExitOk;
    }
    out() << tr("Created token %1. It is shown once; store it now:\n").arg(id) << token << '\n';
    return ExitOk;
}

int runToken(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("API tokens for scripts, limited to some of your roles.\n"
           "  create --name LABEL --roles ROLES [--days N] [--output FILE]\n"
           "  list\n"
           "  revoke ID"));
    addDatabaseOptions(parser);
    parser.addPositionalArgument(QStringLiteral("action"), tr("create, list or revoke"));
    parser.addOption({QStringLiteral("name"), tr("create: a label for the token."),
                      QStringLiteral("LABEL")});
    parser.addOption({QStringLiteral("roles"), tr("create: roles, comma-separated."),
                      QStringLiteral("ROLES")});
    parser.addOption({QStringLiteral("days"), tr("create: days until expiry, 1 to 366."),
                      QStringLiteral("N"), QStringLiteral("90")});
    parser.addOption({QStringLiteral("output"),
                      tr("create: write the token to FILE (mode 0600) instead of printing it."),
                      QStringLiteral("FILE")});
    int exitCode = ExitOk;
    if (!parseCommandLine(parser, arguments, &exitCode))
        return exitCode;
    const QStringList args = parser.positionalArguments();
    const QString action = args.value(0);
    if (action != QLatin1String("create") && action != QLatin1String("list")
        && action != QLatin1String("revoke")) {
        err() << tr("token needs create, list or revoke, not '%1'.\n").arg(action);
        return ExitUsage;
    }

    Database db;
    if (!openDatabase(db, parser))
        return ExitFailure;
    bool isNumber = false;
    const qint64 id = args.value(1).toLongLong(&isNumber);
    if (action == QLatin1String("revoke") && (!isNumber || id <= 0)) {
        err() << tr("token revoke needs the token's number, as 'token list' shows it, "
                    "not '%1'.\n").arg(args.value(1));
        return ExitUsage;
    }

    Identity who;
    if (!signIn(db, parser, &who, &exitCode))
        return exitCode;
    if (action == QLatin1String("create"))
        return createToken(db, who, parser);

    QString error;
    ApiTokenService tokens(db);
    if (action == QLatin1String("revoke")) {
        if (!tokens.revoke(who, id, &error)) {
            err() << error << '\n';
            return ExitFailure;
        }
        out() << tr("Revoked token %1.\n").arg(args.value(1));
        return ExitOk;
    }
    for (const ApiTokenInfo &t : tokens.list(who, &error)) {
        out() << QString::number(t.id).rightJustified(4) << "  " << terminalText(t.userName).leftJustified(16)
              << "  " << terminalText(t.name).leftJustified(20) << "  " << rolesToText(t.roles) << "  "
              << tr("created %1, expires %2, last used %3%4")
                     .arg(timeText(t.createdMs), timeText(t.expiresMs), timeText(t.lastUsedMs),
                          t.revokedMs ? tr(", REVOKED") : QString())
              << '\n';
    }
    return ExitOk;
}

} // namespace portcullis::cli
