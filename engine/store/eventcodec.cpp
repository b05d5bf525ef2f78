// SPDX-License-Identifier: GPL-3.0-or-later
#include "store/eventcodec.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>

#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace portcullis {

namespace {

constexpr char hexDigits[] = "0123456789abcdef";

// Escapes UTF-8 `bytes` into `out`, which has room for six bytes per byte.
char *writeEscapedUtf8(char *out, QByteArrayView bytes)
{
    for (const char c : bytes) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte == '"' || byte == '\\') {
            *out++ = '\\';
            *out++ = c;
        } else if (byte < 0x20) {
            *out++ = '\\';
            *out++ = 'u';
            *out++ = '0';
            *out++ = '0';
            *out++ = hexDigits[byte >> 4];
            *out++ = hexDigits[byte & 0xf];
        } else {
            *out++ = c;
        }
    }
    return out;
}

// Room a JSON string literal of `text` may need: two quotes and six bytes per
// UTF-16 code unit. An escaped control character ("\u001f") takes six, and a
// non-ASCII unit at most three UTF-8 bytes, which are not escaped.
qsizetype jsonStringBound(QStringView text)
{
    return 2 + 6 * text.size();
}

// Writes `text` as a JSON string literal, quotes included, at `at`, which has
// jsonStringBound(text) bytes of room. Most values are ASCII and are escaped
// straight from UTF-16; at the first other character the rest goes through a
// UTF-8 copy.
char *writeJsonString(char *at, QStringView text)
{
    *at++ = '"';
    qsizetype i = 0;
    for (; i < text.size(); ++i) {
        const char16_t c = text.at(i).unicode();
        if (c >= 0x80)
            break;
        const char ascii = char(c);
        if (c >= 0x20 && ascii != '"' && ascii != '\\')
            *at++ = ascii;
        else
            at = writeEscapedUtf8(at, QByteArrayView(&ascii, 1));
    }
    if (i < text.size())
        at = writeEscapedUtf8(at, text.sliced(i).toUtf8());
    *at++ = '"';
    return at;
}

// Writes `,"key":` (no comma for the first member) at `at`.
char *writeKey(char *at, bool &first, QByteArrayView key)
{
    if (!first)
        *at++ = ',';
    first = false;
    *at++ = '"';
    std::memcpy(at, key.data(), size_t(key.size()));
    at += key.size();
    *at++ = '"';
    *at++ = ':';
    return at;
}

char *writeNumber(char *at, qint64 value)
{
    char digits[24];
    char *const end = digits + sizeof digits;
    char *begin = end;
    const bool negative = value < 0;
    quint64 magnitude = negative ? 0 - quint64(value) : quint64(value);
    do {
        *--begin = char('0' + magnitude % 10);
        magnitude /= 10;
    } while (magnitude > 0);
    if (negative)
        *--begin = '-';
    std::memcpy(at, begin, size_t(end - begin));
    return at + (end - begin);
}

// The members of an event without a column of their own. Written through a
// pointer into room reserved up front, because appending to a QByteArray
// piece by piece costs a call and a capacity check per piece.
class FieldsWriter
{
public:
    explicit FieldsWriter(QByteArray &out)
        : m_out(out)
    {
    }

    // Makes room for `bytes` more bytes after what was written.
    void reserve(qsizetype bytes)
    {
        const qsizetype used = m_at - m_out.constData();
        m_out.resize(used + bytes);
        m_at = m_out.data() + used;
    }

    void begin(qsizetype bytes)
    {
        m_out.resize(bytes);
        m_at = m_out.data();
    }

    void string(QByteArrayView key, const QString &value)
    {
        if (value.isEmpty())
            return;
        m_at = writeKey(m_at, m_first, key);
        m_at = writeJsonString(m_at, value);
    }

    void number(QByteArrayView key, qint64 value)
    {
        m_at = writeKey(m_at, m_first, key);
        m_at = writeNumber(m_at, value);
    }

    void literal(QByteArrayView key, QByteArrayView value)
    {
        m_at = writeKey(m_at, m_first, key);
        std::memcpy(m_at, value.data(), size_t(value.size()));
        m_at += value.size();
    }

    void byte(char c) { *m_at++ = c; }

    // An Event::extra member: strings (nearly all of them) are written here,
    // other values through QJsonDocument.
    void variant(const QString &key, const QVariant &value)
    {
        if (value.typeId() == QMetaType::QString) {
            const QString text = value.toString();
            reserve(2 + jsonStringBound(key) + jsonStringBound(text));
            if (!m_first)
                *m_at++ = ',';
            m_first = false;
            m_at = writeJsonString(m_at, key);
            *m_at++ = ':';
            m_at = writeJsonString(m_at, text);
            return;
        }
        const QJsonArray wrapper { QJsonValue::fromVariant(value) };
        const QByteArray json = QJsonDocument(wrapper).toJson(QJsonDocument::Compact);
        const QByteArrayView inner = QByteArrayView(json).sliced(1, json.size() - 2);
        reserve(2 + jsonStringBound(key) + inner.size());
        if (!m_first)
            *m_at++ = ',';
        m_first = false;
        m_at = writeJsonString(m_at, key);
        *m_at++ = ':';
        std::memcpy(m_at, inner.data(), size_t(inner.size()));
        m_at += inner.size();
    }

