// SPDX-License-Identifier: GPL-3.0-or-later
// `portcullis-cli watch`: follows one backend's telemetry headless and prints
// alerts as they are stored.
#include "alertjson.h"
#include "commands.h"
#include "terminaltext.h"
#include "signin.h"

#include "core/logging.h"
#include "detect/alert.h"
#include "ingest/backendclient.h"
#include "ingest/telemetrypipeline.h"
#include "security/identity.h"
#include "sim/simserver.h"
#include "store/store.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QSocketNotifier>
#include <QTemporaryDir>

#include <csignal>
#include <unistd.h>
#include <memory>

namespace portcullis::cli {

namespace {

constexpr char Context[] = "cli";
constexpr qint64 MaxTokenFileBytes = 4096;

QString tr(const char *text)
{
    return QCoreApplication::translate(Context, text);
}

void printAlert(const Alert &alert, bool json)
{
    if (json) {
        out() << QJsonDocument(alertToJson(alert)).toJson(QJsonDocument::Compact) << '\n';
    } else {
        out() << QStringLiteral("%1  %2  %3  %4 events  %5\n    %6\n")
                     .arg(isoTime(alert.lastSeenMs), severityName(alert.severity).toUpper(),
                         terminalText(alert.ruleId))
                     .arg(alert.eventCount)
                     .arg(terminalText(alert.title), terminalText(alert.reason));
    }
    out().flush();
}

bool readBackendToken(const QString &path, QByteArray *token)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        err() << tr("watch: cannot read the backend token file %1: %2\n")
                     .arg(path, file.errorString());
        return false;
    }
    *token = file.read(MaxTokenFileBytes).trimmed();
    if (token->isEmpty()) {
        err() << tr("watch: the backend token file %1 is empty; put the API token on its first "
                    "line.\n")
                     .arg(path);
        return false;
    }
    return true;
}

// Quits the event loop on SIGINT and SIGTERM through a self-pipe.
int g_signalPipe[2] = { -1, -1 };

void onSignal(int)
{
    const char byte = 1;
    [[maybe_unused]] const auto written = ::write(g_signalPipe[1], &byte, 1);
}

void quitOnSignals()
{
    if (::pipe(g_signalPipe) != 0)
        return;
    auto *notifier = new QSocketNotifier(g_signalPipe[0], QSocketNotifier::Read, qApp);
    QObject::connect(notifier, &QSocketNotifier::activated, qApp, &QCoreApplication::quit);
    std::signal(SIGINT, onSignal);
    std::signal(SIGTERM, onSignal);
}

std::unique_ptr<sim::SimServer> startDemoServer(QString *error)
{
    sim::SimOptions options;
    options.speed = 10;
    options.seed = QRandomGenerator::global()->generate64();
    // An empty options.token makes start() pick a random one.
    sim::SimOptions::parseScenarios(QStringLiteral("all"), &options.scenarios, error);
    auto server = std::make_unique<sim::SimServer>(options);
    if (!server->start(error))
        return nullptr;
    return server;
}

struct WatchTarget {
    BackendSettings settings;
    QString databasePath;
    std::unique_ptr<QTemporaryDir> demoDir;
    std::unique_ptr<sim::SimServer> demoServer;
};

int prepareDemo(WatchTarget *target)
{
    QString error;
    target->demoServer = startDemoServer(&error);
    if (!target->demoServer) {
        err() << tr("watch: the demo backend did not start: %1\n").arg(error);
        return ExitFailure;
    }
    target->demoDir = std::make_unique<QTemporaryDir>();
    if (!target->demoDir->isValid()) {
        err() << tr("watch: cannot create a temporary folder for the demo database: %1\n")
                     .arg(target->demoDir->errorString());
        return ExitFailure;
    }
    target->databasePath = target->demoDir->filePath(QStringLiteral("demo.db"));
    target->settings.name = QStringLiteral("demo");
    target->settings.baseUrl = target->demoServer->baseUrl();
    target->settings.token = target->demoServer->token();
    err() << tr("watch: demo backend on %1, database %2\n")
                 .arg(target->settings.baseUrl.toString(), target->databasePath);
    return ExitOk;
}

int prepareBackend(const QCommandLineParser &parser, WatchTarget *target)
{
    const QString tokenOption = QStringLiteral("backend-token-file");
    if (!parser.isSet(QStringLiteral("url")) || !parser.isSet(tokenOption)) {
        err() << tr("watch: name the backend with --url URL and --backend-token-file FILE, or "
                    "run the demo with --demo.\n");
        return ExitUsage;
    }
    target->settings.baseUrl = QUrl(parser.value(QStringLiteral("url")));
    target->settings.name = parser.value(QStringLiteral("name"));
    if (target->settings.name.isEmpty())
        target->settings.name = target->settings.baseUrl.host();
    if (!readBackendToken(parser.value(QStringLiteral("backend-token-file")),
            &target->settings.token))
        return ExitUsage;
    for (const QString &pin : parser.values(QStringLiteral("pin")))
        target->settings.pinnedKeys.append(QByteArray::fromHex(pin.toLatin1()));
    const QString invalid = BackendClient::validateSettings(target->settings);
    if (!invalid.isEmpty()) {
        err() << tr("watch: %1\n").arg(invalid);
        return ExitUsage;
    }
    return ExitOk;
}

