// SPDX-License-Identifier: GPL-3.0-or-later
// Lexer and recursive-descent parser of the Radar-style rule language.
#include "fraud/ruleexpression.h"

#include <QCoreApplication>

#include <algorithm>

namespace portcullis::fraud {

namespace {

constexpr int MaxRuleLength = 4096;
constexpr int MaxNesting = 64;

QString tr(const char *text)
{
    return QCoreApplication::translate("portcullis::fraud::RuleSet", text);
}

const char *const TextAttributeNames[int(TextAttribute::Count)] = {"card_country", "ip_country",
    "card_fingerprint", "customer", "ip_address", "device", "email", "merchant", "cvc_check",
    "address_postal_code_check", "payment_type", "reason"};

struct Token
{
    enum Kind { End, Word, Attribute, Number, String, ListName, LeftParen, RightParen, Comma,
        Operator } kind = End;
    QString text;
    double number = 0;
    int column = 0;  // 1-based
};

// Splits a rule into tokens; on an error sets *error and returns false.
class Lexer
{
public:
    Lexer(const QString &text, int columnOffset) : m_text(text), m_offset(columnOffset) {}

    bool tokenize(std::vector<Token> *tokens, QString *error, int *errorColumn)
    {
        while (true) {
            while (m_pos < m_text.size() && m_text.at(m_pos).isSpace())
                ++m_pos;
            Token token;
            token.column = m_offset + int(m_pos) + 1;
            if (m_pos >= m_text.size()) {
                tokens->push_back(token);
                return true;
            }
            if (!next(&token, error)) {
                *errorColumn = token.column;
                return false;
            }
            tokens->push_back(token);
        }
    }

private:
    bool isWordChar(QChar c) const { return c.isLetterOrNumber() || c == u'_'; }

    bool next(Token *token, QString *error)
    {
        const QChar c = m_text.at(m_pos);
        if (c == u'(' || c == u')' || c == u',') {
            if (c == u'(')
                token->kind = Token::LeftParen;
            else if (c == u')')
                token->kind = Token::RightParen;
            else
                token->kind = Token::Comma;
            token->text = c;
            ++m_pos;
            return true;
        }
        if (c == u'=' || c == u'!' || c == u'<' || c == u'>')
            return readOperator(token, error);
        if (c == u':')
            return readDelimited(token, Token::Attribute, u':', error);
        if (c == u'\'' || c == u'"')
            return readDelimited(token, Token::String, c, error);
        if (c == u'@') {
            ++m_pos;
            const qsizetype start = m_pos;
            while (m_pos < m_text.size() && isWordChar(m_text.at(m_pos)))
                ++m_pos;
            if (m_pos == start) {
                *error = tr("expected a list name after '@'");
                return false;
            }
            token->kind = Token::ListName;
            token->text = m_text.mid(start, m_pos - start);
            return true;
        }
        if (c.isDigit() || c == u'-' || c == u'.')
            return readNumber(token, error);
        if (isWordChar(c)) {
            const qsizetype start = m_pos;
            while (m_pos < m_text.size() && isWordChar(m_text.at(m_pos)))
                ++m_pos;
            token->kind = Token::Word;
            token->text = m_text.mid(start, m_pos - start).toLower();
            return true;
        }
        *error = tr("unexpected character '%1'").arg(c);
        return false;
    }

    bool readOperator(Token *token, QString *error)
    {
        const QStringView rest = QStringView(m_text).mid(m_pos);
        for (const char *op : {"!=", "<=", ">=", "=", "<", ">"}) {
            if (rest.startsWith(QLatin1String(op))) {
                token->kind = Token::Operator;
                token->text = QLatin1String(op);
                m_pos += qsizetype(strlen(op));
                return true;
            }
        }
        *error = tr("unexpected character '!'; use != for not equal");
        return false;
    }

