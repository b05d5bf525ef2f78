// SPDX-License-Identifier: GPL-3.0-or-later
#include "terminaltext.h"

#include <QList>

namespace portcullis::cli {

namespace {

bool isControl(char32_t c)
{
    return c < 0x20 || (c >= 0x7f && c <= 0x9f);
}

// Characters that change the visual order or hide text without showing a glyph.
bool isInvisibleFormat(char32_t c)
{
    return (c >= 0x200b && c <= 0x200f) || (c >= 0x202a && c <= 0x202e)
        || (c >= 0x2066 && c <= 0x2069) || c == 0x061c || c == 0xfeff;
}

} // namespace

QString terminalText(const QString &text)
{
    QString result;
    result.reserve(text.size());

    for (const char32_t c : text.toUcs4()) {
        if (isControl(c))
            result += QStringLiteral("\\x%1").arg(uint(c), 2, 16, QLatin1Char('0'));
        else if (isInvisibleFormat(c))
            result += QStringLiteral("<U+%1>").arg(uint(c), 4, 16, QLatin1Char('0')).toUpper();
        else
            result += QString::fromUcs4(&c, 1);
    }
    return result;
}

} // namespace portcullis::cli
