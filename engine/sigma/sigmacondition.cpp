// SPDX-License-Identifier: GPL-3.0-or-later
// The condition grammar, weakest binding first:
//   expr    := and ('or' and)*
//   and     := not ('and' not)*
//   not     := 'not' not | primary
//   primary := '(' expr ')' | ('1' | 'any' | 'all') 'of' (pattern | 'them') | identifier
#include "sigma/sigmadetection.h"

#include <QCoreApplication>

namespace portcullis::sigma {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("portcullis::sigma::Condition", text);
}

QStringList tokenize(const QString &text, const YAML::Mark &mark)
{
    QStringList tokens;
    qsizetype i = 0;
    while (i < text.size()) {
        const QChar c = text.at(i);
        if (c.isSpace()) {
            ++i;
        } else if (c == QLatin1Char('(') || c == QLatin1Char(')')) {
            tokens.append(QString(c));
            ++i;
        } else if (c == QLatin1Char('|')) {
            throwUnsupported(mark, QStringLiteral("aggregation in condition"),
                             tr("The condition '%1' uses a v1 aggregation after '|'; write a "
                                "correlation rule instead.").arg(text));
        } else {
            const qsizetype start = i;
            while (i < text.size() && !text.at(i).isSpace() && text.at(i) != QLatin1Char('(')
                   && text.at(i) != QLatin1Char(')') && text.at(i) != QLatin1Char('|'))
                ++i;
            tokens.append(text.mid(start, i - start));
        }
    }
    return tokens;
}

class ConditionParser
{
public:
    ConditionParser(const QString &text, const QStringList &names, const YAML::Mark &mark)
        : m_text(text)
        , m_tokens(tokenize(text, mark))
        , m_names(names)
        , m_mark(mark)
    {
    }

    ConditionNode parse()
    {
        if (m_tokens.isEmpty())
            throwError(m_mark, tr("The condition is empty; name the search identifiers to "
                                  "combine."));
        ConditionNode node = parseOr();
        if (m_position < m_tokens.size())
            fail(tr("unexpected '%1'").arg(m_tokens.at(m_position)));
        return node;
    }

private:
    [[noreturn]] void fail(const QString &what) const
    {
        throwError(m_mark, tr("Invalid condition '%1': %2.").arg(m_text, what));
    }

    bool accept(const char *keyword)
    {
        if (m_position < m_tokens.size()
            && m_tokens.at(m_position).compare(QLatin1String(keyword), Qt::CaseInsensitive) == 0) {
            ++m_position;
            return true;
        }
        return false;
    }

    bool peekKeyword(const char *keyword, int ahead = 0) const
    {
        const int at = m_position + ahead;
        return at < m_tokens.size()
               && m_tokens.at(at).compare(QLatin1String(keyword), Qt::CaseInsensitive) == 0;
    }

    static ConditionNode combine(ConditionNode::Kind kind, QVector<ConditionNode> children)
    {
        if (children.size() == 1)
            return children.first();
        ConditionNode node;
        node.kind = kind;
        node.children = std::move(children);
        return node;
    }

    ConditionNode parseOr()
    {
        // Each '(' and 'not' recurses; the limit keeps hostile rules from
        // exhausting the stack.
        if (++m_depth > MaxDepth)
            fail(tr("it nests more than %1 levels of parentheses and 'not'").arg(MaxDepth));
        QVector<ConditionNode> children { parseAnd() };
        while (accept("or"))
            children.append(parseAnd());
        --m_depth;
        return combine(ConditionNode::Kind::Or, std::move(children));
    }

    ConditionNode parseAnd()
    {
        QVector<ConditionNode> children { parseNot() };
        while (accept("and"))
            children.append(parseNot());
        return combine(ConditionNode::Kind::And, std::move(children));
    }

    ConditionNode parseNot()
    {
        if (!accept("not"))
            return parsePrimary();
        if (++m_depth > MaxDepth)
            fail(tr("it nests more than %1 levels of parentheses and 'not'").arg(MaxDepth));
        ConditionNode node;
        node.kind = ConditionNode::Kind::Not;
        node.children.append(parseNot());
        --m_depth;
        return node;
    }

    ConditionNode parsePrimary()
    {
        if (m_position >= m_tokens.size())
            fail(tr("it ends where an identifier or '(' is expected"));
        if (accept("(")) {
            ConditionNode node = parseOr();
            if (!accept(")"))
                fail(tr("a ')' is missing"));
            return node;
        }
        if ((peekKeyword("1") || peekKeyword("any") || peekKeyword("all")) && peekKeyword("of", 1))
            return parseQuantifier();
        const QString token = m_tokens.at(m_position++);
        if (token == QLatin1String(")") || isKeyword(token))
            fail(tr("unexpected '%1'").arg(token));
        const int index = m_names.indexOf(token);
        if (index < 0)
            fail(tr("'%1' is not a search identifier of this rule").arg(token));
        ConditionNode node;
        node.selection = index;
        return node;
    }

    ConditionNode parseQuantifier()
    {
        const bool all = peekKeyword("all");
        m_position += 2;
        if (m_position >= m_tokens.size())
            fail(tr("'of' needs a pattern or 'them'"));
        const QString pattern = m_tokens.at(m_position++);
        QVector<ConditionNode> children;
        const bool them = pattern.compare(QLatin1String("them"), Qt::CaseInsensitive) == 0;
        const QVector<PatternAtom> glob = SigmaString::parse(pattern).atoms();
        for (int i = 0; i < m_names.size(); ++i) {
            const QString &name = m_names.at(i);
            const bool matches = them ? !name.startsWith(QLatin1Char('_')) : globMatch(glob, name);
            if (!matches)
                continue;
            ConditionNode node;
            node.selection = i;
            children.append(node);
        }
        if (children.isEmpty())
            fail(tr("no search identifier matches '%1'").arg(pattern));
        const ConditionNode::Kind kind = all ? ConditionNode::Kind::And : ConditionNode::Kind::Or;
        return combine(kind, std::move(children));
    }

    static bool isKeyword(const QString &token)
    {
        for (const char *keyword : { "and", "or", "not", "of" }) {
            if (token.compare(QLatin1String(keyword), Qt::CaseInsensitive) == 0)
                return true;
        }
        return false;
    }

    QString m_text;
    QStringList m_tokens;
    QStringList m_names;
    YAML::Mark m_mark;
    int m_position = 0;
    int m_depth = 0;
    static constexpr int MaxDepth = 64;
};

} // namespace

ConditionNode parseCondition(const QString &text, const QStringList &names, const YAML::Mark &mark)
{
    return ConditionParser(text, names, mark).parse();
}

} // namespace portcullis::sigma
