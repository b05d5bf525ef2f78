// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStringList>
#include <QTextStream>

class QCommandLineParser;

namespace portcullis {
class Database;
struct Identity;
} // namespace portcullis

namespace portcullis::cli {

// Exit codes, documented in docs/cli.md.
enum ExitCode : int {
    ExitOk = 0,
    ExitFailure = 1,          // the command ran and failed (I/O, database, ...)
    ExitUsage = 2,            // bad command line
    ExitInputErrors = 3,      // finished, but some input lines were not parsed
    ExitPermissionDenied = 4, // not signed in, or the role lacks the permission
    ExitVerifyFailed = 5,     // a verification found a problem (audit verify, ...)
    ExitConnectFailed = 6,    // watch: a backend could not be reached at the first try
};

QTextStream &out();
QTextStream &err();

// A command's entry point. `arguments` starts with the command name.
using CommandFunction = int (*)(const QStringList &arguments);

struct Command
{
    const char *name;
    const char *summary;  // one line for `portcullis-cli help`
    CommandFunction run;
};

int run(const QStringList &arguments);

// Adds --database, --user and --token to a command that reads or changes the
// console's database (signin.cpp).
void addDatabaseOptions(QCommandLineParser &parser);
// The database path from --database, else $PORTCULLIS_DATABASE, else the
// per-user data folder.
QString databasePath(const QCommandLineParser &parser);
// Signs in with an API token (--token-file or $PORTCULLIS_TOKEN) or
// interactively (--user, then password and TOTP prompts on the terminal).
// On failure prints why and sets *exitCode (ExitPermissionDenied or ExitUsage).
bool signIn(Database &db, const QCommandLineParser &parser, Identity *identity, int *exitCode);

// Commands, one per cmd_*.cpp file.
int runDetect(const QStringList &arguments);
int runImport(const QStringList &arguments);
int runAlerts(const QStringList &arguments);
int runSetup(const QStringList &arguments);
int runUsers(const QStringList &arguments);
int runWhoami(const QStringList &arguments);
int runAudit(const QStringList &arguments);
int runToken(const QStringList &arguments);
int runSecrets(const QStringList &arguments);
int runWatch(const QStringList &arguments);
int runConnections(const QStringList &arguments);
int runRules(const QStringList &arguments);
int runFraud(const QStringList &arguments);
int runSuppress(const QStringList &arguments);

} // namespace portcullis::cli
