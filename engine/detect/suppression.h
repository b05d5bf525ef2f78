// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "detect/alert.h"
#include "store/suppressions.h"

#include <QVector>

#include <array>

namespace portcullis {

// An IPv4 or IPv6 address range in CIDR form; a bare address is a /32 or /128.
// IPv4-mapped IPv6 addresses ("::ffff:192.0.2.1") match IPv4 ranges.
class IpNetwork {
public:
    // Parses "203.0.113.0/24", "2001:db8::/32" or "198.51.100.7". Host bits
    // below the prefix are ignored. Returns false with a message naming the text.
    static bool parse(QStringView text, IpNetwork *network, QString *errorMessage);
    bool contains(QStringView address) const;

private:
    std::array<quint8, 16> m_bytes {}; // IPv4 in the first four bytes
    int m_prefix = 0;
    bool m_v4 = true;
};

// Checks an entry before it is stored: the kind's value is valid (a CIDR
// range, a rule id, a user name), the reason is given, lengths are within the
// schema's limits. Returns false with a message naming the field and the fix.
bool validateSuppression(const Suppression &suppression, QString *errorMessage);

// The active suppressions, compiled for matching. Copyable: an engine keeps
// one and the expiry is checked at each match against `nowMs`.
class SuppressionList {
public:
    SuppressionList() = default;
    explicit SuppressionList(const QVector<Suppression> &entries);

    bool isEmpty() const { return m_entries.isEmpty(); }
    int size() const { return int(m_entries.size()); }
    const Suppression &entry(int index) const { return m_entries[index].suppression; }

    // The id of an active source entry for every rule that covers `address`,
    // or 0. The detectors never see events from such a source.
    qint64 allowedSource(QStringView address, qint64 nowMs) const;
    // The id of an active entry that suppresses the alert, or 0. A rule entry
    // matches the alert's rule. A source entry matches when it covers every
    // source.ip of the alert, and a user entry when it names every user.name.
    qint64 suppressingEntry(const Alert &alert, qint64 nowMs) const;

private:
    struct Compiled {
        Suppression suppression;
        IpNetwork network; // for source entries
    };
    QVector<Compiled> m_entries;
};

} // namespace portcullis
