// SPDX-License-Identifier: GPL-3.0-or-later
// portcullis-cli suppress add|list|remove: allow-lists and alert suppressions.
#include "commands.h"
#include "signin.h"
#include "terminaltext.h"

#include "detect/suppressionservice.h"
#include "store/database.h"
#include "store/store.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>

namespace portcullis::cli {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("cli", text);
}

int deniedOrFailed(const Identity &who, Permission permission, const QString &error)
{
    err() << error << '\n';
    return hasPermission(who, permission) ? ExitFailure : ExitPermissionDenied;
}

QString timeText(qint64 ms)
{
    if (ms == 0)
        return tr("never");
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODate);
}

// Reads --expires: an ISO 8601 time, or a duration from now ("90m", "12h", "7d").
bool parseExpiry(const QString &text, qint64 nowMs, qint64 *expiresMs)
{
    *expiresMs = 0;
    if (text.isEmpty())
        return true;
    const QChar unit = text.back();
    bool ok = false;
    const qint64 count = text.chopped(1).toLongLong(&ok);
    const qint64 scale = unit == QLatin1Char('m') ? 60'000
        : unit == QLatin1Char('h')                ? 3'600'000
        : unit == QLatin1Char('d')                ? 86'400'000
                                                  : 0;
    if (ok && scale > 0 && count > 0 && count <= 3650) {
        *expiresMs = nowMs + count * scale;
        return true;
    }
    const QDateTime time = QDateTime::fromString(text, Qt::ISODate);
    if (time.isValid() && time.toMSecsSinceEpoch() > nowMs) {
        *expiresMs = time.toMSecsSinceEpoch();
        return true;
    }
    err() << tr("Invalid --expires '%1'; give a future time such as 2027-01-31T18:00:00Z or a "
                "duration such as 90m, 12h or 7d.\n")
                 .arg(terminalText(text));
    return false;
}

// Reads the entry of `suppress add` from the command line and checks it, so
// that a bad kind, value, reason or expiry exits with ExitUsage before sign-in.
bool entryFromCommandLine(const QCommandLineParser &parser, const QStringList &args,
    Suppression *entry)
{
    if (args.size() != 3) {
        err() << tr("Usage: portcullis-cli suppress add source|rule|user VALUE --reason TEXT "
                    "[--rule RULE_ID] [--expires WHEN]\n");
        return false;
    }
    if (!suppressionKindFromName(args[1], &entry->kind)) {
        err() << tr("Unknown kind '%1'; use source, rule or user.\n").arg(terminalText(args[1]));
        return false;
    }
    // SuppressionService::add() trims the same way before it validates again.
    entry->value = args[2].trimmed();
    entry->ruleId = parser.value(QStringLiteral("rule")).trimmed();
    entry->reason = parser.value(QStringLiteral("reason")).trimmed();
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (!parseExpiry(parser.value(QStringLiteral("expires")), now, &entry->expiresMs))
        return false;
    QString error;
    if (!validateSuppression(*entry, &error)) {
        err() << error << '\n';
        return false;
    }
    return true;
}

int addEntry(SuppressionService &service, const Identity &who, const Suppression &entry)
{
    QString error;
    const std::optional<Suppression> added = service.add(who, entry, &error);
    if (!added)
        return deniedOrFailed(who, Permission::ManageRules, error);
    out() << tr("Added suppression %1: %2 %3, expires %4.\n")
                 .arg(added->id)
                 .arg(suppressionKindName(added->kind), terminalText(added->value),
                     timeText(added->expiresMs));
    return ExitOk;
}

int listEntries(SuppressionService &service, const Identity &who, bool all)
{
    QString error;
    bool ok = false;
    const QVector<Suppression> entries = service.list(who, &ok, &error);
    if (!ok)
        return deniedOrFailed(who, Permission::ViewAlerts, error);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    out() << tr("ID\tKIND\tVALUE\tRULE\tEXPIRES\tHITS\tCREATED BY\tREASON\n");
    for (const Suppression &entry : entries) {
        if (!all && !entry.isActive(now))
            continue;
        out() << entry.id << '\t' << suppressionKindName(entry.kind) << '\t'
              << terminalText(entry.value) << '\t'
              << (entry.ruleId.isEmpty() ? tr("(all)") : terminalText(entry.ruleId)) << '\t'
              << (entry.isActive(now) ? timeText(entry.expiresMs) : tr("expired")) << '\t'
              << entry.hits << '\t' << terminalText(entry.createdBy) << '\t'
              << terminalText(entry.reason) << '\n';
    }
    return ExitOk;
}

int removeEntry(SuppressionService &service, const Identity &who, const QStringList &args)
{
    bool ok = false;
    const qint64 id = args.value(1).toLongLong(&ok);
    if (args.size() != 2 || !ok || id <= 0) {
        err() << tr("Usage: portcullis-cli suppress remove ID (the number from 'suppress list').\n");
        return ExitUsage;
    }
    QString error;
    if (!service.remove(who, id, &error))
        return deniedOrFailed(who, Permission::ManageRules, error);
    out() << tr("Removed suppression %1.\n").arg(id);
    return ExitOk;
}

} // namespace

int runSuppress(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(tr(
        "Allow-list sources and suppress alerts (adding and removing needs an administrator).\n"
        "  add source ADDRESS|CIDR   events from it reach no detector (with --rule: that\n"
        "                            rule's alerts naming only such sources are dropped)\n"
        "  add rule RULE_ID          drop every alert of the rule\n"
        "  add user NAME             drop alerts whose only user.name is NAME\n"
        "  list [--all]              active entries (--all: expired ones too), with hits\n"
        "  remove ID                 delete an entry\n"
        "Every change is written to the audit log."));
    addDatabaseOptions(parser);
    parser.addPositionalArgument(QStringLiteral("action"), tr("add, list or remove."));
    parser.addOption({ QStringLiteral("reason"), tr("add: why the entry is needed (required)."),
        QStringLiteral("TEXT") });
    parser.addOption({ QStringLiteral("rule"),
        tr("add: limit a source or user entry to this rule id."), QStringLiteral("RULE_ID") });
    parser.addOption({ QStringLiteral("expires"),
        tr("add: when the entry stops applying: an ISO 8601 time, or a duration from now "
           "in minutes, hours or days (90m, 12h, 7d). Default: never."),
        QStringLiteral("WHEN") });
    parser.addOption({ QStringLiteral("all"), tr("list: include expired entries.") });
    int exitCode = ExitOk;
    if (!parseCommandLine(parser, arguments, &exitCode))
        return exitCode;
    const QStringList args = parser.positionalArguments();
    const QString action = args.value(0);
    if (action != QLatin1String("add") && action != QLatin1String("list")
        && action != QLatin1String("remove")) {
        err() << tr("Unknown suppress action '%1'; run 'portcullis-cli suppress --help'.\n")
                     .arg(terminalText(action));
        return ExitUsage;
    }
    Suppression entry;
    if (action == QLatin1String("add") && !entryFromCommandLine(parser, args, &entry))
        return ExitUsage;

    Database db;
    if (!openDatabase(db, parser))
        return ExitFailure;
    Identity who;
    if (!signIn(db, parser, &who, &exitCode))
        return exitCode;
    SuppressionService service(db);
    if (action == QLatin1String("add"))
        return addEntry(service, who, entry);
    if (action == QLatin1String("list"))
        return listEntries(service, who, parser.isSet(QStringLiteral("all")));
    return removeEntry(service, who, args);
}

} // namespace portcullis::cli