    bool readDelimited(Token *token, Token::Kind kind, QChar quote, QString *error)
    {
        const qsizetype start = ++m_pos;
        while (m_pos < m_text.size() && m_text.at(m_pos) != quote)
            ++m_pos;
        if (m_pos >= m_text.size()) {
            *error = kind == Token::Attribute ? tr("attribute name is not closed with ':'")
                                              : tr("text is not closed with %1").arg(quote);
            return false;
        }
        token->kind = kind;
        token->text = m_text.mid(start, m_pos - start);
        ++m_pos;
        return true;
    }

    bool readNumber(Token *token, QString *error)
    {
        const qsizetype start = m_pos;
        if (m_text.at(m_pos) == u'-')
            ++m_pos;
        while (m_pos < m_text.size() && (m_text.at(m_pos).isDigit() || m_text.at(m_pos) == u'.'))
            ++m_pos;
        bool ok = false;
        token->number = m_text.mid(start, m_pos - start).toDouble(&ok);
        if (!ok || (m_pos < m_text.size() && isWordChar(m_text.at(m_pos)))) {
            *error = tr("invalid number '%1'").arg(m_text.mid(start, m_pos - start + 1));
            return false;
        }
        token->kind = Token::Number;
        token->text = m_text.mid(start, m_pos - start);
        return true;
    }

    const QString &m_text;
    int m_offset;
    qsizetype m_pos = 0;
};

QRegularExpression likePattern(const QString &pattern)
{
    QString regex = QStringLiteral("\\A");
    for (QChar c : pattern) {
        if (c == u'%')
            regex += QLatin1String(".*");
        else if (c == u'_')
            regex += QLatin1Char('.');
        else
            regex += QRegularExpression::escape(QString(c));
    }
    regex += QLatin1String("\\z");
    return QRegularExpression(regex, QRegularExpression::CaseInsensitiveOption
            | QRegularExpression::DotMatchesEverythingOption);
}

class Parser
{
public:
    explicit Parser(std::vector<Token> tokens) : m_tokens(std::move(tokens)) {}

    std::unique_ptr<RuleExpression> parseRule(QString *error, int *column)
    {
        auto expression = parseOr(0);
        if (expression && peek().kind != Token::End)
            fail(tr("unexpected '%1'; expected AND, OR or the end of the rule").arg(peek().text));
        if (!m_error.isEmpty()) {
            *error = m_error;
            *column = m_errorColumn;
            return nullptr;
        }
        return expression;
    }

private:
    const Token &peek() const { return m_tokens[m_pos]; }
    const Token &take() { return m_tokens[qMin(m_pos++, m_tokens.size() - 1)]; }
    bool peekWord(const char *word) const
    {
        return peek().kind == Token::Word && peek().text == QLatin1String(word);
    }

    std::nullptr_t fail(const QString &message, int column = 0)
    {
        if (m_error.isEmpty()) {
            m_error = message;
            m_errorColumn = column > 0 ? column : peek().column;
        }
        return nullptr;
    }

    QString describe(const Token &token) const
    {
        return token.kind == Token::End ? tr("the end of the rule") : QLatin1Char('\'') + token.text + QLatin1Char('\'');
    }

    std::unique_ptr<RuleExpression> join(RuleExpression::Kind kind,
        std::unique_ptr<RuleExpression> a, std::unique_ptr<RuleExpression> b)
    {
        auto node = std::make_unique<RuleExpression>();
        node->kind = kind;
        node->a = std::move(a);
        node->b = std::move(b);
        return node;
    }

    std::unique_ptr<RuleExpression> parseOr(int depth)
    {
        auto left = parseAnd(depth);
        while (left && peekWord("or")) {
            take();
            auto right = parseAnd(depth);
            if (!right)
                return nullptr;
            left = join(RuleExpression::Or, std::move(left), std::move(right));
        }
        return left;
    }

    std::unique_ptr<RuleExpression> parseAnd(int depth)
    {
        auto left = parseNot(depth);
        while (left && peekWord("and")) {
            take();
            auto right = parseNot(depth);
            if (!right)
                return nullptr;
            left = join(RuleExpression::And, std::move(left), std::move(right));
        }
        return left;
    }

