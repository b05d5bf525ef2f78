// SPDX-License-Identifier: GPL-3.0-or-later
// Writes the stand-in's payment events, the fraud alerts and the engine's
// decisions into a console database, as the telemetry pipeline does once
// FraudAlertDetector is wired into it: for trying the Fraud view on real
// figures (docs/user-guide.md, "Fraud").
#include "simfeed.h"

#include "fraud/fraudalerts.h"
#include "fraud/fraudstore.h"
#include "store/store.h"

#include <QDateTime>

#include <cstdio>
#include <vector>

using namespace portcullis;

namespace {

struct StoreSink : AlertSink
{
    QVector<Alert> alerts;
    void upsertAlert(const Alert &alert) override { alerts.append(alert); }
};

bool commitBatch(Store &store, std::vector<Event> &events, fraud::FraudAlertDetector &detector,
                 StoreSink &sink, qint64 *decisions, QString *error)
{
    detector.flush(sink);
    if (!store.database().begin(error))
        return false;
    qint64 inserted = 0;
    bool ok = store.insertEvents(events, &inserted, error);
    fraud::FraudStore fraudStore(store.database());
    for (const fraud::Decision &decision : detector.takeDecisions()) {
        ok = ok && fraudStore.recordDecision(decision, error);
        ++*decisions;
    }
    for (Alert &alert : sink.alerts)
        ok = ok && store.upsertAlert(alert, error);
    sink.alerts.clear();
    events.clear();
    if (!ok) {
        store.database().rollback();
        return false;
    }
    return store.database().commit(error);
}

} // namespace

int fillStore(quint64 seed, const bench::FeedOptions &base, const QString &databasePath,
              const QString &modelPath)
{
    bench::FeedOptions options = base;
    options.seed = seed;
    options.warmupDays = 0;
    options.startMs = QDateTime::currentMSecsSinceEpoch() - qint64(options.days) * 86400000;
    Store store;
    QString error;
    if (!store.open(databasePath, &error)) {
        std::fprintf(stderr, "Cannot open %s: %s\n", qPrintable(databasePath), qPrintable(error));
        return 1;
    }
    auto engine = std::make_unique<fraud::FraudEngine>();
    if (!modelPath.isEmpty() && !engine->loadModel(modelPath, &error)) {
        std::fprintf(stderr, "Cannot load %s: %s\n", qPrintable(modelPath), qPrintable(error));
        return 1;
    }
    fraud::FraudAlertDetector detector(std::move(engine));
    StoreSink sink;
    std::vector<Event> batch;
    qint64 events = 0, decisions = 0;
    bench::SimFeed feed(options);
    bool ok = true;
    feed.run([&](const bench::FeedEvent &item) {
        if (!ok)
            return;
        detector.processEvent(item.event, sink);
        batch.push_back(item.event);
        ++events;
        if (batch.size() >= 2000)
            ok = commitBatch(store, batch, detector, sink, &decisions, &error);
    });
    detector.finish(sink);
    ok = ok && commitBatch(store, batch, detector, sink, &decisions, &error);
    if (!ok) {
        std::fprintf(stderr, "Cannot write %s: %s\n", qPrintable(databasePath), qPrintable(error));
        return 1;
    }
    std::printf("Stored %lld payment events and %lld decisions in %s\n", events, decisions,
                qPrintable(databasePath));
    return 0;
}
