// SPDX-License-Identifier: GPL-3.0-or-later
// portcullis-cli fraud lists, fraud list show|add|remove: the value lists
// that fraud rules test with @name.
#include "fraudlists.h"

#include "commands.h"
#include "signin.h"
#include "terminaltext.h"

#include "fraud/listservice.h"
#include "security/identity.h"
#include "store/database.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace portcullis::cli {

using namespace portcullis::fraud;

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("cli", text);
}

int deniedOrFailed(const Identity &who, Permission permission, const QString &error)
{
    err() << tr("fraud: %1\n").arg(error);
    return hasPermission(who, permission) ? ExitFailure : ExitPermissionDenied;
}

// Opens the database and signs in; returns ExitOk or the exit code to return.
int openAndSignIn(const QCommandLineParser &parser, Database &db, Identity *who)
{
    if (!openDatabase(db, parser))
        return ExitFailure;
    int exitCode = ExitOk;
    if (!signIn(db, parser, who, &exitCode))
        return exitCode;
    return ExitOk;
}

QString timeText(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODate);
}

int showList(const QCommandLineParser &parser, const QString &name)
{
    Database db;
    Identity who;
    if (const int code = openAndSignIn(parser, db, &who); code != ExitOk)
        return code;
    QList<ListItem> items;
    QString error;
    if (!FraudListService(db).items(who, name, &items, &error))
        return deniedOrFailed(who, Permission::ViewAlerts, error);
    if (parser.isSet(QStringLiteral("json"))) {
        QJsonArray array;
        for (const ListItem &item : items)
            array.append(QJsonObject{{QStringLiteral("list"), item.list},
                {QStringLiteral("value"), item.value},
                {QStringLiteral("added_at"), timeText(item.addedAtMs)},
                {QStringLiteral("added_by"), item.addedBy}, {QStringLiteral("reason"), item.note}});
        out() << QJsonDocument(array).toJson(QJsonDocument::Compact) << '\n';
        return ExitOk;
    }
    for (const ListItem &item : items)
        out() << terminalText(item.value) << "  " << timeText(item.addedAtMs) << "  "
              << terminalText(item.addedBy) << "  " << terminalText(item.note) << '\n';
    err() << tr("%1: %2 values\n").arg(name.toLower()).arg(items.size());
    return ExitOk;
}

int addOrRemove(const QCommandLineParser &parser, bool add, const QString &name,
    const QString &value)
{
    Database db;
    Identity who;
    if (const int code = openAndSignIn(parser, db, &who); code != ExitOk)
        return code;
    FraudListService lists(db);
    const QString reason = parser.value(QStringLiteral("reason"));
    QString error;
    bool added = false;
    const bool ok = add ? lists.add(who, name, value, reason, &added, &error)
                        : lists.remove(who, name, value, reason, &error);
    if (!ok)
        return deniedOrFailed(who, Permission::RunPlaybooks, error);
    const QString shown = terminalText(value.trimmed());
    if (!add)
        out() << tr("Removed '%1' from %2\n").arg(shown, name.toLower());
    else if (added)
        out() << tr("Added '%1' to %2\n").arg(shown, name.toLower());
    else
        out() << tr("'%1' was already in %2; its reason is updated\n").arg(shown, name.toLower());
    return ExitOk;
}

} // namespace

int runFraudLists(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Print the fraud value lists that rules test with @name, with their sizes."));
    addDatabaseOptions(parser);
    parser.addOption({QStringLiteral("json"), tr("Print one JSON array.")});
    int exitCode = ExitOk;
    if (!parseCommandLine(parser, arguments, &exitCode))
        return exitCode;
    Database db;
    Identity who;
    if (const int code = openAndSignIn(parser, db, &who); code != ExitOk)
        return code;
    QList<ListSummary> lists;
    QString error;
    if (!FraudListService(db).lists(who, &lists, &error))
        return deniedOrFailed(who, Permission::ViewAlerts, error);
    if (parser.isSet(QStringLiteral("json"))) {
        QJsonArray array;
        for (const ListSummary &list : lists)
            array.append(QJsonObject{{QStringLiteral("name"), list.name},
                {QStringLiteral("values"), list.itemCount},
                {QStringLiteral("description"), list.description}});
        out() << QJsonDocument(array).toJson(QJsonDocument::Compact) << '\n';
        return ExitOk;
    }
    for (const ListSummary &list : lists) {
        out() << QStringLiteral("%1 %2").arg(list.name, -24).arg(list.itemCount, 6);
        if (!list.description.isEmpty())
            out() << "  " << list.description;
        out() << '\n';
    }
    return ExitOk;
}

int runFraudList(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Show, add to or remove from a fraud value list. Adding and removing need the "
           "run_playbooks permission and are written to the audit log.\n"
           "  show NAME                    print the list's values\n"
           "  add NAME VALUE --reason TEXT add a value, or update its reason\n"
           "  remove NAME VALUE            remove a value"));
    addDatabaseOptions(parser);
    parser.addOption({QStringLiteral("reason"),
        tr("Why the value is added or removed (required to add); stored and audited."),
        tr("text")});
    parser.addOption({QStringLiteral("json"), tr("show: print one JSON array.")});
    parser.addPositionalArgument(QStringLiteral("action"), tr("show, add or remove."));
    parser.addPositionalArgument(QStringLiteral("name"), tr("List name, such as blocked_cards."));
    parser.addPositionalArgument(QStringLiteral("value"), tr("The value (add and remove)."));
    int exitCode = ExitOk;
    if (!parseCommandLine(parser, arguments, &exitCode))
        return exitCode;
    const QStringList positional = parser.positionalArguments();
    const QString action = positional.value(0);
    if (action == QLatin1String("show") && positional.size() == 2)
        return showList(parser, positional.at(1));
    if ((action == QLatin1String("add") || action == QLatin1String("remove"))
        && positional.size() == 3)
        return addOrRemove(parser, action == QLatin1String("add"), positional.at(1),
            positional.at(2));
    err() << tr("fraud list: expected `show NAME`, `add NAME VALUE --reason TEXT` or "
                "`remove NAME VALUE`; see `portcullis-cli fraud list --help`\n");
    return ExitUsage;
}

} // namespace portcullis::cli
