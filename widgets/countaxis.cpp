// SPDX-License-Identifier: GPL-3.0-or-later
#include "countaxis.h"

#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace portcullis {

CountAxisTicks countAxisTicks(double maximum, int maxIntervals)
{
    constexpr double EmptyTop = 5;
    maxIntervals = std::max(1, maxIntervals);
    const double target = maximum > 0 ? std::ceil(maximum * 1.1 - 1e-9) : EmptyTop;

    CountAxisTicks ticks;
    for (double power = 1;; power *= 10) {
        for (const double factor : { 1.0, 2.0, 5.0 }) {
            const double interval = factor * power;
            const double steps = std::ceil(target / interval);
            if (steps <= maxIntervals) {
                ticks.interval = interval;
                ticks.top = std::max(1.0, steps) * interval;
                return ticks;
            }
        }
    }
}

void setCountAxisRange(QValueAxis *axis, double maximum)
{
    const CountAxisTicks ticks = countAxisTicks(maximum);
    axis->setLabelFormat(QStringLiteral("%d"));
    axis->setTickType(QValueAxis::TicksDynamic);
    axis->setTickAnchor(0);
    axis->setTickInterval(ticks.interval);
    axis->setMinorTickCount(0);
    axis->setRange(0, ticks.top);
}

} // namespace portcullis
