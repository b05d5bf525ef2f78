// SPDX-License-Identifier: GPL-3.0-or-later
// portcullis-cli import: files into the console's database, with detections.
#include "commands.h"
#include "ruleoptions.h"
#include "terminaltext.h"
#include "signin.h"

#include "ingest/fileimporter.h"
#include "security/identity.h"
#include "store/store.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFileInfo>

#include <unistd.h>

namespace portcullis::cli {

namespace {

// Unparsed lines printed after the summary; the rest are in the database.
constexpr int PrintedUnparsedLines = 5;

QString tr(const char *text)
{
    return QCoreApplication::translate("cli", text);
}

QString number(qint64 value)
{
    return QString::number(value);
}

// One line on standard error, rewritten in place, when it is a terminal.
class ProgressLine {
public:
    ProgressLine()
        : m_enabled(::isatty(STDERR_FILENO) == 1)
    {
    }

    bool update(const ImportProgress &progress)
    {
        if (!m_enabled)
            return true;
        const int percent
            = progress.bytesTotal > 0 ? int(progress.bytesDone * 100 / progress.bytesTotal) : 100;
        const QString text
            = tr("[%1/%2] %3: %4% %5 lines, %6 events, %7 unparsed")
                  .arg(progress.fileIndex + 1)
                  .arg(progress.fileCount)
                  .arg(terminalText(QFileInfo(progress.filePath).fileName()))
                  .arg(percent)
                  .arg(number(progress.lines), number(progress.events), number(progress.unparsed));
        err() << '\r' << text.left(120) << "\x1b[K";
        err().flush();
        m_shown = true;
        return true;
    }

    void clear()
    {
        if (m_shown) {
            err() << "\r\x1b[K";
            err().flush();
        }
    }

private:
    bool m_enabled;
    bool m_shown = false;
};

void printSummary(const ImportSummary &summary)
{
    out() << QCoreApplication::translate("cli", "Files: %n (%1 already imported, %2 continued)\n", nullptr,
                                         int(summary.files))
                 .arg(summary.filesUpToDate)
                 .arg(summary.filesResumed);
    out() << tr("Lines: %1 read, %2 unparsed, %3 cut at %4 bytes\n")
                 .arg(number(summary.lines), number(summary.unparsedLines),
                     number(summary.truncatedLines), number(MaxLineBytes));
    out() << tr("Events: %1 parsed, %2 stored, %3 already stored\n")
                 .arg(number(summary.events), number(summary.eventsStored),
                     number(summary.duplicatesSkipped));
    out() << tr("Alerts: %1 new, %2 updated, %3 suppressed\n")
                 .arg(number(summary.alertsRaised), number(summary.alertsUpdated),
                     number(summary.alertsSuppressed));
    if (summary.eventsAllowListed > 0)
        out() << tr("Events from allow-listed sources, not run through the detections: %1\n")
                     .arg(number(summary.eventsAllowListed));

    if (summary.unparsedLines > 0) {
        out() << tr("Unparsed lines (first %1 of %2; all are kept in the database):\n")
                     .arg(qMin<qint64>(PrintedUnparsedLines, summary.unparsedLines))
                     .arg(number(summary.unparsedLines));
        for (int i = 0; i < summary.unparsedSamples.size() && i < PrintedUnparsedLines; ++i) {
            const UnparsedLine &line = summary.unparsedSamples.at(i);
            out() << "  " << terminalText(line.filePath) << ':' << line.lineNumber << ": "
                  << terminalText(line.text.left(200)) << '\n';
        }
    }
    out().flush();
}

bool readOptions(const QCommandLineParser &parser, ImportOptions *options)
{
    const QString format = parser.value(QStringLiteral("format"));
    if (!formatFromName(format, &options->format)) {
        err() << tr("Unknown --format '%1'; use auto, syslog, web or jsonl.\n").arg(format);
        return false;
    }
    if (parser.isSet(QStringLiteral("batch-size"))) {
        bool ok = false;
        options->batchSize = parser.value(QStringLiteral("batch-size")).toInt(&ok);
        if (!ok || options->batchSize < 1 || options->batchSize > 1000000) {
            err() << tr("Invalid --batch-size '%1'; give a number of events from 1 to 1000000.\n")
                         .arg(parser.value(QStringLiteral("batch-size")));
            return false;
        }
    }
    if (!readRuleOptions(parser, QStringLiteral("import"), options))
        return false;
    if (parser.isSet(QStringLiteral("detection-config"))) {
        QString error;
        if (!options->detection.loadFromFile(
                parser.value(QStringLiteral("detection-config")), &error)) {
            err() << error << '\n';
            return false;
        }
    }
    return true;
}

} // namespace

int runImport(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(tr("Import log files into the console's database and run the "
                                        "detections. Importing a file again adds nothing; an "
                                        "interrupted import continues where it stopped."));
    addDatabaseOptions(parser);
    parser.addOption({ QStringLiteral("format"),
        tr("Log format of every file: auto (detect from the first lines), syslog, "
           "web or jsonl."),
        QStringLiteral("FORMAT"), QStringLiteral("auto") });
    // --config is the name `detect` uses for the same file.
    parser.addOption({ { QStringLiteral("detection-config"), QStringLiteral("config") },
        tr("Detection thresholds file (.json or INI); default: the built-in values."),
        QStringLiteral("FILE") });
    addRuleOptions(parser);
    parser.addOption({ QStringLiteral("batch-size"),
        tr("Events committed per transaction (default 5000)."), QStringLiteral("N") });
    parser.addPositionalArgument(
        QStringLiteral("FILE"), tr("Log files to import."), QStringLiteral("FILE..."));
    int exitCode = ExitOk;
    if (!parseCommandLine(parser, arguments, &exitCode))
        return exitCode;

    ImportOptions options;
    if (!readOptions(parser, &options))
        return ExitUsage;
    const QStringList files = parser.positionalArguments();
    if (files.isEmpty()) {
        err() << tr(
            "import: name at least one log file, e.g. portcullis-cli import /var/log/auth.log\n");
        return ExitUsage;
    }

    Store store;
    if (!openDatabase(store.database(), parser))
        return ExitFailure;
    Identity identity;
    if (!signIn(store.database(), parser, &identity, &exitCode))
        return exitCode;
    if (!hasPermission(identity, Permission::ImportLogs)) {
        QString error;
        checkPermission(identity, Permission::ImportLogs, &error);
        err() << error << '\n';
        return ExitPermissionDenied;
    }

    ImportService service(store, options);
    ImportSummary summary;
    QString error;
    ProgressLine progressLine;
    const bool ok = service.importFiles(identity, files, &summary, &error,
        [&progressLine](const ImportProgress &progress) { return progressLine.update(progress); });
    progressLine.clear();
    printSummary(summary);
    if (!ok) {
        err() << error << '\n';
        err().flush();
        return ExitFailure;
    }
    return summary.unparsedLines > 0 ? ExitInputErrors : ExitOk;
}

} // namespace portcullis::cli
