// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "detect/expirybound.h"

#include <QHash>
#include <QString>

#include <algorithm>
#include <array>
#include <vector>

namespace portcullis::detect {

// Robust statistics of one entity's recent samples (requests per minute,
// bytes per hour): the last Capacity samples in a ring, with median and
// median absolute deviation (MAD) computed on demand. 136 bytes per entity.
class RobustBaseline {
public:
    static constexpr int Capacity = 32;

    void add(float value);
    int count() const { return m_size; }
    // True once `minSamples` samples are in, so that the baseline may decide.
    bool isWarm(int minSamples) const { return m_size >= minSamples; }
    float median() const;
    // Median absolute deviation, scaled by 1.4826 so that it estimates the
    // standard deviation of normal data.
    float scaledMad() const;
    // The level above which a sample is anomalous: the largest of `floor`,
    // median + madMultiplier * scaled MAD, and ratio * median.
    double threshold(double floor, int madMultiplier, int ratio) const;

private:
    std::array<float, Capacity> m_samples {};
    quint16 m_size = 0;
    quint16 m_next = 0;
};

// Per-entity state keyed by a string (user id, address, session id), with a
// cap on the entity count and expiry of idle entities. Over the cap, the
// least recently seen eighth of the entities is evicted at once, so the cost
// of eviction is amortised over many inserts.
template<typename State>
class EntityTable {
public:
    EntityTable(int maxEntities, qint64 idleMs)
        : m_maxEntities(qMax(1, maxEntities))
        , m_idleMs(idleMs)
    {
    }

    // Returns the entity's state, inserting a default one, and marks it seen at `nowMs`.
    State &touch(const QString &key, qint64 nowMs)
    {
        auto it = m_entries.find(key);
        if (it == m_entries.end()) {
            if (m_entries.size() >= m_maxEntities)
                evictOldest();
            it = m_entries.insert(key, Entry {});
            it->lastSeenMs = qMax(it->lastSeenMs, nowMs);
            m_oldest.add(it->lastSeenMs);
            return it->state;
        }
        it->lastSeenMs = qMax(it->lastSeenMs, nowMs);
        return it->state;
    }

    State *find(const QString &key)
    {
        const auto it = m_entries.find(key);
        return it == m_entries.end() ? nullptr : &it->state;
    }

    const State *find(const QString &key) const
    {
        const auto it = m_entries.constFind(key);
        return it == m_entries.constEnd() ? nullptr : &it->state;
    }

    // Drops the entities not seen since `nowMs` minus the idle time.
    void expire(qint64 nowMs)
    {
        const qint64 horizon = nowMs - m_idleMs;
        if (m_oldest.noneBefore(horizon))
            return;

        m_oldest.reset();
        for (auto it = m_entries.begin(); it != m_entries.end();) {
            if (it->lastSeenMs < horizon) {
                it = m_entries.erase(it);
                ++m_expired;
            } else {
                m_oldest.add(it->lastSeenMs);
                ++it;
            }
        }
    }

    void clear()
    {
        m_entries.clear();
        m_oldest.reset();
    }
    int size() const { return int(m_entries.size()); }
    int maxEntities() const { return m_maxEntities; }
    qint64 evicted() const { return m_evicted; }
    qint64 expired() const { return m_expired; }

private:
    struct Entry {
        State state;
        qint64 lastSeenMs = 0;
    };

    void evictOldest()
    {
        std::vector<qint64> times;
        times.reserve(std::size_t(m_entries.size()));
        for (const Entry &entry : std::as_const(m_entries))
            times.push_back(entry.lastSeenMs);
        const std::size_t cut = qMax<std::size_t>(1, times.size() / 8);
        std::nth_element(times.begin(), times.begin() + std::ptrdiff_t(cut - 1), times.end());
        const qint64 cutoff = times[cut - 1];
        std::size_t removed = 0;
        for (auto it = m_entries.begin(); it != m_entries.end() && removed < cut;) {
            if (it->lastSeenMs <= cutoff) {
                it = m_entries.erase(it);
                ++removed;
            } else {
                ++it;
            }
        }
        m_evicted += qint64(removed);
    }

    QHash<QString, Entry> m_entries;
    OldestTimeBound m_oldest; // of Entry::lastSeenMs, which touch() only moves forward
    int m_maxEntities;
    qint64 m_idleMs;
    qint64 m_evicted = 0;
    qint64 m_expired = 0;
};

// Counts of one entity in fixed, aligned time buckets (a minute, an hour).
// When a bucket closes, its total goes into the baseline, unless the bucket
// was anomalous, so that an attack does not become the entity's normal.
struct BucketedRate {
    qint64 bucketStartMs = -1;
    double current = 0;
    bool currentAnomalous = false;
    RobustBaseline baseline;

    // Moves to the bucket of `timestampMs`, closing the current one first.
    // Events older than the current bucket count in it.
    void advance(qint64 timestampMs, qint64 bucketMs)
    {
        const qint64 start = timestampMs - timestampMs % bucketMs;
        if (start <= bucketStartMs)
            return;
        if (bucketStartMs >= 0 && current > 0 && !currentAnomalous)
            baseline.add(float(current));
        bucketStartMs = start;
        current = 0;
        currentAnomalous = false;
    }
};

} // namespace portcullis::detect
