// SPDX-License-Identifier: GPL-3.0-or-later
// Fraud scenario benchmark: runs the backend stand-in's generator over
// several seeds with every labelled fraud scenario repeated, feeds its
// payment events to FraudAlertDetector and reports, per scenario, the share
// of runs its alert caught (recall) and the alerts that touch no labelled
// event per 100,000 benign payments. With --train FILE it trains the demo
// model on one seed's labelled payments instead. Results and commands are in
// docs/benchmarks.md.
#include "simfeed.h"

#include "fraud/fraudalerts.h"
#include "fraud/trainer.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QHash>
#include <QJsonArray>
#include <QSet>

#include <cstdio>
#include <vector>

using namespace portcullis;

namespace {

struct CollectingSink : AlertSink
{
    QHash<QByteArray, Alert> alerts;
    void upsertAlert(const Alert &alert) override { alerts.insert(alert.key, alert); }
};

struct Totals
{
    QHash<QString, int> runs;      // per scenario
    QHash<QString, int> caught;    // by the expected rule
    QHash<QString, int> anyAlert;  // by any fraud rule
    QHash<QString, int> falseAlerts;  // per rule
    qint64 benignPayments = 0;
    qint64 fraudPayments = 0;
    qint64 benignFlagged = 0;  // benign payments the model sent to review or block
    qint64 fraudFlagged = 0;
};

void runSeed(quint64 seed, const bench::FeedOptions &base, const QString &modelPath,
             Totals *totals)
{
    bench::FeedOptions options = base;
    options.seed = seed;
    bench::SimFeed feed(options);
    auto engine = std::make_unique<fraud::FraudEngine>();
    QString error;
    if (!modelPath.isEmpty() && !engine->loadModel(modelPath, &error))
        qFatal("Cannot load the model %s: %s", qPrintable(modelPath), qPrintable(error));
    fraud::FraudAlertDetector detector(std::move(engine));
    CollectingSink sink;
    QHash<QByteArray, int> labelOf;
    qint64 count = 0;
    feed.run([&](const bench::FeedEvent &item) {
        if (item.label >= 0)
            labelOf.insert(item.event.id, item.label);
        detector.processEvent(item.event, sink);
        for (const fraud::Decision &decision : detector.takeDecisions()) {
            const bool fraudulent = item.label >= 0;
            const bool flagged = decision.action != fraud::FraudAction::Allow;
            (fraudulent ? totals->fraudPayments : totals->benignPayments) += 1;
            if (flagged)
                (fraudulent ? totals->fraudFlagged : totals->benignFlagged) += 1;
        }
        if (++count % 512 == 0)
            detector.flush(sink);
    });
    detector.finish(sink);

    QHash<int, QSet<QString>> rulesPerLabel;
    for (const Alert &alert : std::as_const(sink.alerts)) {
        QSet<int> touched;
        for (const QByteArray &id : alert.evidence) {
            const auto it = labelOf.constFind(id);
            if (it != labelOf.constEnd())
                touched.insert(*it);
        }
        if (touched.isEmpty())
            totals->falseAlerts[alert.ruleId] += 1;
        for (int label : std::as_const(touched))
            rulesPerLabel[label].insert(alert.ruleId);
    }
    const QList<sim::AttackLabel> &labels = feed.labels();
    for (int i = 0; i < labels.size(); ++i) {
        const QString &scenario = labels[i].scenario;
        QString expected;
        for (const bench::ScenarioRule &rule : bench::scenarioRules())
            expected = rule.scenario == scenario ? rule.rule : expected;
        if (expected.isEmpty())
            continue;
        totals->runs[scenario] += 1;
        totals->caught[scenario] += rulesPerLabel.value(i).contains(expected) ? 1 : 0;
        totals->anyAlert[scenario] += rulesPerLabel.value(i).isEmpty() ? 0 : 1;
    }
}

void printReport(const Totals &totals, int seeds, const bench::FeedOptions &options)
{
    std::printf("Fraud scenarios: %d seeds x %d simulated days (%d warm-up), %d runs of each "
                "scenario per seed\n\n", seeds, options.days, options.warmupDays,
                options.repeats);
    std::printf("%-24s %-24s %6s %8s %8s %9s\n", "scenario", "expected rule", "runs", "caught",
                "recall", "any alert");
    for (const bench::ScenarioRule &rule : bench::scenarioRules()) {
        const int runs = totals.runs.value(rule.scenario);
        const int caught = totals.caught.value(rule.scenario);
        std::printf("%-24s %-24s %6d %8d %7.1f%% %9d\n", qPrintable(rule.scenario),
                    qPrintable(rule.rule), runs, caught, runs ? 100.0 * caught / runs : 0.0,
                    totals.anyAlert.value(rule.scenario));
    }
    std::printf("\nBenign payments scored: %lld; scenario payments: %lld\n",
                totals.benignPayments, totals.fraudPayments);
    int falseTotal = 0;
    for (const bench::ScenarioRule &rule : bench::scenarioRules()) {
        const int falseAlerts = totals.falseAlerts.value(rule.rule);
        falseTotal += falseAlerts;
        std::printf("%-24s false alerts %5d  = %7.2f per 100,000 benign payments\n",
                    qPrintable(rule.rule), falseAlerts,
                    totals.benignPayments ? 1e5 * falseAlerts / totals.benignPayments : 0.0);
    }
    std::printf("%-24s false alerts %5d  = %7.2f per 100,000 benign payments\n", "all rules",
                falseTotal, totals.benignPayments ? 1e5 * falseTotal / totals.benignPayments : 0.0);
    if (totals.fraudFlagged + totals.benignFlagged > 0) {
        std::printf("\nModel: %.1f%% of scenario payments and %.2f%% of benign payments sent to "
                    "review or block\n",
                    totals.fraudPayments ? 100.0 * totals.fraudFlagged / totals.fraudPayments : 0.0,
                    totals.benignPayments ? 100.0 * totals.benignFlagged / totals.benignPayments
                                          : 0.0);
    }
}

} // namespace

