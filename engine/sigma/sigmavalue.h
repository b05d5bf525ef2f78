// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Sigma string values (wildcards, escapes, encodings) and the matcher that
// tests one value against one field of an event.

#include "sigma/sigmafields.h"

#include <QRegularExpression>
#include <QString>
#include <QVector>

#include <array>

namespace portcullis::sigma {

// One element of a value pattern: a character, `?`, `*`, or (after the
// windash modifier) any of the five dash characters.
struct PatternAtom
{
    enum class Kind : quint8 { Char, AnyChar, AnyString, Dash };
    Kind kind = Kind::Char;
    QChar ch;
};

// A Sigma string after escape processing.
class SigmaString
{
public:
    // Parses `raw` with Sigma escapes: `\*`, `\?` and `\\` give the plain
    // character, and any other backslash stays a backslash.
    static SigmaString parse(const QString &raw);
    static SigmaString plain(const QString &text);

    bool hasWildcards() const;
    bool isEmpty() const { return m_atoms.isEmpty(); }
    // The text when the string has no wildcards.
    QString plainText() const;
    // The longest run of plain characters, the literal a match must contain.
    QString longestLiteral() const;
    const QVector<PatternAtom> &atoms() const { return m_atoms; }

    void prependAnyString();
    void appendAnyString();
    void applyWindash();
    SigmaString folded() const;

private:
    QVector<PatternAtom> m_atoms;
};

// The windash characters: hyphen-minus, slash, en dash, em dash, horizontal bar.
bool isWindashChar(QChar c);

// Encoding modifiers, applied to a plain value in this order.
QByteArray utf16Bytes(const QString &text, bool bigEndian, bool byteOrderMark);
QString base64Text(const QByteArray &bytes);
// The three shifted base64 forms of `bytes` with the edge characters that
// depend on surrounding bytes removed.
QStringList base64OffsetTexts(const QByteArray &bytes);

struct CidrRange
{
    bool ipv6 = false;
    std::array<quint8, 16> address {};
    int prefixLength = 0;
};

// Parses "10.0.0.0/8" or "2001:db8::/32"; a bare address gets the full length.
bool parseCidr(const QString &text, CidrRange *range);
// Whether the network-order address bytes (4 or 16, see
// FieldItem::addressBytes) lie in `range`.
bool cidrContains(const CidrRange &range, QByteArrayView address);
// Parses a dotted-quad IPv4 address or an IPv6 address as inet_pton does
// into `bytes`. Returns the byte count, 4 or 16, or 0 when `text` is neither.
int parseAddress(QStringView text, std::array<quint8, 16> *bytes);

enum class TimePart : quint8 { None, Minute, Hour, Day, Week, Month, Year };

// A test of one value against the items of a field.
struct ValueMatcher
{
    enum class Op : quint8 {
        Equals, Contains, StartsWith, EndsWith, Glob, Regex, Cidr, Compare, Exists, Null, FieldRef
    };
    enum class Compare : quint8 { Eq, Lt, Lte, Gt, Gte };

    Op op = Op::Equals;
    bool cased = false;
    QString needle;               // Equals..EndsWith, folded unless cased
    QVector<PatternAtom> atoms;   // Glob, folded unless cased
    QRegularExpression regex;
    CidrRange cidr;
    Compare compare = Compare::Eq;
    double number = 0;
    TimePart timePart = TimePart::None;
    bool exists = true;
    int otherField = -1;          // FieldRef
    // The prefilter literal this matcher needs (LiteralTable id, or -1), set
    // by RuleSet::compile(). When the prefilter searched the event for it,
    // its absence proves the matcher false, and with `literalDecides` its
    // presence proves it true.
    int literal = -1;
    bool literalDecides = false;

    // Whether the value matches field value `value`. FieldRef is handled by
    // the caller, which can read the other field.
    bool matches(const FieldValue &value) const;
    bool matchesItem(const FieldItem &item) const;
};

bool globMatch(const QVector<PatternAtom> &atoms, QStringView text);

// A matcher for `pattern`, using the fast plain-text ops when it has wildcards
// only at its ends.
ValueMatcher stringMatcher(const SigmaString &pattern, bool cased);

} // namespace portcullis::sigma