    // Cuts the output to what was written.
    void finish() { m_out.resize(m_at - m_out.constData()); }

private:
    QByteArray &m_out;
    char *m_at = nullptr;
    bool m_first = true;
};

constexpr qsizetype KeyRoom = 48;     // the longest fixed key, quotes, colon, comma
constexpr qsizetype NumberRoom = 24;  // a 64-bit integer with its sign

} // namespace

void appendJsonString(QByteArray &out, QStringView text)
{
    const qsizetype begin = out.size();
    out.resize(begin + jsonStringBound(text));
    char *end = writeJsonString(out.data() + begin, text);
    out.resize(end - out.constData());
}

QByteArrayView utf8Into(QByteArray &buffer, QStringView text)
{
    // ASCII text is narrowed eight UTF-16 units at a time with SSE2, which
    // every x86-64 CPU has. Text with another unit goes through toUtf8().
    const char16_t *units = text.utf16();
    const qsizetype size = text.size();
    buffer.resize(size);
    char *out = buffer.data();
    qsizetype i = 0;
#if defined(__SSE2__)
    const __m128i nonAscii = _mm_set1_epi16(short(0xff80));
    for (; i + 8 <= size; i += 8) {
        const __m128i chunk = _mm_loadu_si128(reinterpret_cast<const __m128i *>(units + i));
        if (_mm_movemask_epi8(_mm_cmpeq_epi16(_mm_and_si128(chunk, nonAscii), _mm_setzero_si128()))
            != 0xffff)
            break;
        _mm_storel_epi64(reinterpret_cast<__m128i *>(out + i), _mm_packus_epi16(chunk, chunk));
    }
#endif
    for (; i < size; ++i) {
        if (units[i] >= 0x80) {
            buffer = text.toUtf8();
            return buffer;
        }
        out[i] = char(units[i]);
    }
    return buffer;
}

QByteArray eventFieldsJson(const Event &event)
{
    QByteArray out;
    out.reserve(256);
    writeEventFieldsJson(out, event);
    return out;
}

void writeEventFieldsJson(QByteArray &out, const Event &event)
{
    const QString *strings[] = { &event.reason, &event.sourceDomain, &event.processName,
        &event.serviceName, &event.httpMethod, &event.urlOriginal, &event.httpReferrer,
        &event.userAgent };
    qsizetype room = 2 + 5 * (KeyRoom + NumberRoom) + KeyRoom + 8;
    for (const QString *value : strings)
        room += KeyRoom + jsonStringBound(*value);

    FieldsWriter writer(out);
    writer.begin(room);
    writer.byte('{');
    writer.string("event.reason", event.reason);
    if (event.sourcePort > 0)
        writer.number("source.port", event.sourcePort);
    writer.string("source.domain", event.sourceDomain);
    writer.string("process.name", event.processName);
    if (event.processPid > 0)
        writer.number("process.pid", event.processPid);
    writer.string("service.name", event.serviceName);
    writer.string("http.request.method", event.httpMethod);
    writer.string("url.original", event.urlOriginal);
    if (event.httpStatus > 0)
        writer.number("http.response.status_code", event.httpStatus);
    if (event.httpBytes >= 0)
        writer.number("http.response.body.bytes", event.httpBytes);
    writer.string("http.request.referrer", event.httpReferrer);
    writer.string("user_agent.original", event.userAgent);
    if (!event.countsAsAttempt)
        writer.literal("portcullis.counts_as_attempt", "false");
    for (auto it = event.extra.cbegin(); it != event.extra.cend(); ++it)
        writer.variant(it.key(), it.value());
    writer.reserve(1);
    writer.byte('}');
    writer.finish();
}

bool applyEventFieldsJson(const QByteArray &json, Event *event)
{
    const QJsonDocument document = QJsonDocument::fromJson(json);
    if (!document.isObject())
        return false;

    QJsonObject object = document.object();
    const auto take = [&object](const char *key) {
        const QJsonValue value = object.value(QLatin1String(key));
        object.remove(QLatin1String(key));
        return value;
    };
    event->reason = take("event.reason").toString();
    event->sourcePort = take("source.port").toInt();
    event->sourceDomain = take("source.domain").toString();
    event->processName = take("process.name").toString();
    event->processPid = take("process.pid").toInteger();
    event->serviceName = take("service.name").toString();
    event->httpMethod = take("http.request.method").toString();
    event->urlOriginal = take("url.original").toString();
    event->httpStatus = take("http.response.status_code").toInt();
    event->httpBytes = take("http.response.body.bytes").toInteger(-1);
    event->httpReferrer = take("http.request.referrer").toString();
    event->userAgent = take("user_agent.original").toString();
    event->countsAsAttempt = take("portcullis.counts_as_attempt").toBool(true);
    event->extra = object.toVariantMap();
    return true;
}

} // namespace portcullis
