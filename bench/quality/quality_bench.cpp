// SPDX-License-Identifier: GPL-3.0-or-later
// Detection quality on labelled attacks. For each seed, the backend stand-in
// runs in-process on 127.0.0.1 with every attack scenario scheduled twice
// after a warm-up. Its events (the event log behind
// GET /api/v2/security/events) are parsed by the telemetry pipeline's
// JSON-lines parser and run through DetectionEngine with the payment fraud
// detector, as in the pipeline. The alerts are scored against
// GET /api/v2/sim/labels: per-scenario recall and time to detect, and false
// alerts per 100,000 benign events.
#include "scenarioscore.h"

#include "detect/detectionengine.h"
#include "event/jsonparser.h"
#include "fraud/fraudalerts.h"
#include "sim/generator.h"
#include "sim/simserver.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRandomGenerator>

#include <cstdio>

using namespace portcullis;

namespace {

constexpr qint64 HourMs = 3600 * 1000;
// Scenarios start after this much benign traffic, so that baselines are warm.
constexpr qint64 WarmUpMs = 6 * HourMs;
// The engine's changed alerts are collected after this many events, which
// bounds the time-to-detect resolution.
constexpr int EventsPerBatch = 50;

struct Options {
    int seeds = 5;
    int hours = 24;
    // Benign traffic after the last scenario's window, so that scenarios whose
    // later steps come hours after the first (disputes of friendly fraud come
    // 6 to 17 hours later) play out before the run ends.
    int tailHours = 18;
    int rounds = 2;
    int customers = 1500;
    QString configPath;
    bool explain = false;
};

QJsonObject getJson(QNetworkAccessManager &network, const QUrl &url, const QByteArray &token)
{
    QNetworkRequest request(url);
    request.setRawHeader("Authorization", "Bearer " + token);
    QNetworkReply *reply = network.get(request);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    loop.exec();
    const QByteArray body = reply->readAll();
    if (reply->error() != QNetworkReply::NoError)
        qFatal("GET %s failed: %s", qPrintable(url.toString()), qPrintable(reply->errorString()));
    reply->deleteLater();
    return QJsonDocument::fromJson(body).object();
}

QList<sim::ScheduledScenario> schedule(quint64 seed, const Options &options)
{
    QRandomGenerator random(quint32(seed * 7919 + 11));
    const QStringList names = sim::scenarioNames();
    const int slots = int(names.size()) * options.rounds;
    const qint64 span = qint64(options.hours) * HourMs - WarmUpMs - HourMs;
    const qint64 spacing = span / slots;
    QList<sim::ScheduledScenario> scenarios;
    for (int round = 0; round < options.rounds; ++round) {
        QStringList order = names;
        for (qsizetype i = order.size() - 1; i > 0; --i)
            order.swapItemsAt(i, qsizetype(random.bounded(int(i + 1))));
        for (qsizetype i = 0; i < order.size(); ++i) {
            const qint64 slot = round * names.size() + i;
            const qint64 jitter = qint64(random.bounded(int(spacing / 4)));
            scenarios.append({ order[i], WarmUpMs + slot * spacing + jitter });
        }
    }
    return scenarios;
}

struct Run {
    QVector<bench::Label> labels;
    QVector<bench::ScoredAlert> alerts;
    qint64 events = 0;
    qint64 trackedEntities = 0;
    QHash<QByteArray, quint64> sequenceOf; // event id -> stand-in log sequence, with --explain
};

// The payment fraud detector as TelemetryPipeline adds it, without a model:
// its alerts come from its patterns, and the model only scores payments.
void addFraudDetector(DetectionEngine &engine)
{
    auto detector = std::make_unique<fraud::FraudAlertDetector>();
    detector->setKeepDecisions(false);
    engine.addDetector(std::move(detector));
}

// Prints each false alert of the run (no evidence event in a label) with its
// evidence events as the stand-in logged them, for tuning the detectors.
void explainFalseAlerts(quint64 seed, const Run &run, const sim::EventLog &log)
{
    QSet<QByteArray> labelled;
    for (const bench::Label &label : run.labels)
        labelled.unite(label.eventIds);
    for (const bench::ScoredAlert &scored : run.alerts) {
        const Alert &alert = scored.alert;
        bool isFalse = true;
        for (const QByteArray &id : alert.evidence)
            isFalse = isFalse && !labelled.contains(id);
        if (!isFalse)
            continue;
        std::printf("seed %llu, false %s: %s\n", static_cast<unsigned long long>(seed),
            qPrintable(alert.ruleId), qPrintable(alert.reason));
        for (const QByteArray &id : alert.evidence) {
            const sim::StoredEvent *stored = log.at(run.sequenceOf.value(id));
            std::printf("    %s\n", stored ? stored->json.constData() : id.constData());
        }
    }
}

Run runSeed(quint64 seed, const Options &options, const DetectionConfig &config)
{
    sim::SimOptions simOptions;
    simOptions.seed = seed;
    simOptions.speed = 0;
    simOptions.startTimeMs
        = QDateTime::fromString(QStringLiteral("2026-12-01T05:00:00Z"), Qt::ISODate)
              .toMSecsSinceEpoch();
    simOptions.retentionEvents = 0;
    simOptions.customers = options.customers;
    simOptions.scenarios = schedule(seed, options);
    sim::SimServer server(simOptions);
    QString error;
    if (!server.start(&error))
        qFatal("cannot start the stand-in: %s", qPrintable(error));
    QElapsedTimer phase;
    phase.start();
    server.advanceTo(
        simOptions.startTimeMs + qint64(options.hours + options.tailHours) * HourMs);
    std::fprintf(stderr, "seed %llu: generated in %.1f s\n", static_cast<unsigned long long>(seed),
        double(phase.elapsed()) / 1000.0);

    QNetworkAccessManager network;
    DetectionEngine engine(config);
    addFraudDetector(engine);
    JsonLinesParser parser(ParserOptions {});
    QHash<QByteArray, qint64> firstSeen;
    Run run;
    qint64 newestMs = 0;
    auto collect = [&]() {
        for (const Alert &alert : engine.takeChangedAlerts()) {
            if (!firstSeen.contains(alert.key))
                firstSeen.insert(alert.key, newestMs);
        }
    };
    // The events as GET /api/v2/security/events serves them (the same
    // compact JSON from the stand-in's event log), read in-process because
    // the HTTP round trips of a day's traffic would dominate the run time.
    const sim::EventLog &log = server.log();
    for (quint64 sequence = log.firstSequence(); sequence <= log.lastSequence(); ++sequence) {
        const sim::StoredEvent *stored = log.at(sequence);
        std::vector<Event> events;
        if (!stored || !parser.parseLine(stored->json, LineInfo(), events))
            continue;
        for (Event &event : events) {
            event.id = event.extra.value(QStringLiteral("event.id")).toString().toUtf8();
            if (options.explain)
                run.sequenceOf.insert(event.id, sequence);
            newestMs = qMax(newestMs, event.timestampMs);
            engine.processEvent(event);
            if (++run.events % EventsPerBatch == 0)
                collect();
        }
    }
    collect();
    run.trackedEntities = engine.trackedEntities();
    engine.finish();
    collect();
    for (const Alert &alert : engine.alerts())
        run.alerts.append({ alert, firstSeen.value(alert.key, newestMs) });

    const QUrl labelsUrl = server.baseUrl().resolved(QUrl(QStringLiteral("/api/v2/sim/labels")));
    run.labels = bench::parseLabels(
        getJson(network, labelsUrl, server.token()).value(QStringLiteral("labels")).toArray());
    if (options.explain)
        explainFalseAlerts(seed, run, log);
    server.stop();
    return run;
}

Options parseOptions(const QCoreApplication &app)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Detection quality on labelled attacks"));
    parser.addHelpOption();
    parser.addOption({ QStringLiteral("seeds"), QStringLiteral("Seeds 1..N to run (default 5)."),
        QStringLiteral("N"), QStringLiteral("5") });
    parser.addOption({ QStringLiteral("hours"),
        QStringLiteral("Hours in which the scenarios start, warm-up included, at least 8 (default 24)."), QStringLiteral("H"),
        QStringLiteral("24") });
    parser.addOption({ QStringLiteral("tail-hours"),
        QStringLiteral("Hours of benign traffic after the scenarios' window, so that late steps "
                       "such as disputes happen within the run (default 18)."),
        QStringLiteral("H"), QStringLiteral("18") });
    parser.addOption({ QStringLiteral("rounds"),
        QStringLiteral("Times each scenario runs per seed (default 2)."), QStringLiteral("N"),
        QStringLiteral("2") });
    parser.addOption({ QStringLiteral("customers"),
        QStringLiteral("Customers in the population (default 1500)."), QStringLiteral("N"),
        QStringLiteral("1500") });
    parser.addOption({ QStringLiteral("config"),
        QStringLiteral("Detection settings file (docs/detections.md)."), QStringLiteral("FILE") });
    parser.addOption({ QStringLiteral("explain"),
        QStringLiteral("Print every false alert with its evidence events.") });
    parser.process(app);
    Options options;
    options.seeds = qMax(1, parser.value(QStringLiteral("seeds")).toInt());
    options.hours = qMax(8, parser.value(QStringLiteral("hours")).toInt());
    options.tailHours = qMax(0, parser.value(QStringLiteral("tail-hours")).toInt());
    options.rounds = qMax(1, parser.value(QStringLiteral("rounds")).toInt());
    options.customers = qMax(100, parser.value(QStringLiteral("customers")).toInt());
    options.configPath = parser.value(QStringLiteral("config"));
    options.explain = parser.isSet(QStringLiteral("explain"));
    return options;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const Options options = parseOptions(app);
    DetectionConfig config;
    QString error;
    if (!options.configPath.isEmpty() && !config.loadFromFile(options.configPath, &error)) {
        std::fprintf(stderr, "%s\n", qPrintable(error));
        return 2;
    }

    bench::QualityScore score;
    QElapsedTimer timer;
    timer.start();
    for (int seed = 1; seed <= options.seeds; ++seed) {
        const Run run = runSeed(quint64(seed), options, config);
        score.addRun(run.labels, run.alerts, run.events);
        std::fprintf(stderr, "seed %d: %lld events, %lld alerts, %lld tracked entities, %.1f s\n",
            seed, static_cast<long long>(run.events), static_cast<long long>(run.alerts.size()),
            static_cast<long long>(run.trackedEntities), double(timer.elapsed()) / 1000.0);
    }
    std::printf("Seeds 1-%d, %d simulated hours each (scenarios start in the first %d, after "
                "%lld hours of warm-up), every scenario %d times per seed, %d customers.\n\n%s",
        options.seeds, options.hours + options.tailHours, options.hours,
        static_cast<long long>(WarmUpMs / HourMs), options.rounds, options.customers,
        qPrintable(score.report()));
    std::printf("\nFirst false alerts of each rule:\n");
    for (auto it = score.falseAlertReasons.begin(); it != score.falseAlertReasons.end(); ++it) {
        for (const QString &reason : it.value())
            std::printf("- %s: %s\n", qPrintable(it.key()), qPrintable(reason));
    }
    return 0;
}
