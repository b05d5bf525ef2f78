// SPDX-License-Identifier: GPL-3.0-or-later
#include "event/jsonparser.h"


#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace portcullis {

namespace {

void flatten(const QJsonObject &object, const QString &prefix, QVariantMap *fields)
{
    for (auto it = object.begin(); it != object.end(); ++it) {
        const QString key = prefix.isEmpty() ? it.key() : prefix + QLatin1Char('.') + it.key();
        if (it.value().isObject())
            flatten(it.value().toObject(), key, fields);
        else
            fields->insert(key, it.value().toVariant());
    }
}

// Takes `key` out of `fields`. A list yields its first element.
QVariant take(QVariantMap &fields, const char *key)
{
    QVariant value = fields.take(QLatin1String(key));
    if (value.typeId() == QMetaType::QVariantList) {
        const QVariantList list = value.toList();
        value = list.isEmpty() ? QVariant() : list.first();
    }
    return value;
}

QString takeString(QVariantMap &fields, const char *key)
{
    const QVariant value = take(fields, key);
    return value.isValid() && !value.isNull() ? value.toString() : QString();
}

// Converts a JSON number or numeric string to an integer. Doubles beyond
// +-2^53 are rejected, because converting them could overflow qint64.
bool toInteger(const QVariant &value, qint64 *number)
{
    if (value.typeId() == QMetaType::Double) {
        const double d = value.toDouble();
        if (!(d >= -9007199254740992.0 && d <= 9007199254740992.0))
            return false;
        *number = qint64(d);
        return true;
    }
    bool ok = false;
    *number = value.toLongLong(&ok);
    return ok;
}

qint64 takeInteger(QVariantMap &fields, const char *key, qint64 absent)
{
    qint64 number = 0;
    return toInteger(take(fields, key), &number) ? number : absent;
}

bool parseTimestamp(const QVariant &value, SyslogClock &clock, qint64 *utcMs)
{
    if (value.typeId() == QMetaType::Double || value.typeId() == QMetaType::LongLong
        || value.typeId() == QMetaType::Int)
        return toInteger(value, utcMs);  // milliseconds since the epoch
    const QByteArray text = value.toString().toLatin1();
    return !text.isEmpty() && parseIsoTimestamp(text, clock, utcMs) > 0;
}

} // namespace

int jsonNestingDepth(QByteArrayView json)
{
    int depth = 0;
    int maxDepth = 0;
    bool inString = false;
    for (qsizetype i = 0; i < json.size(); ++i) {
        const char c = json.at(i);
        if (inString) {
            if (c == '\\')
                ++i;
            else if (c == '"')
                inString = false;
        } else if (c == '"') {
            inString = true;
        } else if (c == '{' || c == '[') {
            maxDepth = qMax(maxDepth, ++depth);
        } else if (c == '}' || c == ']') {
            --depth;
        }
    }
    return maxDepth;
}

JsonLinesParser::JsonLinesParser(const ParserOptions &options)
    : m_options(options)
    , m_clock(options.referenceTimeMs, options.timeZone)
{
}

bool JsonLinesParser::parseLine(QByteArrayView line, const LineInfo &info, std::vector<Event> &out)
{
    const QByteArrayView body = text::trimmed(line);
    if (!body.startsWith('{') || info.truncated || jsonNestingDepth(body) > MaxJsonDepth)
        return false;
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(body.toByteArray(), &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return false;

    QVariantMap fields;
    flatten(document.object(), QString(), &fields);
    Event event;
    QVariant time = take(fields, "@timestamp");
    if (!time.isValid())
        time = take(fields, "timestamp");
    if (!parseTimestamp(time, m_clock, &event.timestampMs))
        return false;

    event.category = categoryFromName(takeString(fields, "event.category"));
    event.action = takeString(fields, "event.action");
    if (event.action.isEmpty())
        event.action = text::actionStrings().other;
    event.outcome = outcomeFromName(takeString(fields, "event.outcome"));
    event.reason = takeString(fields, "event.reason");

    QString address = takeString(fields, "source.ip");
    if (address.isEmpty())
        address = takeString(fields, "source.address");
    const text::Address source = m_addresses.lookup(address.toUtf8());
    event.sourceIp = source.ip;
    event.sourceDomain = source.domain;
    const QString domain = takeString(fields, "source.domain");
    if (!domain.isEmpty())
        event.sourceDomain = domain;
    const qint64 port = takeInteger(fields, "source.port", 0);
    event.sourcePort = port > 0 && port <= 65535 ? int(port) : 0;
    event.hasUserName = fields.contains(QStringLiteral("user.name"));
    event.userName = takeString(fields, "user.name");

    event.hostName = takeString(fields, "host.name");
    if (event.hostName.isEmpty())
        event.hostName = takeString(fields, "host.hostname");
    event.processName = takeString(fields, "process.name");
    event.processPid = takeInteger(fields, "process.pid", 0);
    event.serviceName = takeString(fields, "service.name");

    event.httpMethod = takeString(fields, "http.request.method");
    event.urlOriginal = takeString(fields, "url.original");
    const qint64 status = takeInteger(fields, "http.response.status_code", 0);
    event.httpStatus = status > 0 && status < 1000 ? int(status) : 0;
    event.httpBytes = takeInteger(fields, "http.response.body.bytes", -1);
    event.httpReferrer = takeString(fields, "http.request.referrer");
    event.userAgent = takeString(fields, "user_agent.original");
    if (event.outcome == EventOutcome::Unknown && event.httpStatus > 0)
        event.outcome = event.httpStatus >= 400 ? EventOutcome::Failure : EventOutcome::Success;

    fields.remove(QStringLiteral("event.original"));  // the raw line is kept instead
    event.extra = fields;
    event.original = text::fromUtf8(line);
    event.originalTruncated = info.truncated;
    event.filePath = m_options.filePath;
    event.fileOffset = info.offset;
    event.lineNumber = info.lineNumber;
    out.push_back(std::move(event));
    return true;
}

} // namespace portcullis
