// SPDX-License-Identifier: GPL-3.0-or-later
// portcullis-cli alerts: list, show and triage stored alerts.
#include "alertjson.h"
#include "commands.h"
#include "terminaltext.h"
#include "signin.h"

#include "respond/alertservice.h"
#include "security/identity.h"
#include "store/store.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace portcullis::cli {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("cli", text);
}

// Parsed command line shared by the subcommands.
struct AlertsCommand {
    QCommandLineParser parser;
    QString action; // list, show, ack, assign, close, reopen
    QStringList arguments; // positional arguments after the action
};

bool parseAlertId(const QString &text, qint64 *id)
{
    bool ok = false;
    *id = text.toLongLong(&ok);
    if (ok && *id > 0)
        return true;
    err() << tr("Invalid alert id '%1'; give the number from 'portcullis-cli alerts list'.\n")
                 .arg(text);
    return false;
}

template<typename Enum>
bool parseNames(const QStringList &values, bool (*fromName)(QStringView, Enum *), QSet<Enum> *set,
    const char *option, const char *allowed)
{
    for (const QString &value : values) {
        for (const QString &name : value.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
            Enum parsed {};
            if (!fromName(name.trimmed(), &parsed)) {
                err() << tr("Unknown --%1 '%2'; use %3.\n")
                             .arg(QLatin1String(option), name, QLatin1String(allowed));
                return false;
            }
            set->insert(parsed);
        }
    }
    return true;
}

bool sortKeyFromName(const QString &name, AlertSortKey *key)
{
    static const QList<QPair<QString, AlertSortKey>> keys { { QStringLiteral("id"),
                                                                AlertSortKey::Id },
        { QStringLiteral("severity"), AlertSortKey::Severity },
        { QStringLiteral("title"), AlertSortKey::Title },
        { QStringLiteral("rule"), AlertSortKey::RuleId },
        { QStringLiteral("first-seen"), AlertSortKey::FirstSeen },
        { QStringLiteral("last-seen"), AlertSortKey::LastSeen },
        { QStringLiteral("count"), AlertSortKey::EventCount },
        { QStringLiteral("status"), AlertSortKey::Status },
        { QStringLiteral("assignee"), AlertSortKey::Assignee } };
    for (const auto &entry : keys) {
        if (entry.first == name) {
            *key = entry.second;
            return true;
        }
    }
    return false;
}

bool buildQuery(const QCommandLineParser &parser, AlertQuery *query)
{
    if (!parseNames<Severity>(parser.values(QStringLiteral("severity")), severityFromName,
            &query->severities, "severity", "informational, low, medium, high or critical"))
        return false;
    if (!parseNames<AlertStatus>(parser.values(QStringLiteral("status")), statusFromName,
            &query->statuses, "status", "open, acknowledged or closed"))
        return false;
    query->text = parser.value(QStringLiteral("search"));

    const QString sort = parser.value(QStringLiteral("sort"));
    if (!sortKeyFromName(sort, &query->sortKey)) {
        err() << tr("Unknown --sort '%1'; use id, severity, title, rule, first-seen, last-seen, "
                    "count, status or assignee.\n")
                     .arg(sort);
        return false;
    }
    query->ascending = parser.isSet(QStringLiteral("ascending"));

    bool ok = false;
    query->limit = parser.value(QStringLiteral("limit")).toInt(&ok);
    if (!ok || query->limit < 0) {
        err() << tr("Invalid --limit '%1'; give a number of alerts, 0 for all.\n")
                     .arg(parser.value(QStringLiteral("limit")));
        return false;
    }
    if (query->limit == 0)
        query->limit = -1;
    query->offset = parser.value(QStringLiteral("offset")).toInt(&ok);
    if (!ok || query->offset < 0) {
        err() << tr("Invalid --offset '%1'; give a number of alerts to skip.\n")
                     .arg(parser.value(QStringLiteral("offset")));
        return false;
    }
    return true;
}

int printError(const QString &error, const Identity &who)
{
    err() << error << '\n';
    err().flush();
    return hasPermission(who, Permission::ViewAlerts) ? ExitFailure : ExitPermissionDenied;
}

