// SPDX-License-Identifier: GPL-3.0-or-later
#include "event/parsertext.h"

#include "event/event.h"

#include <arpa/inet.h>

#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace portcullis::text {

namespace {

// Widens ASCII `bytes` to UTF-16 in `units`; false at the first byte that is
// not ASCII, with `units` then partly written. Nearly every log line is
// ASCII, and Qt 6.4's UTF-8 decoder costs about two instructions per byte on
// it, so ASCII is widened here sixteen bytes at a time with SSE2, which every
// x86-64 CPU has.
bool widenAscii(const unsigned char *bytes, qsizetype size, char16_t *units)
{
    qsizetype i = 0;
#if defined(__SSE2__)
    const __m128i zero = _mm_setzero_si128();
    for (; i + 16 <= size; i += 16) {
        const __m128i chunk = _mm_loadu_si128(reinterpret_cast<const __m128i *>(bytes + i));
        if (_mm_movemask_epi8(chunk) != 0)
            return false;
        _mm_storeu_si128(reinterpret_cast<__m128i *>(units + i), _mm_unpacklo_epi8(chunk, zero));
        _mm_storeu_si128(reinterpret_cast<__m128i *>(units + i + 8), _mm_unpackhi_epi8(chunk, zero));
    }
    if (i < size && size >= 16) {
        // The last sixteen bytes, overlapping those already widened.
        i = size - 16;
        const __m128i chunk = _mm_loadu_si128(reinterpret_cast<const __m128i *>(bytes + i));
        if (_mm_movemask_epi8(chunk) != 0)
            return false;
        _mm_storeu_si128(reinterpret_cast<__m128i *>(units + i), _mm_unpacklo_epi8(chunk, zero));
        _mm_storeu_si128(reinterpret_cast<__m128i *>(units + i + 8), _mm_unpackhi_epi8(chunk, zero));
        return true;
    }
#endif
    for (; i < size; ++i) {
        if (bytes[i] >= 0x80)
            return false;
        units[i] = char16_t(bytes[i]);
    }
    return true;
}

} // namespace

QString fromUtf8(QByteArrayView s)
{
    // Any byte that is not ASCII sends the whole text to QString::fromUtf8,
    // as does empty text, so that null and empty results stay what Qt returns.
    const qsizetype size = s.size();
    if (size == 0)
        return QString::fromUtf8(s.data(), size);
    QString out(size, Qt::Uninitialized);
    if (!widenAscii(reinterpret_cast<const unsigned char *>(s.data()), size,
                    reinterpret_cast<char16_t *>(out.data())))
        return QString::fromUtf8(s.data(), size);
    return out;
}

QString RecyclingDecoder::decode(QByteArrayView s)
{
    const qsizetype size = s.size();
    if (size == 0 || size > MaxSliceUnits)
        return fromUtf8(s);
    if (m_block.isNull() || m_used + size + 1 > m_block.capacity()) {
        // isDetached() is true when no result shares the block any more.
        if (m_block.isNull() || !m_block.isDetached())
            m_block = QString(BlockUnits - 1, Qt::Uninitialized);
        m_used = 0;
    }
    QString::DataPointer &block = m_block.data_ptr();
    char16_t *units = block.data() + m_used;
    if (!widenAscii(reinterpret_cast<const unsigned char *>(s.data()), size, units))
        return QString::fromUtf8(s.data(), size);
    units[size] = u'\0';
    m_used += size + 1;
    // The slice adopts one more reference to the block.
    block.d_ptr()->ref();
    return QString(QString::DataPointer(block.d_ptr(), units, size));
}

qsizetype find(QByteArrayView s, QByteArrayView needle, qsizetype from)
{
    if (from < 0 || from > s.size())
        return -1;
    return text::indexOf(s, needle, from);
}

qsizetype findLast(QByteArrayView s, QByteArrayView needle, qsizetype before)
{
    if (before < 0 || before > s.size())
        before = s.size();
    const QByteArrayView head = s.first(before);
    for (qsizetype i = head.size() - needle.size(); i >= 0; --i) {
        if (head.at(i) == needle.at(0) && equals(head.sliced(i, needle.size()), needle))
            return i;
    }
    return -1;
}

QByteArrayView trimmedRight(QByteArrayView s)
{
    qsizetype end = s.size();
    while (end > 0 && (s.at(end - 1) == ' ' || s.at(end - 1) == '\t' || s.at(end - 1) == '\r'))
        --end;
    return s.first(end);
}

QByteArrayView trimmed(QByteArrayView s)
{
    qsizetype begin = 0;
    while (begin < s.size() && (s.at(begin) == ' ' || s.at(begin) == '\t'))
        ++begin;
    return trimmedRight(s.sliced(begin));
}

QByteArrayView takeToken(QByteArrayView &s)
{
    const qsizetype space = text::indexOf(s, ' ');
    if (space < 0) {
        const QByteArrayView token = s;
        s = QByteArrayView();
        return token;
    }
    const QByteArrayView token = s.first(space);
    s = s.sliced(space + 1);
    return token;
}

bool isHostName(QByteArrayView s)
{
    if (s.isEmpty() || s.size() > 253 || s.at(0) == '.' || s.at(0) == '-')
        return false;
    for (char c : s) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || isDigit(c) || c == '-'
                        || c == '_' || c == '.';
        if (!ok)
            return false;
    }
    return true;
}

