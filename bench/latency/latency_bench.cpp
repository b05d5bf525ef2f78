// SPDX-License-Identifier: GPL-3.0-or-later
// Telemetry latency and throughput: the backend stand-in runs in its own
// thread on 127.0.0.1, the client and a SQLite store in a temporary folder on
// the main thread, as `portcullis-cli watch` runs them.
//
// 1. Streaming latency: the stand-in runs in real time at --speed with every
//    attack scenario for --seconds. Latency is the wall time from the
//    stand-in's emission of an event to the commit of the page that stores
//    it, and for an alert from the emission of its newest evidence event to
//    the commit that stores the alert.
// 2. Throughput: --backlog events are emitted at once, and a second client
//    pulls every event from the start (polling, then the stream). Events per
//    second is the events stored over the wall time until the last commit.
#include "ingest/backendclient.h"
#include "ingest/telemetrypipeline.h"
#include "sim/simserver.h"
#include "store/store.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QMutex>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>

using namespace portcullis;

namespace {

qint64 nowUs()
{
    using namespace std::chrono;
    return duration_cast<microseconds>(steady_clock::now().time_since_epoch()).count();
}

// Wall time of each emitted sequence, written by the stand-in's thread.
struct EmissionClock {
    QMutex mutex;
    std::vector<qint64> timeUs { 0 };  // index: sequence

    void record(quint64 lastSequence)
    {
        const qint64 now = nowUs();
        QMutexLocker lock(&mutex);
        while (timeUs.size() <= lastSequence)
            timeUs.push_back(now);
    }
    qint64 at(quint64 sequence)
    {
        QMutexLocker lock(&mutex);
        return sequence < timeUs.size() ? timeUs[sequence] : 0;
    }
};

// The stand-in's cursors and event ids end in "-SEQUENCE".
quint64 sequenceOf(QByteArrayView text)
{
    const qsizetype dash = text.lastIndexOf('-');
    return dash < 0 ? 0 : text.sliced(dash + 1).toByteArray().toULongLong();
}

double percentile(std::vector<qint64> values, double p)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    const size_t index = std::min(values.size() - 1, size_t(p * double(values.size())));
    return double(values[index]) / 1000.0;
}

struct Bench {
    QThread simThread;
    sim::SimServer *server = nullptr;
    EmissionClock clock;
    QTemporaryDir dir;
    Store store;

    bool startServer(double speed)
    {
        sim::SimOptions options;
        options.seed = 42;
        options.speed = speed;
        QString error;
        sim::SimOptions::parseScenarios(QStringLiteral("all"), &options.scenarios, &error);
        // The server is built in its thread because its member timers have no
        // parent, so moveToThread() would leave them in this one.
        simThread.start();
        QObject context;
        context.moveToThread(&simThread);
        bool ok = false;
        QMetaObject::invokeMethod(&context, [&] {
            server = new sim::SimServer(options);
            QObject::connect(server, &sim::SimServer::eventsEmitted, server,
                [this](quint64 last) { clock.record(last); }, Qt::DirectConnection);
            ok = server->start(&error);
        }, Qt::BlockingQueuedConnection);
        if (!ok)
            std::fprintf(stderr, "the stand-in did not start: %s\n", qPrintable(error));
        return ok;
    }

    void stopServer()
    {
        QMetaObject::invokeMethod(server, [this] { server->stop(); delete server; },
            Qt::BlockingQueuedConnection);
        simThread.quit();
        simThread.wait();
    }

    BackendSettings settings()
    {
        BackendSettings settings;
        settings.name = QStringLiteral("bench");
        settings.baseUrl = server->baseUrl();
        settings.token = server->token();
        settings.streamRetryMs = 100;
        return settings;
    }
};

