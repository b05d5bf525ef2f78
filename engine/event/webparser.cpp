// SPDX-License-Identifier: GPL-3.0-or-later
#include "event/webparser.h"

#include "event/syslogheader.h"

#include <cstring>

namespace portcullis {

using text::isDigit;

namespace {

constexpr qsizetype MaxMethodLength = 32;

int monthNumber(QByteArrayView s)
{
    static const char names[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
    for (int i = 0; i < 12; ++i) {
        if (s == QByteArrayView(names + i * 3, 3))
            return i + 1;
    }
    return 0;
}

int number(QByteArrayView s)
{
    qint64 value = -1;
    return text::parseUInt(s, &value) ? int(value) : -1;
}

// Index of the quote that closes the quoted field opened at `open`: the
// first unescaped quote whose following text `accepts`. A backslash escapes
// the byte after it.
qsizetype closingQuote(QByteArrayView s, qsizetype open, bool (*accepts)(QByteArrayView))
{
    qsizetype at = open + 1;
    while (at < s.size()) {
        const qsizetype quote = text::indexOf(s, '"', at);
        if (quote < 0)
            return -1;
        const qsizetype backslash = text::indexOf(s.first(quote), '\\', at);
        if (backslash >= 0) {
            at = backslash + 2;
            continue;
        }
        if (accepts(s.sliced(quote + 1)))
            return quote;
        at = quote + 1;
    }
    return -1;
}

// After the request comes " STATUS BYTES": a quote there ends the request
// even when the request itself contains quotes.
bool isStatusAfterQuote(QByteArrayView tail)
{
    if (tail.size() < 4 || tail.at(0) != ' ')
        return false;
    if (tail.at(1) == '-')
        return tail.size() == 2 || tail.at(2) == ' ';
    const bool status = isDigit(tail.at(1)) && isDigit(tail.at(2)) && isDigit(tail.at(3));
    return status && (tail.size() == 4 || tail.at(4) == ' ');
}

bool isFieldEnd(QByteArrayView tail)
{
    return tail.isEmpty() || tail.at(0) == ' ';
}

QString unquoted(QByteArrayView field)
{
    if (field == "-")
        return QString();
    if (!field.contains('\\'))
        return text::fromUtf8(field);
    QByteArray decoded;
    decoded.reserve(field.size());
    for (qsizetype i = 0; i < field.size(); ++i) {
        if (field.at(i) == '\\' && i + 1 < field.size() && (field.at(i + 1) == '"' || field.at(i + 1) == '\\'))
            ++i;
        decoded.append(field.at(i));
    }
    return QString::fromUtf8(decoded);
}

bool isMethod(QByteArrayView token)
{
    if (token.isEmpty() || token.size() > MaxMethodLength)
        return false;
    for (char c : token) {
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '-' || c == '_'))
            return false;
    }
    return true;
}

QByteArrayView urlPath(QByteArrayView url)
{
    if (url.startsWith("http://") || url.startsWith("https://")) {
        const qsizetype slash = url.indexOf('/', url.indexOf("//") + 2);
        url = slash < 0 ? QByteArrayView("/") : url.sliced(slash);
    }
    qsizetype end = text::indexOf(url, '?');
    const qsizetype fragment = text::indexOf(end < 0 ? url : url.first(end), '#');
    if (fragment >= 0)
        end = fragment;
    return end < 0 ? url : url.first(end);
}

} // namespace

bool parseAccessLogTime(QByteArrayView s, qint64 *utcMs)
{
    // dd/Mon/yyyy:HH:MM:SS +zzzz
    if (s.size() < 26 || s.at(2) != '/' || s.at(6) != '/' || s.at(11) != ':' || s.at(20) != ' ')
        return false;
    const int day = number(s.first(2));
    const int month = monthNumber(s.sliced(3, 3));
    const int year = number(s.sliced(7, 4));
    const int hour = number(s.sliced(12, 2));
    const int minute = number(s.sliced(15, 2));
    const int second = number(s.sliced(18, 2));
    const int zoneHours = number(s.sliced(22, 2));
    const int zoneMinutes = number(s.sliced(24, 2));
    const char sign = s.at(21);
    if (day < 1 || day > 31 || month == 0 || year < 0 || hour < 0 || hour > 23 || minute < 0
        || minute > 59 || second < 0 || second > 60 || zoneHours < 0 || zoneMinutes < 0
        || (sign != '+' && sign != '-') || day > daysInMonth(year, month))
        return false;
    const qint64 offset = (sign == '-' ? -1 : 1) * (zoneHours * 3600 + zoneMinutes * 60);
    const qint64 seconds = daysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60
                           + second - offset;
    *utcMs = seconds * 1000;
    return true;
}

