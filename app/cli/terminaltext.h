// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace portcullis::cli {

// Telemetry and user text made safe for a terminal: C0 and C1 control
// characters (newline and escape included) and DEL become \xNN, and
// characters that reorder or hide text (bidi overrides, zero-width) become
// <U+XXXX>, so log lines, user names and notes cannot move the cursor, set
// the window title or fake an extra output line.
QString terminalText(const QString &text);

} // namespace portcullis::cli
