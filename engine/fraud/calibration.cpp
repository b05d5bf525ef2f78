// SPDX-License-Identifier: GPL-3.0-or-later
#include "fraud/calibration.h"

#include "fraud/trainer.h"

#include <QCoreApplication>
#include <QJsonArray>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace portcullis::fraud {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("portcullis::fraud::Calibration", text);
}

// One pooled block of pool-adjacent-violators.
struct Block
{
    double sum = 0;     // sum of labels
    double weight = 0;  // number of rows
    float lowMargin = 0;
    float highMargin = 0;
    double mean() const { return sum / weight; }
};

std::vector<size_t> orderByMargin(const std::vector<float> &margins)
{
    std::vector<size_t> order(margins.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
        [&](size_t a, size_t b) { return margins[a] < margins[b]; });
    return order;
}

// Rows with the same margin form one block from the start, so that tied
// margins always get the same probability.
std::vector<Block> poolAdjacentViolators(const std::vector<float> &margins,
    const std::vector<float> &labels)
{
    std::vector<Block> blocks;
    for (size_t i : orderByMargin(margins)) {
        const float margin = margins[i];
        const double label = labels[i] > 0.5f ? 1 : 0;
        if (!blocks.empty() && blocks.back().highMargin == margin) {
            blocks.back().sum += label;
            blocks.back().weight += 1;
        } else {
            blocks.push_back({label, 1, margin, margin});
        }
        while (blocks.size() > 1 && blocks[blocks.size() - 2].mean() >= blocks.back().mean()) {
            const Block last = blocks.back();
            blocks.pop_back();
            Block &previous = blocks.back();
            previous.sum += last.sum;
            previous.weight += last.weight;
            previous.highMargin = last.highMargin;
        }
    }
    return blocks;
}

template<typename T>
QJsonArray toArray(const std::vector<T> &values)
{
    QJsonArray array;
    for (T v : values)
        array.append(double(v));
    return array;
}

bool isNonDecreasing(const QJsonArray &values, double low, double high)
{
    double previous = low;
    for (const QJsonValue &value : values) {
        const double v = value.toDouble(std::nan(""));
        if (!value.isDouble() || !std::isfinite(v) || v < previous || v > high)
            return false;
        previous = v;
    }
    return true;
}

} // namespace

QString calibrationMethodName(CalibrationMethod method)
{
    return method == CalibrationMethod::Isotonic ? QStringLiteral("isotonic")
                                                 : QStringLiteral("platt");
}

std::optional<CalibrationMethod> calibrationMethodFromName(const QString &name)
{
    if (name == QLatin1String("platt"))
        return CalibrationMethod::Platt;
    if (name == QLatin1String("isotonic"))
        return CalibrationMethod::Isotonic;
    return std::nullopt;
}

Calibration Calibration::platt(double a, double b)
{
    Calibration calibration;
    calibration.m_plattA = a;
    calibration.m_plattB = b;
    return calibration;
}

Calibration Calibration::fitPlatt(const std::vector<float> &margins,
    const std::vector<float> &labels)
{
    double a = 1, b = 0;
    fraud::fitPlatt(margins, labels, &a, &b);
    return platt(a, b);
}

Calibration Calibration::fitIsotonic(const std::vector<float> &margins,
    const std::vector<float> &labels)
{
    Calibration calibration;
    calibration.m_method = CalibrationMethod::Isotonic;
    for (const Block &block : poolAdjacentViolators(margins, labels)) {
        calibration.m_knotMargins.push_back(block.lowMargin);
        calibration.m_knotProbabilities.push_back(block.mean());
        if (block.highMargin != block.lowMargin) {
            calibration.m_knotMargins.push_back(block.highMargin);
            calibration.m_knotProbabilities.push_back(block.mean());
        }
    }
    if (calibration.m_knotMargins.empty()) {
        calibration.m_knotMargins.push_back(0);
        calibration.m_knotProbabilities.push_back(0);
    }
    return calibration;
}

