// SPDX-License-Identifier: GPL-3.0-or-later
// Sign-in for the commands that read or change the console's database.
#include "signin.h"

#include "commands.h"
#include "security/authenticator.h"
#include "security/cryptoutil.h"
#include "store/database.h"
#include "store/databaselocation.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <cstdio>
#include <string>

#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

namespace portcullis::cli {

static QString tr(const char *text)
{
    return QCoreApplication::translate("cli", text);
}

void addDatabaseOptions(QCommandLineParser &parser)
{
    parser.addOption({QStringLiteral("database"),
                      tr("Console database file (default: $PORTCULLIS_DATABASE, else "
                         "portcullis.db in the per-user data folder)."),
                      QStringLiteral("PATH")});
    parser.addOption({QStringLiteral("user"),
                      tr("User name to sign in as (default: $PORTCULLIS_USER, else a prompt)."),
                      QStringLiteral("NAME")});
    parser.addOption({QStringLiteral("token-file"),
                      tr("File holding an API token to sign in with (default: "
                         "$PORTCULLIS_TOKEN)."),
                      QStringLiteral("FILE")});
}

QString databasePath(const QCommandLineParser &parser)
{
    if (parser.isSet(QStringLiteral("database")))
        return parser.value(QStringLiteral("database"));

    QString error;
    const QString path = defaultDatabasePath(&error);
    if (!error.isEmpty())
        err() << error << '\n';
    return path;
}

QString commandHelpText(const QCommandLineParser &parser, const QString &command)
{
    // Qt writes the program's path as invoked; name the command the way the
    // user types it instead.
    QString text = parser.helpText();
    const QString program = QCoreApplication::arguments().value(0);
    const qsizetype at = program.isEmpty() ? -1 : text.indexOf(program);
    const qsizetype lineEnd = text.indexOf(QLatin1Char('\n'));
    if (at >= 0 && (lineEnd < 0 || at < lineEnd))
        text.replace(at, program.size(), QStringLiteral("portcullis-cli ") + command);
    return text;
}

bool parseCommandLine(QCommandLineParser &parser, const QStringList &arguments, int *exitCode)
{
    const QCommandLineOption help = parser.addHelpOption();
    if (!parser.parse(arguments)) {
        err() << parser.errorText() << '\n';
        err() << tr("Run 'portcullis-cli %1 --help' for the options.\n").arg(arguments.value(0));
        *exitCode = ExitUsage;
        return false;
    }
    if (parser.isSet(help)) {
        out() << commandHelpText(parser, arguments.value(0));
        out().flush();
        *exitCode = ExitOk;
        return false;
    }
    return true;
}

bool openDatabase(Database &db, const QCommandLineParser &parser)
{
    const QString path = databasePath(parser);
    QString error;
    if (db.open(path, &error))
        return true;
    err() << tr("Cannot open the database %1: %2\n").arg(path, error);
    err().flush();
    return false;
}

QString promptLine(const QString &prompt, bool secret)
{
    const bool terminal = ::isatty(STDIN_FILENO) == 1;
    if (terminal) {
        err() << prompt;
        err().flush();
    }
    termios saved {};
    const bool hideEcho = secret && terminal && ::tcgetattr(STDIN_FILENO, &saved) == 0;
    if (hideEcho) {
        termios quiet = saved;
        quiet.c_lflag &= ~tcflag_t(ECHO);
        ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    }

    std::string line;
    int ch = 0;
    while ((ch = std::fgetc(stdin)) != EOF && ch != '\n')
        line.push_back(static_cast<char>(ch));
    if (hideEcho) {
        ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
        err() << '\n';
        err().flush();
    }
    if (!line.empty() && line.back() == '\r')
        line.pop_back();
    QString text = QString::fromStdString(line);
    std::fill(line.begin(), line.end(), '\0');
    return text;
}

static QString readTokenFile(const QString &path, bool *ok)
{
    QFile file(path);
    *ok = file.open(QIODevice::ReadOnly);
    if (!*ok) {
        err() << tr("Cannot read the token file %1: %2\n").arg(path, file.errorString());
        return QString();
    }
    if (file.permissions() & (QFileDevice::ReadGroup | QFileDevice::ReadOther))
        err() << tr("Warning: token file %1 is readable by other users; run 'chmod 600 %1'.\n")
                     .arg(path);
    return QString::fromUtf8(file.readAll()).trimmed();
}

static bool signInWithToken(Database &db, const QString &token, Identity *identity,
                            int *exitCode)
{
    QString error;
    const std::optional<Identity> signedIn = Authenticator(db).signInWithToken(token, &error);
    if (!signedIn) {
        err() << error << '\n';
        *exitCode = ExitPermissionDenied;
        return false;
    }
    *identity = *signedIn;
    return true;
}

static bool signInInteractively(Database &db, const QCommandLineParser &parser,
                                bool allowEnrolment, Identity *identity, int *exitCode)
{
    QString user = parser.value(QStringLiteral("user"));
    if (user.isEmpty())
        user = qEnvironmentVariable("PORTCULLIS_USER");
    if (user.isEmpty() && ::isatty(STDIN_FILENO) == 1)
        user = promptLine(tr("User: "), false).trimmed();
    if (user.isEmpty()) {
        err() << tr("Not signed in: pass --user NAME (the password is then read from standard "
                    "input), --token-file FILE, or set PORTCULLIS_TOKEN.\n");
        *exitCode = ExitUsage;
        return false;
    }

    Authenticator authenticator(db);
    QString password = promptLine(tr("Password for %1: ").arg(user), true);
    SignInResult result = authenticator.signIn(user, password, QString(), QStringLiteral("cli"));
    if (result.status == SignInStatus::SecondFactorRequired) {
        const QString code = promptLine(tr("Authentication code (or recovery code): "), true);
        result = authenticator.signIn(user, password, code, QStringLiteral("cli"));
    }
    password.fill(QLatin1Char('\0'));

    if (result.status != SignInStatus::Success) {
        err() << result.message << '\n';
        *exitCode = result.status == SignInStatus::PasswordMissing ? ExitUsage
                                                                   : ExitPermissionDenied;
        return false;
    }
    if (result.mfaEnrolmentRequired && !allowEnrolment) {
        err() << tr("%1 must enrol an authenticator before using the console: run "
                    "'portcullis-cli users enrol-mfa --user %1' or sign in to the GUI.\n")
                     .arg(result.identity.userName);
        *exitCode = ExitPermissionDenied;
        return false;
    }
    if (result.usedRecoveryCode)
        err() << tr("Signed in with a recovery code; %1 codes left.\n")
                     .arg(result.recoveryCodesLeft);
    *identity = result.identity;
    return true;
}

static bool signInWith(Database &db, const QCommandLineParser &parser, bool allowEnrolment,
                       Identity *identity, int *exitCode)
{
    if (parser.isSet(QStringLiteral("token-file"))) {
        bool ok = false;
        const QString token = readTokenFile(parser.value(QStringLiteral("token-file")), &ok);
        if (!ok) {
            *exitCode = ExitUsage;
            return false;
        }
        return signInWithToken(db, token, identity, exitCode);
    }
    const QString token = qEnvironmentVariable("PORTCULLIS_TOKEN");
    if (!token.isEmpty() && !parser.isSet(QStringLiteral("user")))
        return signInWithToken(db, token, identity, exitCode);
    return signInInteractively(db, parser, allowEnrolment, identity, exitCode);
}

bool signIn(Database &db, const QCommandLineParser &parser, Identity *identity, int *exitCode)
{
    return signInWith(db, parser, false, identity, exitCode);
}

bool signInForEnrolment(Database &db, const QCommandLineParser &parser, Identity *identity,
                        int *exitCode)
{
    return signInWith(db, parser, true, identity, exitCode);
}

} // namespace portcullis::cli