int listAlerts(AlertService &service, const Identity &who, const QCommandLineParser &parser,
    const AlertQuery &query)
{
    QString error;
    const qint64 total = service.countAlerts(who, query, &error);
    if (total < 0)
        return printError(error, who);
    const QVector<Alert> alerts = service.queryAlerts(who, query, &error);

    if (parser.isSet(QStringLiteral("json"))) {
        for (const Alert &alert : alerts)
            out() << QJsonDocument(alertWithTriageToJson(alert, false)).toJson(QJsonDocument::Compact) << '\n';
        out().flush();
        return ExitOk;
    }
    out() << QStringLiteral("%1  %2  %3  %4  %5  %6  %7\n")
                 .arg(tr("ID").rightJustified(6), tr("SEVERITY").leftJustified(13),
                     tr("STATUS").leftJustified(12), tr("LAST SEEN (UTC)").leftJustified(19),
                     tr("EVENTS").rightJustified(6), tr("SOURCE").leftJustified(15), tr("TITLE"));
    for (const Alert &alert : alerts) {
        QString title = alert.title;
        if (!alert.assignee.isEmpty())
            title += QStringLiteral(" [%1]").arg(alert.assignee);
        const QStringList sources = alert.entities.value(QStringLiteral("source.ip"));
        QString source = sources.value(0, QStringLiteral("-"));
        if (sources.size() > 1)
            source += QStringLiteral(" +%1").arg(sources.size() - 1);
        out() << QStringLiteral("%1  %2  %3  %4  %5  %6  %7\n")
                     .arg(QString::number(alert.id).rightJustified(6),
                         severityName(alert.severity).leftJustified(13),
                         statusName(alert.status).leftJustified(12),
                         QDateTime::fromMSecsSinceEpoch(alert.lastSeenMs, Qt::UTC)
                             .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")),
                         QString::number(alert.eventCount).rightJustified(6),
                         terminalText(source).leftJustified(15), terminalText(title));
    }
    out() << tr("%1 of %2 matching alerts shown.\n").arg(alerts.size()).arg(total);
    out().flush();
    return ExitOk;
}

void printEvidence(const QVector<Event> &events, qint64 expected)
{
    out() << tr("Evidence (%1 of %2 events stored with the alert):\n")
                 .arg(events.size())
                 .arg(expected);
    for (qsizetype i = 0; i < events.size();) {
        const Event &event = events.at(i);
        // Events expanded from one "message repeated N times" line share
        // their file line, which is printed once with the count.
        qsizetype same = 1;
        while (i + same < events.size() && event.lineNumber > 0 && !event.filePath.isEmpty()
               && events.at(i + same).lineNumber == event.lineNumber
               && events.at(i + same).filePath == event.filePath
               && events.at(i + same).original == event.original)
            ++same;
        out() << "  " << terminalText(event.filePath) << ':' << event.lineNumber << ": "
              << terminalText(event.original);
        if (event.originalTruncated)
            out() << tr(" [cut]");
        if (same > 1)
            out() << tr(" [%1 events]").arg(same);
        out() << '\n';
        i += same;
    }
}

void printHistory(const QVector<AlertHistoryEntry> &history)
{
    out() << tr("History:\n");
    for (const AlertHistoryEntry &entry : history) {
        out() << "  " << isoTime(entry.atMs) << "  " << terminalText(entry.actor) << "  "
              << terminalText(entry.action) << "  "
              << statusName(entry.status);
        if (!entry.assignee.isEmpty())
            out() << tr("  assignee=%1").arg(terminalText(entry.assignee));
        if (entry.disposition != Disposition::None)
            out() << tr("  disposition=%1").arg(dispositionName(entry.disposition));
        if (!entry.note.isEmpty())
            out() << "  \"" << terminalText(entry.note) << '"';
        out() << '\n';
    }
}

