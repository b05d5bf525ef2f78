// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Screening raw log lines before they are parsed. Most lines of a log match
// no rule, and the literals the prefilter needs tell that from the line's
// bytes: a line in which a rule's required literals do not occur cannot give
// an event that the rule matches. For tools that only match rules (rules
// test, the benchmarks), a screened-out line then costs one scan instead of
// a parse into an Event and a match.

#include "event/logparser.h"

#include <QByteArrayView>

#include <memory>

namespace portcullis::sigma {

class RuleSet;

class LineScreen
{
public:
    // Creates a screen for lines of `format` and the compiled `rules`, which
    // must outlive it. Only access logs (LogFormat::WebAccess) are screened.
    // Every line passes for other formats, and when some access log rule has
    // no required literal (a rule of only `not` or a regular expression).
    // Not thread-safe, so use one screen per reading thread.
    LineScreen(const RuleSet &rules, LogFormat format);
    ~LineScreen();
    LineScreen(const LineScreen &) = delete;
    LineScreen &operator=(const LineScreen &) = delete;

    // Whether lines can be screened out at all.
    bool active() const;

    // False only when no rule of the set can match the event that the parser
    // makes of `line` (one line without its line feed). Lines with bytes that
    // are not ASCII or with backslash escapes always pass, because the parser
    // decodes them into text that differs from the bytes. A line that passes
    // may still match nothing, or fail to parse.
    bool mayMatch(QByteArrayView line);

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace portcullis::sigma
