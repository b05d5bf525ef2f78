// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

class QValueAxis;

namespace portcullis {

// Tick layout of a chart axis that counts things: it starts at 0 and steps by
// a whole 1, 2 or 5 times a power of ten, so no two tick labels read the same.
struct CountAxisTicks {
    double interval = 1;
    double top = 1; // a multiple of interval above the highest count
};

// The ticks for counts up to `maximum`, with about a tenth of headroom above
// it for value labels and at most `maxIntervals` steps. An empty chart
// (maximum 0) gets the range 0 to 5 in steps of 1.
CountAxisTicks countAxisTicks(double maximum, int maxIntervals = 6);

// Sets the range, the tick interval and an integer label format on `axis`.
void setCountAxisRange(QValueAxis *axis, double maximum);

} // namespace portcullis
