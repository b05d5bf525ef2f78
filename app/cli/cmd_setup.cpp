// SPDX-License-Identifier: GPL-3.0-or-later
// portcullis-cli setup: first run, creates the administrator and enrols MFA.
#include "commands.h"
#include "signin.h"

#include "security/accounts.h"
#include "security/qrcode.h"
#include "store/database.h"

#include <QCommandLineParser>
#include <QCoreApplication>

#include <unistd.h>

namespace portcullis::cli {

static QString tr(const char *text)
{
    return QCoreApplication::translate("cli", text);
}

// Asks for a new password twice. Returns an empty string when they differ.
QString promptNewPassword(const QString &userName)
{
    const QString password = promptLine(tr("New password for %1 (12 or more characters): ")
                                            .arg(userName),
                                        true);
    const QString again = promptLine(tr("Repeat the password: "), true);
    if (password != again) {
        err() << tr("The two passwords differ; nothing was changed.\n");
        return QString();
    }
    return password;
}

// Shows the QR code, the key and the URI, reads a code and prints the
// recovery codes. Returns false when the code was wrong three times.
bool enrolTotpInteractively(AccountService &accounts, const Identity &who)
{
    const TotpEnrolment enrolment = accounts.beginTotpEnrolment(who);
    out() << tr("Scan this QR code with an authenticator app (TOTP, SHA-1, 6 digits, 30 s):\n");
    out() << qrToText(enrolment.qr);
    out() << tr("Or enter the key by hand: %1\n").arg(enrolment.base32Key);
    out() << tr("URI: %1\n").arg(enrolment.uri);
    out().flush();

    for (int attempt = 0; attempt < 3; ++attempt) {
        const QString code = promptLine(tr("Code shown by the app: "), false).trimmed();
        QStringList recoveryCodes;
        QString error;
        if (accounts.confirmTotpEnrolment(who, enrolment, code, &recoveryCodes, &error)) {
            out() << tr("Authenticator enrolled. Recovery codes, each usable once; store them "
                        "offline now, they are not shown again:\n");
            for (const QString &recovery : recoveryCodes)
                out() << "  " << recovery << '\n';
            out().flush();
            return true;
        }
        err() << error << '\n';
        err().flush();
    }
    return false;
}

int runSetup(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("First run: create the administrator of a new console database and enrol an "
           "authenticator app. Reads the password twice, then the first code; from standard "
           "input when it is not a terminal."));
    addDatabaseOptions(parser);
    int exitCode = ExitOk;
    if (!parseCommandLine(parser, arguments, &exitCode))
        return exitCode;

    Database db;
    if (!openDatabase(db, parser))
        return ExitFailure;
    AccountService accounts(db);
    if (accounts.hasUsers()) {
        err() << tr("%1 already has users; an administrator adds more with 'portcullis-cli "
                    "users add'.\n")
                     .arg(db.path());
        return ExitUsage;
    }
    // The user name comes from --user, then $PORTCULLIS_USER, then a prompt, as at sign-in.
    QString name = parser.value(QStringLiteral("user"));
    if (name.isEmpty())
        name = qEnvironmentVariable("PORTCULLIS_USER").trimmed();
    if (name.isEmpty())
        name = promptLine(tr("Administrator user name: "), false).trimmed();
    const QString password = promptNewPassword(name);
    if (password.isEmpty())
        return ExitUsage;

    QString error;
    const std::optional<Identity> admin = accounts.createFirstAdministrator(name, password, &error);
    if (!admin) {
        err() << error << '\n';
        return ExitUsage;
    }
    out() << tr("Created administrator %1 in %2.\n").arg(name, db.path());
    if (!enrolTotpInteractively(accounts, *admin)) {
        err() << tr("The authenticator was not enrolled; %1 enrols at the next sign-in "
                    "('portcullis-cli users enrol-mfa --user %1').\n")
                     .arg(name);
        return ExitFailure;
    }
    return ExitOk;
}

} // namespace portcullis::cli
