// SPDX-License-Identifier: GPL-3.0-or-later
// `portcullis-cli connections`: lists the backend connections stored in the
// database with the state their last `watch` (or the GUI) recorded.
#include "alertjson.h"
#include "commands.h"
#include "signin.h"
#include "terminaltext.h"

#include "security/identity.h"
#include "store/connections.h"
#include "store/database.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace portcullis::cli {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("cli", text);
}

QJsonObject toJson(const StoredConnection &row)
{
    return QJsonObject {
        { QStringLiteral("name"), row.name },
        { QStringLiteral("url"), row.baseUrl },
        { QStringLiteral("state"), row.state.isEmpty() ? QStringLiteral("never") : row.state },
        { QStringLiteral("reason"), row.stateReason },
        { QStringLiteral("lag_seconds"), row.lagSeconds },
        { QStringLiteral("state_at"), row.stateMs > 0 ? isoTime(row.stateMs) : QString() },
        { QStringLiteral("last_event"),
            row.lastEventMs > 0 ? isoTime(row.lastEventMs) : QString() },
        { QStringLiteral("events_stored"), row.eventsStored },
        { QStringLiteral("last_error"), row.lastError },
        { QStringLiteral("reached"), row.reached },
    };
}

void printRow(const StoredConnection &row)
{
    QString state = row.state.isEmpty() ? tr("never started") : row.state;
    if (row.state == QLatin1String("lagging"))
        state = tr("lagging %1 seconds").arg(row.lagSeconds);
    out() << QStringLiteral("%1  %2  %3\n").arg(terminalText(row.name), state,
        terminalText(row.baseUrl));
    out() << tr("    %1 events stored, last event %2, state recorded %3\n")
                 .arg(row.eventsStored)
                 .arg(row.lastEventMs > 0 ? isoTime(row.lastEventMs) : tr("none"),
                     row.stateMs > 0 ? isoTime(row.stateMs) : tr("never"));
    if (!row.stateReason.isEmpty())
        out() << tr("    reason: %1\n").arg(terminalText(row.stateReason));
    if (!row.lastError.isEmpty() && row.lastError != row.stateReason)
        out() << tr("    last error: %1\n").arg(terminalText(row.lastError));
}

} // namespace

int runConnections(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("List the backend connections with the state their last watch recorded: "
           "connecting, connected, lagging, error (with the reason) or stopped."));
    addDatabaseOptions(parser);
    parser.addOption({ QStringLiteral("json"), tr("Print one JSON object per connection.") });
    int exitCode = ExitOk;
    if (!parseCommandLine(parser, arguments, &exitCode))
        return exitCode;

    Database db;
    if (!openDatabase(db, parser))
        return ExitFailure;
    Identity identity;
    if (!signIn(db, parser, &identity, &exitCode))
        return exitCode;
    QString error;
    if (!checkPermission(identity, Permission::ViewAlerts, &error)) {
        err() << error << '\n';
        return ExitPermissionDenied;
    }
    QVector<StoredConnection> rows;
    if (!listConnections(db, &rows, &error)) {
        err() << tr("connections: cannot read the connections: %1\n").arg(error);
        return ExitFailure;
    }
    if (rows.isEmpty() && !parser.isSet(QStringLiteral("json")))
        err() << tr("connections: none yet; `portcullis-cli watch --url URL` adds one.\n");
    for (const StoredConnection &row : rows) {
        if (parser.isSet(QStringLiteral("json")))
            out() << QJsonDocument(toJson(row)).toJson(QJsonDocument::Compact) << '\n';
        else
            printRow(row);
    }
    return ExitOk;
}

} // namespace portcullis::cli
