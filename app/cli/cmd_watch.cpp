// SPDX-License-Identifier: GPL-3.0-or-later
// `portcullis-cli watch`: follows one or more backends' telemetry headless and
// prints alerts as they are raised (docs/cli.md).
#include "alertjson.h"
#include "commands.h"
#include "terminaltext.h"
#include "signin.h"

#include "core/logging.h"
#include "detect/alert.h"
#include "ingest/backendclient.h"
#include "ingest/connectionset.h"
#include "ingest/telemetrypipeline.h"
#include "security/identity.h"
#include "sim/simserver.h"
#include "store/store.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QSocketNotifier>
#include <QTemporaryDir>

#include <climits>
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

// An alert's count grows with each event of its burst, so an alert is printed
// when it is raised, and again only when its severity rises or its event
// count reaches ReprintFactor times the count printed last.
constexpr qint64 ReprintFactor = 10;

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

class AlertPrinter {
public:
    explicit AlertPrinter(bool json)
        : m_json(json)
    {
    }

    void print(const Alert &alert)
    {
        const QByteArray key = alert.id > 0 ? QByteArray::number(alert.id) : alert.key;
        const auto it = m_printed.constFind(key);
        if (it != m_printed.constEnd() && alert.severity <= it->severity
            && alert.eventCount < it->eventCount * ReprintFactor)
            return;
        m_printed.insert(key, Printed { alert.severity, std::max<qint64>(1, alert.eventCount) });
        printAlert(alert, m_json);
    }

private:
    struct Printed {
        Severity severity;
        qint64 eventCount;
    };
    bool m_json;
    QHash<QByteArray, Printed> m_printed;
};

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
    QList<BackendSettings> backends;
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
    BackendSettings settings;
    settings.name = QStringLiteral("demo");
    settings.baseUrl = target->demoServer->baseUrl();
    settings.token = target->demoServer->token();
    target->backends.append(settings);
    err() << tr("watch: demo backend on %1, database %2\n")
                 .arg(settings.baseUrl.toString(), target->databasePath);
    return ExitOk;
}

// One connection per --url; --name once per --url and --backend-token-file
// once for all or once per --url, in the same order.
int prepareBackend(const QCommandLineParser &parser, WatchTarget *target)
{
    const QStringList urls = parser.values(QStringLiteral("url"));
    const QStringList names = parser.values(QStringLiteral("name"));
    const QStringList tokenFiles = parser.values(QStringLiteral("backend-token-file"));
    if (urls.isEmpty() || tokenFiles.isEmpty()) {
        err() << tr("watch: name the backend with --url URL and --backend-token-file FILE, or "
                    "run the demo with --demo.\n");
        return ExitUsage;
    }
    if ((!names.isEmpty() && names.size() != urls.size())
        || (tokenFiles.size() > 1 && tokenFiles.size() != urls.size())) {
        err() << tr("watch: %1 --url options but %2 --name and %3 --backend-token-file; give "
                    "--name once per --url, and the token file once for all or once per --url.\n")
                     .arg(urls.size())
                     .arg(names.size())
                     .arg(tokenFiles.size());
        return ExitUsage;
    }
    for (qsizetype i = 0; i < urls.size(); ++i) {
        BackendSettings settings;
        settings.baseUrl = QUrl(urls[i]);
        settings.name = names.isEmpty() ? QString() : names[i];
        if (settings.name.isEmpty() && urls.size() == 1)
            settings.name = settings.baseUrl.host();
        else if (settings.name.isEmpty())
            settings.name = settings.baseUrl.host() + QLatin1Char(':')
                + QString::number(settings.baseUrl.port(443));
        if (!readBackendToken(tokenFiles[tokenFiles.size() > 1 ? i : 0], &settings.token))
            return ExitUsage;
        for (const QString &pin : parser.values(QStringLiteral("pin")))
            settings.pinnedKeys.append(QByteArray::fromHex(pin.toLatin1()));
        settings.caFile = parser.value(QStringLiteral("ca-file"));
        const QString invalid = BackendClient::validateSettings(settings);
        if (!invalid.isEmpty()) {
            err() << tr("watch: %1\n").arg(invalid);
            return ExitUsage;
        }
        target->backends.append(settings);
    }
    return ExitOk;
}

