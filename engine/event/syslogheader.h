// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Syslog framing: the header in front of the message text, in the three
// forms that Linux systems write (RFC 3164, RFC 5424, and RFC 3164 with an
// RFC 3339 timestamp as rsyslog and journald write it).

#include <QByteArrayView>
#include <QTimeZone>

namespace portcullis {

// Converts syslog time stamps to UTC milliseconds. RFC 3164 stamps carry
// neither year nor zone. They are read in the configured zone (by default the
// system's), with the year that puts the stamp nearest before the reference
// time. A stamp far before the previous one takes the next year, so a file
// written across New Year stays in order. Feb 29 takes a leap year.
class SyslogClock
{
public:
    // `referenceMs` 0 means now. An empty `zoneId` means the system time zone.
    SyslogClock(qint64 referenceMs, const QByteArray &zoneId);

    // Local wall-clock time without year (month 1-12) to UTC milliseconds.
    qint64 fromYearless(int month, int day, int hour, int minute, int second, int millis);
    // Local wall-clock time to UTC milliseconds, through a cached zone offset.
    qint64 fromLocal(int year, int month, int day, int hour, int minute, int second, int millis);

private:
    // A span of local time in which the zone's UTC offset does not change.
    struct OffsetSpan {
        qint64 fromLocal = 1;  // first local second (empty span by default)
        qint64 untilLocal = 0; // one past the last local second
        int offset = 0;
    };

    int offsetSecondsAt(qint64 localSeconds);
    int leapYearNear(int year, int hour, int minute, int second, int millis);
    OffsetSpan offsetSpanAt(qint64 localSeconds) const;

    qint64 m_referenceMs = 0;
    int m_referenceYear = 1970;
    int m_referenceDayOfYear = 1; // of the reference time's local date
    QTimeZone m_zone;
    bool m_zoneIsUtc = false;
    // Two spans, because a file near New Year (or a stamp tried in two
    // years) alternates between two of them.
    OffsetSpan m_spans[2];
    // daysFromCivil() of the dates fromLocal() was last called with, one per
    // year parity.
    struct CachedDay
    {
        int year = 0;
        int month = 0;  // 0: nothing cached
        int day = 0;
        qint64 number = 0;
    };
    CachedDay m_days[2];
    qint64 m_previousMs = 0;
    bool m_hasPrevious = false;
    // fromYearless()'s arguments of the previous call packed into one number,
    // or -1 for none. Consecutive lines often share their stamp.
    qint64 m_previousStamp = -1;
};

// Days since 1970-01-01 of a proleptic Gregorian date.
qint64 daysFromCivil(int year, int month, int day);

bool isLeapYear(int year);

// Number of days in the month (1-12) of the proleptic Gregorian year.
int daysInMonth(int year, int month);

// Parses "YYYY-MM-DDTHH:MM:SS[.frac](Z|+HH:MM|-HH:MM)" (RFC 3339; a space in
// place of 'T' and a missing zone are accepted, the latter read in `clock`'s
// zone). Returns the number of bytes consumed, 0 when `s` does not start with
// such a time stamp.
qsizetype parseIsoTimestamp(QByteArrayView s, SyslogClock &clock, qint64 *utcMs);

struct SyslogHeader
{
    qint64 timestampMs = 0;
    int priority = -1;           // <PRI>, -1 when absent
    QByteArrayView host;         // empty when the line has no host field
    QByteArrayView program;      // tag or APP-NAME, empty when absent
    qint64 pid = 0;              // 0 when absent
    QByteArrayView msgId;        // RFC 5424 MSGID, empty when absent or "-"
    QByteArrayView structuredData;  // RFC 5424 STRUCTURED-DATA, empty when absent or "-"
    QByteArrayView message;
};

// Parses the syslog header of `line`. False when the line does not start
// with a syslog time stamp (optionally after <PRI>).
bool parseSyslogHeader(QByteArrayView line, SyslogClock &clock, SyslogHeader *header);

// The time stamp and the host and tag of an earlier line, for
// parseSyslogHeader() to take over when a line starts with the same bytes,
// as consecutive lines of one process do. Only lines without <PRI> use it.
struct SyslogHeaderMemo
{
    static constexpr qsizetype MaxStampBytes = 40;
    static constexpr qsizetype MaxTagBytes = 160;

    // The time stamp with the space after it, and what it gave: the wall
    // clock fields of an RFC 3164 stamp, which go through
    // SyslogClock::fromYearless() again, or the time of an RFC 3339 stamp.
    char stamp[MaxStampBytes];
    qsizetype stampSize = 0;  // 0: none
    bool yearless = false;
    int month = 0, day = 0, hour = 0, minute = 0, second = 0, millis = 0;
    qint64 timestampMs = 0;

    // Host and tag up to the message, ending in the space before it. Only
    // headers with a program are kept, because their message starts after
    // bytes that decided how the header split.
    char hostAndTag[MaxTagBytes];
    qsizetype hostAndTagSize = 0;  // 0: none
    qsizetype hostBegin = -1;      // -1: the line has no host field
    qsizetype hostSize = 0;
    qsizetype programBegin = 0;
    qsizetype programSize = 0;
    qint64 pid = 0;
};

// parseSyslogHeader() that takes the time stamp and the host and tag from
// `memo` when the line starts with the same bytes, and keeps the line's own
// in `memo` otherwise. The results are the same as without a memo.
bool parseSyslogHeader(QByteArrayView line, SyslogClock &clock, SyslogHeader *header,
                       SyslogHeaderMemo *memo);

} // namespace portcullis
