// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "fraud/featureset.h"
#include "fraud/treemodel.h"

#include <QByteArray>
#include <QString>

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
    int threads = 1;
    int seed = 7;
};

// Trains gradient-boosted trees (binary:logistic, hist) with the XGBoost C
// API on `rows` (NaN = missing) and `labels` (0 or 1), and converts them to
// `model`. `xgboostJson` receives XGBoost's own JSON model when not null.
bool trainModel(const std::vector<FeatureVector> &rows, const std::vector<float> &labels,
    const TrainOptions &options, TreeModel *model, QByteArray *xgboostJson, QString *error);

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
