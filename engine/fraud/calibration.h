// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonObject>
#include <QString>

#include <optional>
#include <vector>

namespace portcullis::fraud {

enum class CalibrationMethod { Platt, Isotonic };

QString calibrationMethodName(CalibrationMethod method);  // "platt" or "isotonic"
std::optional<CalibrationMethod> calibrationMethodFromName(const QString &name);

// Maps a model margin (log-odds) to a calibrated probability of fraud.
// Platt scaling is sigmoid(a * margin + b). Isotonic regression is a
// non-decreasing piecewise-linear function through knots (margin,
// probability), constant before the first knot and after the last. Both
// are non-decreasing in the margin when a >= 0, so they keep the trees'
// ranking of payments (isotonic may tie payments the margin separates).
class Calibration
{
public:
    static Calibration platt(double a, double b);
    // Fits Platt scaling with Platt's smoothed targets (see fitPlatt).
    static Calibration fitPlatt(const std::vector<float> &margins, const std::vector<float> &labels);
    // Fits isotonic regression by pool-adjacent-violators: the
    // non-decreasing step function of the margin with the least squared
    // error against the labels. Each pooled block becomes two knots at its
    // lowest and highest margin, and the function interpolates between
    // blocks. Without rows, the result maps every margin to 0.
    static Calibration fitIsotonic(const std::vector<float> &margins,
        const std::vector<float> &labels);

    CalibrationMethod method() const { return m_method; }
    double plattA() const { return m_plattA; }
    double plattB() const { return m_plattB; }
    int knotCount() const { return int(m_knotMargins.size()); }

    double probability(float margin) const;

    // The model file's "calibration" object: {"method": "platt", "a", "b"}
    // or {"method": "isotonic", "margins": [...], "probabilities": [...]}.
    QJsonObject toJson() const;
    // Reads that object. A missing method means Platt (format version 1).
    static std::optional<Calibration> fromJson(const QJsonObject &object, QString *error);

private:
    CalibrationMethod m_method = CalibrationMethod::Platt;
    double m_plattA = 1;
    double m_plattB = 0;
    std::vector<float> m_knotMargins;           // non-decreasing
    std::vector<double> m_knotProbabilities;    // non-decreasing, in [0, 1]
};

// Mean squared difference between probability and label (0 or 1).
double brierScore(const std::vector<double> &probabilities, const std::vector<float> &labels);

// Out-of-sample Brier scores of both methods on time-ordered rows: the rows
// are cut into `folds` consecutive blocks, and each block is scored by a
// calibration fitted on the other blocks.
struct CalibrationComparison
{
    double plattBrier = 0;
    double isotonicBrier = 0;
    CalibrationMethod better() const
    {
        return isotonicBrier < plattBrier ? CalibrationMethod::Isotonic : CalibrationMethod::Platt;
    }
};
CalibrationComparison compareCalibrations(const std::vector<float> &margins,
    const std::vector<float> &labels, int folds = 5);

} // namespace portcullis::fraud
