// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QtGlobal>

#include <vector>

namespace portcullis::fraud {

// Area under the ROC curve; tied scores count one half (Mann-Whitney).
// Returns NaN when either class is absent.
double rocAuc(const std::vector<double> &scores, const std::vector<int> &labels);

// Average precision as scikit-learn defines it: the sum over score
// thresholds of (recall_n - recall_n-1) * precision_n, with tied scores
// forming one threshold. NaN without positives.
double averagePrecision(const std::vector<double> &scores, const std::vector<int> &labels);

// The handbook's card precision@k. Per day, each card gets its highest
// score and counts as fraudulent when any of its transactions is. The
// precision of the k highest cards is averaged over the days. Cards found
// fraudulent in an earlier day's top k are left out of later days.
double cardPrecisionAtK(const std::vector<int> &days, const std::vector<quint64> &cards,
    const std::vector<double> &scores, const std::vector<int> &labels, int k);

struct OperatingPoint
{
    double threshold = 0;   // flag scores >= threshold
    double falsePositiveRate = 0;
    double recall = 0;
    double precision = 0;
    qint64 truePositives = 0, falsePositives = 0, trueNegatives = 0, falseNegatives = 0;
};

// The lowest threshold whose false-positive rate stays at or under
// `maxFalsePositiveRate` (whole groups of tied scores only).
OperatingPoint pointAtFalsePositiveRate(const std::vector<double> &scores,
    const std::vector<int> &labels, double maxFalsePositiveRate);

// Counts at a fixed threshold (flag scores >= threshold).
OperatingPoint pointAtThreshold(const std::vector<double> &scores, const std::vector<int> &labels,
    double threshold);

} // namespace portcullis::fraud
