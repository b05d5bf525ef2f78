// SPDX-License-Identifier: GPL-3.0-or-later
#include "sigma/sigmavalue.h"

#include <QDateTime>

#include <arpa/inet.h>

#include <algorithm>

namespace portcullis::sigma {

namespace {

PatternAtom charAtom(QChar c)
{
    return PatternAtom { PatternAtom::Kind::Char, c };
}

bool atomMatches(const PatternAtom &atom, QChar c)
{
    switch (atom.kind) {
    case PatternAtom::Kind::Char:
        return atom.ch == c;
    case PatternAtom::Kind::AnyChar:
        return true;
    case PatternAtom::Kind::Dash:
        return isWindashChar(c);
    case PatternAtom::Kind::AnyString:
        break;
    }
    return false;
}

bool compareNumbers(ValueMatcher::Compare compare, double left, double right)
{
    switch (compare) {
    case ValueMatcher::Compare::Eq:
        return left == right;
    case ValueMatcher::Compare::Lt:
        return left < right;
    case ValueMatcher::Compare::Lte:
        return left <= right;
    case ValueMatcher::Compare::Gt:
        return left > right;
    case ValueMatcher::Compare::Gte:
        return left >= right;
    }
    return false;
}

bool extractTimePart(TimePart part, const QString &text, double *number)
{
    QDateTime time = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!time.isValid())
        time = QDateTime::fromString(text, Qt::ISODate);
    if (!time.isValid())
        return false;
    const QDate date = time.date();
    switch (part) {
    case TimePart::None:
        return false;
    case TimePart::Minute:
        *number = time.time().minute();
        break;
    case TimePart::Hour:
        *number = time.time().hour();
        break;
    case TimePart::Day:
        *number = date.day();
        break;
    case TimePart::Week:
        *number = date.weekNumber();
        break;
    case TimePart::Month:
        *number = date.month();
        break;
    case TimePart::Year:
        *number = date.year();
        break;
    }
    return true;
}

} // namespace

bool isWindashChar(QChar c)
{
    const char16_t u = c.unicode();
    return u == u'-' || u == u'/' || u == 0x2013 || u == 0x2014 || u == 0x2015;
}

SigmaString SigmaString::parse(const QString &raw)
{
    SigmaString result;
    for (qsizetype i = 0; i < raw.size(); ++i) {
        const QChar c = raw.at(i);
        if (c == QLatin1Char('\\') && i + 1 < raw.size()) {
            const QChar next = raw.at(i + 1);
            if (next == QLatin1Char('*') || next == QLatin1Char('?') || next == QLatin1Char('\\')) {
                result.m_atoms.append(charAtom(next));
                ++i;
                continue;
            }
        }
        if (c == QLatin1Char('*'))
            result.m_atoms.append(PatternAtom { PatternAtom::Kind::AnyString, QChar() });
        else if (c == QLatin1Char('?'))
            result.m_atoms.append(PatternAtom { PatternAtom::Kind::AnyChar, QChar() });
        else
            result.m_atoms.append(charAtom(c));
    }
    return result;
}

SigmaString SigmaString::plain(const QString &text)
{
    SigmaString result;
    result.m_atoms.reserve(text.size());
    for (const QChar c : text)
        result.m_atoms.append(charAtom(c));
    return result;
}

bool SigmaString::hasWildcards() const
{
    for (const PatternAtom &atom : m_atoms) {
        if (atom.kind != PatternAtom::Kind::Char)
            return true;
    }
    return false;
}

QString SigmaString::plainText() const
{
    QString text;
    text.reserve(m_atoms.size());
    for (const PatternAtom &atom : m_atoms) {
        if (atom.kind == PatternAtom::Kind::Char)
            text.append(atom.ch);
    }
    return text;
}

QString SigmaString::longestLiteral() const
{
    QString best;
    QString current;
    for (const PatternAtom &atom : m_atoms) {
        if (atom.kind == PatternAtom::Kind::Char) {
            current.append(atom.ch);
            continue;
        }
        if (current.size() > best.size())
            best = current;
        current.clear();
    }
    return current.size() > best.size() ? current : best;
}

void SigmaString::prependAnyString()
{
    if (m_atoms.isEmpty() || m_atoms.first().kind != PatternAtom::Kind::AnyString)
        m_atoms.prepend(PatternAtom { PatternAtom::Kind::AnyString, QChar() });
}

void SigmaString::appendAnyString()
{
    if (m_atoms.isEmpty() || m_atoms.last().kind != PatternAtom::Kind::AnyString)
        m_atoms.append(PatternAtom { PatternAtom::Kind::AnyString, QChar() });
}

