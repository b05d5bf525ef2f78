// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "event/event.h"

#include <QByteArrayView>
#include <QList>

#include <memory>
#include <vector>

namespace portcullis {

enum class LogFormat : quint8 {
    Auto,       // detect from the first lines
    Syslog,     // RFC 3164, RFC 5424 or ISO 8601 framed syslog (auth.log, journald export)
    WebAccess,  // Apache / nginx common and combined access logs
    JsonLines,  // one JSON object per line with ECS field names
};

QString formatName(LogFormat format);                        // "syslog", "web", "jsonl", "auto"
bool formatFromName(QStringView name, LogFormat *format);    // false for an unknown name

// Lines longer than this are cut to it and flagged (Event::originalTruncated).
inline constexpr qsizetype MaxLineBytes = 64 * 1024;

struct ParserOptions
{
    // Time that the file's last line cannot be later than, normally the file's
    // modification time; syslog lines without a year take the year that puts
    // them nearest before it. 0 means "now".
    qint64 referenceTimeMs = 0;
    QString filePath;  // copied into Event::filePath
    // IANA zone id ("Europe/Berlin", "UTC") of syslog time stamps written
    // without a zone (RFC 3164). Empty means the system time zone.
    QByteArray timeZone;
};

struct LineInfo
{
    qint64 lineNumber = 0;  // 1-based
    qint64 offset = 0;      // byte offset of the line's first byte in the file
    bool truncated = false; // the caller cut the line at MaxLineBytes
};

// A parser for one log format. Parsers keep state between lines of one file
// (year inference, sshd process state for de-duplicating one attempt), so use
// one instance per file and feed it the lines in file order.
class LogParser
{
public:
    virtual ~LogParser() = default;
    virtual LogFormat format() const = 0;

    // Parses one line without its line terminator and appends zero or more
    // events to `out` ("message repeated N times" yields N). Returns false when
    // the line is not in this parser's format; `out` is then unchanged.
    virtual bool parseLine(QByteArrayView line, const LineInfo &info, std::vector<Event> &out) = 0;
};

std::unique_ptr<LogParser> createParser(LogFormat format, const ParserOptions &options);

// Picks the format that accepts most of the given first lines of a file.
// Returns LogFormat::Auto when none accepts any.
LogFormat detectFormat(const QList<QByteArray> &firstLines);

} // namespace portcullis
