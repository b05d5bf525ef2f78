// SPDX-License-Identifier: GPL-3.0-or-later
// `portcullis-cli detect`: the import pipeline on a throw-away store, alerts
// printed as a table or as JSON lines. Needs no account.
#include "alertjson.h"
#include "commands.h"
#include "ruleoptions.h"
#include "signin.h"
#include "terminaltext.h"

#include "detect/detectionengine.h"
#include "event/logparser.h"
#include "ingest/fileimporter.h"
#include "store/store.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

#include <cstdio>

namespace portcullis::cli {

namespace {

constexpr char Context[] = "cli";
constexpr int MaxUnparsedShown = 10;

QString tr(const char *text)
{
    return QCoreApplication::translate(Context, text);
}

void printJson(const QVector<Alert> &alerts)
{
    for (const Alert &alert : alerts)
        out() << QJsonDocument(alertToJson(alert)).toJson(QJsonDocument::Compact) << '\n';
}

// Formats like isoTime() ("2025-12-10T07:13:43.000Z") without a QDateTime,
// which cost about 13,000 instructions per call in Qt 6.4 (callgrind). Falls
// back to isoTime() outside the years 1970 to 9999.
QString tableTime(qint64 ms)
{
    constexpr qint64 MsPerDay = 24 * 3600 * 1000;
    const QDate date = QDate(1970, 1, 1).addDays(ms / MsPerDay);
    if (ms < 0 || date.year() > 9999)
        return isoTime(ms);

    int year = 0;
    int month = 0;
    int day = 0;
    date.getDate(&year, &month, &day);
    const int msOfDay = int(ms % MsPerDay);
    char text[32];
    const int size = std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", year,
        month, day, msOfDay / 3600000, msOfDay / 60000 % 60, msOfDay / 1000 % 60, msOfDay % 1000);
    return QString::fromLatin1(text, size);
}

// One block per alert: a header line with the figures, then the reason.
void printTable(const QVector<Alert> &alerts)
{
    for (const Alert &alert : alerts) {
        QStringList entities;
        for (auto it = alert.entities.constBegin(); it != alert.entities.constEnd(); ++it) {
            const QStringList values = it.value().mid(0, 5);
            const QString more
                = it.value().size() > 5 ? tr(" (+%1 more)").arg(it.value().size() - 5) : QString();
            entities << terminalText(it.key() + QLatin1Char('=') + values.join(QLatin1Char(',')))
                            + more;
        }
        out() << severityName(alert.severity).leftJustified(9) << ' '
              << alert.ruleId.leftJustified(24) << ' ' << tableTime(alert.firstSeenMs) << ' '
              << QString::number(alert.eventCount).rightJustified(7) << "  "
              << entities.join(QLatin1Char(' ')) << '\n'
              << "          " << terminalText(alert.reason) << '\n';
    }
}

void printSummary(const ImportSummary &summary, qint64 alerts, qint64 elapsedMs)
{
    for (int i = 0; i < summary.unparsedSamples.size() && i < MaxUnparsedShown; ++i) {
        const UnparsedLine &line = summary.unparsedSamples.at(i);
        err() << tr("%1:%2: unparsed line: %3\n")
                     .arg(terminalText(line.filePath))
                     .arg(line.lineNumber)
                     .arg(terminalText(line.text.left(200)));
    }
    if (summary.unparsedLines > MaxUnparsedShown) {
        err() << tr("(%1 unparsed lines in all; use --format to choose the format if it was "
                    "detected wrongly)\n")
                     .arg(summary.unparsedLines);
    }
    err() << tr("Files: %1, lines: %2, events: %3, unparsed lines: %4, truncated lines: %5, "
                "alerts: %6, time: %7 s\n")
                 .arg(summary.files)
                 .arg(summary.lines)
                 .arg(summary.events)
                 .arg(summary.unparsedLines)
                 .arg(summary.truncatedLines)
                 .arg(alerts)
                 .arg(double(elapsedMs) / 1000.0, 0, 'f', 2);
    if (summary.alertsSuppressed > 0 || summary.eventsAllowListed > 0) {
        err() << tr("Suppressed alerts: %1, events from allow-listed sources: %2\n")
                     .arg(summary.alertsSuppressed)
                     .arg(summary.eventsAllowListed);
    }
    err().flush();
}

void addOptions(QCommandLineParser &parser)
{
    parser.setApplicationDescription(
        tr("Runs the import pipeline and the detections on log files in a throw-away store "
           "and prints the alerts. The summary goes to standard error."));
    parser.addHelpOption();
    parser.addOption({ QStringLiteral("format"),
        tr("Log format of every file: auto, syslog, web or jsonl (default: auto, "
           "detected per file from its first lines)."),
        tr("format"), QStringLiteral("auto") });
    // --detection-config is the name `import` uses for the same file.
    parser.addOption({ { QStringLiteral("config"), QStringLiteral("detection-config") },
        tr("Detection thresholds and windows from a JSON (.json) or INI file; "
           "see docs/detections.md."),
        tr("file") });
    parser.addOption({ QStringLiteral("json"),
        tr("Print one JSON object per alert per line instead of a table.") });
    parser.addOption({ QStringLiteral("no-store"),
        tr("Do not write events to SQLite, only run the detections (faster; "
           "alerts then have no store id).") });
    addRuleOptions(parser);
    parser.addOption({ QStringLiteral("suppressions"),
        tr("Apply the active suppressions and allow-lists of this console database "
           "(read only)."),
        tr("database") });
    parser.addPositionalArgument(
        QStringLiteral("files"), tr("Log files to read."), QStringLiteral("FILE..."));
}

// Reads the options into `options`; returns false after printing why.
bool readOptions(const QCommandLineParser &parser, ImportOptions *options)
{
    if (!formatFromName(parser.value(QStringLiteral("format")), &options->format)) {
        err() << tr("detect: unknown --format '%1'; use auto, syslog, web or jsonl.\n")
                     .arg(parser.value(QStringLiteral("format")));
        return false;
    }
    if (parser.isSet(QStringLiteral("config"))) {
        QString error;
        if (!options->detection.loadFromFile(parser.value(QStringLiteral("config")), &error)) {
            err() << "detect: " << error << '\n';
            return false;
        }
    }
    options->storeEvents = !parser.isSet(QStringLiteral("no-store"));
    if (!readRuleOptions(parser, QStringLiteral("detect"), options))
        return false;
    if (parser.isSet(QStringLiteral("suppressions"))) {
        QString error;
        if (!loadActiveSuppressions(
                parser.value(QStringLiteral("suppressions")), &options->suppressions, &error)) {
            err() << "detect: " << error << '\n';
            return false;
        }
    }
    return true;
}

} // namespace

