// SPDX-License-Identifier: GPL-3.0-or-later
#include "commands.h"

#include <QCoreApplication>

#include <algorithm>
#include <cstdio>

namespace portcullis::cli {

QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}

QTextStream &err()
{
    static QTextStream stream(stderr);
    return stream;
}

static const Command commands[] = {
    {"import", QT_TRANSLATE_NOOP("cli", "Import log files into the console's database and run detections"), runImport},
    {"detect", QT_TRANSLATE_NOOP("cli", "Run detections on log files in a throw-away store and print alerts"), runDetect},
    {"alerts", QT_TRANSLATE_NOOP("cli", "List stored alerts and change their status"), runAlerts},
    {"setup", QT_TRANSLATE_NOOP("cli", "First run: create the administrator and enrol an authenticator"), runSetup},
    {"users", QT_TRANSLATE_NOOP("cli", "Manage users, roles and MFA; enrol your own authenticator"), runUsers},
    {"whoami", QT_TRANSLATE_NOOP("cli", "Sign in and print your roles and permissions"), runWhoami},
    {"audit", QT_TRANSLATE_NOOP("cli", "Verify, list or export the hash-chained audit trail"), runAudit},
    {"token", QT_TRANSLATE_NOOP("cli", "Create, list or revoke API tokens"), runToken},
    {"secrets", QT_TRANSLATE_NOOP("cli", "Show where secrets are stored; store or delete one"), runSecrets},
    {"watch", QT_TRANSLATE_NOOP("cli", "Follow a backend's telemetry live and print alerts (--demo: the stand-in)"), runWatch},
    {"connections", QT_TRANSLATE_NOOP("cli", "List the backend connections and the state each last recorded"), runConnections},
    {"rules", QT_TRANSLATE_NOOP("cli", "Check Sigma rule folders and test a rule against a log file"), runRules},
    {"fraud", QT_TRANSLATE_NOOP("cli", "Train, evaluate and run the payment fraud model and rules"), runFraud},
    {"suppress", QT_TRANSLATE_NOOP("cli", "Allow-list sources and suppress alerts: add, list, remove"), runSuppress},
};

static void printHelp()
{
    out() << QCoreApplication::translate("cli", "Usage: portcullis-cli COMMAND [OPTIONS]\n\nCommands:\n");
    qsizetype nameWidth = 0;
    for (const Command &command : commands)
        nameWidth = std::max(nameWidth, qsizetype(qstrlen(command.name)));
    for (const Command &command : commands)
        out() << "  " << QString::fromLatin1(command.name).leftJustified(nameWidth) << "  "
              << QCoreApplication::translate("cli", command.summary) << '\n';
    out() << QCoreApplication::translate("cli", "\nRun 'portcullis-cli COMMAND --help' for a command's options.\n");
    out().flush();
}

int run(const QStringList &arguments)
{
    const QStringList rest = arguments.mid(1);
    if (rest.isEmpty() || rest.first() == QLatin1String("help") || rest.first() == QLatin1String("--help")
        || rest.first() == QLatin1String("-h")) {
        printHelp();
        return rest.isEmpty() ? ExitUsage : ExitOk;
    }
    if (rest.first() == QLatin1String("--version")) {
        out() << "portcullis-cli " << QCoreApplication::applicationVersion() << '\n';
        return ExitOk;
    }
    for (const Command &command : commands) {
        if (rest.first() == QLatin1String(command.name))
            return command.run(rest);
    }
    err() << QCoreApplication::translate("cli", "Unknown command '%1'. Run 'portcullis-cli help' for the list.\n")
                 .arg(rest.first());
    return ExitUsage;
}

} // namespace portcullis::cli
