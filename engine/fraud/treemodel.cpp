// SPDX-License-Identifier: GPL-3.0-or-later
#include "fraud/treemodel.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>

#include <algorithm>
#include <cmath>

namespace portcullis::fraud {

namespace {

const QString FormatName = QStringLiteral("portcullis-fraud-model");
constexpr int MaxTreeDepth = 64;

QString tr(const char *text)
{
    return QCoreApplication::translate("portcullis::fraud::TreeModel", text);
}

QJsonArray toArray(const std::vector<float> &values)
{
    QJsonArray array;
    for (float v : values)
        array.append(double(v));
    return array;
}

QJsonArray toArray(const std::vector<int> &values)
{
    QJsonArray array;
    for (int v : values)
        array.append(v);
    return array;
}

// Maps model column names to FeatureSet indexes; fails on an unknown name.
bool mapColumns(const QStringList &names, std::vector<int> *map, QString *error)
{
    map->clear();
    for (const QString &name : names) {
        const int index = featureIndex(name);
        if (index < 0) {
            *error = tr("the model uses feature '%1', which this version does not compute; "
                        "train the model again").arg(name);
            return false;
        }
        map->push_back(index);
    }
    return true;
}

double numberOf(const QJsonValue &value)
{
    // XGBoost writes some parameters as strings ("5E-1").
    return value.isString() ? value.toString().toDouble() : value.toDouble();
}

} // namespace

bool TreeModel::appendTree(const QJsonObject &tree, const std::vector<int> &columnMap,
    bool xgboost, QString *error)
{
    const QJsonArray left = tree.value(QLatin1String(xgboost ? "left_children" : "left")).toArray();
    const QJsonArray right = tree.value(QLatin1String(xgboost ? "right_children" : "right")).toArray();
    const QJsonArray feature = tree.value(QLatin1String(xgboost ? "split_indices" : "feature")).toArray();
    const QJsonArray value = tree.value(QLatin1String(xgboost ? "split_conditions" : "value")).toArray();
    const QJsonArray defaultLeft = tree.value(QLatin1String("default_left")).toArray();
    const QJsonArray hessian = tree.value(QLatin1String("sum_hessian")).toArray();
    const QJsonArray mean = tree.value(QLatin1String("mean")).toArray();
    const qsizetype count = left.size();
    const bool sizesMatch = right.size() == count && feature.size() == count
        && value.size() == count && defaultLeft.size() == count
        && (xgboost ? hessian.size() == count : mean.size() == count);
    if (count == 0 || !sizesMatch) {
        *error = tr("tree %1: node arrays are empty or of different lengths").arg(m_roots.size());
        return false;
    }

    const int offset = int(m_nodes.size());
    m_roots.push_back(offset);
    std::vector<double> sumHessian(size_t(count), 0);
    for (qsizetype i = 0; i < count; ++i) {
        Node node;
        node.value = float(value.at(i).toDouble());
        node.defaultLeft = defaultLeft.at(i).toInt() != 0 ? 1 : 0;
        const int l = left.at(i).toInt(-1);
        const int r = right.at(i).toInt(-1);
        if (l >= 0) {
            const int column = feature.at(i).toInt(-1);
            if (l >= count || r < 0 || r >= count || l == i || r == i || column < 0
                || column >= int(columnMap.size())) {
                *error = tr("tree %1, node %2: child or feature index out of range")
                             .arg(m_roots.size() - 1).arg(i);
                return false;
            }
            node.left = offset + l;
            node.right = offset + r;
            node.feature = qint16(columnMap[size_t(column)]);
        }
        m_nodes.push_back(node);
        m_meanValue.push_back(xgboost ? 0.f : float(mean.at(i).toDouble()));
        if (xgboost)
            sumHessian[size_t(i)] = hessian.at(i).toDouble();
    }
    const bool shaped = xgboost ? fillMeanValues(offset, 0, sumHessian, offset)
                                : hasBoundedDepth(offset, 0);
    if (!shaped) {
        *error = tr("tree %1: nodes do not form a tree of depth %2 or less")
                     .arg(m_roots.size() - 1).arg(MaxTreeDepth);
        return false;
    }
    std::vector<TreeEvalNode> evalNodes;
    for (size_t i = size_t(offset); i < m_nodes.size(); ++i) {
        const Node &node = m_nodes[i];
        evalNodes.push_back({node.value, node.feature, node.defaultLeft != 0,
            node.left < 0 ? -1 : node.left - offset, node.right < 0 ? -1 : node.right - offset,
            m_meanValue[i]});
    }
    m_eval.appendTree(evalNodes);
    return true;
}

bool TreeModel::hasBoundedDepth(int index, int depth) const
{
    if (depth > MaxTreeDepth)
        return false;
    const Node &node = m_nodes[size_t(index)];
    return node.left < 0
        || (hasBoundedDepth(node.left, depth + 1) && hasBoundedDepth(node.right, depth + 1));
}

bool TreeModel::fillMeanValues(int index, int depth, const std::vector<double> &sumHessian,
    int offset)
{
    // The mean leaf value of each subtree, weighted by the hessian sums the
    // way XGBoost's approximate contributions weight them.
    if (depth > MaxTreeDepth)
        return false;
    const Node &node = m_nodes[size_t(index)];
    if (node.left < 0) {
        m_meanValue[size_t(index)] = node.value;
        return true;
    }
    if (!fillMeanValues(node.left, depth + 1, sumHessian, offset)
        || !fillMeanValues(node.right, depth + 1, sumHessian, offset))
        return false;
    const double left = sumHessian[size_t(node.left - offset)];
    const double right = sumHessian[size_t(node.right - offset)];
    const double total = sumHessian[size_t(index - offset)];
    m_meanValue[size_t(index)] = total > 0
        ? float((m_meanValue[size_t(node.left)] * left + m_meanValue[size_t(node.right)] * right)
              / total)
        : 0.f;
    return true;
}

bool TreeModel::loadXgboostJson(const QByteArray &json, const QStringList &featureNames,
    QString *error)
{
    QJsonParseError parseError;
    const QJsonObject root = QJsonDocument::fromJson(json, &parseError).object();
    const QJsonObject learner = root.value(QLatin1String("learner")).toObject();
    const QString objective = learner.value(QLatin1String("objective")).toObject()
                                  .value(QLatin1String("name")).toString();
    if (objective != QLatin1String("binary:logistic")) {
        *error = tr("XGBoost model objective is '%1'; expected binary:logistic").arg(objective);
        return false;
    }
    std::vector<int> columnMap;
    if (!mapColumns(featureNames, &columnMap, error))
        return false;

    *this = TreeModel();
    m_featureNames = featureNames;
    const double baseScore = numberOf(learner.value(QLatin1String("learner_model_param"))
                                          .toObject().value(QLatin1String("base_score")));
    m_baseMargin = baseScore > 0 && baseScore < 1 ? float(std::log(baseScore / (1 - baseScore))) : 0.f;
    const QJsonArray trees = learner.value(QLatin1String("gradient_booster")).toObject()
                                 .value(QLatin1String("model")).toObject()
                                 .value(QLatin1String("trees")).toArray();
    for (const QJsonValue &tree : trees) {
        if (!appendTree(tree.toObject(), columnMap, true, error))
            return false;
    }
    return true;
}

QJsonObject TreeModel::toJson() const
{
    QJsonArray trees;
    for (size_t t = 0; t < m_roots.size(); ++t) {
        const int begin = m_roots[t];
        const int end = t + 1 < m_roots.size() ? m_roots[t + 1] : int(m_nodes.size());
        std::vector<int> left, right, feature, defaultLeft;
        std::vector<float> value, mean;
        for (int i = begin; i < end; ++i) {
            const Node &node = m_nodes[size_t(i)];
            left.push_back(node.left < 0 ? -1 : node.left - begin);
            right.push_back(node.right < 0 ? -1 : node.right - begin);
            // Columns are stored as indexes into feature_names.
            feature.push_back(node.left < 0 ? 0 : int(m_featureNames.indexOf(featureName(node.feature))));
            defaultLeft.push_back(node.defaultLeft);
            value.push_back(node.value);
            mean.push_back(m_meanValue[size_t(i)]);
        }
        trees.append(QJsonObject{{QStringLiteral("left"), toArray(left)},
            {QStringLiteral("right"), toArray(right)}, {QStringLiteral("feature"), toArray(feature)},
            {QStringLiteral("default_left"), toArray(defaultLeft)},
            {QStringLiteral("value"), toArray(value)}, {QStringLiteral("mean"), toArray(mean)}});
    }
    return QJsonObject{{QStringLiteral("format"), FormatName},
        {QStringLiteral("format_version"), ModelFormatVersion},
        {QStringLiteral("feature_names"), QJsonArray::fromStringList(m_featureNames)},
        {QStringLiteral("base_margin"), double(m_baseMargin)},
        {QStringLiteral("calibration"), m_calibration.toJson()},
        {QStringLiteral("thresholds"),
            QJsonObject{{QStringLiteral("block"), blockThreshold},
                {QStringLiteral("review"), reviewThreshold}}},
        {QStringLiteral("training"), trainingInfo}, {QStringLiteral("trees"), trees}};
}

bool TreeModel::fromJson(const QJsonObject &object, QString *error)
{
    if (object.value(QLatin1String("format")).toString() != FormatName) {
        *error = tr("not a Portcullis fraud model file (format is not '%1')").arg(FormatName);
        return false;
    }
    const int version = object.value(QLatin1String("format_version")).toInt();
    if (version < OldestModelFormatVersion || version > ModelFormatVersion) {
        *error = tr("model format version %1 is not supported (expected %2 to %3); train the model "
                    "again").arg(version).arg(OldestModelFormatVersion).arg(ModelFormatVersion);
        return false;
    }
    QStringList names;
    for (const QJsonValue &name : object.value(QLatin1String("feature_names")).toArray())
        names.append(name.toString());
    std::vector<int> columnMap;
    if (!mapColumns(names, &columnMap, error))
        return false;

    *this = TreeModel();
    m_featureNames = names;
    m_baseMargin = float(object.value(QLatin1String("base_margin")).toDouble());
    const std::optional<Calibration> calibration
        = Calibration::fromJson(object.value(QLatin1String("calibration")).toObject(), error);
    if (!calibration)
        return false;
    m_calibration = *calibration;
    const QJsonObject thresholds = object.value(QLatin1String("thresholds")).toObject();
    blockThreshold = thresholds.value(QLatin1String("block")).toInt(blockThreshold);
    reviewThreshold = thresholds.value(QLatin1String("review")).toInt(reviewThreshold);
    trainingInfo = object.value(QLatin1String("training")).toObject();
    for (const QJsonValue &tree : object.value(QLatin1String("trees")).toArray()) {
        if (!appendTree(tree.toObject(), columnMap, false, error))
            return false;
    }
    return true;
}

bool TreeModel::save(const QString &path, QString *error) const
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        *error = tr("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    file.write(QJsonDocument(toJson()).toJson(QJsonDocument::Compact));
    if (!file.commit()) {
        *error = tr("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

bool TreeModel::load(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = tr("cannot open model file %1: %2").arg(path, file.errorString());
        return false;
    }
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        *error = tr("%1: invalid JSON at offset %2: %3")
                     .arg(path).arg(parseError.offset).arg(parseError.errorString());
        return false;
    }
    if (!fromJson(document.object(), error)) {
        *error = path + QLatin1String(": ") + *error;
        return false;
    }
    return true;
}

float TreeModel::margin(const FeatureVector &features) const
{
    return m_eval.evaluate(features, m_baseMargin, nullptr);
}

int TreeModel::scoreFromProbability(double probability)
{
    return std::clamp(int(std::floor(probability * 100)), 0, 99);
}

float TreeModel::accumulateContributions(const FeatureVector &features, float *byFeature) const
{
    m_eval.evaluate(features, m_baseMargin, byFeature);
    return m_eval.bias(m_baseMargin);
}

std::vector<Contribution> TreeModel::contributions(const FeatureVector &features, float *bias) const
{
    float byFeature[TreeEval::ContributionSlots] = {};
    const float base = accumulateContributions(features, byFeature);
    if (bias)
        *bias = base;
    std::vector<Contribution> result;
    for (int i = 0; i < FeatureCount; ++i) {
        if (byFeature[i] != 0)
            result.push_back({i, features[size_t(i)], byFeature[i]});
    }
    std::sort(result.begin(), result.end(),
        [](const Contribution &a, const Contribution &b) { return a.contribution > b.contribution; });
    return result;
}

int TreeModel::topContributions(const FeatureVector &features, int count, Contribution *out) const
{
    float byFeature[TreeEval::ContributionSlots] = {};
    accumulateContributions(features, byFeature);
    return largestContributions(byFeature, features, count, out);
}

float TreeModel::marginWithTopContributions(const FeatureVector &features, int count,
    Contribution *out, int *found) const
{
    float byFeature[TreeEval::ContributionSlots] = {};
    const float sum = m_eval.evaluate(features, m_baseMargin, byFeature);
    *found = largestContributions(byFeature, features, count, out);
    return sum;
}

int TreeModel::largestContributions(const float *byFeature, const FeatureVector &features,
    int count, Contribution *out) const
{
    if (count <= 0)
        return 0;
    int found = 0;
    // Insertion into a short sorted array, because count is a handful. Only
    // split features can contribute, and they come in ascending order, so
    // ties keep the order of a scan over all features.
    for (const quint16 feature : m_eval.splitFeatures()) {
        const int i = feature;
        const float c = byFeature[i];
        if (c <= 0 || (found == count && c <= out[found - 1].contribution))
            continue;
        int at = found < count ? found++ : count - 1;
        while (at > 0 && out[at - 1].contribution < c) {
            out[at] = out[at - 1];
            --at;
        }
        out[at] = {i, features[size_t(i)], c};
    }
    return found;
}

} // namespace portcullis::fraud
