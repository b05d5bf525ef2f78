// SPDX-License-Identifier: GPL-3.0-or-later
#include "sigma/sigmamodifiers.h"

#include <yaml-cpp/yaml.h>

#include <QCoreApplication>

#include <array>

namespace portcullis::sigma {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("portcullis::sigma::Modifiers", text);
}

bool setTimePart(const QString &name, Modifiers *m)
{
    static const QHash<QString, TimePart> parts {
        { QStringLiteral("minute"), TimePart::Minute }, { QStringLiteral("hour"), TimePart::Hour },
        { QStringLiteral("day"), TimePart::Day },       { QStringLiteral("week"), TimePart::Week },
        { QStringLiteral("month"), TimePart::Month },   { QStringLiteral("year"), TimePart::Year },
    };
    const auto it = parts.constFind(name);
    if (it == parts.constEnd())
        return false;
    m->timePart = it.value();
    return true;
}

bool setCompare(const QString &name, Modifiers *m)
{
    static const QHash<QString, ValueMatcher::Compare> ops {
        { QStringLiteral("lt"), ValueMatcher::Compare::Lt },
        { QStringLiteral("lte"), ValueMatcher::Compare::Lte },
        { QStringLiteral("gt"), ValueMatcher::Compare::Gt },
        { QStringLiteral("gte"), ValueMatcher::Compare::Gte },
    };
    const auto it = ops.constFind(name);
    if (it == ops.constEnd())
        return false;
    m->compare = true;
    m->compareOp = it.value();
    return true;
}

bool setRegexFlag(const QString &name, Modifiers *m)
{
    if (name == QLatin1String("i") || name == QLatin1String("ignorecase"))
        m->regexIgnoreCase = true;
    else if (name == QLatin1String("m") || name == QLatin1String("multiline"))
        m->regexMultiline = true;
    else if (name == QLatin1String("s") || name == QLatin1String("dotall"))
        m->regexDotAll = true;
    else
        return false;
    return true;
}

bool setFlag(const QString &name, Modifiers *m)
{
    struct Flag
    {
        const char *name;
        bool Modifiers::*member;
    };
    static constexpr std::array<Flag, 12> flags { {
        { "contains", &Modifiers::contains },
        { "startswith", &Modifiers::startsWith },
        { "endswith", &Modifiers::endsWith },
        { "all", &Modifiers::all },
        { "exists", &Modifiers::exists },
        { "cased", &Modifiers::cased },
        { "neq", &Modifiers::neq },
        { "windash", &Modifiers::windash },
        { "re", &Modifiers::regex },
        { "cidr", &Modifiers::cidr },
        { "expand", &Modifiers::expand },
        { "fieldref", &Modifiers::fieldref },
    } };
    for (const Flag &flag : flags) {
        if (name == QLatin1String(flag.name)) {
            m->*flag.member = true;
            return true;
        }
    }
    return false;
}

bool setEncoding(const QString &name, Modifiers *m)
{
    if (name == QLatin1String("utf16le") || name == QLatin1String("wide"))
        m->encoding = Modifiers::Encoding::Utf16Le;
    else if (name == QLatin1String("utf16be"))
        m->encoding = Modifiers::Encoding::Utf16Be;
    else if (name == QLatin1String("utf16"))
        m->encoding = Modifiers::Encoding::Utf16Bom;
    else if (name == QLatin1String("base64"))
        m->base64 = Modifiers::Base64::Plain;
    else if (name == QLatin1String("base64offset"))
        m->base64 = Modifiers::Base64::Offset;
    else
        return false;
    return true;
}

bool isEncoded(const Modifiers &m)
{
    return m.encoding != Modifiers::Encoding::None || m.base64 != Modifiers::Base64::None;
}