namespace {

bool parseIpv4(QByteArrayView s, quint8 octets[4])
{
    int part = 0;
    qsizetype i = 0;
    while (part < 4) {
        const qsizetype begin = i;
        int value = 0;
        while (i < s.size() && isDigit(s.at(i)) && i - begin < 3) {
            value = value * 10 + (s.at(i) - '0');
            ++i;
        }
        const qsizetype digits = i - begin;
        if (digits == 0 || value > 255 || (digits > 1 && s.at(begin) == '0'))
            return false;
        octets[part++] = quint8(value);
        if (part < 4) {
            if (i >= s.size() || s.at(i) != '.')
                return false;
            ++i;
        }
    }
    return i == s.size();
}

QString ipv4Text(const quint8 octets[4])
{
    char buffer[16];
    const int n = std::snprintf(buffer, sizeof buffer, "%u.%u.%u.%u", octets[0], octets[1],
                                octets[2], octets[3]);
    return QString::fromLatin1(buffer, n);
}

} // namespace

// True when every byte is allowed in an interface name used as an IPv6 zone.
static bool isZoneId(QByteArrayView zone)
{
    for (char c : zone) {
        const bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
            || c == '-' || c == '_' || c == '.';
        if (!allowed)
            return false;
    }
    return true;
}

bool canonicalIp(QByteArrayView s, QString *canonical)
{
    quint8 v4[4];
    if (s.size() <= 15 && parseIpv4(s, v4)) {
        *canonical = QString::fromLatin1(s.data(), s.size());
        return true;
    }
    if (s.size() < 2 || text::indexOf(s, ':') < 0)
        return false;

    // A scoped address ("fe80::1%eth0", RFC 4007) keeps its zone, which names
    // a local interface (at most 15 bytes on Linux).
    const qsizetype percent = text::indexOf(s, '%');
    if (percent >= 0) {
        const QByteArrayView zone = s.sliced(percent + 1);
        if (zone.isEmpty() || zone.size() > 15 || !isZoneId(zone)
            || !canonicalIp(s.first(percent), canonical) || !canonical->contains(u':'))
            return false;
        *canonical += u'%' + QString::fromLatin1(zone.data(), zone.size());
        return true;
    }
    if (s.size() > 45)
        return false;

    char buffer[64];
    std::memcpy(buffer, s.data(), size_t(s.size()));
    buffer[s.size()] = '\0';
    unsigned char v6[16];
    if (inet_pton(AF_INET6, buffer, v6) != 1)
        return false;

    static const unsigned char mappedPrefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (std::memcmp(v6, mappedPrefix, 12) == 0) {
        *canonical = ipv4Text(v6 + 12);
        return true;
    }
    char text[INET6_ADDRSTRLEN];
    if (!inet_ntop(AF_INET6, v6, text, sizeof text))
        return false;
    *canonical = QString::fromLatin1(text);
    return true;
}

QString Interner::intern(QByteArrayView bytes)
{
    if (!m_lastKey.isNull() && equals(bytes, m_lastKey))
        return m_lastValue;
    const auto it =
        findOrInsertBounded(m_strings, bytes, MaxEntries, [bytes] { return fromUtf8(bytes); });
    m_lastKey = it.key();
    text::assign(m_lastValue, it.value());
    return m_lastValue;
}

Address AddressCache::lookup(QByteArrayView token)
{
    if (!m_lastToken.isNull() && text::equals(token, m_lastToken))
        return m_lastAddress;
    const QByteArray key = QByteArray::fromRawData(token.data(), token.size());
    const auto it = m_addresses.constFind(key);
    if (it != m_addresses.constEnd()) {
        // Reuses the buffer of the previous token, which no one else shares.
        if (m_lastToken.isDetached() && m_lastToken.capacity() >= token.size()) {
            m_lastToken.resize(token.size());
            std::memcpy(m_lastToken.data(), token.data(), size_t(token.size()));
        } else {
            m_lastToken = QByteArray(token.data(), token.size());
        }
        text::assign(m_lastAddress.ip, it->ip);
        text::assign(m_lastAddress.domain, it->domain);
        return it.value();
    }

    Address address;
    if (!canonicalIp(token, &address.ip) && isHostName(token))
        address.domain = QString::fromLatin1(token.data(), token.size());

    if (m_addresses.size() >= MaxEntries)
        m_addresses.clear();
    m_addresses.insert(QByteArray(token.data(), token.size()), address);
    return address;
}

ActionStrings makeActionStrings()
{
    return ActionStrings{
        QString::fromLatin1(actions::SshLogin),
        QString::fromLatin1(actions::SshInvalidUser),
        QString::fromLatin1(actions::SshPreauthDisconnect),
        QString::fromLatin1(actions::SshMaxAuthTries),
        QString::fromLatin1(actions::SshNoIdentification),
        QString::fromLatin1(actions::SshPreauthTimeout),
        QString::fromLatin1(actions::SshProtocolError),
        QString::fromLatin1(actions::SshBreakInAttempt),
        QString::fromLatin1(actions::SshLogout),
        QString::fromLatin1(actions::PamAuthFailure),
        QString::fromLatin1(actions::HttpRequest),
        QString::fromLatin1(actions::Other),
    };
}

} // namespace portcullis::text
