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
};

// Reads a log file line by line through the parser of `format` (Auto: chosen
// from the first lines, as the importer does) and calls `onEvent` for each
// event in file order. Event ids are "FILE:LINE" or "FILE:LINE:N" for the
// N-th event of a line. For `portcullis-cli rules test` and the rule tests,
// which need no store. Returns false with a message naming the file when it
// cannot be read or its format is not recognised.
// Loads rule files like RuleSet::loadPaths(), passing each file to
// loadRuleText().
bool loadRulePaths(RuleSet *rules, const QStringList &paths, QVector<LoadIssue> *issues);

// Loads one file's text like RuleSet::loadText(), but in pieces that each
// end with at most one correlation document, padded with newlines so that
// line numbers stay those of the file. Texts with `action:` documents are
// loaded whole, since `action: global` applies to the documents after it.
// NOTE: RuleSet::loadText() rewrites every earlier document node of a text
// with the last one (yaml-cpp assignment through the `previous` handle), and
// correlation documents are kept as nodes; drop this once it keeps each one.
void loadRuleText(RuleSet *rules, const QByteArray &yaml, const QString &fileName,
                  QVector<LoadIssue> *issues);

bool readLogFile(const QString &path, LogFormat format,
    const std::function<void(const Event &)> &onEvent, LogReadSummary *summary,
    QString *errorMessage);

} // namespace portcullis::sigma
