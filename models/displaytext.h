// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringList>

namespace portcullis {

// Makes attacker-controlled telemetry text safe to show in a plain-text
// widget: control characters (C0 except tab, DEL, C1) become "\xNN" escapes,
// and Unicode bidirectional and zero-width format characters become
// "<U+XXXX>", so a log line cannot reorder, hide or fake what the analyst
// reads. The result is still plain text and must be shown as such.
QString displayText(const QString &text);

// Like displayText(), and puts a value with leading or trailing spaces (or an
// empty value) in double quotes so that "root " and "root" look different.
QString displayValue(const QString &value);

// Joins displayValue() of each value with ", ", naming at most `maxValues`
// and then "+N more".
QString displayValues(const QStringList &values, int maxValues);

} // namespace portcullis
