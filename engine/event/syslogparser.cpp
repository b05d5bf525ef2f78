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

Event SyslogParser::baseEvent(QByteArrayView line, const LineInfo &info,
                              const SyslogHeader &header)
{
    Event event;
    event.timestampMs = header.timestampMs;
    event.hostName = m_hosts.intern(header.host);
    event.processName = m_programs.intern(header.program);
    event.processPid = header.pid;
    event.original = text::fromUtf8(line);
    event.originalTruncated = info.truncated;
    event.filePath = m_options.filePath;
    event.fileOffset = info.offset;
    event.lineNumber = info.lineNumber;
    return event;
}

bool SyslogParser::parseLine(QByteArrayView line, const LineInfo &info, std::vector<Event> &out)
{
    line = text::withoutCarriageReturn(line);
    SyslogHeader header;
    if (!parseSyslogHeader(line, m_clock, &header))
        return false;

    const Event base = baseEvent(line, info, header);
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
        parseMessage(message, header.program, base, out);

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
                                const Event &base, std::vector<Event> &out)
{
    if (isSshProgram(program))
        m_ssh.parse(message, base, out);
    else
        parseOtherProgram(message, program, base, out);
}

void SyslogParser::parseOtherProgram(QByteArrayView message, QByteArrayView program,
                                     const Event &base, std::vector<Event> &out)
{
    if (parsePamAuthFailure(message, base, m_strings, m_addresses, out))
        return;
    Event &event = out.emplace_back(base);
    event.action = text::actionStrings().other;
    event.category = categoryOfProgram(program, message);
}

} // namespace portcullis
