// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "sim/generator.h"

#include <vector>

namespace portcullis::sim {

// Most lines a replay file may have; the rest are ignored with a warning.
inline constexpr qint64 MaxReplayLines = 2000000;

// Reads a log file (syslog auth.log, web access log or JSON lines) for
// replay: each line becomes one event with its raw text in `event.original`
// and the fields the project's parser found. A line no parser accepts is
// still sent, with only `event.original` and the tag "unparsed". Times are
// shifted so that the first line falls at `firstEventMs`, keeping the gaps
// between lines. Returns false with a message when the file cannot be read.
bool readReplayFile(
    const QString &path, qint64 firstEventMs, std::vector<SimEvent> *events, QString *error);

} // namespace portcullis::sim