int showAlert(AlertService &service, const Identity &who, const AlertsCommand &command)
{
    qint64 id = 0;
    if (command.arguments.size() != 1) {
        err() << tr("Usage: portcullis-cli alerts show ID\n");
        return ExitUsage;
    }
    if (!parseAlertId(command.arguments.first(), &id))
        return ExitUsage;
    QString error;
    const std::optional<Alert> alert = service.alert(who, id, &error);
    if (!alert)
        return printError(error, who);
    const QVector<Event> evidence = service.evidence(who, id, &error);
    const QVector<AlertHistoryEntry> history = service.history(who, id, &error);

    if (command.parser.isSet(QStringLiteral("json"))) {
        out() << QJsonDocument(alertWithTriageToJson(*alert, true)).toJson(QJsonDocument::Indented);
        out().flush();
        return ExitOk;
    }
    out() << tr("Alert %1: %2\n").arg(alert->id).arg(terminalText(alert->title));
    out() << tr("Rule: %1   Severity: %2   MITRE ATT&CK: %3\n")
                 .arg(terminalText(alert->ruleId), severityName(alert->severity),
                     alert->mitreTechnique.isEmpty() ? tr("none")
                                                     : terminalText(alert->mitreTechnique));
    out() << tr("Status: %1   Assignee: %2   Disposition: %3\n")
                 .arg(statusName(alert->status),
                     alert->assignee.isEmpty() ? tr("nobody") : terminalText(alert->assignee),
                     alert->disposition == Disposition::None ? tr("none")
                                                             : dispositionName(alert->disposition));
    out() << tr("Seen: %1 to %2 (UTC), %3 events\n")
                 .arg(isoTime(alert->firstSeenMs), isoTime(alert->lastSeenMs))
                 .arg(alert->eventCount);
    for (auto it = alert->entities.cbegin(); it != alert->entities.cend(); ++it)
        out() << "  " << terminalText(it.key()) << ": "
              << terminalText(it.value().join(QStringLiteral(", "))) << '\n';
    out() << tr("Why: %1\n").arg(terminalText(alert->reason));
    printEvidence(evidence, alert->eventCount);
    printHistory(history);
    out().flush();
    return ExitOk;
}

int triageAlert(AlertService &service, const Identity &who, const AlertsCommand &command)
{
    const QString &action = command.action;
    const int expectedArguments = action == QLatin1String("assign") ? 2 : 1;
    if (command.arguments.size() != expectedArguments) {
        err() << (action == QLatin1String("assign")
                ? tr("Usage: portcullis-cli alerts assign ID USER [--note TEXT]\n")
                : tr("Usage: portcullis-cli alerts %1 ID [--note TEXT]\n").arg(action));
        return ExitUsage;
    }
    qint64 id = 0;
    if (!parseAlertId(command.arguments.first(), &id))
        return ExitUsage;
    const QString note = command.parser.value(QStringLiteral("note"));

    QString error;
    bool ok = false;
    if (action == QLatin1String("ack")) {
        ok = service.acknowledge(who, id, note, &error);
    } else if (action == QLatin1String("assign")) {
        ok = service.assign(who, id, command.arguments.at(1), note, &error);
    } else if (action == QLatin1String("reopen")) {
        ok = service.reopen(who, id, note, &error);
    } else {
        Disposition disposition = Disposition::None;
        const QString name = command.parser.value(QStringLiteral("disposition"));
        if (!dispositionFromName(name, &disposition) || disposition == Disposition::None) {
            err() << tr("alerts close needs --disposition true_positive, false_positive or benign"
                        "%1.\n")
                         .arg(name.isEmpty() ? QString() : tr(" (got '%1')").arg(name));
            return ExitUsage;
        }
        ok = service.close(who, id, disposition, note, &error);
    }
    if (!ok) {
        err() << error << '\n';
        return hasPermission(who, Permission::TriageAlerts) ? ExitFailure : ExitPermissionDenied;
    }
    const std::optional<Alert> alert = service.alert(who, id, &error);
    out() << tr("Alert %1 is now %2").arg(id).arg(alert ? statusName(alert->status) : QString());
    if (alert && !alert->assignee.isEmpty())
        out() << tr(", assigned to %1").arg(terminalText(alert->assignee));
    out() << ".\n";
    out().flush();
    return ExitOk;
}

