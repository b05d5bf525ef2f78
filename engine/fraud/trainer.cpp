// SPDX-License-Identifier: GPL-3.0-or-later
#include "fraud/trainer.h"

#include "core/logging.h"

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

} // namespace

bool trainModel(const std::vector<FeatureVector> &rows, const std::vector<float> &labels,
    const TrainOptions &options, TreeModel *model, QByteArray *xgboostJson, QString *error)
{
    if (rows.empty() || rows.size() != labels.size()) {
        *error = tr("no training rows, or rows and labels differ in number (%1, %2)")
                     .arg(rows.size()).arg(labels.size());
        return false;
    }
    Handles h;
    if (!createMatrix(rows, &h.matrix, error))
        return false;
    if (XGDMatrixSetFloatInfo(h.matrix, "label", labels.data(), bst_ulong(labels.size())) != 0) {
        *error = xgboostError("XGDMatrixSetFloatInfo");
        return false;
    }
    if (XGBoosterCreate(&h.matrix, 1, &h.booster) != 0) {
        *error = xgboostError("XGBoosterCreate");
        return false;
    }
    const QList<QPair<QByteArray, QByteArray>> parameters = {
        {"objective", "binary:logistic"},
        {"tree_method", "hist"},
        {"max_depth", QByteArray::number(options.maxDepth)},
        {"eta", QByteArray::number(options.learningRate)},
        {"subsample", QByteArray::number(options.subsample)},
        {"colsample_bytree", QByteArray::number(options.columnSample)},
        {"min_child_weight", QByteArray::number(options.minChildWeight)},
        {"nthread", QByteArray::number(options.threads)},
        {"seed", QByteArray::number(options.seed)},
        {"verbosity", "0"},
    };
    for (const auto &[name, value] : parameters) {
        if (XGBoosterSetParam(h.booster, name.constData(), value.constData()) != 0) {
            *error = xgboostError("XGBoosterSetParam");
            return false;
        }
    }
    for (int round = 0; round < options.rounds; ++round) {
        if (XGBoosterUpdateOneIter(h.booster, round, h.matrix) != 0) {
            *error = xgboostError("XGBoosterUpdateOneIter");
            return false;
        }
    }
    bst_ulong length = 0;
    const char *buffer = nullptr;
    if (XGBoosterSaveModelToBuffer(h.booster, R"({"format": "json"})", &length, &buffer) != 0) {
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