int runDetect(const QStringList &arguments)
{
    QCommandLineParser parser;
    addOptions(parser);
    if (!parser.parse(arguments)) {
        err() << "detect: " << parser.errorText() << '\n';
        return ExitUsage;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        out() << commandHelpText(parser, QStringLiteral("detect"));
        return ExitOk;
    }
    const QStringList files = parser.positionalArguments();
    if (files.isEmpty()) {
        err() << tr("detect: no log file given. Usage: portcullis-cli detect [--json] FILE...\n");
        return ExitUsage;
    }
    ImportOptions options;
    if (!readOptions(parser, &options))
        return ExitUsage;

    // The throw-away store: a database file in a temporary folder, removed on exit.
    QTemporaryDir folder;
    Store store;
    QString error;
    if (!folder.isValid()) {
        err() << tr("detect: cannot create a temporary folder: %1\n").arg(folder.errorString());
        return ExitFailure;
    }
    if (!store.open(folder.filePath(QStringLiteral("detect.sqlite")), &error)) {
        err() << tr("detect: cannot open the temporary database: %1\n").arg(error);
        return ExitFailure;
    }
    // The database is deleted on exit, so a crash can lose nothing worth an fsync.
    if (!store.database().exec("PRAGMA synchronous=OFF", &error)) {
        err() << tr("detect: cannot configure the temporary database: %1\n").arg(error);
        return ExitFailure;
    }

    QElapsedTimer timer;
    timer.start();
    ImportService service(store, options);
    ImportSummary summary;
    QVector<Alert> alerts;
    const bool ok = service.detectFiles(files, &summary, &error, {}, &alerts);
    const qint64 elapsedMs = timer.elapsed();

    if (parser.isSet(QStringLiteral("json")))
        printJson(alerts);
    else
        printTable(alerts);
    out().flush();
    printSummary(summary, alerts.size(), elapsedMs);
    if (!ok) {
        err() << "detect: " << error << '\n';
        return ExitFailure;
    }
    return summary.unparsedLines > 0 ? ExitInputErrors : ExitOk;
}

} // namespace portcullis::cli