void addWatchOptions(QCommandLineParser &parser)
{
    addDatabaseOptions(parser);
    parser.addOption({ QStringLiteral("demo"),
        tr("Start the backend stand-in on 127.0.0.1 with attack scenarios and watch it, with a "
           "throw-away database.") });
    parser.addOption({ QStringLiteral("url"), tr("Backend base URL (https://HOST[:PORT])."),
        QStringLiteral("URL") });
    parser.addOption({ QStringLiteral("backend-token-file"),
        tr("File whose first line is the backend's API token."), QStringLiteral("FILE") });
    parser.addOption({ QStringLiteral("name"),
        tr("Connection name, which keys the stored cursor (default: the URL's host)."),
        QStringLiteral("NAME") });
    parser.addOption({ QStringLiteral("pin"),
        tr("Pin the backend's key: hex SHA-256 of its SubjectPublicKeyInfo; repeatable."),
        QStringLiteral("HEX") });
    parser.addOption({ QStringLiteral("poll"), tr("Poll only; do not use the event stream.") });
    parser.addOption({ QStringLiteral("silence"),
        tr("Seconds without an event before a telemetry-silence alert (default 300)."),
        QStringLiteral("SECONDS"), QStringLiteral("300") });
    parser.addOption({ QStringLiteral("json"),
        tr("Print each alert as one JSON object per line, with the keys of detect --json.") });
}

int runPipeline(Store &store, const BackendSettings &settings, bool json)
{
    TelemetryPipeline pipeline(store, settings.name, settings.baseUrl);
    QString error;
    if (!pipeline.open(&error)) {
        err() << tr("watch: cannot read the connection state from the database: %1\n").arg(error);
        return ExitFailure;
    }
    BackendClient client(settings);
    pipeline.attach(&client);
    QObject::connect(&pipeline, &TelemetryPipeline::alertsStored,
        [json](const QVector<Alert> &alerts) {
            for (const Alert &alert : alerts)
                printAlert(alert, json);
        });
    QObject::connect(&client, &BackendClient::stateChanged, [&settings](const BackendState &s) {
        err() << tr("watch: %1: %2\n").arg(settings.name, terminalText(stateText(s)));
        err().flush();
    });
    quitOnSignals();
    client.start(pipeline.cursor());
    QCoreApplication::exec();
    client.stop();
    const TelemetryCounters &counters = pipeline.counters();
    err() << tr("watch: %1 events stored, %2 duplicates ignored, %3 quarantined, %4 alert "
                "changes\n")
                 .arg(counters.stored)
                 .arg(counters.duplicates)
                 .arg(counters.quarantined)
                 .arg(counters.alertsChanged);
    return client.state().kind == BackendState::Error ? ExitFailure : ExitOk;
}

} // namespace

int runWatch(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(tr("Follow a backend's security telemetry, run the "
                                        "detections and print alerts as they are stored. "
                                        "Connection states go to stderr. Stop with Ctrl+C."));
    addWatchOptions(parser);
    int exitCode = ExitOk;
    if (!parseCommandLine(parser, arguments, &exitCode))
        return exitCode;

    WatchTarget target;
    const bool demo = parser.isSet(QStringLiteral("demo"));
    exitCode = demo ? prepareDemo(&target) : prepareBackend(parser, &target);
    if (exitCode != ExitOk)
        return exitCode;
    target.settings.useStream = !parser.isSet(QStringLiteral("poll"));
    target.settings.silenceMs = parser.value(QStringLiteral("silence")).toLongLong() * 1000;

    Store store;
    if (demo) {
        QString error;
        if (!store.open(target.databasePath, &error)) {
            err() << tr("watch: cannot open %1: %2\n").arg(target.databasePath, error);
            return ExitFailure;
        }
    } else {
        if (!openDatabase(store.database(), parser))
            return ExitFailure;
        Identity identity;
        if (!signIn(store.database(), parser, &identity, &exitCode))
            return exitCode;
        QString error;
        if (!checkPermission(identity, Permission::ImportLogs, &error)) {
            err() << error << '\n';
            return ExitPermissionDenied;
        }
    }
    return runPipeline(store, target.settings, parser.isSet(QStringLiteral("json")));
}

} // namespace portcullis::cli