    std::unique_ptr<RuleExpression> parseNot(int depth)
    {
        if (depth > MaxNesting)
            return fail(tr("rule is nested deeper than %1 levels").arg(MaxNesting));
        if (peekWord("not")) {
            take();
            auto operand = parseNot(depth + 1);
            return operand ? join(RuleExpression::Not, std::move(operand), nullptr) : nullptr;
        }
        return parsePrimary(depth);
    }

    std::unique_ptr<RuleExpression> parsePrimary(int depth)
    {
        if (peek().kind == Token::LeftParen) {
            take();
            auto inner = parseOr(depth + 1);
            if (!inner)
                return nullptr;
            if (peek().kind != Token::RightParen)
                return fail(tr("expected ')' but found %1").arg(describe(peek())));
            take();
            return inner;
        }
        if (peekWord("is_missing"))
            return parseIsMissing();
        return parseComparison();
    }

    std::unique_ptr<RuleExpression> parseIsMissing()
    {
        take();
        if (take().kind != Token::LeftParen)
            return fail(tr("expected '(' after is_missing"), m_tokens[m_pos - 1].column);
        auto node = std::make_unique<RuleExpression>();
        node->kind = RuleExpression::IsMissing;
        if (!parseAttribute(&node->left))
            return nullptr;
        if (take().kind != Token::RightParen)
            return fail(tr("expected ')' after the attribute"), m_tokens[m_pos - 1].column);
        return node;
    }

    bool parseAttribute(Operand *operand)
    {
        const Token &token = peek();
        if (token.kind != Token::Attribute) {
            fail(tr("expected an attribute such as :amount_in_usd: but found %1").arg(describe(token)));
            return false;
        }
        const QString name = token.text.trimmed().toLower();
        const int feature = featureIndex(name);
        if (feature >= 0) {
            operand->kind = Operand::NumberAttribute;
            operand->attribute = feature;
        } else if (name == QLatin1String("risk_score")) {
            operand->kind = Operand::NumberAttribute;
            operand->attribute = RiskScoreAttribute;
        } else {
            int text = -1;
            for (int i = 0; i < int(TextAttribute::Count); ++i)
                text = name == QLatin1String(TextAttributeNames[i]) ? i : text;
            if (text < 0) {
                fail(tr("unknown attribute ':%1:'; `portcullis-cli fraud rules check --attributes` "
                        "lists them").arg(name));
                return false;
            }
            operand->kind = Operand::TextAttr;
            operand->attribute = text;
        }
        take();
        return true;
    }

    bool parseValue(Operand *operand)
    {
        const Token &token = peek();
        if (token.kind == Token::Attribute)
            return parseAttribute(operand);
        if (token.kind == Token::Number) {
            operand->kind = Operand::Number;
            operand->number = token.number;
        } else if (token.kind == Token::String) {
            operand->kind = Operand::Text;
            operand->text = token.text;
        } else {
            fail(tr("expected a value (number, 'text' or :attribute:) but found %1").arg(describe(token)));
            return false;
        }
        take();
        return true;
    }

    bool parseSet(Operand *operand)
    {
        if (peek().kind == Token::ListName) {
            operand->kind = Operand::List;
            operand->text = take().text;
            return true;
        }
        if (peek().kind != Token::LeftParen) {
            fail(tr("expected @list or ('value', ...) but found %1").arg(describe(peek())));
            return false;
        }
        take();
        operand->kind = Operand::Values;
        bool allNumbers = true;
        while (true) {
            const Token &value = peek();
            if (value.kind != Token::String && value.kind != Token::Number) {
                fail(tr("expected a number or 'text' in the list but found %1").arg(describe(value)));
                return false;
            }
            operand->values.append(value.text);
            operand->numbers.push_back(value.number);
            allNumbers = allNumbers && value.kind == Token::Number;
            take();
            if (peek().kind == Token::RightParen)
                break;
            if (peek().kind != Token::Comma) {
                fail(tr("expected ',' or ')' but found %1").arg(describe(peek())));
                return false;
            }
            take();
        }
        take();
        if (!allNumbers)
            operand->numbers.clear();
        return true;
    }

