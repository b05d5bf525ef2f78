// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "fraud/featureset.h"
#include "fraud/treemodel.h"

#include <QByteArray>
#include <QString>

#include <optional>
#include <vector>

namespace portcullis::fraud {

// XGBoost parameters for `fraud train`.
struct TrainOptions
{
    int rounds = 100;
    int maxDepth = 4;
    double learningRate = 0.15;
    double subsample = 0.8;
    double columnSample = 0.8;
    double minChildWeight = 1;
    // XGBoost's scale_pos_weight: the weight of a fraud row against a genuine one.
    double positiveWeight = 1;
    int threads = 1;
    int seed = 7;
    // With validation rows, training stops once the validation average
    // precision has not improved for this many rounds, and the model keeps
    // the rounds up to the best one. 0 trains all `rounds`.
    int earlyStoppingRounds = 0;
    // The calibration `fraud train` fits; unset picks the one with the lower
    // cross-validated Brier score on the held-out rows.
    std::optional<CalibrationMethod> calibrationMethod;
};

// Held-out rows that early stopping scores after each round, and what it found.
struct ValidationSet
{
    const std::vector<FeatureVector> *rows = nullptr;
    const std::vector<float> *labels = nullptr;
    int bestRounds = 0;                 // rounds kept
    double bestAveragePrecision = 0;    // validation average precision after them
};

// Trains gradient-boosted trees (binary:logistic, hist) with the XGBoost C
// API on `rows` (NaN = missing) and `labels` (0 or 1), and converts them to
// `model`. `xgboostJson` receives XGBoost's own JSON model when not null.
// `validation`, when not null, is scored after every round for early
// stopping (TrainOptions::earlyStoppingRounds) and receives the best round.
bool trainModel(const std::vector<FeatureVector> &rows, const std::vector<float> &labels,
    const TrainOptions &options, TreeModel *model, QByteArray *xgboostJson, QString *error,
    ValidationSet *validation = nullptr);

// XGBoost's margins (log-odds) for `rows` from its JSON model, to check
// that TreeModel's walk returns the same numbers. `contributions`, when
// not null, receives the approximate contributions (FeatureCount + 1 values
// per row, the bias last).
bool xgboostMargins(const QByteArray &xgboostJson, const std::vector<FeatureVector> &rows,
    std::vector<float> *margins, std::vector<float> *contributions, QString *error);

// Fits Platt scaling p = sigmoid(a * margin + b) by Newton's method on the
// log loss, with Platt's smoothed targets.
void fitPlatt(const std::vector<float> &margins, const std::vector<float> &labels, double *a,
    double *b);

} // namespace portcullis::fraud
