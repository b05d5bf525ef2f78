// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QtGlobal>

#include <limits>

namespace portcullis::detect {

// A lower bound on the oldest time stamp in a table whose entries' time
// stamps never decrease after insertion. An expiry sweep that the bound shows
// would drop nothing can then return without scanning the table, so sweeps
// cost nothing while every entry is recent, and drop exactly what a full scan
// drops otherwise.
class OldestTimeBound {
public:
    // Records the time stamp of an inserted entry.
    void add(qint64 timestampMs) { m_oldestMs = qMin(m_oldestMs, timestampMs); }
    // True when no entry can have a time stamp before `horizonMs`.
    bool noneBefore(qint64 horizonMs) const { return m_oldestMs >= horizonMs; }
    // Forgets every entry; a sweep calls it, then add() for each entry it keeps.
    void reset() { m_oldestMs = std::numeric_limits<qint64>::max(); }

private:
    qint64 m_oldestMs = std::numeric_limits<qint64>::max();
};

} // namespace portcullis::detect