int trainDemoModel(quint64 seed, const bench::FeedOptions &options, const QString &path);
int fillStore(quint64 seed, const bench::FeedOptions &options, const QString &databasePath,
              const QString &modelPath);

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Per-scenario detection of payment fraud"));
    parser.addHelpOption();
    parser.addOption({QStringLiteral("seeds"), QStringLiteral("Seeds 1..N (default 5)."),
                      QStringLiteral("n"), QStringLiteral("5")});
    parser.addOption({QStringLiteral("days"), QStringLiteral("Simulated days per seed (default 4)."),
                      QStringLiteral("n"), QStringLiteral("4")});
    parser.addOption({QStringLiteral("repeats"),
                      QStringLiteral("Runs of each scenario per seed (default 3)."),
                      QStringLiteral("n"), QStringLiteral("3")});
    parser.addOption({QStringLiteral("model"),
                      QStringLiteral("Score payments with this model file and report how many "
                                     "it flags."), QStringLiteral("file")});
    parser.addOption({QStringLiteral("train"),
                      QStringLiteral("Train a model on the labelled payments of --train-seed "
                                     "and write it to this file."), QStringLiteral("file")});
    parser.addOption({QStringLiteral("train-seed"), QStringLiteral("Seed to train on (default 42)."),
                      QStringLiteral("n"), QStringLiteral("42")});
    parser.addOption({QStringLiteral("fill-store"),
                      QStringLiteral("Write the payment events of --train-seed, the fraud alerts "
                                     "and the decisions (scored with --model) into this console "
                                     "database, ending now."), QStringLiteral("file")});
    parser.process(app);

    bench::FeedOptions options;
    options.days = parser.value(QStringLiteral("days")).toInt();
    options.repeats = parser.value(QStringLiteral("repeats")).toInt();
    if (parser.isSet(QStringLiteral("train"))) {
        return trainDemoModel(parser.value(QStringLiteral("train-seed")).toULongLong(), options,
                              parser.value(QStringLiteral("train")));
    }
    if (parser.isSet(QStringLiteral("fill-store"))) {
        return fillStore(parser.value(QStringLiteral("train-seed")).toULongLong(), options,
                         parser.value(QStringLiteral("fill-store")),
                         parser.value(QStringLiteral("model")));
    }
    const int seeds = parser.value(QStringLiteral("seeds")).toInt();
    Totals totals;
    for (int seed = 1; seed <= seeds; ++seed)
        runSeed(quint64(seed), options, parser.value(QStringLiteral("model")), &totals);
    printReport(totals, seeds, options);
    return 0;
}
