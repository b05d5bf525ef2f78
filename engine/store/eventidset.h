// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArrayView>
#include <QtGlobal>

#include <vector>

namespace portcullis {

// The 64-bit hashes of the event ids a throw-away store has inserted. The
// store uses the set in place of the unique index on events.event_id, because
// an id whose hash is new cannot be stored yet. On the first repeated hash (a
// duplicate id, or rarely two ids with one hash) the store builds the index.
// Open addressing with linear probing, at most half full, 16 bytes per id.
class EventIdSet
{
public:
    // Adds the hash of `id`. Returns false when the hash was present already.
    bool insert(QByteArrayView id);
    qsizetype size() const { return m_size; }

private:
    void grow();

    std::vector<quint64> m_slots;  // 0 marks an empty slot
    qsizetype m_size = 0;
};

} // namespace portcullis