void checkCombination(const Modifiers &m, const YAML::Mark &mark)
{
    const int positions = int(m.contains) + int(m.startsWith) + int(m.endsWith);
    if (positions > 1)
        throwError(mark, tr("Use only one of |contains, |startswith and |endswith."));
    const int kinds = int(m.regex) + int(m.cidr) + int(m.compare || m.timePart != TimePart::None)
                      + int(m.exists) + int(m.fieldref);
    if (kinds > 1)
        throwError(mark, tr("The modifiers |re, |cidr, |exists, |fieldref and the numeric and "
                            "time modifiers cannot be combined with each other."));
    const bool encoded = isEncoded(m);
    if (kinds > 0 && (encoded || m.windash || positions > 0))
        throwError(mark, tr("Encoding, |windash and position modifiers apply only to plain "
                            "string values, not to |re, |cidr, |exists, |fieldref or numbers."));
    if (encoded && m.windash)
        throwUnsupported(mark, QStringLiteral("windash with encoding"),
                         tr("|windash together with |base64 or a UTF-16 encoding is not "
                            "supported; list the dash variants as separate values."));
}

} // namespace

Modifiers parseModifiers(const QStringList &names, const YAML::Mark &mark)
{
    Modifiers m;
    for (const QString &raw : names) {
        const QString name = raw.trimmed();
        if (m.regex && setRegexFlag(name, &m))
            continue;
        if (setFlag(name, &m) || setEncoding(name, &m) || setCompare(name, &m)
            || setTimePart(name, &m))
            continue;
        if (name.isEmpty())
            throwError(mark, tr("A field name has an empty modifier ('||'); remove the extra "
                                "'|'."));
        throwError(mark, tr("Unknown modifier '|%1'; see the Sigma modifier list for valid names.")
                             .arg(name));
    }
    if (!m.regex && (m.regexIgnoreCase || m.regexMultiline || m.regexDotAll))
        throwError(mark, tr("The regular expression flags i, m and s need |re before them."));
    checkCombination(m, mark);
    return m;
}

QVector<ValueMatcher> ValueBuilder::build(const YAML::Node &value) const
{
    const Modifiers &m = modifiers;
    if (value.IsNull() || m.exists || m.fieldref || m.regex || m.cidr || m.compare
        || m.timePart != TimePart::None)
        return { special(value) };
    return stringMatchers(QString::fromStdString(value.Scalar()), value.Mark());
}

ValueMatcher ValueBuilder::special(const YAML::Node &value) const
{
    const Modifiers &m = modifiers;
    const YAML::Mark mark = value.Mark();
    const QString text = value.IsNull() ? QString() : QString::fromStdString(value.Scalar());
    ValueMatcher matcher;
    if (m.exists) {
        const QString lower = text.trimmed().toLower();
        if (lower != QLatin1String("true") && lower != QLatin1String("false"))
            throwError(mark, tr("|exists takes true or false, not '%1'.").arg(text));
        matcher.op = ValueMatcher::Op::Exists;
        matcher.exists = lower == QLatin1String("true");
        return matcher;
    }
    if (value.IsNull()) {
        if (m.regex || m.cidr || m.compare || m.fieldref || m.timePart != TimePart::None)
            throwError(mark, tr("A null value cannot take |re, |cidr, |fieldref or numeric "
                                "modifiers."));
        matcher.op = ValueMatcher::Op::Null;
        return matcher;
    }
    if (m.fieldref) {
        matcher.op = ValueMatcher::Op::FieldRef;
        matcher.cased = m.cased;
        matcher.otherField = catalog->idOf(text.trimmed());
        return matcher;
    }
    if (m.regex) {
        QRegularExpression::PatternOptions options = QRegularExpression::NoPatternOption;
        if (m.regexIgnoreCase)
            options |= QRegularExpression::CaseInsensitiveOption;
        if (m.regexMultiline)
            options |= QRegularExpression::MultilineOption;
        if (m.regexDotAll)
            options |= QRegularExpression::DotMatchesEverythingOption;
        matcher.op = ValueMatcher::Op::Regex;
        matcher.regex = QRegularExpression(text, options);
        if (!matcher.regex.isValid())
            throwError(mark, tr("Invalid regular expression '%1': %2 at offset %3.")
                                 .arg(text, matcher.regex.errorString())
                                 .arg(matcher.regex.patternErrorOffset()));
        return matcher;
    }
    if (m.cidr) {
        matcher.op = ValueMatcher::Op::Cidr;
        if (!parseCidr(text, &matcher.cidr))
            throwError(mark, tr("Invalid CIDR range '%1'; write it as 10.0.0.0/8 or "
                                "2001:db8::/32.").arg(text));
        return matcher;
    }
    bool ok = false;
    matcher.op = ValueMatcher::Op::Compare;
    matcher.compare = m.compareOp;
    matcher.timePart = m.timePart;
    matcher.number = text.trimmed().toDouble(&ok);
    if (!ok)
        throwError(mark, tr("'%1' is not a number; numeric and time modifiers need one.")
                             .arg(text));
    return matcher;
}

