// SPDX-License-Identifier: GPL-3.0-or-later
#include "sigma/correlationmetric.h"

namespace portcullis::sigma {

void MetricWindow::add(double value)
{
    if (m_lower.empty() || value <= *m_lower.rbegin())
        m_lower.insert(value);
    else
        m_upper.insert(value);
    m_sum += value;
    rebalance();
}

void MetricWindow::remove(double value)
{
    // A value at or below the largest lower value has a copy in m_lower,
    // because m_upper holds only values at least that large.
    auto lower = m_lower.empty() || value > *m_lower.rbegin() ? m_lower.end() : m_lower.find(value);
    if (lower != m_lower.end()) {
        m_lower.erase(lower);
    } else {
        const auto upper = m_upper.find(value);
        if (upper == m_upper.end())
            return;
        m_upper.erase(upper);
    }
    m_sum -= value;
    if (m_lower.empty() && m_upper.empty())
        m_sum = 0; // no rounding error outlives the values that caused it
    rebalance();
}

void MetricWindow::clear()
{
    m_lower.clear();
    m_upper.clear();
    m_sum = 0;
}

double MetricWindow::average() const
{
    const qsizetype n = count();
    return n == 0 ? 0 : m_sum / double(n);
}

double MetricWindow::percentile() const
{
    return m_lower.empty() ? 0 : *m_lower.rbegin();
}

qsizetype MetricWindow::lowerTarget() const
{
    // Nearest rank: ceil(p / 100 * n), at least 1, in integers so that
    // 50 percent of 4 values is rank 2 exactly.
    const qsizetype n = count();
    if (n == 0)
        return 0;
    const qsizetype rank = (qsizetype(m_percentile) * n + 99) / 100;
    return qMax<qsizetype>(rank, 1);
}

void MetricWindow::rebalance()
{
    const qsizetype target = lowerTarget();
    while (qsizetype(m_lower.size()) > target) {
        const auto largest = std::prev(m_lower.end());
        m_upper.insert(*largest);
        m_lower.erase(largest);
    }
    while (qsizetype(m_lower.size()) < target && !m_upper.empty()) {
        m_lower.insert(*m_upper.begin());
        m_upper.erase(m_upper.begin());
    }
}

} // namespace portcullis::sigma
