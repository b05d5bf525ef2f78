// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Byte-level helpers shared by the log parsers. Parsers work on
// QByteArrayView slices of the raw line and convert to QString only for the
// fields they keep.

#include <QByteArray>
#include <QByteArrayView>
#include <QHash>
#include <QString>

#include <cstring>

namespace portcullis::text {

inline bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

inline bool startsWith(QByteArrayView s, QByteArrayView prefix)
{
    return s.size() >= prefix.size()
           && std::memcmp(s.data(), prefix.data(), size_t(prefix.size())) == 0;
}

// Copies `from` into `to`. Qt 6.4's QString copy assignment is a library
// call, but copy construction and move assignment are inline, which costs
// less for the fields that the parsers set on every event.
inline void assign(QString &to, const QString &from)
{
    to = QString(from);
}

// Whether the first and the last sizeof(Word) bytes of `x` and `y` match,
// which covers every byte of texts of sizeof(Word) to 2 * sizeof(Word) bytes.
template<typename Word>
inline bool equalEnds(const char *x, const char *y, qsizetype size)
{
    Word x0, x1, y0, y1;
    std::memcpy(&x0, x, sizeof(Word));
    std::memcpy(&y0, y, sizeof(Word));
    std::memcpy(&x1, x + size - qsizetype(sizeof(Word)), sizeof(Word));
    std::memcpy(&y1, y + size - qsizetype(sizeof(Word)), sizeof(Word));
    return ((x0 ^ y0) | (x1 ^ y1)) == 0;
}

// QByteArrayView's operator==, inline: the sizes are compared first, so most
// mismatches cost no call. Texts of up to 16 bytes (host, program and user
// names, addresses) are compared with two overlapping loads of 8 or 4 bytes
// from each end, which costs less than calling memcmp().
inline bool equals(QByteArrayView a, QByteArrayView b)
{
    const qsizetype size = a.size();
    if (size != b.size())
        return false;
    const char *x = a.data();
    const char *y = b.data();
    if (size >= 8 && size <= 16)
        return equalEnds<quint64>(x, y, size);
    if (size >= 4 && size < 8)
        return equalEnds<quint32>(x, y, size);
    if (size < 4) {
        // Positions 0, size / 2 and size - 1 cover all of 1 to 3 bytes.
        return size == 0
            || (x[0] == y[0] && x[size / 2] == y[size / 2] && x[size - 1] == y[size - 1]);
    }
    return std::memcmp(x, y, size_t(size)) == 0;
}

inline bool endsWith(QByteArrayView s, QByteArrayView suffix)
{
    return s.size() >= suffix.size()
           && std::memcmp(s.data() + s.size() - suffix.size(), suffix.data(),
                          size_t(suffix.size()))
                  == 0;
}

// Return what QByteArrayView::indexOf and contains return (a negative `from`
// counts from the end), but search with memchr and memcmp, because Qt 6.4's
// generic search and glibc's memmem cost more set-up than the parsers' short
// needles in short lines are worth.
inline qsizetype indexOf(QByteArrayView s, char c, qsizetype from = 0)
{
    if (from < 0)
        from = qMax(from + s.size(), qsizetype(0));
    if (from >= s.size())
        return -1;
    const void *hit = std::memchr(s.data() + from, c, size_t(s.size() - from));
    return hit ? static_cast<const char *>(hit) - s.data() : -1;
}

// The byte of `needle` that memchr looks for: the last punctuation byte other
// than a space ('=' in "rhost=", ':' in " times: ["), which log lines hold
// few of, else the first byte that is not a space.
constexpr qsizetype searchAnchor(QByteArrayView needle)
{
    for (qsizetype i = needle.size() - 1; i >= 0; --i) {
        const char c = needle.at(i);
        if (c != ' ' && ((c >= '!' && c <= '/') || (c >= ':' && c <= '@') || (c >= '[' && c <= '`')
                         || (c >= '{' && c <= '~')))
            return i;
    }
    return needle.size() > 1 && needle.at(0) == ' ' ? 1 : 0;
}

// A search text with its anchor byte (searchAnchor()) chosen once. Declared
// constexpr for a literal, it spares the searches that run on every line
// choosing the anchor again.
struct Needle
{
    QByteArrayView text;
    qsizetype anchor = 0;
};

constexpr Needle makeNeedle(QByteArrayView text)
{
    return Needle{text, searchAnchor(text)};
}

inline qsizetype indexOf(QByteArrayView s, const Needle &search, qsizetype from = 0)
{
    const QByteArrayView needle = search.text;
    if (from < 0)
        from = qMax(from + s.size(), qsizetype(0));
    if (needle.isEmpty())
        return from > s.size() ? -1 : from;
    if (from > s.size() - needle.size())
        return -1;
    const qsizetype anchor = search.anchor;
    const char anchorByte = needle.at(anchor);
    const char *const data = s.data();
    const char *const lastStart = data + s.size() - needle.size();
    for (const char *start = data + from; start <= lastStart;) {
        const auto *hit = static_cast<const char *>(
            std::memchr(start + anchor, anchorByte, size_t(lastStart - start + 1)));
        if (!hit)
            return -1;
        const char *candidate = hit - anchor;
        if (std::memcmp(candidate, needle.data(), size_t(needle.size())) == 0)
            return candidate - data;
        start = candidate + 1;
    }
    return -1;
}

inline qsizetype indexOf(QByteArrayView s, QByteArrayView needle, qsizetype from = 0)
{
    return indexOf(s, Needle{needle, searchAnchor(needle)}, from);
}

inline bool contains(QByteArrayView s, QByteArrayView needle)
{
    return indexOf(s, needle) >= 0;
}

// Index of `needle` in `s` at or after `from`, or -1.
qsizetype find(QByteArrayView s, QByteArrayView needle, qsizetype from = 0);
// Index of the last `needle` in `s` that starts before `before`, or -1.
qsizetype findLast(QByteArrayView s, QByteArrayView needle, qsizetype before = -1);

QByteArrayView trimmed(QByteArrayView s);
// Drops the '\r' that a CRLF line ending leaves behind.
inline QByteArrayView withoutCarriageReturn(QByteArrayView line)
{
    return line.endsWith('\r') ? line.chopped(1) : line;
}
QByteArrayView trimmedRight(QByteArrayView s);

// Parses an unsigned decimal of at most 18 digits; false on any other byte.
inline bool parseUInt(QByteArrayView s, qint64 *value)
{
    if (s.isEmpty() || s.size() > 18)
        return false;
    qint64 result = 0;
    for (char c : s) {
        if (!isDigit(c))
            return false;
        result = result * 10 + (c - '0');
    }
    *value = result;
    return true;
}

// Splits off the first space-separated token: returns it and moves `s`
// past it and the single space after it.
QByteArrayView takeToken(QByteArrayView &s);

// Decodes UTF-8, replacing invalid sequences with U+FFFD. Returns what
// QString::fromUtf8 returns, but widens ASCII text without its decoder.
QString fromUtf8(QByteArrayView s);

// fromUtf8() for one field of every line, such as the raw line. ASCII text
// of up to MaxSliceUnits units is widened into a shared block. Each result
// is a QString that points into the block and holds a reference to it, so a
// block of lines costs one allocation and one free instead of one per line.
// A block that nothing else references any more (the caller released the
// events that shared it) is filled again from its start. Results are
// ordinary QStrings: changing one copies it out of the block first, as for
// any shared QString. A zero unit follows each result in the block, so
// utf16() is zero-terminated. NOTE: QString::isSharedWith() is true for two
// different results of one block, so a cache that tests identity must also
// compare constData() and size().
class RecyclingDecoder
{
public:
    // Units per block, and the longest text that goes into a block. A result
    // keeps its whole block allocated (at most 8 KB).
    static constexpr qsizetype BlockUnits = 4096;
    static constexpr qsizetype MaxSliceUnits = 511;

