// SPDX-License-Identifier: GPL-3.0-or-later
#include "sigma/sigmaprefilter.h"

#include <hs/hs.h>

#include <algorithm>
#include <cstring>
#include <limits>
#include <map>

namespace portcullis::sigma {

namespace {

using Literal = Requirement::Literal;

bool isPrecise(const Literal &literal)
{
    return literal.kind != Literal::Kind::Substring;
}

// Whether every literal of the clause tests a whole value or a network.
bool isPrecise(const Requirement::Clause &clause)
{
    return std::all_of(clause.cbegin(), clause.cend(),
                       [](const Literal &literal) { return isPrecise(literal); });
}

int shortestLiteral(const Requirement::Clause &clause)
{
    int shortest = std::numeric_limits<int>::max();
    for (const Literal &literal : clause) {
        if (literal.kind == Literal::Kind::Substring)
            shortest = qMin(shortest, int(literal.text.size()));
    }
    return shortest;
}

// Orders clauses from most to least selective: whole values and networks
// first, then longest shortest substring, then fewer literals.
bool moreSelective(const Requirement::Clause &a, const Requirement::Clause &b)
{
    const bool preciseA = isPrecise(a);
    const bool preciseB = isPrecise(b);
    if (preciseA != preciseB)
        return preciseA;
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

bool isAscii(const QString &text)
{
    return std::all_of(text.cbegin(), text.cend(), [](QChar c) { return c.unicode() < 0x80; });
}

// The longest run of plain characters of a glob pattern.
QString longestRun(const QVector<PatternAtom> &atoms)
{
    QString literal;
    QString current;
    for (const PatternAtom &atom : atoms) {
        if (atom.kind == PatternAtom::Kind::Char) {
            current.append(atom.ch);
            continue;
        }
        if (current.size() > literal.size())
            literal = current;
        current.clear();
    }
    return current.size() > literal.size() ? current : literal;
}

// `range` with the address bits after the prefix cleared, so that equal
// networks compare equal.
CidrRange networkOf(const CidrRange &range)
{
    CidrRange network = range;
    const int bytes = range.ipv6 ? 16 : 4;
    for (int i = 0; i < 16; ++i) {
        const int bitsKept = qBound(0, range.prefixLength - i * 8, 8);
        if (i >= bytes)
            network.address[i] = 0;
        else
            network.address[i] &= quint8(0xFF00 >> bitsKept);
    }
    return network;
}

Requirement matcherRequirement(int field, const ValueMatcher &matcher)
{
    Requirement requirement;
    Literal literal;
    bool decides = false;
    if (matcherLiteral(field, matcher, &literal, &decides))
        requirement.clauses.append({ literal });
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

Requirement selectionRequirement(const Selection &selection, bool everyClause)
{
    QVector<Requirement> alternatives;
    for (const QVector<FieldTest> &tests : selection.alternatives) {
        QVector<Requirement> parts;
        for (const FieldTest &test : tests)
            parts.append(testRequirement(test));
        alternatives.append(allOf(parts));
    }
    if (everyClause && alternatives.size() == 1)
        return alternatives.first();
    return anyOf(alternatives);
}

Requirement nodeRequirement(const Detection &detection, const ConditionNode &node,
                            bool everyClause)
{
    QVector<Requirement> parts;
    switch (node.kind) {
    case ConditionNode::Kind::Selection:
        return selectionRequirement(detection.selections.at(node.selection), everyClause);
    case ConditionNode::Kind::Not:
        return Requirement();
    case ConditionNode::Kind::And:
    case ConditionNode::Kind::Or:
        for (const ConditionNode &child : node.children)
            parts.append(nodeRequirement(detection, child, everyClause));
        break;
    }
    return node.kind == ConditionNode::Kind::And ? allOf(parts) : anyOf(parts);
}

QByteArray keyOf(const Literal &literal)
{
    QByteArray key;
    key.append(char(literal.kind));
    key.append(reinterpret_cast<const char *>(&literal.field), sizeof literal.field);
    if (literal.kind == Literal::Kind::Network) {
        key.append(char(literal.network.ipv6));
        key.append(char(literal.network.prefixLength));
        key.append(reinterpret_cast<const char *>(literal.network.address.data()),
                   qsizetype(literal.network.address.size()));
    } else {
        key.append(literal.text.toUtf8());
    }
    return key;
}

Prefilter::AddressKey addressKey(const quint8 *bytes, int size, int prefixLength)
{
    std::array<quint8, 16> masked {};
    for (int i = 0; i < size; ++i) {
        const int bitsKept = qBound(0, prefixLength - i * 8, 8);
        masked[i] = bytes[i] & quint8(0xFF00 >> bitsKept);
    }
    Prefilter::AddressKey key;
    std::memcpy(&key.high, masked.data(), 8);
    std::memcpy(&key.low, masked.data() + 8, 8);
    return key;
}

std::array<quint8, 16> allOnes()
{
    std::array<quint8, 16> ones;
    ones.fill(0xFF);
    return ones;
}

// The target of one scan of one field's text. The database contains the
// literals of every field, so a literal counts only in its own field.
struct FieldScan
{
    LiteralHits *hits;
    const int *literalFields;
    int field;
};

int onMatch(unsigned int id, unsigned long long, unsigned long long, unsigned int, void *context)
{
    const auto *scan = static_cast<const FieldScan *>(context);
    if (scan->literalFields[id] == scan->field)
        scan->hits->add(int(id));
    return 0;
}

} // namespace

bool matcherLiteral(int field, const ValueMatcher &matcher, Requirement::Literal *literal,
                    bool *decides)
{
    *decides = false;
    QString text;
    Literal::Kind kind = Literal::Kind::Substring;
    switch (matcher.op) {
    case ValueMatcher::Op::Equals:
        kind = Literal::Kind::Exact;
        text = matcher.needle;
        break;
    case ValueMatcher::Op::Contains:
    case ValueMatcher::Op::StartsWith:
    case ValueMatcher::Op::EndsWith:
        text = matcher.needle;
        break;
    case ValueMatcher::Op::Glob:
        text = longestRun(matcher.atoms);
        break;
    case ValueMatcher::Op::Cidr:
        *literal = Literal { Literal::Kind::Network, field, QString(), networkOf(matcher.cidr) };
        *decides = true;
        return true;
    default:
        return false;
    }
    if (text.isEmpty())
        return false;
    *literal = Literal { kind, field, foldCase(text), CidrRange() };
    // Without case folding and for ASCII text, an occurrence of the literal
    // in the scanned bytes is an occurrence of the needle in the folded text.
    const bool whole = matcher.op == ValueMatcher::Op::Equals
                       || matcher.op == ValueMatcher::Op::Contains;
    *decides = whole && !matcher.cased && literal->text == matcher.needle
               && isAscii(literal->text);
    return true;
}

// Writes the decimal digits of `number` (not negative) into `buffer`, the
// UTF-8 form of the field text that FieldCatalog::read() gives.
void writeDecimal(qint64 number, QByteArray *buffer)
{
    char digits[20];
    int start = sizeof digits;
    do {
        digits[--start] = char('0' + number % 10);
        number /= 10;
    } while (number > 0);
    buffer->resize(qsizetype(sizeof digits) - start);
    std::memcpy(buffer->data(), digits + start, sizeof digits - size_t(start));
}

Requirement requirementOf(const Detection &detection, bool everyClause)
{
    return nodeRequirement(detection, detection.condition, everyClause);
}

int LiteralTable::intern(const Requirement::Literal &literal)
{
    const QByteArray key = keyOf(literal);
    const auto it = m_ids.constFind(key);
    if (it != m_ids.constEnd())
        return it.value();
    m_literals.append(literal);
    m_ids.insert(key, m_literals.size() - 1);
    return m_literals.size() - 1;
}

int LiteralTable::find(const Requirement::Literal &literal) const
{
    return m_ids.value(keyOf(literal), -1);
}

void LiteralTable::clear()
{
    m_literals.clear();
    m_ids.clear();
}

Prefilter::~Prefilter()
{
    hs_free_database(m_database);
}

bool Prefilter::build(const QVector<std::pair<int, ClauseIds>> &rules,
                      const LiteralTable &literals, bool forLineScreen, QString *error)
{
    // How many rules require each literal: a literal that many rules share
    // makes a poor anchor, because every occurrence checks all of them.
    QVector<int> sharing(literals.size(), 0);
    for (const auto &[rule, clauses] : rules) {
        QVector<int> seen;
        for (const QVector<int> &clause : clauses) {
            for (const int id : clause) {
                if (!seen.contains(id)) {
                    seen.append(id);
                    ++sharing[id];
                }
            }
        }
    }

    // The anchor of a rule is the clause whose literals the fewest rules
    // share, ties broken by moreSelective.
    QVector<QVector<AnchoredRule>> anchoredBy(literals.size());
    for (const auto &[rule, clauses] : rules) {
        int anchor = 0;
        qint64 anchorShare = std::numeric_limits<qint64>::max();
        Requirement::Clause anchorClause;
        for (int c = 0; c < clauses.size(); ++c) {
            qint64 share = 0;
            Requirement::Clause clause;
            for (const int id : clauses.at(c)) {
                share += sharing.at(id);
                clause.append(literals.at(id));
            }
            if (share < anchorShare
                || (share == anchorShare && moreSelective(clause, anchorClause))) {
                anchor = c;
                anchorShare = share;
                anchorClause = clause;
            }
        }
        AnchoredRule entry { rule, Span { int(m_clauses.size()), 0 } };
        for (int c = 0; c < clauses.size(); ++c) {
            if (c == anchor)
                continue;
            const int begin = m_clauseLiterals.size();
            m_clauseLiterals += clauses.at(c);
            m_clauses.append(Span { begin, int(m_clauseLiterals.size()) });
        }
        entry.clauses.end = m_clauses.size();
        for (const int id : clauses.at(anchor))
            anchoredBy[id].append(entry);
    }
    m_anchorBegin.resize(literals.size() + 1);
    m_anchored.clear();
    for (int id = 0; id < literals.size(); ++id) {
        m_anchorBegin[id] = m_anchored.size();
        m_anchored += anchoredBy.at(id);
    }
    m_anchorBegin[literals.size()] = m_anchored.size();

    // field -> literal ids, by kind
    std::map<int, std::map<QByteArray, int>> substrings;
    std::map<int, QHash<QByteArray, int>> exacts;
    std::map<int, QVector<int>> networks;
    m_searched.fill(0, (literals.size() + 63) / 64);
    for (int id = 0; id < literals.size(); ++id) {
        if (sharing.at(id) == 0)
            continue;
        m_searched[id >> 6] |= quint64(1) << (id & 63);
        const Literal &literal = literals.at(id);
        switch (literal.kind) {
        case Literal::Kind::Substring:
            substrings[literal.field].emplace(literal.text.toUtf8(), id);
            break;
        case Literal::Kind::Exact:
            exacts[literal.field].insert(literal.text.toUtf8(), id);
            substrings[literal.field];  // the field is scanned even without substrings
            break;
        case Literal::Kind::Network:
            networks[literal.field].append(id);
            break;
        }
    }

    // One database for the substrings of all fields. For LineScreen it is
    // caseless, so that it also finds them in raw ASCII bytes. The texts
    // scanned here are lower-cased already, so caseless finds what an exact
    // search would. Other classes stay case-sensitive: for 1,000 generated
    // sshd rules a caseless database took 324 M instructions to compile
    // against 147 M (callgrind).
    std::vector<const char *> expressions;
    std::vector<size_t> lengths;
    std::vector<unsigned> ids;
    m_literalFields.fill(-1, literals.size());
    for (const auto &[field, byText] : substrings) {
        for (const auto &[text, id] : byText) {
            expressions.push_back(text.constData());
            lengths.push_back(size_t(text.size()));
            ids.push_back(unsigned(id));
            m_literalFields[id] = field;
        }
    }
    // Exact values as substrings, for LineScreen only: their field stays -1,
    // so scanText() ignores them and looks them up in the field's table.
    std::vector<QByteArray> exactTexts;
    if (forLineScreen) {
        for (const auto &[field, byText] : exacts) {
            for (auto it = byText.cbegin(); it != byText.cend(); ++it) {
                exactTexts.push_back(it.key());
                ids.push_back(unsigned(it.value()));
            }
        }
        for (const QByteArray &text : exactTexts) {
            expressions.push_back(text.constData());
            lengths.push_back(size_t(text.size()));
        }
    }
    if (!expressions.empty()) {
        // No HS_FLAG_SINGLEMATCH: LiteralHits::add ignores repeats, and
        // Hyperscan's tracking of reported ids cost more than the repeats.
        const std::vector<unsigned> flags(expressions.size(),
                                          forLineScreen ? HS_FLAG_CASELESS : 0u);
        hs_compile_error_t *compileError = nullptr;
        if (hs_compile_lit_multi(expressions.data(), flags.data(), ids.data(), lengths.data(),
                                 unsigned(expressions.size()), HS_MODE_BLOCK, nullptr,
                                 &m_database, &compileError) != HS_SUCCESS) {
            *error = QString::fromUtf8(compileError ? compileError->message : "unknown error");
            hs_free_compile_error(compileError);
            return false;
        }
    }
    for (const auto &[field, byText] : substrings) {
        FieldPlan plan;
        plan.field = field;
        plan.exact = exacts[field];
        plan.database = byText.empty() ? nullptr : m_database;
        m_textFields.append(plan);
    }

    for (const auto &[field, ids] : networks) {
        NetworkPlan plan;
        plan.field = field;
        for (const int id : ids) {
            const CidrRange &range = literals.at(id).network;
            auto group = std::find_if(plan.groups.begin(), plan.groups.end(),
                                      [&](const NetworkGroup &g) {
                                          return g.ipv6 == range.ipv6
                                                 && g.prefixLength == range.prefixLength;
                                      });
            if (group == plan.groups.end()) {
                const std::array<quint8, 16> ones = allOnes();
                plan.groups.append(NetworkGroup {
                    range.ipv6, range.prefixLength, {},
                    addressKey(ones.data(), range.ipv6 ? 16 : 4, range.prefixLength) });
                group = plan.groups.end() - 1;
            }
            group->ids.insert(addressKey(range.address.data(), range.ipv6 ? 16 : 4,
                                         range.prefixLength),
                              id);
        }
        m_networkFields.append(plan);
    }
    return true;
}

void Prefilter::scanText(int fieldIndex, const QByteArray &folded, hs_scratch *scratch,
                         LiteralHits *hits) const
{
    const FieldPlan &plan = m_textFields.at(fieldIndex);
    if (plan.database) {
        FieldScan scan { hits, m_literalFields.constData(), plan.field };
        hs_scan(plan.database, folded.constData(), unsigned(folded.size()), 0, scratch, onMatch,
                &scan);
    }
    if (!plan.exact.isEmpty()) {
        const auto it = plan.exact.constFind(folded);
        if (it != plan.exact.constEnd())
            hits->add(it.value());
    }
}

void Prefilter::scanAddress(int fieldIndex, QByteArrayView address, LiteralHits *hits) const
{
    const bool ipv6 = address.size() == 16;
    if (!ipv6 && address.size() != 4)
        return;
    // The address as a key with all 16 bytes, an IPv4 address zero-filled
    // after its 4, so that each group masks it with two ANDs.
    std::array<quint8, 16> padded {};
    std::memcpy(padded.data(), address.data(), size_t(address.size()));
    AddressKey whole;
    std::memcpy(&whole.high, padded.data(), 8);
    std::memcpy(&whole.low, padded.data() + 8, 8);
    for (const NetworkGroup &group : m_networkFields.at(fieldIndex).groups) {
        if (group.ipv6 != ipv6)
            continue;
        const AddressKey key { whole.high & group.mask.high, whole.low & group.mask.low };
        const auto it = group.ids.constFind(key);
        if (it != group.ids.constEnd())
            hits->add(it.value());
    }
}

void Prefilter::markCandidates(const LiteralHits &hits, QVector<quint64> *candidates,
                               quint64 *wordsSet) const
{
    quint64 *words = candidates->data();
    for (const int id : hits.list) {
        if (id + 1 >= m_anchorBegin.size())
            continue;
        for (int a = m_anchorBegin.at(id); a < m_anchorBegin.at(id + 1); ++a) {
            const AnchoredRule &entry = m_anchored.at(a);
            quint64 &word = words[entry.rule >> 6];
            const quint64 bit = quint64(1) << (entry.rule & 63);
            if (word & bit)
                continue;
            bool all = true;
            for (int c = entry.clauses.begin; all && c < entry.clauses.end; ++c) {
                const Span &clause = m_clauses.at(c);
                all = std::any_of(m_clauseLiterals.cbegin() + clause.begin,
                                  m_clauseLiterals.cbegin() + clause.end,
                                  [&](int literal) { return hits.contains(literal); });
            }
            if (all) {
                word |= bit;
                *wordsSet |= quint64(1) << ((entry.rule >> 6) & 63);
            }
        }
    }
}

bool Prefilter::allocScratch(hs_scratch **scratch) const
{
    return !m_database || hs_alloc_scratch(m_database, scratch) == HS_SUCCESS;
}

} // namespace portcullis::sigma
