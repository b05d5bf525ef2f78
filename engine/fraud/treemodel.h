// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "fraud/calibration.h"
#include "fraud/featureset.h"
#include "fraud/treeeval.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <vector>

namespace portcullis::fraud {

// Version of the model file format written by TreeModel::toJson. Version 2
// added isotonic calibration; version 1 files (Platt only) still load.
inline constexpr int ModelFormatVersion = 2;
inline constexpr int OldestModelFormatVersion = 1;

// A feature's share of one prediction (in log-odds), for decision reasons.
struct Contribution
{
    int feature = -1;
    float value = 0;         // the feature's value (NaN when missing)
    float contribution = 0;  // log-odds added by the feature
};

// Gradient-boosted trees stored as flat arrays and evaluated by walking
// them, so scoring needs no XGBoost call. Loaded from XGBoost's JSON model
// (binary:logistic) or from the project's model file, which adds the format
// version, feature names, the calibration (Platt or isotonic) and decision
// thresholds.
class TreeModel
{
public:
    // Reads trees from XGBoost's JSON model (XGBoosterSaveModelToBuffer with
    // {"format": "json"}). `featureNames` name the training columns in order.
    bool loadXgboostJson(const QByteArray &json, const QStringList &featureNames, QString *error);

    // The project's model file.
    QJsonObject toJson() const;
    bool fromJson(const QJsonObject &object, QString *error);
    bool save(const QString &path, QString *error) const;
    bool load(const QString &path, QString *error);

    bool isEmpty() const { return m_roots.empty(); }
    int treeCount() const { return int(m_roots.size()); }

    // Sum of the trees' leaf values plus the base margin (log-odds).
    float margin(const FeatureVector &features) const;
    // Calibrated probability of fraud for a margin.
    double probability(float margin) const { return m_calibration.probability(margin); }
    // The 0..99 score shown to people: floor(100 * probability), capped at 99.
    static int scoreFromProbability(double probability);
    // Per-feature contributions along the decision paths (Saabas' method,
    // what XGBoost's pred_contribs returns with approx_contribs), largest
    // positive first. The contributions plus the bias sum to the margin.
    std::vector<Contribution> contributions(const FeatureVector &features, float *bias) const;
    // The `count` largest positive contributions, largest first, into `out`;
    // returns how many there are. Allocates nothing.
    int topContributions(const FeatureVector &features, int count, Contribution *out) const;
    // margin() and topContributions() from one walk of the trees; `found`
    // receives how many contributions were written to `out`.
    float marginWithTopContributions(const FeatureVector &features, int count, Contribution *out,
        int *found) const;

    void setCalibration(const Calibration &calibration) { m_calibration = calibration; }
    // Sets Platt scaling p = sigmoid(a * margin + b).
    void setCalibration(double a, double b) { m_calibration = Calibration::platt(a, b); }
    const Calibration &calibration() const { return m_calibration; }
    double plattA() const { return m_calibration.plattA(); }
    double plattB() const { return m_calibration.plattB(); }

    // Score thresholds from training (settings may override them).
    int blockThreshold = 90;
    int reviewThreshold = 60;
    // Free-form facts from training (dates, sizes, parameters).
    QJsonObject trainingInfo;

private:
    QStringList m_featureNames;  // the training columns, in order
    float m_baseMargin = 0;
    Calibration m_calibration;

    // One tree node. A leaf has left == -1 and its leaf value in `value`;
    // a split sends a feature value below `value` left, a missing one to the
    // default side. Child indexes are into m_nodes.
    struct Node
    {
        float value = 0;
        qint16 feature = 0;  // FeatureSet index
        quint8 defaultLeft = 0;
        int left = -1;
        int right = -1;
    };

    bool appendTree(const QJsonObject &tree, const std::vector<int> &columnMap, bool xgboost,
        QString *error);
    bool hasBoundedDepth(int index, int depth) const;
    // Adds each feature's contribution to byFeature, an array of
    // TreeEval::ContributionSlots floats; returns the bias.
    float accumulateContributions(const FeatureVector &features, float *byFeature) const;
    // The `count` largest positive byFeature entries, largest first, into
    // `out`. Only split features can have one.
    int largestContributions(const float *byFeature, const FeatureVector &features, int count,
        Contribution *out) const;
    bool fillMeanValues(int index, int depth, const std::vector<double> &sumHessian, int offset);

    std::vector<int> m_roots;
    std::vector<Node> m_nodes;
    std::vector<float> m_meanValue;  // hessian-weighted mean of each subtree's leaves
    TreeEval m_eval;  // the same trees laid out for scoring
};

} // namespace portcullis::fraud