double Calibration::probability(float margin) const
{
    if (m_method == CalibrationMethod::Platt)
        return 1.0 / (1.0 + std::exp(-(m_plattA * double(margin) + m_plattB)));

    // The first knot above the margin; NaN margins take the lowest probability.
    const auto above = std::upper_bound(m_knotMargins.begin(), m_knotMargins.end(), margin);
    if (above == m_knotMargins.begin() || std::isnan(margin))
        return m_knotProbabilities.front();
    if (above == m_knotMargins.end())
        return m_knotProbabilities.back();
    const size_t high = size_t(above - m_knotMargins.begin());
    const size_t low = high - 1;
    const double x0 = m_knotMargins[low], x1 = m_knotMargins[high];
    const double y0 = m_knotProbabilities[low], y1 = m_knotProbabilities[high];
    return y0 + (y1 - y0) * (double(margin) - x0) / (x1 - x0);
}

QJsonObject Calibration::toJson() const
{
    if (m_method == CalibrationMethod::Platt)
        return QJsonObject{{QStringLiteral("method"), QStringLiteral("platt")},
            {QStringLiteral("a"), m_plattA}, {QStringLiteral("b"), m_plattB}};
    return QJsonObject{{QStringLiteral("method"), QStringLiteral("isotonic")},
        {QStringLiteral("margins"), toArray(m_knotMargins)},
        {QStringLiteral("probabilities"), toArray(m_knotProbabilities)}};
}

std::optional<Calibration> Calibration::fromJson(const QJsonObject &object, QString *error)
{
    const QString name = object.value(QLatin1String("method")).toString(QStringLiteral("platt"));
    const std::optional<CalibrationMethod> method = calibrationMethodFromName(name);
    if (!method) {
        *error = tr("unknown calibration method '%1'; expected platt or isotonic").arg(name);
        return std::nullopt;
    }
    if (*method == CalibrationMethod::Platt) {
        const double a = object.value(QLatin1String("a")).toDouble(1);
        const double b = object.value(QLatin1String("b")).toDouble(0);
        if (!std::isfinite(a) || !std::isfinite(b)) {
            *error = tr("Platt calibration: a and b must be finite numbers");
            return std::nullopt;
        }
        return platt(a, b);
    }

    const QJsonArray margins = object.value(QLatin1String("margins")).toArray();
    const QJsonArray probabilities = object.value(QLatin1String("probabilities")).toArray();
    if (margins.isEmpty() || margins.size() != probabilities.size()
        || !isNonDecreasing(margins, -HUGE_VAL, HUGE_VAL)
        || !isNonDecreasing(probabilities, 0, 1)) {
        *error = tr("isotonic calibration: 'margins' and 'probabilities' must be non-empty arrays "
                    "of the same length, non-decreasing, with probabilities in [0, 1]");
        return std::nullopt;
    }
    Calibration calibration;
    calibration.m_method = CalibrationMethod::Isotonic;
    for (qsizetype i = 0; i < margins.size(); ++i) {
        calibration.m_knotMargins.push_back(float(margins.at(i).toDouble()));
        calibration.m_knotProbabilities.push_back(probabilities.at(i).toDouble());
    }
    return calibration;
}

double brierScore(const std::vector<double> &probabilities, const std::vector<float> &labels)
{
    if (probabilities.empty())
        return 0;
    double sum = 0;
    for (size_t i = 0; i < probabilities.size(); ++i) {
        const double difference = probabilities[i] - (labels[i] > 0.5f ? 1 : 0);
        sum += difference * difference;
    }
    return sum / double(probabilities.size());
}

CalibrationComparison compareCalibrations(const std::vector<float> &margins,
    const std::vector<float> &labels, int folds)
{
    const size_t n = margins.size();
    folds = std::max(2, folds);
    std::vector<double> platt(n), isotonic(n);
    for (int fold = 0; fold < folds; ++fold) {
        const size_t begin = n * size_t(fold) / size_t(folds);
        const size_t end = n * size_t(fold + 1) / size_t(folds);
        std::vector<float> fitMargins, fitLabels;
        for (size_t i = 0; i < n; ++i) {
            if (i < begin || i >= end) {
                fitMargins.push_back(margins[i]);
                fitLabels.push_back(labels[i]);
            }
        }
        const Calibration plattFit = Calibration::fitPlatt(fitMargins, fitLabels);
        const Calibration isotonicFit = Calibration::fitIsotonic(fitMargins, fitLabels);
        for (size_t i = begin; i < end; ++i) {
            platt[i] = plattFit.probability(margins[i]);
            isotonic[i] = isotonicFit.probability(margins[i]);
        }
    }
    return {brierScore(platt, labels), brierScore(isotonic, labels)};
}

} // namespace portcullis::fraud
