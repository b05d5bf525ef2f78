// SPDX-License-Identifier: GPL-3.0-or-later
#include "store/eventidset.h"

#include <QHashFunctions>

namespace portcullis {

namespace {

constexpr size_t InitialSlots = 1 << 16;

// A 64-bit hash of `id` that is never 0, the mark of an empty slot.
quint64 idHash(QByteArrayView id)
{
    const quint64 hash = quint64(qHashBits(id.data(), size_t(id.size()), 0));
    return hash == 0 ? 1 : hash;
}

} // namespace

bool EventIdSet::insert(QByteArrayView id)
{
    if (size_t(m_size + 1) * 2 > m_slots.size())
        grow();
    const quint64 hash = idHash(id);
    const size_t mask = m_slots.size() - 1;
    for (size_t slot = size_t(hash) & mask;; slot = (slot + 1) & mask) {
        if (m_slots[slot] == hash)
            return false;
        if (m_slots[slot] == 0) {
            m_slots[slot] = hash;
            ++m_size;
            return true;
        }
    }
}

// Doubles the slot count (a power of two) and re-inserts every hash.
void EventIdSet::grow()
{
    std::vector<quint64> old;
    old.swap(m_slots);
    m_slots.assign(old.empty() ? InitialSlots : old.size() * 2, 0);
    const size_t mask = m_slots.size() - 1;
    for (const quint64 hash : old) {
        if (hash == 0)
            continue;
        size_t slot = size_t(hash) & mask;
        while (m_slots[slot] != 0)
            slot = (slot + 1) & mask;
        m_slots[slot] = hash;
    }
}

} // namespace portcullis