WebAccessParser::WebAccessParser(const ParserOptions &options)
    : m_options(options)
{
}

bool WebAccessParser::parseTime(QByteArrayView s, qint64 *utcMs)
{
    // Same checks as parseAccessLogTime: a day and zone equal to the cached
    // ones passed them already, so only the time of day is checked here.
    if (s.size() < 26 || s.at(11) != ':' || s.at(20) != ' ')
        return false;
    const bool sameDay = m_day.set && std::memcmp(m_day.key, s.data(), 11) == 0
                         && std::memcmp(m_day.key + 11, s.data() + 21, 5) == 0;
    if (!sameDay) {
        if (!parseAccessLogTime(s, utcMs))
            return false;
    }
    const int hour = number(s.sliced(12, 2));
    const int minute = number(s.sliced(15, 2));
    const int second = number(s.sliced(18, 2));
    if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60)
        return false;
    const qint64 timeOfDay = hour * 3600 + minute * 60 + second;
    if (!sameDay) {
        std::memcpy(m_day.key, s.data(), 11);
        std::memcpy(m_day.key + 11, s.data() + 21, 5);
        m_day.dayStartSeconds = *utcMs / 1000 - timeOfDay;
        m_day.set = true;
    }
    *utcMs = (m_day.dayStartSeconds + timeOfDay) * 1000;
    return true;
}

RequestSpans splitRequest(QByteArrayView request)
{
    RequestSpans spans;
    const qsizetype firstSpace = request.indexOf(' ');
    const QByteArrayView method = firstSpace < 0 ? request : request.first(firstSpace);
    if (!isMethod(method) || firstSpace < 0) {
        spans.url = request;  // not a request line: keep it whole
        return spans;
    }
    spans.isRequestLine = true;
    spans.method = method;
    QByteArrayView url = request.sliced(firstSpace + 1);
    const qsizetype lastSpace = url.lastIndexOf(' ');
    if (lastSpace >= 0 && url.sliced(lastSpace + 1).startsWith("HTTP/")) {
        spans.version = url.sliced(lastSpace + 6);
        spans.hasVersion = true;
        url = url.first(lastSpace);
    }
    spans.url = url;
    spans.path = urlPath(url);
    return spans;
}

WebAccessParser::RequestFields WebAccessParser::parseRequest(QByteArrayView request)
{
    RequestFields fields;
    const RequestSpans spans = splitRequest(request);
    if (!spans.isRequestLine) {
        fields.url = text::fromUtf8(spans.url);
        return fields;
    }
    fields.method = m_strings.intern(spans.method);
    if (spans.hasVersion)
        fields.extra.insert(QStringLiteral("http.version"), m_strings.intern(spans.version));
    fields.url = text::fromUtf8(spans.url);

    // Most URLs have no query, so the path shares the URL's string.
    const bool samePath = spans.path.size() == spans.url.size();
    fields.extra.insert(QStringLiteral("url.path"),
                        samePath ? fields.url : text::fromUtf8(spans.path));
    return fields;
}

void WebAccessParser::setRequest(Event &event, QByteArrayView request)
{
    if (request == "-" || request.isEmpty())
        return;
    const RequestFields &fields =
        text::findOrInsertBounded(m_requests, request, MaxRequests, [this, request] {
            return parseRequest(request);
        }).value();
    event.httpMethod = fields.method;
    event.urlOriginal = fields.url;
    if (event.extra.isEmpty()) {
        event.extra = fields.extra;
        return;
    }
    for (auto field = fields.extra.cbegin(); field != fields.extra.cend(); ++field)
        event.extra.insert(field.key(), field.value());
}

QString WebAccessParser::RepeatedField::decode(QByteArrayView field)
{
    if (set && text::equals(field, lastBytes))
        return lastText;
    const auto it =
        text::findOrInsertBounded(texts, field, MaxEntries, [field] { return unquoted(field); });
    lastBytes = it.key();
    lastText = it.value();
    set = true;
    return lastText;
}

