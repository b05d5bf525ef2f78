// SPDX-License-Identifier: GPL-3.0-or-later
// portcullis-cli secrets status|set|delete
#include "commands.h"
#include "signin.h"

#include "security/auditlog.h"
#include "security/secretstore.h"
#include "store/database.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QJsonObject>

namespace portcullis::cli {

static QString tr(const char *text)
{
    return QCoreApplication::translate("cli", text);
}

// The fallback file lives beside the database; its passphrase comes from
// $PORTCULLIS_SECRET_PASSPHRASE or a prompt.
static std::unique_ptr<SecretStore> openStore(const QString &databaseFile, QString *error)
{
    const QString path = QFileInfo(databaseFile).absolutePath() + QStringLiteral("/secrets.json");
    return openSecretStore(path,
                           [] {
                               const QString fromEnvironment =
                                   qEnvironmentVariable("PORTCULLIS_SECRET_PASSPHRASE");
                               if (!fromEnvironment.isEmpty())
                                   return fromEnvironment;
                               return promptLine(tr("Passphrase of the secret file: "), true);
                           },
                           error);
}

int runSecrets(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Backend tokens and signing keys: in the system keychain when a Secret Service runs, "
           "else in an AES-256-GCM file beside the database.\n"
           "  status        print which storage is in use\n"
           "  set NAME      store a secret read from standard input (one line)\n"
           "  delete NAME   remove a secret"));
    addDatabaseOptions(parser);
    parser.addPositionalArgument(QStringLiteral("action"), tr("status, set or delete"));
    int exitCode = ExitOk;
    if (!parseCommandLine(parser, arguments, &exitCode))
        return exitCode;
    const QStringList args = parser.positionalArguments();
    const QString action = args.value(0);
    if ((action != QLatin1String("status") && action != QLatin1String("set")
         && action != QLatin1String("delete"))
        || (action != QLatin1String("status") && args.value(1).isEmpty())) {
        err() << tr("secrets needs status, set NAME or delete NAME.\n");
        return ExitUsage;
    }

    Database db;
    if (!openDatabase(db, parser))
        return ExitFailure;
    Identity who;
    if (!signIn(db, parser, &who, &exitCode))
        return exitCode;
    QString error;
    if (!checkPermission(who, Permission::ManageConnections, &error)) {
        err() << error << '\n';
        return ExitPermissionDenied;
    }
    // status only reports: it never creates the secret file.
    const QString filePath = QFileInfo(db.path()).absolutePath() + QStringLiteral("/secrets.json");
    if (action == QLatin1String("status") && !keychainAvailable() && !QFile::exists(filePath)) {
        out() << tr("Secrets are stored in: encrypted file %1 (AES-256-GCM, key from scrypt); "
                    "not created yet\n")
                     .arg(filePath);
        return ExitOk;
    }
    const std::unique_ptr<SecretStore> store = openStore(db.path(), &error);
    if (!store) {
        err() << error << '\n';
        return ExitFailure;
    }
    if (action == QLatin1String("status")) {
        out() << tr("Secrets are stored in: %1\n").arg(store->backendName());
        return ExitOk;
    }

    const QString name = args.value(1);
    bool ok = false;
    if (action == QLatin1String("set")) {
        QByteArray secret = promptLine(tr("Secret value: "), true).toUtf8();
        ok = !secret.isEmpty() && store->write(name, secret, &error);
        secret.fill('\0');
    } else {
        ok = store->remove(name, &error);
    }
    if (!ok) {
        err() << (error.isEmpty() ? tr("The secret is empty; nothing stored.") : error) << '\n';
        return ExitFailure;
    }
    AuditLog(db).append(who, QStringLiteral("secret.") + action, QStringLiteral("secret:") + name,
                        QJsonObject{{QStringLiteral("backend"),
                                     store->isKeychain() ? QStringLiteral("keychain")
                                                         : QStringLiteral("file")}},
                        nullptr);
    out() << tr("Done: secret %1 %2 in %3.\n")
                 .arg(name, action == QLatin1String("set") ? tr("stored") : tr("removed"),
                      store->backendName());
    return ExitOk;
}

} // namespace portcullis::cli
