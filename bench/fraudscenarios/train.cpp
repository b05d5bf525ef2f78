// SPDX-License-Identifier: GPL-3.0-or-later
// Trains the live demo's model (resources/fraud/demo-model.json) on the
// labelled payments of the backend stand-in: the same features the console
// computes live, XGBoost through the fraud engine's trainer, Platt
// calibration and the recorded figures on the next seed's population,
// which the fit does not see. The held-out figures go into the model file's training facts.
#include "simfeed.h"

#include "fraud/fraudengine.h"
#include "fraud/metrics.h"
#include "fraud/trainer.h"

#include <QDateTime>
#include <QJsonObject>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

using namespace portcullis;

namespace {

struct Rows
{
    std::vector<fraud::FeatureVector> features;
    std::vector<float> labels;
    std::vector<qint64> timesMs;
};

Rows collectRows(quint64 seed, const bench::FeedOptions &base, qint64 *startMs)
{
    bench::FeedOptions options = base;
    options.seed = seed;
    bench::SimFeed feed(options);
    *startMs = feed.startMs();
    fraud::FraudEngine engine;
    Rows rows;
    feed.run([&](const bench::FeedEvent &item) {
        fraud::PaymentRecord record;
        if (!fraud::paymentFromEvent(item.event, &record))
            return;
        if (!fraud::isScored(record.kind)) {
            engine.process(record);
            return;
        }
        fraud::FeatureVector features;
        engine.process(record, &features);
        rows.features.push_back(features);
        rows.labels.push_back(item.label >= 0 ? 1.f : 0.f);
        rows.timesMs.push_back(record.timeMs);
    });
    return rows;
}

} // namespace

int trainDemoModel(quint64 seed, const bench::FeedOptions &base, const QString &path)
{
    bench::FeedOptions options = base;
    options.repeats = std::max(options.repeats, 10);
    qint64 startMs = 0;
    // Fit on one seed; calibrate and measure on the next, a population the
    // fit never saw.
    const Rows fit = collectRows(seed, options, &startMs);
    const Rows held = collectRows(seed + 1, options, &startMs);

    fraud::TreeModel model;
    fraud::TrainOptions train;
    train.rounds = 200;
    QString error;
    if (!fraud::trainModel(fit.features, fit.labels, train, &model, nullptr, &error)) {
        std::fprintf(stderr, "Training failed: %s\n", qPrintable(error));
        return 1;
    }
    std::vector<float> margins;
    for (const fraud::FeatureVector &row : held.features)
        margins.push_back(model.margin(row));
    double a = 1, b = 0;
    fraud::fitPlatt(margins, held.labels, &a, &b);
    model.setCalibration(a, b);

    // Thresholds stay at the model file's probability meaning (review from a
    // calibrated 60%, block from 90%); the held-out rates at them are recorded.
    std::vector<double> scores;
    std::vector<int> labels;
    qint64 benignFlagged = 0, fraudFlagged = 0, fraudBlocked = 0;
    for (size_t i = 0; i < margins.size(); ++i) {
        const int score = fraud::TreeModel::scoreFromProbability(model.probability(margins[i]));
        const bool fraudulent = held.labels[i] > 0.5f;
        scores.push_back(score);
        labels.push_back(fraudulent ? 1 : 0);
        if (score >= model.reviewThreshold)
            (fraudulent ? fraudFlagged : benignFlagged) += 1;
        if (fraudulent && score >= model.blockThreshold)
            ++fraudBlocked;
    }
    const auto frauds = [](const std::vector<float> &l) {
        return qint64(std::count(l.begin(), l.end(), 1.f));
    };
    const qint64 heldFrauds = frauds(held.labels);
    const qint64 heldBenign = qint64(held.labels.size()) - heldFrauds;
    const double auc = fraud::rocAuc(scores, labels);
    const double precision = fraud::averagePrecision(scores, labels);
    model.trainingInfo = QJsonObject{
        {QStringLiteral("source"), QStringLiteral("backend stand-in (engine/sim), labelled "
                                                  "fraud scenarios")},
        {QStringLiteral("command"),
         QStringLiteral("fraud_scenarios --train resources/fraud/demo-model.json --train-seed %1 "
                        "--days %2").arg(seed).arg(options.days)},
        {QStringLiteral("trained_at"), QDateTime::currentDateTimeUtc().toString(Qt::ISODate)},
        {QStringLiteral("fit_seed"), qint64(seed)},
        {QStringLiteral("held_out_seed"), qint64(seed + 1)},
        {QStringLiteral("simulated_days"), options.days},
        {QStringLiteral("scenario_runs_each"), options.repeats},
        {QStringLiteral("fit_payments"), qint64(fit.labels.size())},
        {QStringLiteral("fit_frauds"), frauds(fit.labels)},
        {QStringLiteral("held_out_payments"), qint64(held.labels.size())},
        {QStringLiteral("held_out_frauds"), heldFrauds},
        {QStringLiteral("held_out_roc_auc"), auc},
        {QStringLiteral("held_out_average_precision"), precision},
        {QStringLiteral("held_out_fraud_recall_at_review"),
         heldFrauds ? double(fraudFlagged) / heldFrauds : 0.0},
        {QStringLiteral("held_out_fraud_recall_at_block"),
         heldFrauds ? double(fraudBlocked) / heldFrauds : 0.0},
        {QStringLiteral("held_out_benign_flag_rate"),
         heldBenign ? double(benignFlagged) / heldBenign : 0.0},
        {QStringLiteral("rounds"), train.rounds},
    };
    if (!model.save(path, &error)) {
        std::fprintf(stderr, "Cannot write %s: %s\n", qPrintable(path), qPrintable(error));
        return 1;
    }
    std::printf("Trained on %zu payments (%lld frauds) of seed %llu; held out seed %llu: %zu "
                "payments (%lld frauds), ROC AUC %.4f, average precision %.4f; at review %d: "
                "%.1f%% of frauds and %.3f%% of benign payments flagged; at block %d: %.1f%% of "
                "frauds. Wrote %s\n",
                fit.labels.size(), frauds(fit.labels), (unsigned long long)seed,
                (unsigned long long)(seed + 1), held.labels.size(), heldFrauds, auc, precision,
                model.reviewThreshold, heldFrauds ? 100.0 * fraudFlagged / heldFrauds : 0.0,
                heldBenign ? 100.0 * benignFlagged / heldBenign : 0.0, model.blockThreshold,
                heldFrauds ? 100.0 * fraudBlocked / heldFrauds : 0.0, qPrintable(path));
    return 0;
}
