// SPDX-License-Identifier: GPL-3.0-or-later
#include "fraud/metrics.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <unordered_map>
#include <unordered_set>

namespace portcullis::fraud {

namespace {

// Indexes ordered by score, highest first.
std::vector<size_t> orderByScore(const std::vector<double> &scores)
{
    std::vector<size_t> order(scores.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
        [&](size_t a, size_t b) { return scores[a] > scores[b]; });
    return order;
}

qint64 countPositives(const std::vector<int> &labels)
{
    return std::count_if(labels.begin(), labels.end(), [](int y) { return y != 0; });
}

OperatingPoint makePoint(double threshold, qint64 tp, qint64 fp, qint64 positives, qint64 negatives)
{
    OperatingPoint point;
    point.threshold = threshold;
    point.truePositives = tp;
    point.falsePositives = fp;
    point.falseNegatives = positives - tp;
    point.trueNegatives = negatives - fp;
    point.recall = positives > 0 ? double(tp) / double(positives) : 0;
    point.precision = tp + fp > 0 ? double(tp) / double(tp + fp) : 0;
    point.falsePositiveRate = negatives > 0 ? double(fp) / double(negatives) : 0;
    return point;
}

} // namespace

double rocAuc(const std::vector<double> &scores, const std::vector<int> &labels)
{
    const qint64 positives = countPositives(labels);
    const qint64 negatives = qint64(labels.size()) - positives;
    if (positives == 0 || negatives == 0)
        return std::numeric_limits<double>::quiet_NaN();
    // Rank sum of the positives with average ranks for ties, ranks ascending.
    std::vector<size_t> order = orderByScore(scores);
    std::reverse(order.begin(), order.end());
    double rankSum = 0;
    for (size_t i = 0; i < order.size();) {
        size_t j = i;
        while (j < order.size() && scores[order[j]] == scores[order[i]])
            ++j;
        const double averageRank = (double(i + 1) + double(j)) / 2;
        for (size_t m = i; m < j; ++m)
            rankSum += labels[order[m]] != 0 ? averageRank : 0;
        i = j;
    }
    const double u = rankSum - double(positives) * double(positives + 1) / 2;
    return u / (double(positives) * double(negatives));
}

double averagePrecision(const std::vector<double> &scores, const std::vector<int> &labels)
{
    const qint64 positives = countPositives(labels);
    if (positives == 0)
        return std::numeric_limits<double>::quiet_NaN();
    const std::vector<size_t> order = orderByScore(scores);
    double ap = 0;
    double previousRecall = 0;
    qint64 tp = 0, seen = 0;
    for (size_t i = 0; i < order.size();) {
        size_t j = i;
        while (j < order.size() && scores[order[j]] == scores[order[i]]) {
            tp += labels[order[j]] != 0 ? 1 : 0;
            ++j;
        }
        seen = qint64(j);
        const double recall = double(tp) / double(positives);
        ap += (recall - previousRecall) * (double(tp) / double(seen));
        previousRecall = recall;
        i = j;
    }
    return ap;
}

double cardPrecisionAtK(const std::vector<int> &days, const std::vector<quint64> &cards,
    const std::vector<double> &scores, const std::vector<int> &labels, int k)
{
    std::vector<int> dayList(days);
    std::sort(dayList.begin(), dayList.end());
    dayList.erase(std::unique(dayList.begin(), dayList.end()), dayList.end());
    if (dayList.empty() || k <= 0)
        return std::numeric_limits<double>::quiet_NaN();

    std::unordered_set<quint64> detected;
    double sum = 0;
    for (int day : dayList) {
        // Highest score and any fraud per card for the day.
        std::unordered_map<quint64, std::pair<double, int>> perCard;
        for (size_t i = 0; i < days.size(); ++i) {
            if (days[i] != day || detected.count(cards[i]))
                continue;
            auto [it, inserted] = perCard.try_emplace(cards[i], scores[i], labels[i]);
            if (!inserted) {
                it->second.first = std::max(it->second.first, scores[i]);
                it->second.second = std::max(it->second.second, labels[i]);
            }
        }
        std::vector<std::pair<double, std::pair<quint64, int>>> ranked;
        for (const auto &[card, value] : perCard)
            ranked.push_back({value.first, {card, value.second}});
        std::sort(ranked.begin(), ranked.end(), [](const auto &a, const auto &b) {
            return a.first != b.first ? a.first > b.first : a.second.first < b.second.first;
        });
        int found = 0;
        for (size_t i = 0; i < ranked.size() && int(i) < k; ++i) {
            if (ranked[i].second.second != 0) {
                ++found;
                detected.insert(ranked[i].second.first);
            }
        }
        sum += double(found) / double(k);
    }
    return sum / double(dayList.size());
}

OperatingPoint pointAtFalsePositiveRate(const std::vector<double> &scores,
    const std::vector<int> &labels, double maxFalsePositiveRate)
{
    const qint64 positives = countPositives(labels);
    const qint64 negatives = qint64(labels.size()) - positives;
    const std::vector<size_t> order = orderByScore(scores);
    OperatingPoint best = makePoint(std::numeric_limits<double>::infinity(), 0, 0, positives, negatives);
    qint64 tp = 0, fp = 0;
    for (size_t i = 0; i < order.size();) {
        size_t j = i;
        while (j < order.size() && scores[order[j]] == scores[order[i]]) {
            (labels[order[j]] != 0 ? tp : fp) += 1;
            ++j;
        }
        if (negatives > 0 && double(fp) / double(negatives) > maxFalsePositiveRate)
            break;
        best = makePoint(scores[order[i]], tp, fp, positives, negatives);
        i = j;
    }
    return best;
}

OperatingPoint pointAtThreshold(const std::vector<double> &scores, const std::vector<int> &labels,
    double threshold)
{
    const qint64 positives = countPositives(labels);
    const qint64 negatives = qint64(labels.size()) - positives;
    qint64 tp = 0, fp = 0;
    for (size_t i = 0; i < scores.size(); ++i) {
        if (scores[i] >= threshold)
            (labels[i] != 0 ? tp : fp) += 1;
    }
    return makePoint(threshold, tp, fp, positives, negatives);
}

} // namespace portcullis::fraud
