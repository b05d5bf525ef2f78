// SPDX-License-Identifier: GPL-3.0-or-later
#include "fraud/trainer.h"

#include "core/logging.h"
#include "fraud/metrics.h"

#include <QCoreApplication>
#include <QStringList>

#include <xgboost/c_api.h>

#include <cmath>

namespace portcullis::fraud {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("portcullis::fraud::Trainer", text);
}

QString xgboostError(const char *call)
{
    return tr("XGBoost %1 failed: %2").arg(QLatin1String(call), QString::fromUtf8(XGBGetLastError()));
}

// Owns the XGBoost handles of one call.
struct Handles
{
    DMatrixHandle matrix = nullptr;
    BoosterHandle booster = nullptr;
    ~Handles()
    {
        if (booster)
            XGBoosterFree(booster);
        if (matrix)
            XGDMatrixFree(matrix);
    }
};

bool createMatrix(const std::vector<FeatureVector> &rows, DMatrixHandle *matrix, QString *error)
{
    static_assert(sizeof(FeatureVector) == sizeof(float) * FeatureCount, "rows must be packed");
    if (XGDMatrixCreateFromMat(rows.empty() ? nullptr : rows.front().data(), bst_ulong(rows.size()),
            bst_ulong(FeatureCount), std::nanf(""), matrix) != 0) {
        *error = xgboostError("XGDMatrixCreateFromMat");
        return false;
    }
    return true;
}

QStringList allFeatureNames()
{
    QStringList names;
    for (int i = 0; i < FeatureCount; ++i)
        names.append(featureName(i));
    return names;
}

int boostedRounds(BoosterHandle booster)
{
    int rounds = 0;
    return XGBoosterBoostedRounds(booster, &rounds) == 0 ? rounds : 0;
}

bool setParameters(BoosterHandle booster, const TrainOptions &options, QString *error)
{
    const QList<QPair<QByteArray, QByteArray>> parameters = {
        {"objective", "binary:logistic"},
        {"tree_method", "hist"},
        {"max_depth", QByteArray::number(options.maxDepth)},
        {"eta", QByteArray::number(options.learningRate)},
        {"subsample", QByteArray::number(options.subsample)},
        {"colsample_bytree", QByteArray::number(options.columnSample)},
        {"min_child_weight", QByteArray::number(options.minChildWeight)},
        {"scale_pos_weight", QByteArray::number(options.positiveWeight)},
        {"nthread", QByteArray::number(options.threads)},
        {"seed", QByteArray::number(options.seed)},
        {"verbosity", "0"},
    };
    for (const auto &[name, value] : parameters) {
        if (XGBoosterSetParam(booster, name.constData(), value.constData()) != 0) {
            *error = xgboostError("XGBoosterSetParam");
            return false;
        }
    }
    return true;
}

// Average precision of the current booster on the validation matrix.
bool validationAveragePrecision(BoosterHandle booster, DMatrixHandle matrix,
    const std::vector<int> &labels, double *result, QString *error)
{
    bst_ulong length = 0;
    const float *margins = nullptr;
    // option_mask 1: output margins; the ranking is the same as the probabilities'.
    if (XGBoosterPredict(booster, matrix, 1, 0, 0, &length, &margins) != 0) {
        *error = xgboostError("XGBoosterPredict");
        return false;
    }
    *result = averagePrecision(std::vector<double>(margins, margins + length), labels);
    return true;
}

// Runs the boosting rounds, stopping early on the validation set when requested.
// Returns the number of rounds to keep, or -1 on failure.
int boost(BoosterHandle booster, DMatrixHandle train, DMatrixHandle validationMatrix,
    const TrainOptions &options, ValidationSet *validation, QString *error)
{
    std::vector<int> validationLabels;
    if (validation) {
        for (float y : *validation->labels)
            validationLabels.push_back(y > 0.5f ? 1 : 0);
    }
    int best = options.rounds;
    double bestScore = -1;
    for (int round = 0; round < options.rounds; ++round) {
        if (XGBoosterUpdateOneIter(booster, round, train) != 0) {
            *error = xgboostError("XGBoosterUpdateOneIter");
            return -1;
        }
        if (!validation || options.earlyStoppingRounds == 0)
            continue;
        double score = 0;
        if (!validationAveragePrecision(booster, validationMatrix, validationLabels, &score, error))
            return -1;
        if (score > bestScore) {
            bestScore = score;
            best = round + 1;
        } else if (options.earlyStoppingRounds > 0
            && round + 1 - best >= options.earlyStoppingRounds) {
            break;
        }
    }
    if (!validation || options.earlyStoppingRounds == 0)
        return options.rounds;
    validation->bestAveragePrecision = bestScore;
    validation->bestRounds = best;
    return best;
}

} // namespace

