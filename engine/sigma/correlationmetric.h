// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QtGlobal>

#include <set>

namespace portcullis::sigma {

// The numbers of one correlation group's sliding window, kept so that the
// sum, the average and one percentile are available after every change in
// O(log n) time. Values are added and removed in any order; removing a value
// that was never added is a caller error.
class MetricWindow {
public:
    // `percentile` is 0 to 100 and only matters for percentile().
    void setPercentile(int percentile) { m_percentile = percentile; }

    void add(double value);
    void remove(double value);
    void clear();

    qsizetype count() const { return qsizetype(m_lower.size() + m_upper.size()); }
    double sum() const { return m_sum; }
    // The sum divided by the count, 0 when the window is empty.
    double average() const;
    // The nearest-rank percentile: the smallest value such that at least
    // `percentile` percent of the values are at or below it (the smallest
    // value for percentile 0). 0 when the window is empty.
    double percentile() const;

private:
    qsizetype lowerTarget() const;
    void rebalance();

    int m_percentile = 50;
    double m_sum = 0;
    // The lowerTarget() smallest values, and the others. Every value of
    // m_upper is at least the largest value of m_lower.
    std::multiset<double> m_lower;
    std::multiset<double> m_upper;
};

} // namespace portcullis::sigma
