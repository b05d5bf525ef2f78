// SPDX-License-Identifier: GPL-3.0-or-later
#include "event/syslogheader.h"

#include "event/parsertext.h"

#include <QDateTime>

#include <cstring>
#include <limits>
#include <utility>

namespace portcullis {

using text::isDigit;

namespace {

constexpr qint64 MsPerDay = 24 * 3600 * 1000;
// A stamp may lie this far after the reference time (clock skew, a
// reference taken slightly before the last write) and keep its year.
constexpr qint64 FutureToleranceMs = MsPerDay;
// A yearless date this many days after the reference date is in the future
// in any time zone (see fromYearless()).
constexpr int FutureDays = 5;
// A yearless stamp this far before the previous line means the file crossed
// New Year, so it takes the following year.
constexpr qint64 NewYearJumpMs = 320 * MsPerDay;

int twoDigits(QByteArrayView s, qsizetype at)
{
    if (at + 2 > s.size() || !isDigit(s.at(at)) || !isDigit(s.at(at + 1)))
        return -1;
    return (s.at(at) - '0') * 10 + (s.at(at + 1) - '0');
}

// Parses ".ddd..." at `at`; returns milliseconds and advances `at`.
int fractionMillis(QByteArrayView s, qsizetype &at)
{
    if (at >= s.size() || (s.at(at) != '.' && s.at(at) != ','))
        return 0;
    ++at;
    int millis = 0;
    int digits = 0;
    while (at < s.size() && isDigit(s.at(at))) {
        if (digits < 3)
            millis = millis * 10 + (s.at(at) - '0');
        ++digits;
        ++at;
    }
    for (; digits < 3; ++digits)
        millis *= 10;
    return millis;
}

// Three letters as one number, so that a month name is found by one switch.
constexpr quint32 monthCode(char a, char b, char c)
{
    return (quint32(quint8(a)) << 16) | (quint32(quint8(b)) << 8) | quint32(quint8(c));
}

int monthFromName(QByteArrayView s)
{
    if (s.size() < 3)
        return 0;
    switch (monthCode(s.at(0), s.at(1), s.at(2))) {
    case monthCode('J', 'a', 'n'): return 1;
    case monthCode('F', 'e', 'b'): return 2;
    case monthCode('M', 'a', 'r'): return 3;
    case monthCode('A', 'p', 'r'): return 4;
    case monthCode('M', 'a', 'y'): return 5;
    case monthCode('J', 'u', 'n'): return 6;
    case monthCode('J', 'u', 'l'): return 7;
    case monthCode('A', 'u', 'g'): return 8;
    case monthCode('S', 'e', 'p'): return 9;
    case monthCode('O', 'c', 't'): return 10;
    case monthCode('N', 'o', 'v'): return 11;
    case monthCode('D', 'e', 'c'): return 12;
    default: return 0;
    }
}

bool validTime(int month, int day, int hour, int minute, int second)
{
    return month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour >= 0 && hour <= 23
           && minute >= 0 && minute <= 59 && second >= 0 && second <= 60;
}

} // namespace

bool isLeapYear(int year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

// The 1-based day of the year of `month` (1 to 12) and `day`. Days past the
// month's end run on into the next month, as in daysFromCivil().
static int dayOfYear(int year, int month, int day)
{
    static constexpr int daysBefore[] = { 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334 };
    return daysBefore[month - 1] + day + (month > 2 && isLeapYear(year) ? 1 : 0);
}

int daysInMonth(int year, int month)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return month == 2 && isLeapYear(year) ? 29 : days[month - 1];
}

qint64 daysFromCivil(int year, int month, int day)
{
    // Howard Hinnant's days_from_civil: counts in 400-year eras from March 1.
    year -= month <= 2;
    const qint64 era = (year >= 0 ? year : year - 399) / 400;
    const qint64 yearOfEra = year - era * 400;
    const qint64 dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    const qint64 dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
    return era * 146097 + dayOfEra - 719468;
}

SyslogClock::SyslogClock(qint64 referenceMs, const QByteArray &zoneId)
    : m_referenceMs(referenceMs > 0 ? referenceMs : QDateTime::currentMSecsSinceEpoch())
    , m_zone(zoneId.isEmpty() ? QTimeZone::systemTimeZone() : QTimeZone(zoneId))
{
    if (!m_zone.isValid())
        m_zone = QTimeZone::utc();
    m_zoneIsUtc = m_zone == QTimeZone::utc() || zoneId == "UTC";
    const QDateTime reference = QDateTime::fromMSecsSinceEpoch(m_referenceMs, m_zone);
    m_referenceYear = reference.date().year();
    m_referenceDayOfYear = reference.date().dayOfYear();
}

// Building a QDateTime in a zone costs microseconds, and every RFC 3164 line
// needs an offset, so offsets are cached per span of constant offset: the
// whole time between two transitions of the zone, less a day at either end,
// where a local time may be ambiguous or skipped and the offset is taken per
// hour as QDateTime resolves it.
int SyslogClock::offsetSecondsAt(qint64 localSeconds)
{
    if (m_zoneIsUtc)
        return 0;
    for (const OffsetSpan &span : m_spans) {
        if (localSeconds >= span.fromLocal && localSeconds < span.untilLocal)
            return span.offset;
    }
    m_spans[1] = m_spans[0];
    m_spans[0] = offsetSpanAt(localSeconds);
    return m_spans[0].offset;
}

SyslogClock::OffsetSpan SyslogClock::offsetSpanAt(qint64 localSeconds) const
{
    constexpr qint64 SecondsPerDay = 86400;
    const qint64 hourStart = localSeconds - ((localSeconds % 3600) + 3600) % 3600;
    const qint64 days = hourStart >= 0 ? hourStart / SecondsPerDay
                                       : (hourStart - SecondsPerDay + 1) / SecondsPerDay;
    const QDate date = QDate(1970, 1, 1).addDays(days);
    const QTime time(int((hourStart - days * SecondsPerDay) / 3600), 0);
    OffsetSpan span;
    span.offset = QDateTime(date, time, m_zone).offsetFromUtc();
    span.fromLocal = hourStart;
    span.untilLocal = hourStart + 3600;
    if (!m_zone.hasTransitions()) {
        span.fromLocal = std::numeric_limits<qint64>::min();
        span.untilLocal = std::numeric_limits<qint64>::max();
        return span;
    }

    // Widen the hour to the transitions around it, keeping a day's margin.
    const QDateTime utc = QDateTime::fromSecsSinceEpoch(hourStart - span.offset, QTimeZone::utc());
    const QTimeZone::OffsetData previous = m_zone.previousTransition(utc.addSecs(1));
    const QTimeZone::OffsetData next = m_zone.nextTransition(utc);
    const qint64 from = previous.atUtc.isValid()
        ? previous.atUtc.toSecsSinceEpoch() + span.offset + SecondsPerDay
        : std::numeric_limits<qint64>::min();
    const qint64 until = next.atUtc.isValid()
        ? next.atUtc.toSecsSinceEpoch() + span.offset - SecondsPerDay
        : std::numeric_limits<qint64>::max();
    const bool sameOffset = !previous.atUtc.isValid() || previous.offsetFromUtc == span.offset;
    if (sameOffset && from <= hourStart && hourStart + 3600 <= until) {
        span.fromLocal = from;
        span.untilLocal = until;
    }
    return span;
}

qint64 SyslogClock::fromLocal(int year, int month, int day, int hour, int minute, int second,
                              int millis)
{
    // Consecutive lines mostly share their date, so its day number is kept.
    // fromYearless() tries two adjacent years per line, which take a slot each.
    CachedDay &cached = m_days[year & 1];
    if (year != cached.year || month != cached.month || day != cached.day) {
        cached.year = year;
        cached.month = month;
        cached.day = day;
        cached.number = daysFromCivil(year, month, day);
    }
    const qint64 localSeconds = cached.number * 86400 + hour * 3600 + minute * 60 + second;
    return (localSeconds - offsetSecondsAt(localSeconds)) * 1000 + millis;
}

qint64 SyslogClock::fromYearless(int month, int day, int hour, int minute, int second, int millis)
{
    // The same stamp as the previous line gives the same time, because the
    // year it took then still keeps it within NewYearJumpMs of itself. Feb 29
    // is left out: leapYearNear() weighs the previous line's time.
    const qint64 stamp
        = ((((qint64(month) * 32 + day) * 24 + hour) * 60 + minute) * 61 + second) * 1000 + millis;
    if (m_hasPrevious && stamp == m_previousStamp)
        return m_previousMs;
    m_previousStamp = month == 2 && day == 29 ? -1 : stamp;

    int year = m_referenceYear;
    qint64 ms = 0;
    if (month >= 1 && month <= 12
        && dayOfYear(year, month, day) >= m_referenceDayOfYear + FutureDays) {
        // Local time is then more than four days after the reference time,
        // which the zone's offsets (at most 26 hours apart) cannot bring within
        // FutureToleranceMs of it, so the year before is taken at once.
        --year;
        ms = fromLocal(year, month, day, hour, minute, second, millis);
    } else {
        ms = fromLocal(year, month, day, hour, minute, second, millis);
        if (ms > m_referenceMs + FutureToleranceMs) {
            --year;
            ms = fromLocal(year, month, day, hour, minute, second, millis);
        }
    }
    if (m_hasPrevious && ms < m_previousMs - NewYearJumpMs) {
        ++year;
        ms = fromLocal(year, month, day, hour, minute, second, millis);
    }
    if (month == 2 && day == 29 && !isLeapYear(year)) {
        year = leapYearNear(year, hour, minute, second, millis);
        ms = fromLocal(year, 2, 29, hour, minute, second, millis);
    }

    m_previousMs = ms;
    m_hasPrevious = true;
    return ms;
}

// Feb 29 exists only in leap years, so a stamp on that day inferred in another
// year takes the leap year before or after it. A year that keeps the file in
// order (not far before the previous line) and is not after the reference time
// wins; otherwise, or when both qualify, the one nearer the previous line (or
// the reference time, for a first line).
int SyslogClock::leapYearNear(int year, int hour, int minute, int second, int millis)
{
    int before = year - 1;
    while (!isLeapYear(before))
        --before;
    int after = year + 1;
    while (!isLeapYear(after))
        ++after;

    const qint64 anchorMs = m_hasPrevious ? m_previousMs : m_referenceMs;
    const auto rank = [&](int candidate) {
        const qint64 ms = fromLocal(candidate, 2, 29, hour, minute, second, millis);
        const bool inOrder = !m_hasPrevious || ms >= m_previousMs - NewYearJumpMs;
        const bool notFuture = ms <= m_referenceMs + FutureToleranceMs;
        return std::make_pair(inOrder && notFuture, -qAbs(ms - anchorMs));
    };
    return rank(after) > rank(before) ? after : before;
}

qsizetype parseIsoTimestamp(QByteArrayView s, SyslogClock &clock, qint64 *utcMs)
{
    if (s.size() < 19 || s.at(4) != '-' || s.at(7) != '-' || (s.at(10) != 'T' && s.at(10) != ' ')
        || s.at(13) != ':' || s.at(16) != ':')
        return 0;
    const int century = twoDigits(s, 0);
    const int yearLow = twoDigits(s, 2);
    const int month = twoDigits(s, 5);
    const int day = twoDigits(s, 8);
    const int hour = twoDigits(s, 11);
    const int minute = twoDigits(s, 14);
    const int second = twoDigits(s, 17);
    if (century < 0 || yearLow < 0 || !validTime(month, day, hour, minute, second))
        return 0;
    const int year = century * 100 + yearLow;

    qsizetype at = 19;
    const int millis = fractionMillis(s, at);
    if (at < s.size() && (s.at(at) == 'Z' || s.at(at) == 'z')) {
        const qint64 seconds = daysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60
                               + second;
        *utcMs = seconds * 1000 + millis;
        return at + 1;
    }
    if (at < s.size() && (s.at(at) == '+' || s.at(at) == '-')) {
        const int sign = s.at(at) == '-' ? -1 : 1;
        const int offsetHours = twoDigits(s, at + 1);
        const bool colon = at + 3 < s.size() && s.at(at + 3) == ':';
        const int offsetMinutes = twoDigits(s, at + (colon ? 4 : 3));
        if (offsetHours < 0 || offsetMinutes < 0)
            return 0;
        const qint64 seconds = daysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60
                               + second - sign * (offsetHours * 3600 + offsetMinutes * 60);
        *utcMs = seconds * 1000 + millis;
        return at + (colon ? 6 : 5);
    }
    *utcMs = clock.fromLocal(year, month, day, hour, minute, second, millis);
    return at;
}

namespace {

// The wall-clock fields of an RFC 3164 time stamp.
struct YearlessStamp
{
    int month = 0;
    int day = 0;
    int hour = 0;
    int minute = 0;
    int second = 0;
    int millis = 0;
};

// "Mmm dd hh:mm:ss[.fff] " with the day space-padded, zero-padded or bare.
qsizetype parseRfc3164Timestamp(QByteArrayView s, SyslogClock &clock, qint64 *utcMs,
                                YearlessStamp *fields = nullptr)
{
    const int month = monthFromName(s);
    if (month == 0 || s.size() < 15 || s.at(3) != ' ')
        return 0;
    qsizetype at = 4;
    if (s.at(at) == ' ')
        ++at;
    int day = 0;
    const qsizetype dayBegin = at;
    while (at < s.size() && isDigit(s.at(at)) && at - dayBegin < 2)
        day = day * 10 + (s.at(at++) - '0');
    if (at == dayBegin || at >= s.size() || s.at(at) != ' ')
        return 0;
    ++at;
    if (at + 8 > s.size() || s.at(at + 2) != ':' || s.at(at + 5) != ':')
        return 0;
    const int hour = twoDigits(s, at);
    const int minute = twoDigits(s, at + 3);
    const int second = twoDigits(s, at + 6);
    if (!validTime(month, day, hour, minute, second))
        return 0;
    at += 8;
    const int millis = fractionMillis(s, at);
    *utcMs = clock.fromYearless(month, day, hour, minute, second, millis);
    if (fields)
        *fields = YearlessStamp { month, day, hour, minute, second, millis };
    return at;
}

bool isTagToken(QByteArrayView token)
{
    return token.endsWith(':') || token.startsWith('[')
           || (text::indexOf(token, '[') > 0 && token.endsWith(']'));
}

// Splits "prog[pid]: msg", "prog: msg", "[prog]: msg" or "[prog] msg".
void parseTag(QByteArrayView s, SyslogHeader *header)
{
    header->message = s;
    if (s.startsWith('[')) {
        const qsizetype close = text::indexOf(s, ']');
        if (close <= 1 || close > 64)
            return;
        header->program = s.sliced(1, close - 1);
        qsizetype at = close + 1;
        if (at < s.size() && s.at(at) == ':')
            ++at;
        header->message = s.sliced(at);
        if (header->message.startsWith(' '))
            header->message = header->message.sliced(1);
        return;
    }
    // Every line passes here, so the scans below read the bytes directly.
    const char *const data = s.data();
    const qsizetype scanEnd = qMin(s.size(), qsizetype(65));
    qsizetype at = 0;
    while (at < scanEnd && data[at] != '[' && data[at] != ':' && data[at] != ' ')
        ++at;
    if (at == 0 || at >= s.size() || at > 64)
        return;
    const QByteArrayView program = s.first(at);
    qint64 pid = 0;
    if (data[at] == '[') {
        // "[PID]": 1 to 18 digits, then the first ']'.
        qsizetype close = at + 1;
        const qsizetype digitsEnd = qMin(s.size(), at + 19);
        for (; close < digitsEnd; ++close) {
            const unsigned digit = unsigned(quint8(data[close])) - '0';
            if (digit > 9)
                break;
            pid = pid * 10 + digit;
        }
        if (close == at + 1 || close >= s.size() || data[close] != ']')
            return;
        at = close + 1;
        if (at < s.size() && data[at] == ':')
            ++at;
    } else if (data[at] == ':') {
        ++at;
    } else {
        return;  // no tag: the whole rest is the message
    }
    if (at < s.size() && s.at(at) != ' ')
        return;
    header->program = program;
    header->pid = pid;
    header->message = at < s.size() ? s.sliced(at + 1) : QByteArrayView();
}

// Solaris and illumos put "[ID 800047 auth.info] " in front of the message.
QByteArrayView stripSolarisMessageId(QByteArrayView message)
{
    if (!text::startsWith(message, "[ID "))
        return message;
    const qsizetype close = text::indexOf(message, "] ");
    return close > 0 && close < 64 ? message.sliced(close + 2) : message;
}

// Splits the host and the tag off `s`, leaving a Solaris message id in the
// message.
void splitHostAndTag(QByteArrayView s, SyslogHeader *header)
{
    QByteArrayView rest = s;
    const QByteArrayView first = text::takeToken(rest);
    if (isTagToken(first)) {
        parseTag(s, header);
    } else {
        header->host = first;
        parseTag(rest, header);
    }
}

void parseHostAndTag(QByteArrayView s, SyslogHeader *header)
{
    splitHostAndTag(s, header);
    header->message = stripSolarisMessageId(header->message);
}

// Skips RFC 5424 STRUCTURED-DATA ("-" or one or more [id k="v" ...]).
qsizetype structuredDataLength(QByteArrayView s)
{
    if (s.startsWith('-'))
        return 1;
    qsizetype at = 0;
    while (at < s.size() && s.at(at) == '[') {
        bool quoted = false;
        ++at;
        for (; at < s.size(); ++at) {
            const char c = s.at(at);
            if (quoted && c == '\\') {
                ++at;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && c == ']') {
                break;
            }
        }
        if (at >= s.size())
            return -1;
        ++at;
    }
    return at > 0 ? at : -1;
}

QByteArrayView nilToEmpty(QByteArrayView field)
{
    return field == "-" ? QByteArrayView() : field;
}

// "1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID SD [MSG]" after <PRI>.
bool parseRfc5424(QByteArrayView s, SyslogClock &clock, SyslogHeader *header)
{
    const qsizetype used = parseIsoTimestamp(s, clock, &header->timestampMs);
    if (used == 0 || used >= s.size() || s.at(used) != ' ')
        return false;
    QByteArrayView rest = s.sliced(used + 1);
    header->host = nilToEmpty(text::takeToken(rest));
    header->program = nilToEmpty(text::takeToken(rest));
    qint64 pid = 0;
    if (text::parseUInt(text::takeToken(rest), &pid))
        header->pid = pid;
    header->msgId = nilToEmpty(text::takeToken(rest));

    const qsizetype sdLength = structuredDataLength(rest);
    if (sdLength < 0)
        return false;
    header->structuredData = nilToEmpty(rest.first(sdLength));
    QByteArrayView message = rest.sliced(sdLength);
    if (message.startsWith(' '))
        message = message.sliced(1);
    if (message.startsWith("\xEF\xBB\xBF"))
        message = message.sliced(3);
    header->message = message;
    return true;
}

} // namespace

bool parseSyslogHeader(QByteArrayView line, SyslogClock &clock, SyslogHeader *header)
{
    QByteArrayView s = line;
    if (s.startsWith('<')) {
        qsizetype close = 1;
        int priority = 0;
        while (close < s.size() && close <= 4 && isDigit(s.at(close)))
            priority = priority * 10 + (s.at(close++) - '0');
        if (close == 1 || close >= s.size() || s.at(close) != '>' || priority > 191)
            return false;
        header->priority = priority;
        s = s.sliced(close + 1);
        if (s.size() > 2 && s.at(0) == '1' && s.at(1) == ' ' && isDigit(s.at(2)))
            return parseRfc5424(s.sliced(2), clock, header);
    }

    qsizetype used = 0;
    if (!s.isEmpty() && isDigit(s.at(0)))
        used = parseIsoTimestamp(s, clock, &header->timestampMs);
    else
        used = parseRfc3164Timestamp(s, clock, &header->timestampMs);
    if (used == 0 || used >= s.size() || s.at(used) != ' ')
        return false;

    parseHostAndTag(s.sliced(used + 1), header);
    return true;
}

namespace {

// Whether the `size` bytes at `x` and `y` are equal. Stamps and tags are
// mostly 8 to 32 bytes long, which overlapping 8-byte loads compare without
// a call.
bool sameBytes(const char *x, const char *y, qsizetype size)
{
    if (size <= 16)
        return text::equals(QByteArrayView(x, size), QByteArrayView(y, size));
    if (size <= 32) {
        const qsizetype tail = size - 16;
        return text::equalEnds<quint64>(x, y, 16) && text::equalEnds<quint64>(x + tail, y + tail, 16);
    }
    return std::memcmp(x, y, size_t(size)) == 0;
}

// Parses the time stamp at the start of `s`, taking it from `memo` when the
// bytes match. Returns the bytes used like parseIsoTimestamp(), or 0 when
// `s` starts with no time stamp.
qsizetype parseStamp(QByteArrayView s, SyslogClock &clock, qint64 *utcMs, SyslogHeaderMemo *memo)
{
    const qsizetype known = memo->stampSize;
    if (known > 0 && s.size() > known && sameBytes(s.data(), memo->stamp, known)) {
        // The same bytes parse to the same fields. An RFC 3164 stamp goes
        // through the clock again, which keeps its year inference exact.
        *utcMs = memo->yearless ? clock.fromYearless(memo->month, memo->day, memo->hour,
                                                     memo->minute, memo->second, memo->millis)
                                : memo->timestampMs;
        return known - 1;
    }
    qsizetype used = 0;
    YearlessStamp fields;
    const bool yearless = s.isEmpty() || !isDigit(s.at(0));
    if (yearless)
        used = parseRfc3164Timestamp(s, clock, utcMs, &fields);
    else
        used = parseIsoTimestamp(s, clock, utcMs);
    // Kept with the space that ends it, which the caller checks.
    if (used > 0 && used < s.size() && s.at(used) == ' '
        && used + 1 <= SyslogHeaderMemo::MaxStampBytes) {
        std::memcpy(memo->stamp, s.data(), size_t(used + 1));
        memo->stampSize = used + 1;
        memo->yearless = yearless;
        memo->month = fields.month;
        memo->day = fields.day;
        memo->hour = fields.hour;
        memo->minute = fields.minute;
        memo->second = fields.second;
        memo->millis = fields.millis;
        memo->timestampMs = *utcMs;
    }
    return used;
}

// Splits the host and the tag off `s` like parseHostAndTag(), taking them
// from `memo` when `s` starts with the same bytes.
void parseHostAndTag(QByteArrayView s, SyslogHeader *header, SyslogHeaderMemo *memo)
{
    const qsizetype known = memo->hostAndTagSize;
    if (known > 0 && s.size() >= known && sameBytes(s.data(), memo->hostAndTag, known)) {
        header->host = memo->hostBegin < 0 ? QByteArrayView()
                                           : s.sliced(memo->hostBegin, memo->hostSize);
        header->program = s.sliced(memo->programBegin, memo->programSize);
        header->pid = memo->pid;
        header->message = stripSolarisMessageId(s.sliced(known));
        return;
    }
    splitHostAndTag(s, header);
    const QByteArrayView message = header->message;
    header->message = stripSolarisMessageId(message);

    // Kept when the message starts after a space that the split consumed.
    // Then every byte that decided the split lies before the message, so the
    // same bytes in front of any message split the same way. Without a
    // program, the split read bytes of what became the message.
    const qsizetype messageBegin = message.data() - s.data();
    if (header->program.isEmpty() || message.data() == nullptr || messageBegin <= 0
        || messageBegin > s.size() || s.at(messageBegin - 1) != ' '
        || messageBegin > SyslogHeaderMemo::MaxTagBytes)
        return;
    std::memcpy(memo->hostAndTag, s.data(), size_t(messageBegin));
    memo->hostAndTagSize = messageBegin;
    memo->hostBegin = header->host.data() ? header->host.data() - s.data() : -1;
    memo->hostSize = header->host.size();
    memo->programBegin = header->program.data() - s.data();
    memo->programSize = header->program.size();
    memo->pid = header->pid;
}

} // namespace

bool parseSyslogHeader(QByteArrayView line, SyslogClock &clock, SyslogHeader *header,
                       SyslogHeaderMemo *memo)
{
    if (line.startsWith('<'))
        return parseSyslogHeader(line, clock, header);
    const qsizetype used = parseStamp(line, clock, &header->timestampMs, memo);
    if (used == 0 || used >= line.size() || line.at(used) != ' ')
        return false;
    parseHostAndTag(line.sliced(used + 1), header, memo);
    return true;
}

} // namespace portcullis