bool trainModel(const std::vector<FeatureVector> &rows, const std::vector<float> &labels,
    const TrainOptions &options, TreeModel *model, QByteArray *xgboostJson, QString *error,
    ValidationSet *validation)
{
    if (rows.empty() || rows.size() != labels.size()) {
        *error = tr("no training rows, or rows and labels differ in number (%1, %2)")
                     .arg(rows.size()).arg(labels.size());
        return false;
    }
    if (validation && (!validation->rows || !validation->labels || validation->rows->empty()
                          || validation->rows->size() != validation->labels->size())) {
        *error = tr("no validation rows, or validation rows and labels differ in number");
        return false;
    }

    Handles h, validationHandles;
    if (!createMatrix(rows, &h.matrix, error))
        return false;
    if (XGDMatrixSetFloatInfo(h.matrix, "label", labels.data(), bst_ulong(labels.size())) != 0) {
        *error = xgboostError("XGDMatrixSetFloatInfo");
        return false;
    }
    DMatrixHandle matrices[2] = {h.matrix, nullptr};
    if (validation) {
        if (!createMatrix(*validation->rows, &validationHandles.matrix, error))
            return false;
        matrices[1] = validationHandles.matrix;
    }
    // Both matrices go to the booster so that it caches their predictions
    // between rounds.
    if (XGBoosterCreate(matrices, validation ? 2 : 1, &h.booster) != 0) {
        *error = xgboostError("XGBoosterCreate");
        return false;
    }
    if (!setParameters(h.booster, options, error))
        return false;

    const int keep = boost(h.booster, h.matrix, validationHandles.matrix, options, validation, error);
    if (keep < 0)
        return false;
    BoosterHandle bestBooster = h.booster;
    Handles sliced;
    if (keep < boostedRounds(h.booster)) {
        if (XGBoosterSlice(h.booster, 0, keep, 1, &sliced.booster) != 0) {
            *error = xgboostError("XGBoosterSlice");
            return false;
        }
        bestBooster = sliced.booster;
    }

    bst_ulong length = 0;
    const char *buffer = nullptr;
    if (XGBoosterSaveModelToBuffer(bestBooster, R"({"format": "json"})", &length, &buffer) != 0) {
        *error = xgboostError("XGBoosterSaveModelToBuffer");
        return false;
    }
    const QByteArray json(buffer, qsizetype(length));
    if (xgboostJson)
        *xgboostJson = json;
    return model->loadXgboostJson(json, allFeatureNames(), error);
}

bool xgboostMargins(const QByteArray &xgboostJson, const std::vector<FeatureVector> &rows,
    std::vector<float> *margins, std::vector<float> *contributions, QString *error)
{
    Handles h;
    if (!createMatrix(rows, &h.matrix, error))
        return false;
    if (XGBoosterCreate(nullptr, 0, &h.booster) != 0
        || XGBoosterLoadModelFromBuffer(h.booster, xgboostJson.constData(),
               bst_ulong(xgboostJson.size())) != 0) {
        *error = xgboostError("XGBoosterLoadModelFromBuffer");
        return false;
    }
    bst_ulong length = 0;
    const float *result = nullptr;
    // option_mask 1: output margins.
    if (XGBoosterPredict(h.booster, h.matrix, 1, 0, 0, &length, &result) != 0) {
        *error = xgboostError("XGBoosterPredict");
        return false;
    }
    margins->assign(result, result + length);
    // option_mask 4 | 8: approximate feature contributions.
    if (contributions) {
        if (XGBoosterPredict(h.booster, h.matrix, 4 | 8, 0, 0, &length, &result) != 0) {
            *error = xgboostError("XGBoosterPredict");
            return false;
        }
        contributions->assign(result, result + length);
    }
    return true;
}

void fitPlatt(const std::vector<float> &margins, const std::vector<float> &labels, double *a,
    double *b)
{
    double positives = 0;
    for (float y : labels)
        positives += y > 0.5f ? 1 : 0;
    const double negatives = double(labels.size()) - positives;
    const double high = (positives + 1) / (positives + 2);
    const double low = 1 / (negatives + 2);
    double A = 1, B = 0;
    for (int iteration = 0; iteration < 100; ++iteration) {
        double gA = 0, gB = 0, hAA = 1e-12, hAB = 0, hBB = 1e-12;
        for (size_t i = 0; i < margins.size(); ++i) {
            const double x = margins[i];
            const double t = labels[i] > 0.5f ? high : low;
            const double p = 1 / (1 + std::exp(-(A * x + B)));
            const double w = p * (1 - p);
            gA += (p - t) * x;
            gB += p - t;
            hAA += w * x * x;
            hAB += w * x;
            hBB += w;
        }
        const double det = hAA * hBB - hAB * hAB;
        if (std::abs(det) < 1e-18)
            break;
        const double dA = (hBB * gA - hAB * gB) / det;
        const double dB = (hAA * gB - hAB * gA) / det;
        A -= dA;
        B -= dB;
        if (std::abs(dA) < 1e-9 && std::abs(dB) < 1e-9)
            break;
    }
    *a = A;
    *b = B;
}

} // namespace portcullis::fraud
