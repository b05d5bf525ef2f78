// SPDX-License-Identifier: GPL-3.0-or-later
#include "event/syslogparser.h"

namespace portcullis {

namespace {

bool isSshProgram(QByteArrayView program)
{
    // sshd, and OpenSSH 9.8's split processes sshd-session and sshd-auth.
    return text::equals(program, "sshd") || text::startsWith(program, "sshd-")
           || text::equals(program, "ssh");
}

EventCategory categoryOfProgram(QByteArrayView program, QByteArrayView message)
{
    if (program == "sudo" || program == "su" || program == "useradd" || program == "usermod"
        || program == "userdel" || program == "groupadd" || program == "groupdel"
        || program == "chpasswd" || program == "passwd" || program == "gpasswd"
        || program == "chage")
        return EventCategory::Iam;
    if (text::contains(message, "session opened") || text::contains(message, "session closed")
        || program == "systemd-logind")
        return EventCategory::Session;
    if (program == "CRON" || program == "cron" || program == "crond" || program == "systemd")
        return EventCategory::Process;
    return EventCategory::Unknown;
}

} // namespace

bool parseRepeatedMessage(QByteArrayView message, qint64 *count, QByteArrayView *inner)
{
    static constexpr QByteArrayView prefix("message repeated ");
    if (!text::startsWith(message, prefix))
        return false;
    const qsizetype timesAt = text::indexOf(message, " times: [", prefix.size());
    if (timesAt < 0 || !text::parseUInt(message.sliced(prefix.size(), timesAt - prefix.size()), count))
        return false;
    QByteArrayView rest = message.sliced(timesAt + 9);
    if (rest.startsWith(' '))
        rest = rest.sliced(1);
    rest = text::trimmedRight(rest);
    if (rest.endsWith(']'))
        rest.chop(1);
    *inner = rest;
    return true;
}

SyslogParser::SyslogParser(const ParserOptions &options)
    : m_options(options)
    , m_clock(options.referenceTimeMs, options.timeZone)
    , m_ssh(m_strings, m_addresses)
{
}

// Fills the fields in place, in the line's LineEvents, so they are not
// moved there from a temporary.
void SyslogParser::fillLineFields(LineFields &fields, QByteArrayView line, const LineInfo &info,
                                  const SyslogHeader &header)
{
    fields.timestampMs = header.timestampMs;
    fields.hostName = m_hosts.intern(header.host);
    fields.processName = m_programs.intern(header.program);
    fields.processPid = header.pid;
    fields.original = m_originals.decode(line);
    fields.originalTruncated = info.truncated;
    text::assign(fields.filePath, m_options.filePath);
    fields.fileOffset = info.offset;
    fields.lineNumber = info.lineNumber;
}

bool SyslogParser::parseLine(QByteArrayView line, const LineInfo &info, std::vector<Event> &out)
{
    line = text::withoutCarriageReturn(line);
    SyslogHeader header;
    if (!parseSyslogHeader(line, m_clock, &header, &m_headerMemo))
        return false;

    LineEvents events(out);
    fillLineFields(events.fields(), line, info, header);
    qint64 repeat = 1;
    QByteArrayView message = header.message;
    QByteArrayView inner;
    if (parseRepeatedMessage(message, &repeat, &inner))
        message = inner;
    else
        repeat = 1;

    const size_t first = out.size();
    const qint64 count = qBound(qint64(1), repeat, qint64(MaxRepeatedEvents));
    for (qint64 i = 0; i < count; ++i)
        parseMessage(message, header.program, events);

    if (repeat > 1) {
        for (size_t i = first; i < out.size(); ++i) {
            out[i].extra.insert(QStringLiteral("log.syslog.repeat_count"), repeat);
            if (repeat > MaxRepeatedEvents)
                out[i].extra.insert(QStringLiteral("log.syslog.repeat_capped"), true);
        }
    }
    return true;
}

void SyslogParser::parseMessage(QByteArrayView message, QByteArrayView program,
                                LineEvents &events)
{
    if (isSshProgram(program))
        m_ssh.parse(message, events);
    else
        parseOtherProgram(message, program, events);
}

void SyslogParser::parseOtherProgram(QByteArrayView message, QByteArrayView program,
                                     LineEvents &events)
{
    if (parsePamAuthFailure(message, events, m_strings, m_addresses))
        return;
    Event &event = events.add();
    event.action = text::actionStrings().other;
    event.category = categoryOfProgram(program, message);
}

} // namespace portcullis