void SigmaString::applyWindash()
{
    for (PatternAtom &atom : m_atoms) {
        if (atom.kind == PatternAtom::Kind::Char && isWindashChar(atom.ch))
            atom.kind = PatternAtom::Kind::Dash;
    }
}

SigmaString SigmaString::folded() const
{
    // Folds runs of characters together, the way event text is folded, so
    // that a needle and the text it occurs in fold alike.
    SigmaString result;
    QString run;
    auto flush = [&] {
        for (const QChar c : foldCase(run))
            result.m_atoms.append(charAtom(c));
        run.clear();
    };
    for (const PatternAtom &atom : m_atoms) {
        if (atom.kind == PatternAtom::Kind::Char) {
            run.append(atom.ch);
            continue;
        }
        flush();
        result.m_atoms.append(atom);
    }
    flush();
    return result;
}

QByteArray utf16Bytes(const QString &text, bool bigEndian, bool byteOrderMark)
{
    QByteArray bytes;
    bytes.reserve(text.size() * 2 + 2);
    if (byteOrderMark)
        bytes.append(bigEndian ? "\xFE\xFF" : "\xFF\xFE", 2);
    for (const QChar c : text) {
        const char low = char(c.unicode() & 0xFF);
        const char high = char(c.unicode() >> 8);
        bytes.append(bigEndian ? high : low);
        bytes.append(bigEndian ? low : high);
    }
    return bytes;
}

QString base64Text(const QByteArray &bytes)
{
    return QString::fromLatin1(bytes.toBase64());
}

QStringList base64OffsetTexts(const QByteArray &bytes)
{
    // Shifting by i bytes changes the first 0, 2 or 3 output characters, and
    // a partial final group changes the last 2 or 3 (padding included).
    static constexpr int startTrim[3] = { 0, 2, 3 };
    static constexpr int endTrim[3] = { 0, 3, 2 };
    QStringList texts;
    for (int shift = 0; shift < 3; ++shift) {
        const QByteArray shifted = QByteArray(shift, ' ') + bytes;
        const QString encoded = base64Text(shifted);
        const int tail = endTrim[shifted.size() % 3];
        const qsizetype length = encoded.size() - startTrim[shift] - tail;
        if (length > 0)
            texts.append(encoded.mid(startTrim[shift], length));
    }
    return texts;
}

bool parseCidr(const QString &text, CidrRange *range)
{
    const qsizetype slash = text.indexOf(QLatin1Char('/'));
    const QByteArray address = (slash < 0 ? text : text.left(slash)).trimmed().toLatin1();
    CidrRange result;
    result.ipv6 = address.contains(':');
    const int family = result.ipv6 ? AF_INET6 : AF_INET;
    if (inet_pton(family, address.constData(), result.address.data()) != 1)
        return false;
    const int maxLength = result.ipv6 ? 128 : 32;
    result.prefixLength = maxLength;
    if (slash >= 0) {
        bool ok = false;
        result.prefixLength = text.mid(slash + 1).trimmed().toInt(&ok);
        if (!ok || result.prefixLength < 0 || result.prefixLength > maxLength)
            return false;
    }
    *range = result;
    return true;
}

namespace {

// The next part of a dotted quad at `*at`: 1 to 3 digits, no leading zero,
// at most 255, like glibc's inet_pton(AF_INET). Returns -1 for anything else.
int dottedQuadPart(const char16_t *chars, qsizetype size, qsizetype *at)
{
    qsizetype i = *at;
    if (i >= size || char16_t(chars[i] - u'0') > 9)
        return -1;
    int value = chars[i++] - u'0';
    for (int digits = 1; i < size && char16_t(chars[i] - u'0') <= 9; ++digits) {
        if (digits == 3 || value == 0)
            return -1;
        value = value * 10 + (chars[i++] - u'0');
    }
    if (value > 255)
        return -1;
    *at = i;
    return value;
}

} // namespace

int parseAddress(QStringView text, std::array<quint8, 16> *bytes)
{
    // Dotted quads without inet_pton's conversions.
    const char16_t *chars = text.utf16();
    const qsizetype size = text.size();
    qsizetype at = 0;
    std::array<quint8, 4> quad {};
    int part = 0;
    for (; part < 4; ++part) {
        if (part > 0) {
            if (at >= size || chars[at] != u'.')
                break;
            ++at;
        }
        const int value = dottedQuadPart(chars, size, &at);
        if (value < 0)
            break;
        quad[part] = quint8(value);
    }
    if (part == 4 && at == size) {
        std::copy(quad.cbegin(), quad.cend(), bytes->begin());
        return 4;
    }
    if (!text.contains(QLatin1Char(':')))
        return 0;
    const QByteArray latin1 = text.toLatin1();
    return inet_pton(AF_INET6, latin1.constData(), bytes->data()) == 1 ? 16 : 0;
}

