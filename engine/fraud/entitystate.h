// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "fraud/featureset.h"

#include <QtGlobal>

#include <utility>
#include <vector>

namespace portcullis::fraud {

// Flags of one remembered event of an entity.
enum EntryFlag : quint8 {
    AttemptFlag = 1,    // a charge or payment attempt
    DeclinedFlag = 2,   // the attempt failed
    RefundFlag = 4,
    DisputeFlag = 8,
    WarningFlag = 16,   // early fraud warning
    HighRatioFlag = 32, // the amount was over 3 times the payer's mean
};

enum WindowCounter : int {
    CountAttempts,
    CountDeclines,
    CountRefunds,
    CountDisputes,
    CountWarnings,
    CountHighRatio,
    WindowCounterCount
};

struct WindowEntry
{
    qint64 timeMs = 0;
    float amount = 0;
    quint8 flags = 0;
};

// Prefetches the cache line at `address` into all cache levels.
// NOTE: GCC 12.2 at -O2 deleted every __builtin_prefetch call of
// SlidingWindows::prefetch (conditional calls in a loop), so x86 uses the
// instruction directly.
inline void prefetchAddress(const void *address)
{
#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
    asm volatile("prefetcht0 %0" : : "m"(*static_cast<const char *>(address)));
#else
    __builtin_prefetch(address);
#endif
}

// Counters over sliding windows ending now, each window holding the events
// with time > now - length. Events live in a ring buffer that grows up to a
// cap; at the cap the oldest event is dropped from every window. Windows
// must be given from shortest to longest.
template<int N>
class SlidingWindows
{
public:
    void advance(qint64 nowMs, const qint64 (&lengthsMs)[N])
    {
        if (nowMs == m_advancedTo)
            return;
        m_advancedTo = nowMs;
        for (int w = 0; w < N; ++w) {
            // The cached time of each window's oldest event skips the
            // buffer read (often a cache miss) while nothing expires.
            if (m_start[w] == m_end || m_startTimeMs[w] > nowMs - lengthsMs[w])
                continue;
            while (m_start[w] < m_end && entry(m_start[w]).timeMs <= nowMs - lengthsMs[w])
                remove(w, m_start[w]++);
            cacheStartTime(w);
        }
        while (m_base < m_start[N - 1])
            popOldest();
    }

    // Prefetches the buffer entries that advance(nowMs) will read and the
    // slot that the next push() writes. A hint only, so nothing changes.
    void prefetch(qint64 nowMs, const qint64 (&lengthsMs)[N]) const
    {
        if (m_buffer.empty())
            return;
        for (int w = 0; w < N; ++w) {
            if (m_start[w] != m_end && m_startTimeMs[w] <= nowMs - lengthsMs[w])
                prefetchAddress(&entry(m_start[w]));
        }
        prefetchAddress(&m_buffer[size_t(m_end) & m_mask]);
    }

    void push(const WindowEntry &e, int cap)
    {
        if (m_end - m_base >= qint64(cap))
            dropOldest();
        if (m_end - m_base >= qint64(m_buffer.size()))
            grow(cap);
        m_buffer[size_t(m_end) & m_mask] = e;
        ++m_end;
        for (int w = 0; w < N; ++w) {
            add(w, e, 1);
            if (m_start[w] == m_end - 1)
                m_startTimeMs[w] = e.timeMs;
        }
    }

    int count(int window, int counter) const { return m_counts[window][counter]; }
    double amount(int window) const { return m_amount[window]; }
    bool isEmpty() const { return m_end == m_base; }

private:
    const WindowEntry &entry(qint64 seq) const
    {
        return m_buffer[size_t(seq) & m_mask];
    }

    void add(int w, const WindowEntry &e, int sign)
    {
        if (e.flags & AttemptFlag) {
            m_counts[w][CountAttempts] += sign;
            m_amount[w] += sign * double(e.amount);
        }
        if (e.flags & DeclinedFlag)
            m_counts[w][CountDeclines] += sign;
        if (e.flags & RefundFlag)
            m_counts[w][CountRefunds] += sign;
        if (e.flags & DisputeFlag)
            m_counts[w][CountDisputes] += sign;
        if (e.flags & WarningFlag)
            m_counts[w][CountWarnings] += sign;
        if (e.flags & HighRatioFlag)
            m_counts[w][CountHighRatio] += sign;
        if (m_counts[w][CountAttempts] == 0)
            m_amount[w] = 0;  // no drift from float sums once the window empties
    }

    void remove(int w, qint64 seq) { add(w, entry(seq), -1); }

    void cacheStartTime(int w)
    {
        if (m_start[w] < m_end)
            m_startTimeMs[w] = entry(m_start[w]).timeMs;
    }

    void popOldest() { ++m_base; }

    void dropOldest()
    {
        for (int w = 0; w < N; ++w) {
            if (m_start[w] == m_base) {
                remove(w, m_start[w]++);
                cacheStartTime(w);
            }
        }
        ++m_base;
    }

    // Doubles the buffer (a power of two, so indexes are masks) while it
    // is smaller than the cap.
    void grow(int cap)
    {
        size_t size = m_buffer.empty() ? 4 : m_buffer.size() * 2;
        while (size / 2 >= size_t(cap) && size > 4)
            size /= 2;
        std::vector<WindowEntry> bigger(size);
        for (qint64 seq = m_base; seq < m_end; ++seq)
            bigger[size_t(seq) & (size - 1)] = entry(seq);
        m_buffer.swap(bigger);
        m_mask = size - 1;
    }

    std::vector<WindowEntry> m_buffer;
    size_t m_mask = 0;
    qint64 m_advancedTo = -1;  // the last nowMs the windows were moved to
    qint64 m_base = 0;   // sequence number of the oldest kept entry
    qint64 m_end = 0;    // sequence number after the newest
    qint64 m_start[N] = {};  // first sequence number inside each window
    qint64 m_startTimeMs[N] = {};  // time of the event at m_start, when the window has one
    int m_counts[N][WindowCounterCount] = {};
    double m_amount[N] = {};
};

// State of one entity (card, customer, IP, ...).
struct EntityState
{
    SlidingWindows<feature::WindowCount> windows;
    qint64 firstSeenMs = 0;
    qint64 lastSeenMs = 0;
    qint64 destinationChangedMs = -1;
    // Charges of the payer so far (while the entity is kept).
    double historySum = 0;
    float historyMax = 0;
    quint32 historyCount = 0;
    // Distinct cards with the time each was last seen, at most MaxDistinctCards.
    std::vector<std::pair<quint64, qint64>> cards;
};

inline constexpr int MaxDistinctCards = 64;

// Fraud labels that have become known at a merchant, over 1, 7 and 28 days.
struct MerchantLabels
{
    SlidingWindows<3> windows;  // DisputeFlag marks a fraud, AttemptFlag a labelled charge
    qint64 lastSeenMs = 0;
    // Release time of the first fraud label since the last genuine one;
    // 0 while the latest label is genuine.
    qint64 fraudRunStartMs = 0;
};

} // namespace portcullis::fraud
