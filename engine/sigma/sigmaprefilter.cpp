// SPDX-License-Identifier: GPL-3.0-or-later
#include "sigma/sigmaprefilter.h"

#include <hs/hs.h>

#include <QHash>

#include <limits>
#include <map>

namespace portcullis::sigma {

namespace {

int shortestLiteral(const Requirement::Clause &clause)
{
    int shortest = std::numeric_limits<int>::max();
    for (const Requirement::Literal &literal : clause)
        shortest = qMin(shortest, int(literal.text.size()));
    return shortest;
}

// Orders clauses from most to least selective: longest shortest literal,
// then fewer literals.
bool moreSelective(const Requirement::Clause &a, const Requirement::Clause &b)
{
    const int lengthA = shortestLiteral(a);
    const int lengthB = shortestLiteral(b);
    if (lengthA != lengthB)
        return lengthA > lengthB;
    return a.size() < b.size();
}

// All of `parts` must hold: their clauses together, the most selective kept.
Requirement allOf(const QVector<Requirement> &parts)
{
    Requirement result;
    for (const Requirement &part : parts)
        result.clauses += part.clauses;
    std::stable_sort(result.clauses.begin(), result.clauses.end(), moreSelective);
    if (result.clauses.size() > Requirement::MaxClauses)
        result.clauses.resize(Requirement::MaxClauses);
    return result;
}

// One of `parts` must hold, so one clause of each holds: their most selective
// clauses joined into one. Unconstrained when any part is.
Requirement anyOf(const QVector<Requirement> &parts)
{
    Requirement::Clause joined;
    for (const Requirement &part : parts) {
        if (!part.constrained())
            return Requirement();
        joined += part.clauses.first();
    }
    Requirement result;
    if (!joined.isEmpty())
        result.clauses.append(joined);
    return result;
}

Requirement matcherRequirement(int field, const ValueMatcher &matcher)
{
    QString literal;
    switch (matcher.op) {
    case ValueMatcher::Op::Equals:
    case ValueMatcher::Op::Contains:
    case ValueMatcher::Op::StartsWith:
    case ValueMatcher::Op::EndsWith:
        literal = matcher.needle;
        break;
    case ValueMatcher::Op::Glob: {
        QString current;
        for (const PatternAtom &atom : matcher.atoms) {
            if (atom.kind == PatternAtom::Kind::Char) {
                current.append(atom.ch);
                continue;
            }
            if (current.size() > literal.size())
                literal = current;
            current.clear();
        }
        if (current.size() > literal.size())
            literal = current;
        break;
    }
    default:
        break;
    }
    Requirement requirement;
    if (!literal.isEmpty())
        requirement.clauses.append({ Requirement::Literal { field, foldCase(literal) } });
    return requirement;
}

Requirement testRequirement(const FieldTest &test)
{
    if (test.negate)
        return Requirement();
    QVector<Requirement> groups;
    for (const QVector<ValueMatcher> &group : test.groups) {
        QVector<Requirement> alternatives;
        for (const ValueMatcher &matcher : group)
            alternatives.append(matcherRequirement(test.field, matcher));
        groups.append(anyOf(alternatives));
    }
    return test.all ? allOf(groups) : anyOf(groups);
}

Requirement selectionRequirement(const Selection &selection)
{
    QVector<Requirement> alternatives;
    for (const QVector<FieldTest> &tests : selection.alternatives) {
        QVector<Requirement> parts;
        for (const FieldTest &test : tests)
            parts.append(testRequirement(test));
        alternatives.append(allOf(parts));
    }
    return anyOf(alternatives);
}

Requirement nodeRequirement(const Detection &detection, const ConditionNode &node)
{
    QVector<Requirement> parts;
    switch (node.kind) {
    case ConditionNode::Kind::Selection:
        return selectionRequirement(detection.selections.at(node.selection));
    case ConditionNode::Kind::Not:
        return Requirement();
    case ConditionNode::Kind::And:
    case ConditionNode::Kind::Or:
        for (const ConditionNode &child : node.children)
            parts.append(nodeRequirement(detection, child));
        break;
    }
    return node.kind == ConditionNode::Kind::And ? allOf(parts) : anyOf(parts);
}

struct ScanTarget
{
    const QVector<QVector<ClauseRef>> *clausesOfLiteral;
    Prefilter::HitFunction hit;
    void *context;
};

int onMatch(unsigned int id, unsigned long long, unsigned long long, unsigned int, void *context)
{
    const auto *target = static_cast<const ScanTarget *>(context);
    for (const ClauseRef &ref : target->clausesOfLiteral->at(int(id)))
        target->hit(target->context, ref);
    return 0;
}

} // namespace

Requirement requirementOf(const Detection &detection)
{
    return nodeRequirement(detection, detection.condition);
}

Prefilter::~Prefilter()
{
    for (const FieldDatabase &database : std::as_const(m_databases))
        hs_free_database(database.database);
}

bool Prefilter::build(const QVector<std::pair<int, Requirement>> &requirements, QString *error)
{
    // field -> literal -> clauses
    std::map<int, std::map<QByteArray, QVector<ClauseRef>>> literals;
    for (const auto &[rule, requirement] : requirements) {
        for (int clause = 0; clause < requirement.clauses.size(); ++clause) {
            for (const Requirement::Literal &literal : requirement.clauses.at(clause)) {
                QVector<ClauseRef> &refs = literals[literal.field][literal.text.toUtf8()];
                if (refs.isEmpty() || refs.last().rule != rule || refs.last().clause != clause)
                    refs.append(ClauseRef { rule, clause });
            }
        }
    }
    for (const auto &[field, byText] : literals) {
        std::vector<const char *> expressions;
        std::vector<size_t> lengths;
        std::vector<unsigned> ids;
        std::vector<unsigned> flags;
        FieldDatabase database;
        for (const auto &[text, refs] : byText) {
            expressions.push_back(text.constData());
            lengths.push_back(size_t(text.size()));
            ids.push_back(unsigned(database.clausesOfLiteral.size()));
            flags.push_back(HS_FLAG_SINGLEMATCH);
            database.clausesOfLiteral.append(refs);
        }
        hs_compile_error_t *compileError = nullptr;
        if (hs_compile_lit_multi(expressions.data(), flags.data(), ids.data(), lengths.data(),
                                 unsigned(expressions.size()), HS_MODE_BLOCK, nullptr,
                                 &database.database, &compileError) != HS_SUCCESS) {
            *error = QString::fromUtf8(compileError ? compileError->message : "unknown error");
            hs_free_compile_error(compileError);
            return false;
        }
        m_databases.append(database);
        m_fieldIds.append(field);
    }
    return true;
}

void Prefilter::scan(int fieldIndex, const QByteArray &folded, hs_scratch *scratch,
                     HitFunction hit, void *context) const
{
    const FieldDatabase &database = m_databases.at(fieldIndex);
    ScanTarget target { &database.clausesOfLiteral, hit, context };
    hs_scan(database.database, folded.constData(), unsigned(folded.size()), 0, scratch, onMatch,
            &target);
}

bool Prefilter::allocScratch(hs_scratch **scratch) const
{
    for (const FieldDatabase &database : m_databases) {
        if (hs_alloc_scratch(database.database, scratch) != HS_SUCCESS)
            return false;
    }
    return true;
}

} // namespace portcullis::sigma
