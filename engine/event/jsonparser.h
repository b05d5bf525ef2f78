// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "event/logparser.h"
#include "event/parsertext.h"
#include "event/syslogheader.h"

namespace portcullis {

// Objects nested deeper than this are rejected before parsing.
inline constexpr int MaxJsonDepth = 32;

// One JSON object per line with Elastic Common Schema field names, as dotted
// keys ("source.ip") or nested objects ({"source": {"ip": ...}}). Known
// fields fill the Event members. Every other field goes to Event::extra under
// its dotted name.
class JsonLinesParser final : public LogParser
{
public:
    explicit JsonLinesParser(const ParserOptions &options);

    LogFormat format() const override { return LogFormat::JsonLines; }
    bool parseLine(QByteArrayView line, const LineInfo &info, std::vector<Event> &out) override;

private:
    ParserOptions m_options;
    SyslogClock m_clock;  // reads time stamps without an offset in the configured zone
    text::AddressCache m_addresses;
};

// The nesting depth of the objects and arrays in `json`, ignoring brackets
// inside strings.
int jsonNestingDepth(QByteArrayView json);

} // namespace portcullis