    QString decode(QByteArrayView s);

private:
    QString m_block;     // holds a reference to the current block
    qsizetype m_used = 0;  // units of the block given out, with their zero units
};

// True for a syntactically valid DNS host name (letters, digits, '-', '_',
// '.'), at most 253 bytes.
bool isHostName(QByteArrayView s);

// Parses an IPv4 or IPv6 address and writes its canonical text form:
// IPv4 in dotted decimal without leading zeros, IPv6 as inet_ntop writes it,
// IPv4-mapped IPv6 (::ffff:a.b.c.d) as the IPv4 address, a scoped IPv6
// address with its zone ("fe80::1%eth0"). Returns false for
// anything else, including IPv4 octets with leading zeros ("192.030.0.6").
bool canonicalIp(QByteArrayView s, QString *canonical);

// Returns the entry of `table` for `bytes`, inserting make() when there is
// none. A full table (`maxEntries`) is cleared before the insertion.
template <typename Value, typename Make>
typename QHash<QByteArray, Value>::const_iterator
findOrInsertBounded(QHash<QByteArray, Value> &table, QByteArrayView bytes, qsizetype maxEntries,
                    Make make)
{
    const QByteArray key = QByteArray::fromRawData(bytes.data(), bytes.size());
    const auto found = table.constFind(key);
    if (found != table.constEnd())
        return found;
    if (table.size() >= maxEntries)
        table.clear();
    return table.insert(QByteArray(bytes.data(), bytes.size()), make());
}

// Maps repeating byte strings (host, program, user, address) to one shared
// QString, so events from one file share their field data. Bounded: the
// table is cleared when it reaches MaxEntries.
class Interner
{
public:
    static constexpr int MaxEntries = 1 << 16;