void addOptions(QCommandLineParser &parser)
{
    parser.setApplicationDescription(
        tr("List stored alerts and change their status.\n"
           "  alerts [list]                 list alerts (newest activity first)\n"
           "  alerts show ID                details, evidence lines and history\n"
           "  alerts ack ID                 acknowledge an open alert\n"
           "  alerts assign ID USER         assign an alert to a user\n"
           "  alerts close ID --disposition true_positive|false_positive|benign\n"
           "  alerts reopen ID              reopen a closed alert"));
    addDatabaseOptions(parser);
    parser.addOption({ QStringLiteral("severity"),
        tr("list: only these severities (repeat or separate with commas)."), QStringLiteral("S") });
    parser.addOption({ QStringLiteral("status"),
        tr("list: only these statuses: open, acknowledged, closed."), QStringLiteral("S") });
    parser.addOption({ QStringLiteral("search"),
        tr("list: only alerts whose title, rule, reason or entities contain TEXT "
           "(case-insensitive)."),
        QStringLiteral("TEXT") });
    parser.addOption({ QStringLiteral("sort"),
        tr("list: sort by id, severity, title, rule, first-seen, last-seen, count, "
           "status or assignee (default last-seen)."),
        QStringLiteral("KEY"), QStringLiteral("last-seen") });
    parser.addOption(
        { QStringLiteral("ascending"), tr("list: sort ascending (default descending).") });
    parser.addOption(
        { QStringLiteral("limit"), tr("list: at most N alerts, 0 for all (default 50)."),
            QStringLiteral("N"), QStringLiteral("50") });
    parser.addOption({ QStringLiteral("offset"), tr("list: skip the first N matching alerts."),
        QStringLiteral("N"), QStringLiteral("0") });
    parser.addOption(
        { QStringLiteral("json"), tr("list: one JSON object per line; show: one JSON object.") });
    parser.addOption({ QStringLiteral("note"),
        tr("ack, assign, close, reopen: a note for the history."), QStringLiteral("TEXT") });
    parser.addOption({ QStringLiteral("disposition"),
        tr("close: true_positive, false_positive or benign."), QStringLiteral("D") });
    parser.addPositionalArgument(QStringLiteral("action"),
        tr("list (default), show, ack, assign, close or reopen."),
        QStringLiteral("[ACTION] [ID] [USER]"));
}

} // namespace

int runAlerts(const QStringList &arguments)
{
    AlertsCommand command;
    addOptions(command.parser);
    int exitCode = ExitOk;
    if (!parseCommandLine(command.parser, arguments, &exitCode))
        return exitCode;

    command.arguments = command.parser.positionalArguments();
    command.action
        = command.arguments.isEmpty() ? QStringLiteral("list") : command.arguments.takeFirst();
    static const QStringList actions { QStringLiteral("list"), QStringLiteral("show"),
        QStringLiteral("ack"), QStringLiteral("assign"), QStringLiteral("close"),
        QStringLiteral("reopen") };
    if (!actions.contains(command.action)) {
        err() << tr("Unknown alerts action '%1'; use list, show, ack, assign, close or reopen.\n")
                     .arg(command.action);
        return ExitUsage;
    }
    if (command.action == QLatin1String("list") && !command.arguments.isEmpty()) {
        err() << tr(
            "alerts list takes no arguments; filter with --severity, --status or --search.\n");
        return ExitUsage;
    }
    // The filters are checked before sign-in, so a typo costs no password prompt.
    AlertQuery query;
    if (command.action == QLatin1String("list") && !buildQuery(command.parser, &query))
        return ExitUsage;

    Store store;
    if (!openDatabase(store.database(), command.parser))
        return ExitFailure;
    Identity identity;
    if (!signIn(store.database(), command.parser, &identity, &exitCode))
        return exitCode;

    AlertService service(store);
    if (command.action == QLatin1String("list"))
        return listAlerts(service, identity, command.parser, query);
    if (command.action == QLatin1String("show"))
        return showAlert(service, identity, command);
    return triageAlert(service, identity, command);
}

} // namespace portcullis::cli