    std::unique_ptr<RuleExpression> parseComparison()
    {
        auto node = std::make_unique<RuleExpression>();
        const int leftColumn = peek().column;
        if (!parseValue(&node->left))
            return nullptr;
        const Token op = peek();
        const bool setOp = op.kind == Token::Word
            && (op.text == QLatin1String("in") || op.text == QLatin1String("includes"));
        const bool likeOp = op.kind == Token::Word && op.text == QLatin1String("like");
        if (op.kind != Token::Operator && !setOp && !likeOp) {
            // A lone numeric attribute is a predicate: true when non-zero.
            if (node->left.kind == Operand::NumberAttribute) {
                node->kind = RuleExpression::Truthy;
                return node;
            }
            return fail(tr("expected an operator (= != < > <= >= IN INCLUDES LIKE) but found %1")
                            .arg(describe(op)));
        }
        take();
        if (!node->left.isAttribute())
            return fail(tr("the left side of %1 must be an :attribute:").arg(op.text.toUpper()), leftColumn);
        const int rightColumn = peek().column;
        if (setOp) {
            node->op = op.text == QLatin1String("in") ? CompareOp::In : CompareOp::Includes;
            if (node->op == CompareOp::Includes && peek().kind == Token::String) {
                node->right.kind = Operand::Text;
                node->right.text = take().text;
            } else if (!parseSet(&node->right)) {
                return nullptr;
            }
        } else {
            node->op = opFromText(op.text, likeOp);
            if (!parseValue(&node->right))
                return nullptr;
        }
        if (!checkTypes(*node, op, rightColumn))
            return nullptr;
        if (node->op == CompareOp::Like)
            node->right.like = likePattern(node->right.text);
        return node;
    }

    static CompareOp opFromText(const QString &text, bool like)
    {
        if (like)
            return CompareOp::Like;
        if (text == QLatin1String("="))
            return CompareOp::Equal;
        if (text == QLatin1String("!="))
            return CompareOp::NotEqual;
        if (text == QLatin1String("<"))
            return CompareOp::Less;
        if (text == QLatin1String(">"))
            return CompareOp::Greater;
        return text == QLatin1String("<=") ? CompareOp::LessEqual : CompareOp::GreaterEqual;
    }

    bool checkTypes(const RuleExpression &node, const Token &op, int rightColumn)
    {
        const Operand &l = node.left, &r = node.right;
        const QString name = op.text.toUpper();
        switch (node.op) {
        case CompareOp::Equal:
        case CompareOp::NotEqual:
            if (l.isText() != r.isText()) {
                fail(tr("%1 compares a number with text; compare like with like").arg(name), rightColumn);
                return false;
            }
            return true;
        case CompareOp::Less:
        case CompareOp::Greater:
        case CompareOp::LessEqual:
        case CompareOp::GreaterEqual:
            if (l.isText() || r.isText()) {
                fail(tr("%1 needs numbers on both sides").arg(name), rightColumn);
                return false;
            }
            return true;
        case CompareOp::In:
            if (!l.isText() && r.kind == Operand::Values && r.numbers.empty()) {
                fail(tr("IN with a numeric attribute needs a list of numbers"), rightColumn);
                return false;
            }
            return true;
        case CompareOp::Includes:
        case CompareOp::Like:
            if (!l.isText() || (node.op == CompareOp::Like && r.kind != Operand::Text)) {
                fail(tr("%1 needs a text attribute and 'text'").arg(name), rightColumn);
                return false;
            }
            return true;
        }
        return true;
    }