    QString intern(QByteArrayView bytes);

private:
    QHash<QByteArray, QString> m_strings;
    // The previous result and its table key, checked first because
    // consecutive lines often repeat a value. The key shares the table's data.
    QByteArray m_lastKey;
    QString m_lastValue;
};

// An Interner for one field that repeats on consecutive lines (host name,
// program): the previous value is checked before the table.
class FieldInterner
{
public:
    QString intern(QByteArrayView bytes)
    {
        if (m_hasLast && equals(bytes, m_lastBytes))
            return m_lastValue;
        m_lastValue = m_table.intern(bytes);
        m_lastBytes = QByteArray(bytes.data(), bytes.size());
        m_hasLast = true;
        return m_lastValue;
    }

private:
    Interner m_table;
    QByteArray m_lastBytes;
    QString m_lastValue;
    bool m_hasLast = false;
};

// The canonical address or host name of a log's address token, cached.
struct Address
{
    QString ip;      // canonical IP, empty when the token is a host name
    QString domain;  // host name, empty when the token is an IP
    bool isValid() const { return !ip.isEmpty() || !domain.isEmpty(); }
};

class AddressCache
{
public:
    static constexpr int MaxEntries = 1 << 16;

    // Returns an invalid Address when `token` is neither an IP nor a host name.
    Address lookup(QByteArrayView token);

private:
    QHash<QByteArray, Address> m_addresses;
    QByteArray m_lastToken;  // the previous lookup, which consecutive lines often repeat
    Address m_lastAddress;
};

// QString copies of the actions:: constants, built once so that events share
// their data instead of allocating one string per event.
struct ActionStrings
{
    QString sshLogin;
    QString sshInvalidUser;
    QString sshPreauthDisconnect;
    QString sshMaxAuthTries;
    QString sshNoIdentification;
    QString sshPreauthTimeout;
    QString sshProtocolError;
    QString sshBreakInAttempt;
    QString sshLogout;
    QString pamAuthFailure;
    QString httpRequest;
    QString other;
};
ActionStrings makeActionStrings();

// The shared action strings. Inline, so that the parsers and detectors,
// which read them for every event, pay only the check of the static's guard.
inline const ActionStrings &actionStrings()
{
    static const ActionStrings strings = makeActionStrings();
    return strings;
}

} // namespace portcullis::text