void addWatchOptions(QCommandLineParser &parser)
{
    addDatabaseOptions(parser);
    parser.addOption({ QStringLiteral("demo"),
        tr("Start the backend stand-in on 127.0.0.1 with attack scenarios and watch it, with a "
           "throw-away database.") });
    parser.addOption({ QStringLiteral("url"),
        tr("Backend base URL (https://HOST[:PORT]); repeat to follow several backends."),
        QStringLiteral("URL") });
    parser.addOption({ QStringLiteral("backend-token-file"),
        tr("File whose first line is the backend's API token; once, or once per --url."),
        QStringLiteral("FILE") });
    parser.addOption({ QStringLiteral("name"),
        tr("Connection name, which keys the stored cursor; once per --url (default: the "
           "URL's host, with the port when several URLs are given)."),
        QStringLiteral("NAME") });
    parser.addOption({ QStringLiteral("pin"),
        tr("Pin the backend's key: hex SHA-256 of its SubjectPublicKeyInfo; repeatable, "
           "applies to every --url."),
        QStringLiteral("HEX") });
    parser.addOption({ QStringLiteral("ca-file"),
        tr("PEM file of CA certificates to trust besides the system's, for every --url."),
        QStringLiteral("FILE") });
    parser.addOption({ QStringLiteral("poll"), tr("Poll only; do not use the event stream.") });
    parser.addOption({ QStringLiteral("silence"),
        tr("Seconds without an event before a telemetry-silence alert (default 300, 0 for "
           "none)."),
        QStringLiteral("SECONDS"), QStringLiteral("300") });
    parser.addOption({ QStringLiteral("json"),
        tr("Print each alert as one JSON object per line, with the keys of detect --json.") });
}

// A backend that was never reached is a configuration error: watch exits
// with ExitConnectFailed instead of waiting for it (and raising silence).
bool firstConnectionFailed(const BackendClient &client, const BackendState &state)
{
    if (client.hasReached())
        return false;
    return state.kind == BackendState::Error
        || (state.kind == BackendState::Connecting && !state.reason.isEmpty());
}

bool allFailed(const BackendConnections &connections)
{
    for (const QString &name : connections.names()) {
        if (connections.state(name).kind != BackendState::Error)
            return false;
    }
    return true;
}

void printTotals(const TelemetryCounters &counters)
{
    err() << tr("watch: %1 events stored, %2 duplicates ignored, %3 quarantined, %4 alert "
                "changes (%5 of them the backends' own alerts)\n")
                 .arg(counters.stored)
                 .arg(counters.duplicates)
                 .arg(counters.quarantined)
                 .arg(counters.alertsChanged)
                 .arg(counters.backendAlerts);
}

int followBackends(Store &store, const QList<BackendSettings> &backends, bool json)
{
    BackendConnections connections(store);
    for (const BackendSettings &settings : backends) {
        QString error;
        if (!connections.add(settings, &error)) {
            err() << tr("watch: cannot open the connection %1: %2\n").arg(settings.name, error);
            return ExitFailure;
        }
    }
    AlertPrinter printer(json);
    QObject::connect(&connections, &BackendConnections::alertsStored,
        [&printer](const QString &, const QVector<Alert> &alerts) {
            for (const Alert &alert : alerts)
                printer.print(alert);
        });
    int exitCode = ExitOk;
    QObject::connect(&connections, &BackendConnections::stateChanged,
        [&connections, &exitCode](const QString &name, const BackendState &state) {
            err() << tr("watch: %1: %2\n").arg(name, terminalText(stateText(state)));
            err().flush();
            const BackendClient *client = connections.client(name);
            if (exitCode == ExitOk && client && firstConnectionFailed(*client, state)) {
                err() << tr("watch: cannot reach the backend %1 at %2: %3. Check the URL, the "
                            "token and the certificate, then start watch again.\n")
                             .arg(name, client->settings().baseUrl.toString(),
                                 terminalText(state.reason));
                exitCode = ExitConnectFailed;
                QCoreApplication::exit(exitCode);
            } else if (exitCode == ExitOk && state.kind == BackendState::Error
                && allFailed(connections)) {
                err() << tr("watch: every backend connection stopped with an error.\n");
                exitCode = ExitFailure;
                QCoreApplication::exit(exitCode);
            }
        });
    quitOnSignals();
    connections.startAll();
    if (exitCode == ExitOk)
        QCoreApplication::exec();
    connections.stopAll();
    printTotals(connections.totals());
    return exitCode;
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
    bool silenceOk = false;
    const qint64 silenceSeconds = parser.value(QStringLiteral("silence")).toLongLong(&silenceOk);
    // QTimer takes an int of milliseconds, so 2147483 seconds is the longest period.
    if (!silenceOk || silenceSeconds < 0 || silenceSeconds > INT_MAX / 1000) {
        err() << tr("Invalid --silence '%1'; give a number of seconds from 1 to 2147483, or 0 "
                    "for no telemetry-silence alerts.\n")
                     .arg(terminalText(parser.value(QStringLiteral("silence"))));
        return ExitUsage;
    }

    WatchTarget target;
    const bool demo = parser.isSet(QStringLiteral("demo"));
    exitCode = demo ? prepareDemo(&target) : prepareBackend(parser, &target);
    if (exitCode != ExitOk)
        return exitCode;
    for (BackendSettings &settings : target.backends) {
        settings.useStream = !parser.isSet(QStringLiteral("poll"));
        settings.silenceMs = silenceSeconds * 1000;
    }

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
    return followBackends(store, target.backends, parser.isSet(QStringLiteral("json")));
}

} // namespace portcullis::cli