    std::vector<Token> m_tokens;
    size_t m_pos = 0;
    QString m_error;
    int m_errorColumn = 0;
};

struct ActionWord
{
    const char *text;
    RuleAction action;
};

const ActionWord ActionWords[] = {{"request_3ds", RuleAction::RequestThreeDSecure},
    {"request 3d secure", RuleAction::RequestThreeDSecure},
    {"request 3ds", RuleAction::RequestThreeDSecure}, {"allow", RuleAction::Allow},
    {"block", RuleAction::Block}, {"review", RuleAction::Review}};

} // namespace

QString RuleSyntaxError::formatted() const
{
    return tr("line %1, column %2: %3\n  %4\n  %5^")
        .arg(line).arg(column).arg(message, sourceLine, QString(qMax(0, column - 1), u' '));
}

QStringList ruleAttributeNames()
{
    QStringList names;
    for (int i = 0; i < FeatureCount; ++i)
        names.append(featureName(i));
    names.append(QStringLiteral("risk_score"));
    for (const char *name : TextAttributeNames)
        names.append(QLatin1String(name));
    return names;
}

QString textAttributeName(int index)
{
    return QLatin1String(TextAttributeNames[index]);
}

bool RuleSet::addRule(const QString &text, int lineNumber, RuleSyntaxError *error)
{
    const auto failAt = [&](int column, const QString &message) {
        *error = {lineNumber, column, message, text};
        return false;
    };
    if (text.size() > MaxRuleLength)
        return failAt(MaxRuleLength, tr("rule is longer than %1 characters").arg(MaxRuleLength));

    // ACTION if CONDITION; the action may be several words.
    qsizetype begin = 0;
    while (begin < text.size() && text.at(begin).isSpace())
        ++begin;
    Rule rule;
    qsizetype afterAction = -1;
    for (const ActionWord &word : ActionWords) {
        const QLatin1String prefix(word.text);
        const QStringView rest = QStringView(text).mid(begin);
        if (rest.startsWith(prefix, Qt::CaseInsensitive)
            && (rest.size() == prefix.size() || rest.at(prefix.size()).isSpace())) {
            rule.action = word.action;
            afterAction = begin + prefix.size();
            break;
        }
    }
    if (afterAction < 0)
        return failAt(int(begin) + 1, tr("expected an action: request_3ds, allow, block or review"));
    qsizetype ifPos = afterAction;
    while (ifPos < text.size() && text.at(ifPos).isSpace())
        ++ifPos;
    const QStringView ifWord = QStringView(text).mid(ifPos, 2);
    if (ifWord.compare(QLatin1String("if"), Qt::CaseInsensitive) != 0
        || (ifPos + 2 < text.size() && !text.at(ifPos + 2).isSpace()))
        return failAt(int(ifPos) + 1, tr("expected 'if' after the action"));

    const qsizetype conditionStart = ifPos + 2;
    const QString condition = text.mid(conditionStart);
    std::vector<Token> tokens;
    QString message;
    int column = 0;
    if (!Lexer(condition, int(conditionStart)).tokenize(&tokens, &message, &column))
        return failAt(column, message);
    if (tokens.size() == 1)
        return failAt(int(text.size()) + 1, tr("expected a condition after 'if'"));
    auto expression = Parser(std::move(tokens)).parseRule(&message, &column);
    if (!expression)
        return failAt(column, message);
    assignListSlots(expression.get());
    rule.text = text.trimmed();
    rule.line = lineNumber;
    rule.expression = std::move(expression);
    m_rules.push_back(std::move(rule));
    const RuleAction action = m_rules.back().action;
    const auto at = std::upper_bound(m_evaluationOrder.begin(), m_evaluationOrder.end(), action,
        [this](RuleAction value, int index) { return value < m_rules[size_t(index)].action; });
    m_evaluationOrder.insert(at, int(m_rules.size()) - 1);
    return true;
}

bool RuleSet::parse(const QString &text, RuleSyntaxError *error)
{
    const QStringList lines = text.split(QLatin1Char('\n'));
    for (int i = 0; i < lines.size(); ++i) {
        QString line = lines.at(i);
        if (line.endsWith(QLatin1Char('\r')))
            line.chop(1);
        const QString trimmed = line.trimmed();
        if (trimmed.isEmpty() || trimmed.startsWith(QLatin1Char('#')))
            continue;
        if (!addRule(line, i + 1, error))
            return false;
    }
    return true;
}

} // namespace portcullis::fraud
