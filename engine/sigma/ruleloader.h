// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "event/event.h"
#include "event/logparser.h"
#include "sigma/sigmarule.h"

#include <QString>

#include <functional>

namespace portcullis::sigma {

struct LogReadSummary {
    LogFormat format = LogFormat::Auto; // the format used
    qint64 lines = 0;
    qint64 events = 0;
    qint64 unparsedLines = 0;
    qint64 screenedLines = 0;  // passed over unparsed: no rule could match them
};

// Reads a log file line by line through the parser of `format` (Auto: chosen
// from the first lines, as the importer does) and calls `onEvent` for each
// event in file order. Event ids are "FILE:LINE" or "FILE:LINE:N" for the
// N-th event of a line. For `portcullis-cli rules test` and the rule tests,
// which need no store. Returns false with a message naming the file when it
// cannot be read or its format is not recognised.
//
// With `screenFor`, a compiled rule set, lines that no rule of it can match
// (sigma/sigmascreen.h) are not parsed: only events that may match reach
// `onEvent`. Those lines are counted in screenedLines, and a line screened
// out is not checked for its format either.
bool readLogFile(const QString &path, LogFormat format,
    const std::function<void(const Event &)> &onEvent, LogReadSummary *summary,
    QString *errorMessage, const RuleSet *screenFor = nullptr);

} // namespace portcullis::sigma
