// SPDX-License-Identifier: GPL-3.0-or-later
// Evaluation of compiled rules and the value lists they use.
#include "fraud/ruleexpression.h"

#include <QCoreApplication>

namespace portcullis::fraud {

namespace {

QString paymentTypeName(PaymentKind kind)
{
    switch (kind) {
    case PaymentKind::Charge: return QStringLiteral("charge");
    case PaymentKind::PaymentFailure: return QStringLiteral("payment_failure");
    case PaymentKind::SetupIntent: return QStringLiteral("setup_intent");
    case PaymentKind::Refund: return QStringLiteral("refund");
    case PaymentKind::Dispute: return QStringLiteral("dispute");
    case PaymentKind::EarlyFraudWarning: return QStringLiteral("early_fraud_warning");
    case PaymentKind::Payout: return QStringLiteral("payout");
    case PaymentKind::DestinationChange: return QStringLiteral("payout_destination_change");
    case PaymentKind::Other: break;
    }
    return QString();
}

// A text attribute of the payment; empty means missing. Returns the
// record's field itself, or `derived` set to the name of an enum value.
const QString &textValue(int attribute, const PaymentRecord &r, QString *derived)
{
    switch (TextAttribute(attribute)) {
    case TextAttribute::CardCountry: return r.cardCountry;
    case TextAttribute::IpCountry: return r.ipCountry;
    case TextAttribute::CardFingerprint: return r.cardFingerprint;
    case TextAttribute::Customer: return r.customerId;
    case TextAttribute::IpAddress: return r.ipAddress;
    case TextAttribute::Device: return r.deviceId;
    case TextAttribute::Email: return r.email;
    case TextAttribute::Merchant: return r.merchantId;
    case TextAttribute::CvcCheck: *derived = cardCheckName(r.cvcCheck); break;
    case TextAttribute::PostalCodeCheck: *derived = cardCheckName(r.postalCheck); break;
    case TextAttribute::PaymentType: *derived = paymentTypeName(r.kind); break;
    case TextAttribute::Reason: return r.reason;
    case TextAttribute::Count: break;
    }
    return *derived;
}

// The value of one side of a comparison; `missing` is set when it has none.
// `text` points into the payment record or the rule, or to `derivedText`,
// so that no string is copied (a copy costs two atomic reference count
// updates). It points into the object, which therefore cannot be copied.
struct Value
{
    Value() = default;
    Value(const Value &) = delete;
    Value &operator=(const Value &) = delete;

