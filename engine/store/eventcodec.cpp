// SPDX-License-Identifier: GPL-3.0-or-later
#include "store/eventcodec.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>

namespace portcullis {

namespace {

constexpr char hexDigits[] = "0123456789abcdef";

void appendKey(QByteArray &out, const char *key)
{
    out += out.size() > 1 ? ",\"" : "\"";
    out += key;
    out += "\":";
}

void appendString(QByteArray &out, const char *key, const QString &value)
{
    if (value.isEmpty())
        return;
    appendKey(out, key);
    appendJsonString(out, value);
}

void appendNumber(QByteArray &out, const char *key, qint64 value)
{
    appendKey(out, key);
    out += QByteArray::number(value);
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
    const QByteArray utf8 = text.toUtf8();
    out += '"';
    for (const char c : utf8) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte == '"' || byte == '\\') {
            out += '\\';
            out += c;
        } else if (byte < 0x20) {
            out += "\\u00";
            out += hexDigits[byte >> 4];
            out += hexDigits[byte & 0xf];
        } else {
            out += c;
        }
    }
    out += '"';
}

QByteArray eventFieldsJson(const Event &event)
{
    QByteArray out;
    out.reserve(256);
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
    return out;
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