bool cidrContains(const CidrRange &range, QByteArrayView address)
{
    if (address.size() != (range.ipv6 ? 16 : 4))
        return false;
    const auto *bytes = reinterpret_cast<const quint8 *>(address.data());
    const int whole = range.prefixLength / 8;
    for (int i = 0; i < whole; ++i) {
        if (bytes[i] != range.address[i])
            return false;
    }
    const int rest = range.prefixLength % 8;
    if (rest == 0)
        return true;
    const quint8 mask = quint8(0xFF << (8 - rest));
    return (bytes[whole] & mask) == (range.address[whole] & mask);
}

bool globMatch(const QVector<PatternAtom> &atoms, QStringView text)
{
    // Greedy matching that backtracks to the last `*` only: linear for
    // patterns with one star, O(pattern * text) at worst.
    qsizetype p = 0;
    qsizetype t = 0;
    qsizetype starP = -1;
    qsizetype starT = 0;
    while (t < text.size()) {
        if (p < atoms.size() && atoms.at(p).kind == PatternAtom::Kind::AnyString) {
            starP = p++;
            starT = t;
        } else if (p < atoms.size() && atomMatches(atoms.at(p), text.at(t))) {
            ++p;
            ++t;
        } else if (starP >= 0) {
            p = starP + 1;
            t = ++starT;
        } else {
            return false;
        }
    }
    while (p < atoms.size() && atoms.at(p).kind == PatternAtom::Kind::AnyString)
        ++p;
    return p == atoms.size();
}

ValueMatcher stringMatcher(const SigmaString &pattern, bool cased)
{
    ValueMatcher matcher;
    matcher.cased = cased;
    const SigmaString source = cased ? pattern : pattern.folded();
    QVector<PatternAtom> atoms = source.atoms();
    const bool leading = !atoms.isEmpty() && atoms.first().kind == PatternAtom::Kind::AnyString;
    const bool trailing = atoms.size() > 1 && atoms.last().kind == PatternAtom::Kind::AnyString;
    QVector<PatternAtom> middle = atoms.mid(leading ? 1 : 0, atoms.size() - leading - trailing);
    const bool middlePlain = std::all_of(middle.cbegin(), middle.cend(), [](const PatternAtom &a) {
        return a.kind == PatternAtom::Kind::Char;
    });
    if (!middlePlain) {
        matcher.op = ValueMatcher::Op::Glob;
        matcher.atoms = atoms;
        return matcher;
    }
    for (const PatternAtom &atom : middle)
        matcher.needle.append(atom.ch);
    if (leading && trailing)
        matcher.op = ValueMatcher::Op::Contains;
    else if (leading)
        matcher.op = ValueMatcher::Op::EndsWith;
    else if (trailing)
        matcher.op = ValueMatcher::Op::StartsWith;
    else
        matcher.op = ValueMatcher::Op::Equals;
    return matcher;
}

bool ValueMatcher::matchesItem(const FieldItem &item) const
{
    if (op == Op::Cidr)
        return cidrContains(cidr, item.addressBytes());
    const QString &text = cased ? item.text : item.folded();
    switch (op) {
    case Op::Equals:
        return text == needle;
    case Op::Contains:
        return text.contains(needle);
    case Op::StartsWith:
        return text.startsWith(needle);
    case Op::EndsWith:
        return text.endsWith(needle);
    case Op::Glob:
        return globMatch(atoms, text);
    case Op::Regex:
        return regex.match(item.text).hasMatch();
    case Op::Cidr:
        break;  // tested above, without folding the text
    case Op::Compare: {
        double value = item.number;
        bool ok = item.hasNumber;
        if (timePart != TimePart::None)
            ok = extractTimePart(timePart, item.text, &value);
        else if (!ok)
            value = item.text.trimmed().toDouble(&ok);
        if (!ok)
            return false;
        return compareNumbers(compare, value, number);
    }
    case Op::Exists:
    case Op::Null:
    case Op::FieldRef:
        break;
    }
    return false;
}

bool ValueMatcher::matches(const FieldValue &value) const
{
    if (op == Op::Exists)
        return (value.state != FieldValue::State::Absent) == exists;
    if (op == Op::Null)
        return value.state != FieldValue::State::Present;
    for (const FieldItem &item : value.items) {
        if (matchesItem(item))
            return true;
    }
    return false;
}

} // namespace portcullis::sigma