    bool missing = false;
    bool isText = false;
    double number = 0;
    const QString *text = &derivedText;
    QString derivedText;
};

void setValue(const Operand &operand, const RuleInput &input, Value &value)
{
    switch (operand.kind) {
    case Operand::NumberAttribute: {
        const float x = operand.attribute == RiskScoreAttribute
            ? input.riskScore
            : (*input.features)[size_t(operand.attribute)];
        value.missing = isMissing(x);
        value.number = x;
        break;
    }
    case Operand::TextAttr:
        value.isText = true;
        value.text = &textValue(operand.attribute, *input.record, &value.derivedText);
        value.missing = value.text->isEmpty();
        break;
    case Operand::Number:
        value.number = operand.number;
        break;
    case Operand::Text:
        value.isText = true;
        value.text = &operand.text;
        break;
    case Operand::Values:
    case Operand::List:
        break;
    }
}

bool equalText(const QString &a, const QString &b)
{
    return a.compare(b, Qt::CaseInsensitive) == 0;
}

bool isNumeric(const Operand &operand)
{
    return operand.kind == Operand::NumberAttribute || operand.kind == Operand::Number;
}

// Sets the number setValue() gives a numeric operand. Returns false when it
// is a missing attribute.
bool numberOf(const Operand &operand, const RuleInput &input, double *number)
{
    if (operand.kind == Operand::Number) {
        *number = operand.number;
        return true;
    }
    const float x = operand.attribute == RiskScoreAttribute
        ? input.riskScore
        : (*input.features)[size_t(operand.attribute)];
    *number = x;
    return !isMissing(x);
}

// Compares two numbers as compare() does for numeric operands.
bool compareNumbers(CompareOp op, double left, double right)
{
    switch (op) {
    case CompareOp::Equal: return left == right;
    case CompareOp::NotEqual: return left != right;
    case CompareOp::Less: return left < right;
    case CompareOp::Greater: return left > right;
    case CompareOp::LessEqual: return left <= right;
    case CompareOp::GreaterEqual: return left >= right;
    default: return false;
    }
}

} // namespace

QString ruleActionName(RuleAction action)
{
    switch (action) {
    case RuleAction::RequestThreeDSecure: return QStringLiteral("request_3ds");
    case RuleAction::Allow: return QStringLiteral("allow");
    case RuleAction::Block: return QStringLiteral("block");
    case RuleAction::Review: return QStringLiteral("review");
    }
    return QString();
}

void RuleSet::setList(const QString &name, const QStringList &values)
{
    auto set = std::make_shared<QSet<QString>>();
    for (const QString &value : values)
        set->insert(value.toLower());
    const QString key = name.toLower();
    m_lists.insert(key, set);
    const auto slot = m_listSlots.constFind(key);
    if (slot != m_listSlots.cend())
        m_slotLists[size_t(*slot)] = set;
}

void RuleSet::assignListSlots(RuleExpression *expression)
{
    std::vector<RuleExpression *> stack{expression};
    while (!stack.empty()) {
        RuleExpression *node = stack.back();
        stack.pop_back();
        if (node->a)
            stack.push_back(node->a.get());
        if (node->b)
            stack.push_back(node->b.get());
        if (node->right.kind != Operand::List)
            continue;
        const QString name = node->right.text.toLower();
        auto slot = m_listSlots.constFind(name);
        if (slot == m_listSlots.cend()) {
            slot = m_listSlots.insert(name, int(m_slotLists.size()));
            m_slotLists.push_back(m_lists.value(name));
        }
        node->right.listSlot = *slot;
    }
}

QStringList RuleSet::undefinedLists() const
{
    QStringList missing;
    std::vector<const RuleExpression *> stack;
    for (const Rule &rule : m_rules)
        stack.push_back(rule.expression.get());
    while (!stack.empty()) {
        const RuleExpression *node = stack.back();
        stack.pop_back();
        if (node->a)
            stack.push_back(node->a.get());
        if (node->b)
            stack.push_back(node->b.get());
        const QString name = node->right.text.toLower();
        if (node->right.kind == Operand::List && !m_lists.contains(name) && !missing.contains(name))
            missing.append(name);
    }
    return missing;
}

bool RuleSet::matches(const Rule &rule, const RuleInput &input) const
{
    // Recursion depth is bounded because the parser caps nesting.
    struct Evaluator
    {
        const RuleSet &set;
        const RuleInput &input;

        bool inSet(const Value &left, const Operand &right, bool includes) const
        {
            if (right.kind == Operand::Text)
                return left.text->contains(right.text, Qt::CaseInsensitive);
            if (right.kind == Operand::List) {
                const QSet<QString> *list = right.listSlot >= 0
                    ? set.m_slotLists[size_t(right.listSlot)].get()
                    : nullptr;
                if (!list)
                    return false;
                // Most keys are lower case already (card fingerprints, ids),
                // and isLower() saves them a copy.
                QString converted;
                const QString *key = left.text;
                if (!left.isText) {
                    converted = QString::number(left.number);
                    key = &converted;
                } else if (!left.text->isLower()) {
                    converted = left.text->toLower();
                    key = &converted;
                }
                if (!includes)
                    return list->contains(*key);
                for (const QString &item : *list) {
                    if (key->contains(item))
                        return true;
                }
                return false;
            }
            if (!left.isText) {
                for (double n : right.numbers) {
                    if (n == left.number)
                        return true;
                }
                return false;
            }
            for (const QString &item : right.values) {
                if (includes ? left.text->contains(item, Qt::CaseInsensitive)
                             : equalText(*left.text, item))
                    return true;
            }
            return false;
        }

        bool compare(const RuleExpression &node) const
        {
            // Two numbers need no Value, whose text member costs a string
            // per comparison. A missing attribute makes it false.
            if (node.op <= CompareOp::GreaterEqual && isNumeric(node.left)
                && isNumeric(node.right)) {
                double left = 0;
                double right = 0;
                return numberOf(node.left, input, &left) && numberOf(node.right, input, &right)
                    && compareNumbers(node.op, left, right);
            }
            Value left;
            setValue(node.left, input, left);
            if (left.missing)
                return false;
            if (node.op == CompareOp::In || node.op == CompareOp::Includes)
                return inSet(left, node.right, node.op == CompareOp::Includes);
            if (node.op == CompareOp::Like)
                return node.right.like.match(*left.text).hasMatch();
            Value right;
            setValue(node.right, input, right);
            if (right.missing)
                return false;
            switch (node.op) {
            case CompareOp::Equal:
                return left.isText ? equalText(*left.text, *right.text)
                                   : left.number == right.number;
            case CompareOp::NotEqual:
                return left.isText ? !equalText(*left.text, *right.text)
                                   : left.number != right.number;
            case CompareOp::Less: return left.number < right.number;
            case CompareOp::Greater: return left.number > right.number;
            case CompareOp::LessEqual: return left.number <= right.number;
            case CompareOp::GreaterEqual: return left.number >= right.number;
            default: return false;
            }
        }

        bool eval(const RuleExpression &node) const
        {
            switch (node.kind) {
            case RuleExpression::And: return eval(*node.a) && eval(*node.b);
            case RuleExpression::Or: return eval(*node.a) || eval(*node.b);
            case RuleExpression::Not: return !eval(*node.a);
            case RuleExpression::IsMissing: {
                Value value;
                setValue(node.left, input, value);
                return value.missing;
            }
            case RuleExpression::Truthy: {
                Value value;
                setValue(node.left, input, value);
                return !value.missing && value.number != 0;
            }
            case RuleExpression::Compare: return compare(node);
            }
            return false;
        }
    };
    return rule.expression && Evaluator{*this, input}.eval(*rule.expression);
}

} // namespace portcullis::fraud
