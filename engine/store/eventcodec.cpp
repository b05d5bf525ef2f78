// SPDX-License-Identifier: GPL-3.0-or-later
#include "store/eventcodec.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>

namespace portcullis {

namespace {

constexpr char hexDigits[] = "0123456789abcdef";

void appendKey(QByteArray &out, QByteArrayView key)
{
    out.append(out.size() > 1 ? QByteArrayView(",\"") : QByteArrayView("\""));
    out.append(key);
    out.append(QByteArrayView("\":"));
}

void appendString(QByteArray &out, QByteArrayView key, const QString &value)
{
    if (value.isEmpty())
        return;
    appendKey(out, key);
    appendJsonString(out, value);
}

void appendNumber(QByteArray &out, QByteArrayView key, qint64 value)
{
    appendKey(out, key);
    char digits[24];
    char *end = digits + sizeof digits;
    char *at = end;
    const bool negative = value < 0;
    quint64 magnitude = negative ? 0 - quint64(value) : quint64(value);
    do {
        *--at = char('0' + magnitude % 10);
        magnitude /= 10;
    } while (magnitude > 0);
    if (negative)
        *--at = '-';
    out.append(QByteArrayView(at, end - at));
}

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

void appendVariant(QByteArray &out, const QString &key, const QVariant &value)
{
    out += out.size() > 1 ? "," : "";
    appendJsonString(out, key);
    out += ':';
    if (value.typeId() == QMetaType::QString) {
        appendJsonString(out, value.toString());
        return;
    }
    // Numbers, booleans, lists and maps go through QJsonDocument, wrapped in
    // an array because it only serializes arrays and objects.
    const QJsonArray wrapper { QJsonValue::fromVariant(value) };
    const QByteArray text = QJsonDocument(wrapper).toJson(QJsonDocument::Compact);
    out += text.mid(1, text.size() - 2);
}

} // namespace

void appendJsonString(QByteArray &out, QStringView text)
{
    // Written through a pointer into room reserved up front (six bytes per
    // byte at worst), as appending byte by byte costs a call per byte. Most
    // values are ASCII and are escaped straight from UTF-16; at the first
    // other character the rest goes through a UTF-8 copy.
    const qsizetype begin = out.size();
    out.resize(begin + 2 + 6 * text.size());
    char *at = out.data() + begin;
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
    if (i < text.size()) {
        const QByteArray utf8 = text.sliced(i).toUtf8();
        const qsizetype used = at - out.constData();
        out.resize(used + 1 + 6 * utf8.size());
        at = writeEscapedUtf8(out.data() + used, utf8);
    }
    *at++ = '"';
    out.resize(at - out.constData());
}

QByteArrayView utf8Into(QByteArray &buffer, QStringView text)
{
    buffer.resize(text.size());
    char *out = buffer.data();
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char16_t c = text.at(i).unicode();
        if (c >= 0x80) {
            buffer = text.toUtf8();
            return buffer;
        }
        out[i] = char(c);
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
    out.resize(0);
    out += '{';
    appendString(out, "event.reason", event.reason);
    if (event.sourcePort > 0)
        appendNumber(out, "source.port", event.sourcePort);
    appendString(out, "source.domain", event.sourceDomain);
    appendString(out, "process.name", event.processName);
    if (event.processPid > 0)
        appendNumber(out, "process.pid", event.processPid);
    appendString(out, "service.name", event.serviceName);
    appendString(out, "http.request.method", event.httpMethod);
    appendString(out, "url.original", event.urlOriginal);
    if (event.httpStatus > 0)
        appendNumber(out, "http.response.status_code", event.httpStatus);
    if (event.httpBytes >= 0)
        appendNumber(out, "http.response.body.bytes", event.httpBytes);
    appendString(out, "http.request.referrer", event.httpReferrer);
    appendString(out, "user_agent.original", event.userAgent);
    if (!event.countsAsAttempt) {
        appendKey(out, "portcullis.counts_as_attempt");
        out += "false";
    }
    for (auto it = event.extra.cbegin(); it != event.extra.cend(); ++it)
        appendVariant(out, it.key(), it.value());
    out += '}';
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
