// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringList>

class QCommandLineParser;

namespace portcullis {
class AccountService;
class Database;
struct Identity;
} // namespace portcullis

namespace portcullis::cli {

// The parser's help text with the usage line naming "portcullis-cli COMMAND".
QString commandHelpText(const QCommandLineParser &parser, const QString &command);
// Parses the command line; on an error or --help prints and sets *exitCode
// and returns false.
bool parseCommandLine(QCommandLineParser &parser, const QStringList &arguments, int *exitCode);

// Reads one line from standard input; without echo when it is a terminal.
// The prompt goes to standard error so that standard output stays clean.
QString promptLine(const QString &prompt, bool secret);

// Opens the database named by --database (or its fallbacks) and prints why
// when it fails.
bool openDatabase(Database &db, const QCommandLineParser &parser);

// Like signIn(), but lets a user whose role needs MFA and who has not
// enrolled yet sign in with the password alone, for `users enrol-mfa`.
bool signInForEnrolment(Database &db, const QCommandLineParser &parser, Identity *identity,
                        int *exitCode);

// Asks for a new password twice (cmd_setup.cpp); empty when they differ.
QString promptNewPassword(const QString &userName);
// Shows the enrolment QR code and key, confirms a code and prints the
// recovery codes (cmd_setup.cpp).
bool enrolTotpInteractively(AccountService &accounts, const Identity &who);

} // namespace portcullis::cli
