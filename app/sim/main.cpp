// SPDX-License-Identifier: GPL-3.0-or-later
// portcullis-sim: the BookedBarber backend stand-in on 127.0.0.1.
#include "sim/simlogging.h"
#include "sim/simserver.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QLoggingCategory>
#include <QTextStream>
#include <QTimer>

#include <csignal>
#include <cstdio>

using namespace portcullis::sim;

namespace {

volatile std::sig_atomic_t stopRequested = 0;

void requestStop(int)
{
    stopRequested = 1;
}

QString translate(const char *text)
{
    return QCoreApplication::translate("portcullis-sim", text);
}

bool fail(const QString &message)
{
    QTextStream(stderr) << "portcullis-sim: " << message << '\n';
    return false;
}

bool readRetention(const QString &text, SimOptions *options)
{
    bool isCount = false;
    const qint64 count = text.toLongLong(&isCount);
    if (isCount && count >= 0) {
        options->retentionEvents = count;
        return true;
    }
    if (SimOptions::parseDuration(text, &options->retentionMs)) {
        options->retentionEvents = 0;
        return true;
    }
    return fail(translate("--retention \"%1\" is neither an event count (500000) nor a "
                          "simulated duration (90s, 15m, 2h)")
                    .arg(text));
}

bool readOptions(const QCommandLineParser &parser, SimOptions *options)
{
    bool ok = true;
    const uint port = parser.value(QStringLiteral("port")).toUInt(&ok);
    if (!ok || port > 65535)
        return fail(translate("--port \"%1\" must be 0 to 65535")
                        .arg(parser.value(QStringLiteral("port"))));
    options->port = quint16(port);
    options->token = parser.value(QStringLiteral("token")).toUtf8();
    if (options->token.isEmpty())
        options->token = qgetenv("PORTCULLIS_SIM_TOKEN");
    options->seed = parser.value(QStringLiteral("seed")).toULongLong(&ok);
    if (!ok)
        return fail(translate("--seed must be a whole number"));
    options->speed = parser.value(QStringLiteral("speed")).toDouble(&ok);
    if (!ok || options->speed < 0)
        return fail(translate("--speed must be 0 or more simulated seconds per second"));
    if (parser.isSet(QStringLiteral("start"))) {
        const QDateTime start
            = QDateTime::fromString(parser.value(QStringLiteral("start")), Qt::ISODate);
        if (!start.isValid())
            return fail(
                translate("--start \"%1\" is not an ISO 8601 time such as 2026-12-01T09:00:00Z")
                    .arg(parser.value(QStringLiteral("start"))));
        options->startTimeMs = start.toMSecsSinceEpoch();
    }
    QString error;
    if (!SimOptions::parseScenarios(
            parser.value(QStringLiteral("scenarios")), &options->scenarios, &error)
        || !FaultOptions::parse(parser.value(QStringLiteral("faults")), &options->faults, &error))
        return fail(error);
    options->replayFile = parser.value(QStringLiteral("replay"));
    options->tlsCertificateFile = parser.value(QStringLiteral("tls-cert"));
    options->tlsKeyFile = parser.value(QStringLiteral("tls-key"));
    options->customers = parser.value(QStringLiteral("customers")).toInt(&ok);
    if (!ok || options->customers < 1)
        return fail(translate("--customers must be 1 or more"));
    return !parser.isSet(QStringLiteral("retention"))
        || readRetention(parser.value(QStringLiteral("retention")), options);
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("portcullis-sim"));
    QCoreApplication::setApplicationVersion(QStringLiteral(PORTCULLIS_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        translate("Stand-in for the BookedBarber backend: serves generated security telemetry, a "
                  "server-sent event stream and the response-action API on 127.0.0.1 "
                  "(see docs/telemetry-api.md)."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addOptions({
        { QStringLiteral("port"), translate("TCP port on 127.0.0.1; 0 picks a free one."),
            QStringLiteral("port"), QStringLiteral("8787") },
        { QStringLiteral("token"),
            translate("Bearer token clients must send. Default: $PORTCULLIS_SIM_TOKEN, else a "
                      "random token printed once."),
            QStringLiteral("token") },
        { QStringLiteral("seed"),
            translate("Random seed; one seed and start time give the same events."),
            QStringLiteral("n"), QStringLiteral("1") },
        { QStringLiteral("speed"),
            translate("Simulated seconds per real second (0 pauses the clock)."),
            QStringLiteral("factor"), QStringLiteral("1") },
        { QStringLiteral("start"), translate("Simulated start time, ISO 8601 UTC. Default: now."),
            QStringLiteral("time") },
        { QStringLiteral("scenarios"),
            translate("Attacks to inject: NAME@OFFSET,... (offset in simulated seconds or with "
                      "s/m/h), \"all\" or \"none\"."),
            QStringLiteral("list"), QStringLiteral("all") },
        { QStringLiteral("replay"),
            translate("Log file to replay as events (auth.log, access log or JSON lines)."),
            QStringLiteral("file") },
        { QStringLiteral("faults"),
            translate("Fault injection: 5xx=P,slow=P:MS,truncate=P,drop=P,expire=P,duplicate=P or "
                      "all=P."),
            QStringLiteral("list") },
        { QStringLiteral("retention"),
            translate("Events kept for paging: a count (500000) or a simulated age (2h)."),
            QStringLiteral("limit") },
        { QStringLiteral("customers"), translate("Number of simulated customers."),
            QStringLiteral("n"), QStringLiteral("1500") },
        { QStringLiteral("tls-cert"),
            translate("PEM certificate: serve HTTPS (needs --tls-key)."), QStringLiteral("file") },
        { QStringLiteral("tls-key"),
            translate("PEM private key of --tls-cert, unencrypted."), QStringLiteral("file") },
        { QStringLiteral("fast-forward"),
            translate("Emit this many events at once before serving."), QStringLiteral("n"),
            QStringLiteral("0") },
    });
    parser.process(app);

    if (qEnvironmentVariableIsEmpty("QT_LOGGING_RULES"))
        QLoggingCategory::setFilterRules(QStringLiteral("portcullis.sim.info=true"));
    SimOptions options;
    if (!readOptions(parser, &options))
        return 2;
    bool countOk = false;
    const qint64 fastForward = parser.value(QStringLiteral("fast-forward")).toLongLong(&countOk);
    if (!countOk || fastForward < 0) {
        fail(translate("--fast-forward must be a count of events, 0 or more"));
        return 2;
    }
    const bool printToken = options.token.isEmpty();

    SimServer server(options);
    QString error;
    if (!server.start(&error)) {
        fail(error);
        return 1;
    }

    if (fastForward > 0)
        qCInfo(lcSim) << "fast-forwarded" << server.fastForward(fastForward) << "events";

    QTextStream out(stdout);
    out << "PORTCULLIS_SIM_URL=" << server.baseUrl().toString() << '\n';
    if (printToken)
        out << "PORTCULLIS_SIM_TOKEN=" << QString::fromLatin1(server.token()) << '\n';
    out.flush();

    std::signal(SIGINT, requestStop);
    std::signal(SIGTERM, requestStop);
    QTimer stopPoll;
    QObject::connect(&stopPoll, &QTimer::timeout, &app, [] {
        if (stopRequested)
            QCoreApplication::quit();
    });
    stopPoll.start(200);

    const int status = app.exec();
    server.stop();
    return status;
}