QStringList ValueBuilder::expanded(const QString &raw) const
{
    // Splits at unescaped %name% placeholders and forms every combination.
    QStringList results { QString() };
    qsizetype i = 0;
    while (i < raw.size()) {
        const bool escapedPercent = raw.at(i) == QLatin1Char('\\') && i + 1 < raw.size()
                                    && raw.at(i + 1) == QLatin1Char('%');
        if (escapedPercent) {
            for (QString &result : results)
                result.append(QLatin1Char('%'));
            i += 2;
            continue;
        }
        const qsizetype end =
            raw.at(i) == QLatin1Char('%') ? raw.indexOf(QLatin1Char('%'), i + 1) : -1;
        if (end < 0) {
            for (QString &result : results)
                result.append(raw.at(i));
            ++i;
            continue;
        }
        const QString name = raw.mid(i + 1, end - i - 1);
        const auto it = placeholders->constFind(name);
        if (it == placeholders->constEnd() || it.value().isEmpty()) {
            // Parsing goes on so that one report names every missing placeholder.
            if (!missingPlaceholders->contains(name))
                missingPlaceholders->append(name);
            i = end + 1;
            continue;
        }
        QStringList next;
        for (const QString &prefix : std::as_const(results)) {
            for (const QString &replacement : it.value())
                next.append(prefix + replacement);
        }
        results = next;
        i = end + 1;
    }
    return results;
}

QVector<ValueMatcher> ValueBuilder::stringMatchers(const QString &raw, const YAML::Mark &mark) const
{
    const Modifiers &m = modifiers;
    const QStringList raws = m.expand ? expanded(raw) : QStringList { raw };
    const bool encoded = isEncoded(m);
    QVector<ValueMatcher> matchers;
    for (const QString &one : raws) {
        SigmaString pattern = SigmaString::parse(one);
        if (!encoded) {
            matchers.append(patternMatcher(pattern));
            continue;
        }
        if (pattern.hasWildcards())
            throwUnsupported(mark, QStringLiteral("wildcard in encoded value"),
                             tr("Value '%1' has wildcards, which cannot be encoded with "
                                "|base64 or UTF-16; escape them as \\* and \\?.").arg(one));
        const QString text = pattern.plainText();
        QByteArray bytes;
        switch (m.encoding) {
        case Modifiers::Encoding::None:
            bytes = text.toUtf8();
            break;
        case Modifiers::Encoding::Utf16Le:
            bytes = utf16Bytes(text, false, false);
            break;
        case Modifiers::Encoding::Utf16Be:
            bytes = utf16Bytes(text, true, false);
            break;
        case Modifiers::Encoding::Utf16Bom:
            bytes = utf16Bytes(text, false, true);
            break;
        }
        QStringList texts;
        if (m.base64 == Modifiers::Base64::Plain)
            texts.append(base64Text(bytes));
        else if (m.base64 == Modifiers::Base64::Offset)
            texts = base64OffsetTexts(bytes);
        else
            texts.append(QString::fromLatin1(bytes));
        for (const QString &variant : std::as_const(texts))
            matchers.append(patternMatcher(SigmaString::plain(variant)));
    }
    return matchers;
}

ValueMatcher ValueBuilder::patternMatcher(SigmaString pattern) const
{
    const Modifiers &m = modifiers;
    if (m.windash)
        pattern.applyWindash();
    if (m.contains || m.endsWith || keywords)
        pattern.prependAnyString();
    if (m.contains || m.startsWith || keywords)
        pattern.appendAnyString();
    // Base64 text is case-sensitive, so encoded values match cased.
    const bool base64 = m.base64 != Modifiers::Base64::None;
    return stringMatcher(pattern, m.cased || base64);
}

} // namespace portcullis::sigma
