// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "fraud/featureset.h"
#include "fraud/payment.h"

#include <QHash>
#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>

#include <memory>
#include <vector>

namespace portcullis::fraud {

// Rule actions in the order they are evaluated: every matching
// request-3DS rule applies, then the first matching allow, block or review
// rule decides.
enum class RuleAction : quint8 { RequestThreeDSecure, Allow, Block, Review };
QString ruleActionName(RuleAction action);

// A syntax error: 1-based line and column, and the message.
struct RuleSyntaxError
{
    int line = 0;
    int column = 0;
    QString message;
    QString sourceLine;
    // "line 3, column 17: expected a value after '>'" followed by the source
    // line and a caret under the column.
    QString formatted() const;
};

// Input of a rule: the features, the payment's text fields and the score.
struct RuleInput
{
    const PaymentRecord *record = nullptr;
    const FeatureVector *features = nullptr;
    float riskScore = missingValue();  // 0..99, missing without a model
};

struct RuleExpression;

// One compiled rule, such as
// `block if :card_country: != :ip_country: and :amount_in_usd: > 200`.
struct Rule
{
    RuleAction action = RuleAction::Review;
    QString text;     // the rule as written
    int line = 0;     // 1-based line in its file
    std::shared_ptr<const RuleExpression> expression;
};

// An ordered list of rules and the value lists (@blocked_cards) they use.
// The language: ACTION if CONDITION. ACTION is request_3ds, allow, block or
// review. Conditions combine comparisons (= != < > <= >= IN INCLUDES LIKE)
// with AND, OR, NOT and parentheses; is_missing(:attr:) tests for a missing
// attribute. Keywords are case-insensitive. docs/fraud.md has the grammar.
class RuleSet
{
public:
    // Parses one rule per line; blank lines and lines starting with # are
    // skipped. Stops at the first syntax error.
    bool parse(const QString &text, RuleSyntaxError *error);
    // Parses and appends one rule; `lineNumber` is used in errors.
    bool addRule(const QString &text, int lineNumber, RuleSyntaxError *error);

    void setList(const QString &name, const QStringList &values);
    QStringList listNames() const { return m_lists.keys(); }
    // Lists that rules use but that were never set (they match nothing).
    QStringList undefinedLists() const;

    const std::vector<Rule> &rules() const { return m_rules; }
    // Indexes into rules() in the order of evaluation: by action, in
    // RuleAction's order, then as written.
    const std::vector<int> &evaluationOrder() const { return m_evaluationOrder; }
    bool isEmpty() const { return m_rules.empty(); }

    // Evaluates one rule.
    bool matches(const Rule &rule, const RuleInput &input) const;

private:
    // Gives every list operand of `expression` the slot of its list name.
    void assignListSlots(RuleExpression *expression);

    std::vector<Rule> m_rules;
    std::vector<int> m_evaluationOrder;
    QHash<QString, std::shared_ptr<QSet<QString>>> m_lists;
    // The lists that rules name, by Operand::listSlot. A list that was never
    // set is null. Copies of a RuleSet share the parsed expressions, and so
    // also copy these slots.
    QHash<QString, int> m_listSlots;
    std::vector<std::shared_ptr<QSet<QString>>> m_slotLists;
};

// Attribute names rules may use: every feature name plus the text
// attributes (card_country, ip_country, email, ...) and risk_score.
QStringList ruleAttributeNames();

} // namespace portcullis::fraud
