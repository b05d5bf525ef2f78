// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The parsed form of a rule's detection section: search identifiers made of
// field tests, and the condition over them.

#include "sigma/sigmarule.h"
#include "sigma/sigmavalue.h"

#include <yaml-cpp/mark.h>

#include <QHash>
#include <QString>
#include <QStringList>
#include <QVector>

namespace YAML {
class Node;
}

namespace portcullis::sigma {

// Thrown while parsing one rule; the loader turns it into a LoadIssue.
struct RuleError
{
    LoadIssue::Kind kind = LoadIssue::Kind::Error;
    QString feature;  // for Unsupported
    QString message;
    YAML::Mark mark = YAML::Mark::null_mark();
};

[[noreturn]] void throwError(const YAML::Mark &mark, const QString &message);
[[noreturn]] void throwUnsupported(const YAML::Mark &mark, const QString &feature,
                                   const QString &message);

// One `field|modifiers: values` item. The values are groups of alternatives
// (base64offset gives three per value): OR over groups, or AND with |all.
struct FieldTest
{
    int field = -1;
    QVector<QVector<ValueMatcher>> groups;
    bool all = false;
    bool negate = false;  // neq: the field differs from the values
};

// A search identifier: an OR of maps, each an AND of field tests.
struct Selection
{
    QString name;
    QVector<QVector<FieldTest>> alternatives;
};

struct ConditionNode
{
    enum class Kind : quint8 { And, Or, Not, Selection };
    Kind kind = Kind::Selection;
    int selection = -1;
    QVector<ConditionNode> children;
};

struct Detection
{
    QVector<Selection> selections;
    ConditionNode condition;
};

// Parses detection sections with the field ids of one catalog.
class DetectionParser
{
public:
    DetectionParser(FieldCatalog *catalog, const QHash<QString, QStringList> *placeholders);

    // Parses a `detection` map (or a filter's map) with its `condition`.
    // `ignoredKeys` lists other keys of the map that are not search identifiers.
    Detection parse(const YAML::Node &node, const QStringList &ignoredKeys = {}) const;
    // Returns and clears the warnings found while parsing (the rule still loads).
    QStringList takeWarnings() const;

private:
    Selection parseSelection(const QString &name, const YAML::Node &node) const;
    QVector<FieldTest> parseMap(const YAML::Node &node) const;
    FieldTest parseFieldTest(const QString &key, const YAML::Node &value,
                             const YAML::Mark &mark) const;
    FieldTest keywordTest(const YAML::Node &values) const;

    FieldCatalog *m_catalog;
    const QHash<QString, QStringList> *m_placeholders;
    mutable QStringList m_warnings;
    mutable QStringList m_missingPlaceholders;
};

// Parses a condition expression over the search identifiers `names`.
// Precedence from weakest: or, and, not, `1 of`/`all of`, parentheses.
ConditionNode parseCondition(const QString &text, const QStringList &names, const YAML::Mark &mark);

} // namespace portcullis::sigma
