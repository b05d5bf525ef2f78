// SPDX-License-Identifier: GPL-3.0-or-later
#include "detect/baseline.h"

#include <cmath>

namespace portcullis::detect {

namespace {

float medianOf(std::array<float, RobustBaseline::Capacity> values, int size)
{
    if (size == 0)
        return 0;
    const auto middle = values.begin() + size / 2;
    std::nth_element(values.begin(), middle, values.begin() + size);
    if (size % 2 == 1)
        return *middle;
    const float upper = *middle;
    const float lower = *std::max_element(values.begin(), middle);
    return (lower + upper) / 2;
}

} // namespace

void RobustBaseline::add(float value)
{
    m_samples[m_next] = value;
    m_next = quint16((m_next + 1) % Capacity);
    if (m_size < Capacity)
        ++m_size;
}

float RobustBaseline::median() const
{
    return medianOf(m_samples, m_size);
}

float RobustBaseline::scaledMad() const
{
    const float center = median();
    std::array<float, Capacity> deviations {};
    for (int i = 0; i < m_size; ++i)
        deviations[std::size_t(i)] = std::fabs(m_samples[std::size_t(i)] - center);
    return 1.4826f * medianOf(deviations, m_size);
}

double RobustBaseline::threshold(double floor, int madMultiplier, int ratio) const
{
    const double center = median();
    const double spread = center + double(madMultiplier) * double(scaledMad());
    return std::max({ floor, spread, double(ratio) * center });
}

} // namespace portcullis::detect
