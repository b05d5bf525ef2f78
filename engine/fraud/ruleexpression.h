// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "fraud/rules.h"

#include <QRegularExpression>

#include <memory>

namespace portcullis::fraud {

// Attributes that are text rather than numbers.
enum class TextAttribute : int {
    CardCountry,
    IpCountry,
    CardFingerprint,
    Customer,
    IpAddress,
    Device,
    Email,
    Merchant,
    CvcCheck,
    PostalCodeCheck,
    PaymentType,
    Reason,
    Count
};

// Numeric attribute index for the score, after the features.
inline constexpr int RiskScoreAttribute = FeatureCount;

enum class CompareOp : quint8 { Equal, NotEqual, Less, Greater, LessEqual, GreaterEqual, In,
    Includes, Like };

// One side of a comparison.
struct Operand
{
    enum Kind : quint8 { NumberAttribute, TextAttr, Number, Text, Values, List } kind = Number;
    int attribute = 0;     // feature index, RiskScoreAttribute, or TextAttribute
    double number = 0;
    QString text;          // text literal, or list name for List
    // For List: the index of the list in its RuleSet, so that evaluation
    // needs no look-up by name. Set by RuleSet::addRule().
    int listSlot = -1;
    QStringList values;    // ('a', 'b', 3) literal, as written
    std::vector<double> numbers;  // the same values as numbers, when all are numbers
    QRegularExpression like;      // compiled LIKE pattern

    bool isText() const { return kind == TextAttr || kind == Text; }
    bool isAttribute() const { return kind == NumberAttribute || kind == TextAttr; }
};

struct RuleExpression
{
    enum Kind : quint8 { And, Or, Not, Compare, IsMissing, Truthy } kind = Compare;
    CompareOp op = CompareOp::Equal;
    Operand left, right;
    std::unique_ptr<RuleExpression> a, b;
};

} // namespace portcullis::fraud
