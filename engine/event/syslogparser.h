// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "event/logparser.h"
#include "event/parsertext.h"
#include "event/sshmessages.h"
#include "event/syslogheader.h"

namespace portcullis {

// "message repeated N times" expands to at most this many events; a larger N
// is cut to it and flagged in extra["log.syslog.repeat_capped"].
inline constexpr int MaxRepeatedEvents = 10000;

// Syslog files: auth.log, secure, syslog, journald exports. OpenSSH and PAM
// messages become authentication events; other programs' lines become
// generic events with action "other".
class SyslogParser final : public LogParser
{
public:
    explicit SyslogParser(const ParserOptions &options);

    LogFormat format() const override { return LogFormat::Syslog; }
    bool parseLine(QByteArrayView line, const LineInfo &info, std::vector<Event> &out) override;

private:
    void fillLineFields(LineFields &fields, QByteArrayView line, const LineInfo &info,
                        const SyslogHeader &header);
    void parseMessage(QByteArrayView message, QByteArrayView program, LineEvents &events);
    void parseOtherProgram(QByteArrayView message, QByteArrayView program, LineEvents &events);

    ParserOptions m_options;
    SyslogClock m_clock;
    SyslogHeaderMemo m_headerMemo;
    text::Interner m_strings;
    text::FieldInterner m_hosts;
    text::FieldInterner m_programs;
    text::AddressCache m_addresses;
    text::RecyclingDecoder m_originals;  // Event::original of each line
    SshMessageParser m_ssh;
};

// Splits "message repeated N times: [ MSG]" (rsyslog's reduction of repeated
// lines) into N and MSG. False when `message` is not such a line.
bool parseRepeatedMessage(QByteArrayView message, qint64 *count, QByteArrayView *inner);

} // namespace portcullis