bool splitAccessLine(QByteArrayView line, AccessLineSpans *spans)
{
    line = text::withoutCarriageReturn(line);
    const qsizetype open = text::indexOf(line, " [");
    const qsizetype close = open < 0 ? -1 : line.indexOf(']', open);
    const qsizetype requestOpen = close < 0 ? -1 : close + 2;
    if (close < 0 || requestOpen >= line.size() || line.at(close + 1) != ' '
        || line.at(requestOpen) != '"')
        return false;
    const qsizetype requestClose = closingQuote(line, requestOpen, isStatusAfterQuote);
    if (requestClose < 0)
        return false;
    spans->line = line;
    spans->time = line.sliced(open + 2, close - open - 2);
    spans->head = line.first(open);
    spans->request = line.sliced(requestOpen + 1, requestClose - requestOpen - 1);
    QByteArrayView tail = line.sliced(requestClose + 2);
    spans->status = text::takeToken(tail);
    spans->bytes = text::takeToken(tail);
    spans->referrer = {};
    spans->agent = {};
    spans->hasReferrer = false;
    spans->hasAgent = false;

    // Combined format: "REFERRER" "USER AGENT", possibly followed by more fields.
    if (tail.startsWith('"')) {
        const qsizetype refererEnd = closingQuote(tail, 0, isFieldEnd);
        if (refererEnd > 0) {
            spans->referrer = tail.sliced(1, refererEnd - 1);
            spans->hasReferrer = true;
            QByteArrayView agent = tail.sliced(qMin(refererEnd + 2, tail.size()));
            if (agent.startsWith('"')) {
                const qsizetype agentEnd = closingQuote(agent, 0, isFieldEnd);
                spans->agent = agentEnd > 0 ? agent.sliced(1, agentEnd - 1) : agent.sliced(1);
                spans->hasAgent = true;
            }
        }
    }
    return true;
}

bool WebAccessParser::parseLine(QByteArrayView line, const LineInfo &info, std::vector<Event> &out)
{
    AccessLineSpans spans;
    if (!splitAccessLine(line, &spans))
        return false;
    qint64 timestampMs = 0;
    if (!parseTime(spans.time, &timestampMs))
        return false;

    // "[VHOST ]CLIENT IDENT USER": the user may contain spaces.
    QByteArrayView head = spans.head;
    QByteArrayView vhost;
    QByteArrayView client = text::takeToken(head);
    text::Address address = m_addresses.lookup(client);
    QByteArrayView rest = head;
    QByteArrayView second = text::takeToken(rest);
    // Only a first token that is no IP address can be a virtual host, so the
    // second token is looked up only then.
    if (address.ip.isEmpty() && !rest.isEmpty()) {
        const text::Address secondAddress = m_addresses.lookup(second);
        const bool hostWithPort = client.contains(':');
        if (secondAddress.isValid() && (hostWithPort || !secondAddress.ip.isEmpty())) {
            vhost = client;
            client = second;
            address = secondAddress;
            head = rest;
        }
    }
    if (!address.isValid())
        return false;
    text::takeToken(head);  // ident, always "-" in practice
    const QByteArrayView user = head;

    Event &event = out.emplace_back();
    event.timestampMs = timestampMs;
    event.category = EventCategory::Web;
    event.action = text::actionStrings().httpRequest;
    event.sourceIp = address.ip;
    event.sourceDomain = address.domain;
    if (!user.isEmpty() && user != "-") {
        event.userName = m_strings.intern(user);
        event.hasUserName = true;
    }
    if (!vhost.isEmpty())
        event.extra.insert(QStringLiteral("url.domain"), m_strings.intern(vhost));
    setRequest(event, spans.request);

    const int status = number(spans.status);
    event.httpStatus = status > 0 ? status : 0;
    event.outcome = status >= 400 ? EventOutcome::Failure
                    : status > 0  ? EventOutcome::Success
                                  : EventOutcome::Unknown;
    qint64 bytes = -1;
    event.httpBytes = text::parseUInt(spans.bytes, &bytes) ? bytes : -1;
    if (spans.hasReferrer)
        event.httpReferrer = m_referrer.decode(spans.referrer);
    if (spans.hasAgent)
        event.userAgent = m_userAgent.decode(spans.agent);

    event.original = text::fromUtf8(spans.line);
    event.originalTruncated = info.truncated;
    event.filePath = m_options.filePath;
    event.fileOffset = info.offset;
    event.lineNumber = info.lineNumber;
    return true;
}

} // namespace portcullis
