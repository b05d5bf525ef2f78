// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The prefilter: for each rule, clauses of literals that must occur for the
// rule to match. Per event it finds the literals that occur in all fields
// at once (Hyperscan for substrings, hash tables for whole values and
// networks) and then checks the clauses of only the rules whose anchor
// literal occurred.

#include "sigma/sigmadetection.h"

#include <QByteArray>
#include <QHash>
#include <QVector>

struct hs_database;
struct hs_scratch;

namespace portcullis::sigma {

// The literals an event must contain for a condition to hold: every clause
// has at least one of its literals in its field. No clauses means
// unconstrained (a `not`, a regex, a number test).
struct Requirement
{
    struct Literal
    {
        enum class Kind : quint8 {
            Substring,  // `text` occurs in the lower-cased field
            Exact,      // the lower-cased field equals `text`
            Network,    // the field is an address in `network`
        };
        Kind kind = Kind::Substring;
        int field = -1;
        QString text;       // lower-cased; Substring and Exact
        CidrRange network;  // Network, with the bits after the prefix cleared
    };
    using Clause = QVector<Literal>;

    // Clauses kept per rule; more add little selectivity.
    static constexpr int MaxClauses = 4;

    QVector<Clause> clauses;
    bool constrained() const { return !clauses.isEmpty(); }
};

// The literals that `detection` requires. A selection map of several fields
// gives one clause, that of its most selective field, unless `everyClause`:
// then it gives a clause per field (up to MaxClauses). More clauses filter
// better, but each literal costs a report wherever it occurs in a scan.
Requirement requirementOf(const Detection &detection, bool everyClause);

// Writes the decimal digits of `number` (not negative) into `buffer`, the
// UTF-8 form of the field text that FieldCatalog::read() gives.
void writeDecimal(qint64 number, QByteArray *buffer);

// The literal that `matcher` on field `field` needs, if it has one:
// `*decides` is set when an occurrence of the literal also proves the
// matcher true. Only ASCII literals, whose lower-casing and UTF-8 form are
// the same in the event text and in the scanned bytes.
bool matcherLiteral(int field, const ValueMatcher &matcher, Requirement::Literal *literal,
                    bool *decides);

// Interned literals of one rule set. Ids are shared by the plans of all
// source classes, so a matcher can keep the id of its literal.
class LiteralTable
{
public:
    int intern(const Requirement::Literal &literal);
    // The id of `literal`, or -1 when no rule requires it.
    int find(const Requirement::Literal &literal) const;
    const Requirement::Literal &at(int id) const { return m_literals.at(id); }
    int size() const { return m_literals.size(); }
    void clear();

private:
    QVector<Requirement::Literal> m_literals;
    QHash<QByteArray, int> m_ids;  // keyOf(literal) -> id
};

// A rule's requirement as clauses of literal ids.
using ClauseIds = QVector<QVector<int>>;

// The literals found in one event: a bitset over literal ids and the list of
// set ids, which clears the bitset in time proportional to the hits.
struct LiteralHits
{
    QVector<quint64> bits;
    QVector<int> list;

    bool contains(int id) const { return (bits.at(id >> 6) >> (id & 63)) & 1; }
    void add(int id)
    {
        quint64 &word = bits[id >> 6];
        const quint64 bit = quint64(1) << (id & 63);
        if (!(word & bit)) {
            word |= bit;
            list.append(id);
        }
    }
    void clear()
    {
        for (const int id : std::as_const(list))
            bits[id >> 6] = 0;
        list.clear();
    }
};

// The prefilter of one set of rules (the rules of one source class).
class Prefilter
{
public:
    Prefilter() = default;
    ~Prefilter();
    Prefilter(const Prefilter &) = delete;
    Prefilter &operator=(const Prefilter &) = delete;