int runLatency(Bench &bench, int seconds)
{
    TelemetryPipeline pipeline(bench.store, QStringLiteral("bench"), QUrl());
    QString error;
    if (!pipeline.open(&error))
        return 1;
    std::vector<qint64> eventLatencyUs;
    std::vector<qint64> alertLatencyUs;
    quint64 committed = 0;
    QObject::connect(&pipeline, &TelemetryPipeline::pageCommitted, [&](qint64, const QString &c) {
        const qint64 now = nowUs();
        const quint64 last = sequenceOf(c.toLatin1());
        for (quint64 s = committed + 1; s <= last; ++s)
            eventLatencyUs.push_back(now - bench.clock.at(s));
        committed = std::max(committed, last);
    });
    QObject::connect(&pipeline, &TelemetryPipeline::alertsStored, [&](const QVector<Alert> &as) {
        const qint64 now = nowUs();
        for (const Alert &alert : as) {
            if (!alert.evidence.isEmpty())
                alertLatencyUs.push_back(now - bench.clock.at(sequenceOf(alert.evidence.last())));
        }
    });
    BackendClient client(bench.settings());
    pipeline.attach(&client);
    // Start at the stand-in's newest event, so that the stream opens at once.
    client.start(bench.server->epoch() + QStringLiteral("-0"));
    QTimer::singleShot(seconds * 1000, qApp, &QCoreApplication::quit);
    QCoreApplication::exec();
    client.stop();

    std::printf("streaming, %d s: %zu events, event latency p50 %.1f ms p99 %.1f ms; "
                "%zu alert updates, alert latency p50 %.1f ms p99 %.1f ms; state: %s\n",
        seconds, eventLatencyUs.size(), percentile(eventLatencyUs, 0.5),
        percentile(eventLatencyUs, 0.99), alertLatencyUs.size(), percentile(alertLatencyUs, 0.5),
        percentile(alertLatencyUs, 0.99), qPrintable(stateText(client.state())));
    return 0;
}

int runThroughput(Bench &bench, qint64 backlog)
{
    QTemporaryDir dir;
    Store store;
    QString error;
    if (!store.open(dir.filePath(QStringLiteral("throughput.db")), &error))
        return 1;
    qint64 lastSequence = 0;
    QMetaObject::invokeMethod(bench.server, [&] {
        bench.server->fastForward(backlog);
        lastSequence = bench.server->log().lastSequence();
    }, Qt::BlockingQueuedConnection);

    TelemetryPipeline pipeline(store, QStringLiteral("throughput"), QUrl());
    if (!pipeline.open(&error))
        return 1;
    BackendClient client(bench.settings());
    pipeline.attach(&client);
    QElapsedTimer timer;
    QObject::connect(&pipeline, &TelemetryPipeline::pageCommitted, [&](qint64, const QString &c) {
        if (qint64(sequenceOf(c.toLatin1())) >= lastSequence)
            QCoreApplication::quit();
    });
    timer.start();
    client.start(QString());
    QCoreApplication::exec();
    const double seconds = double(timer.elapsed()) / 1000.0;
    std::printf("throughput: %lld events (every event since the start) in %.2f s: %.0f events/s "
                "stored, %lld alert updates\n",
        static_cast<long long>(pipeline.counters().stored), seconds,
        double(pipeline.counters().stored) / seconds,
        static_cast<long long>(pipeline.counters().alertsChanged));
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addOption({ QStringLiteral("seconds"), QStringLiteral("Length of the streaming run."),
        QStringLiteral("N"), QStringLiteral("60") });
    parser.addOption({ QStringLiteral("speed"),
        QStringLiteral("Simulated seconds per real second of the stand-in."), QStringLiteral("X"),
        QStringLiteral("10") });
    parser.addOption({ QStringLiteral("backlog"),
        QStringLiteral("Events emitted at once for the throughput run."), QStringLiteral("N"),
        QStringLiteral("200000") });
    parser.process(app);

    Bench bench;
    QString error;
    if (!bench.store.open(bench.dir.filePath(QStringLiteral("latency.db")), &error)) {
        std::fprintf(stderr, "cannot open the store: %s\n", qPrintable(error));
        return 1;
    }
    if (!bench.startServer(parser.value(QStringLiteral("speed")).toDouble()))
        return 1;
    int rc = runLatency(bench, parser.value(QStringLiteral("seconds")).toInt());
    if (rc == 0)
        rc = runThroughput(bench, parser.value(QStringLiteral("backlog")).toLongLong());
    bench.stopServer();
    return rc;
}
