// SPDX-License-Identifier: GPL-3.0-or-later
// Fraud scenario benchmark: runs the backend stand-in's generator over
// several seeds with every labelled fraud scenario repeated, feeds its
// payment events to FraudAlertDetector and reports, per scenario, the share
// of runs its alert caught (recall), the time from a run's first event to its
// alert, and the alerts that touch no labelled event per 100,000 benign
// payments. With --train FILE it trains the demo
// model on one seed's labelled payments instead. Results and commands are in
// docs/benchmarks.md.
#include "scorecard.h"
#include "simfeed.h"

#include <QCommandLineParser>
#include <QCoreApplication>

#include <algorithm>
#include <cstdio>
#include <vector>

using namespace portcullis;

namespace {

double median(std::vector<double> values)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    const size_t middle = values.size() / 2;
    return values.size() % 2 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
}

double maximum(const std::vector<double> &values)
{
    return values.empty() ? 0 : *std::max_element(values.begin(), values.end());
}

void printReport(const bench::Totals &totals, int seeds, const bench::FeedOptions &options)
{
    std::printf("Fraud scenarios: %d seeds x %d simulated days (%d warm-up), %d runs of each "
                "scenario per seed\n\n", seeds, options.days, options.warmupDays,
                options.repeats);
    std::printf("%-22s %-23s %5s %7s %7s %9s %12s %12s\n", "scenario", "expected rule", "runs",
                "caught", "recall", "any alert", "median min", "max min");
    for (const bench::ScenarioRule &rule : bench::scenarioRules()) {
        const int runs = totals.runs.value(rule.scenario);
        const int caught = totals.caught.value(rule.scenario);
        const std::vector<double> minutes = totals.detectMinutes.value(rule.scenario);
        std::printf("%-22s %-23s %5d %7d %6.1f%% %9d %12.1f %12.1f\n",
                    qPrintable(rule.scenario), qPrintable(rule.rule), runs, caught,
                    runs ? 100.0 * caught / runs : 0.0, totals.anyAlert.value(rule.scenario),
                    median(minutes), maximum(minutes));
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
    parser.addOption({QStringLiteral("trace"),
                      QStringLiteral("List every false alert and every missed scenario run.")});
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
    const bool trace = parser.isSet(QStringLiteral("trace"));
    bench::Totals totals;
    for (int seed = 1; seed <= seeds; ++seed) {
        bench::scoreSeed(quint64(seed), options, parser.value(QStringLiteral("model")), trace,
                         &totals);
    }
    printReport(totals, seeds, options);
    for (const QString &line : std::as_const(totals.trace))
        std::printf("%s\n", qPrintable(line));
    return 0;
}
