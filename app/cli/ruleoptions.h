// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

class QCommandLineParser;

namespace portcullis {
struct ImportOptions;
}

namespace portcullis::cli {

// Adds --no-sigma and --rules PATH (repeatable) to `import` and `detect`.
void addRuleOptions(QCommandLineParser &parser);

// Loads the shipped Sigma rules (unless --no-sigma) and those of each --rules
// path into `options`. A broken rule is left out with a warning on standard
// error; an unreadable path is printed as an error and returns false.
// `command` names the command in the messages.
bool readRuleOptions(
    const QCommandLineParser &parser, const QString &command, ImportOptions *options);

} // namespace portcullis::cli
