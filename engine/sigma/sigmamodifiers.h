// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Value modifiers (`field|contains|all`) and the builder that turns one YAML
// value into matchers.

#include "sigma/sigmadetection.h"

namespace portcullis::sigma {

struct Modifiers
{
    enum class Encoding : quint8 { None, Utf16Le, Utf16Be, Utf16Bom };
    enum class Base64 : quint8 { None, Plain, Offset };

    bool contains = false;
    bool startsWith = false;
    bool endsWith = false;
    bool all = false;
    bool exists = false;
    bool cased = false;
    bool neq = false;
    bool windash = false;
    bool regex = false;
    bool regexIgnoreCase = false;
    bool regexMultiline = false;
    bool regexDotAll = false;
    Encoding encoding = Encoding::None;
    Base64 base64 = Base64::None;
    bool compare = false;
    ValueMatcher::Compare compareOp = ValueMatcher::Compare::Eq;
    TimePart timePart = TimePart::None;
    bool cidr = false;
    bool expand = false;
    bool fieldref = false;
};

// Parses the modifier names after the field name; throws RuleError on an
// unknown name or a combination that has no meaning.
Modifiers parseModifiers(const QStringList &names, const YAML::Mark &mark);

// Builds the matchers of one value under one set of modifiers.
struct ValueBuilder
{
    FieldCatalog *catalog;
    const QHash<QString, QStringList> *placeholders;
    QStringList *missingPlaceholders;  // names without values, collected per rule
    Modifiers modifiers;
    bool keywords;

    // The alternatives for `value` (one, or several for base64offset or a
    // placeholder that expands to a list).
    QVector<ValueMatcher> build(const YAML::Node &value) const;

private:
    ValueMatcher special(const YAML::Node &value) const;
    QStringList expanded(const QString &raw) const;
    QVector<ValueMatcher> stringMatchers(const QString &raw, const YAML::Mark &mark) const;
    ValueMatcher patternMatcher(SigmaString pattern) const;
};

} // namespace portcullis::sigma