    // Compiles the literals of `rules` (rule index, clauses) into one
    // Hyperscan database and hash tables per field, and chooses each rule's
    // anchor clause. `forLineScreen` makes the database caseless and has it
    // also report where Exact values occur as substrings. Returns false with
    // `error` set when Hyperscan fails.
    bool build(const QVector<std::pair<int, ClauseIds>> &rules, const LiteralTable &literals,
               bool forLineScreen, QString *error);

    // The tables searched in one text field, and in one address field.
    struct FieldPlan
    {
        int field = -1;
        hs_database *database = nullptr;  // database(), or null when the field has no substrings
        QHash<QByteArray, int> exact;     // lower-cased UTF-8 value -> Exact literal id
    };
    // The 16 bytes of an address (an IPv4 address in the first 4), bits
    // after a prefix cleared.
    struct AddressKey
    {
        quint64 high = 0;
        quint64 low = 0;
        friend bool operator==(const AddressKey &a, const AddressKey &b)
        {
            return a.high == b.high && a.low == b.low;
        }
        friend size_t qHash(const AddressKey &key, size_t seed = 0)
        {
            return qHashMulti(seed, key.high, key.low);
        }
    };
    struct NetworkGroup
    {
        bool ipv6 = false;
        int prefixLength = 0;
        QHash<AddressKey, int> ids;  // network address -> Network literal id
        AddressKey mask;             // the prefix bits set, in address byte order
    };
    struct NetworkPlan
    {
        int field = -1;
        QVector<NetworkGroup> groups;
    };
    const QVector<FieldPlan> &textFields() const { return m_textFields; }
    const QVector<NetworkPlan> &networkFields() const { return m_networkFields; }

    // Adds to `hits` the Substring and Exact literals of field plan
    // `fieldIndex` found in the lower-cased UTF-8 text `folded`.
    void scanText(int fieldIndex, const QByteArray &folded, hs_scratch *scratch,
                  LiteralHits *hits) const;
    // Adds to `hits` the Network literals of network plan `fieldIndex` that
    // contain the address (4 or 16 network-order bytes).
    void scanAddress(int fieldIndex, QByteArrayView address, LiteralHits *hits) const;
    // Sets bit r % 64 of word r / 64 of `candidates` for every rule r whose
    // clauses all have a literal in `hits`. Also sets bit (r / 64) % 64 of
    // `wordsSet`, the words that the caller visits when there are at most 64.
    void markCandidates(const LiteralHits &hits, QVector<quint64> *candidates,
                        quint64 *wordsSet) const;
    // Whether every event of this plan is searched for literal `id`, so that
    // its absence from the hits is known.
    bool searches(int id) const
    {
        return id >= 0 && id < m_searched.size() * 64
               && ((m_searched.at(id >> 6) >> (id & 63)) & 1);
    }
    // Grows `scratch` (or allocates it when null) to fit every database.
    bool allocScratch(hs_scratch **scratch) const;
    // Returns the database of the Substring literals of every text field (and
    // of the Exact ones when built for LineScreen), or null when there are
    // none. It reports literal ids. literalField() gives a Substring's field.
    hs_database *database() const { return m_database; }
    int literalField(int id) const
    {
        return id >= 0 && id < m_literalFields.size() ? m_literalFields.at(id) : -1;
    }

private:
    struct Span
    {
        int begin = 0;
        int end = 0;
    };
    // A rule reached through its anchor literal, and its other clauses.
    struct AnchoredRule
    {
        int rule = 0;
        Span clauses;  // into m_clauses
    };

    hs_database *m_database = nullptr;
    QVector<int> m_literalFields;   // by literal id: its field when in m_database, else -1
    QVector<FieldPlan> m_textFields;
    QVector<NetworkPlan> m_networkFields;
    QVector<quint64> m_searched;    // literal ids in any table, as a bitset
    QVector<int> m_anchorBegin;     // by literal id: first entry in m_anchored; size + 1 entries
    QVector<AnchoredRule> m_anchored;
    QVector<Span> m_clauses;        // into m_clauseLiterals
    QVector<int> m_clauseLiterals;  // literal ids
};

} // namespace portcullis::sigma
