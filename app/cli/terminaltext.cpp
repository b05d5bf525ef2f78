// SPDX-License-Identifier: GPL-3.0-or-later
#include "terminaltext.h"

#include <QList>

#include <algorithm>

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

// True when the UTF-16 unit needs the code point loop below: a character
// that is escaped, or half of a surrogate pair (toUcs4() replaces a lone half).
bool needsConversion(char16_t unit)
{
    return isControl(unit) || isInvisibleFormat(unit) || (unit >= 0xd800 && unit <= 0xdfff);
}

} // namespace

QString terminalText(const QString &text)
{
    // Most text has nothing to escape: return it shared, without a copy.
    const auto needs = [](QChar c) { return needsConversion(c.unicode()); };
    if (std::none_of(text.cbegin(), text.cend(), needs))
        return text;

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
