// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The literal prefilter: for each rule, clauses of literals that must occur
// for the rule to match, found for all rules at once with one Hyperscan
// database per field.

#include "sigma/sigmadetection.h"

#include <QByteArray>
#include <QVector>

struct hs_database;
struct hs_scratch;

namespace portcullis::sigma {

// The literals an event must contain for a condition to hold: every clause
// has at least one of its literals in its field (lower-cased). No clauses
// means unconstrained (a `not`, a regex, a number test).
struct Requirement
{
    struct Literal
    {
        int field = -1;
        QString text;  // lower-cased
    };
    using Clause = QVector<Literal>;

    // Clauses kept per rule; more add little selectivity.
    static constexpr int MaxClauses = 4;

    QVector<Clause> clauses;
    bool constrained() const { return !clauses.isEmpty(); }
};

Requirement requirementOf(const Detection &detection);

// A literal hit: clause `clause` of rule `rule` is satisfied.
struct ClauseRef
{
    int rule = 0;
    int clause = 0;
};

// The Hyperscan databases of one set of rules (the rules of one source class).
class Prefilter
{
public:
    Prefilter() = default;
    ~Prefilter();
    Prefilter(const Prefilter &) = delete;
    Prefilter &operator=(const Prefilter &) = delete;

    // Compiles the literals of `requirements` (rule index, requirement) into
    // one database per field. Returns false with `error` set when Hyperscan fails.
    bool build(const QVector<std::pair<int, Requirement>> &requirements, QString *error);
    // The fields that have a database.
    const QVector<int> &fields() const { return m_fieldIds; }
    // Scans the lower-cased UTF-8 text of field `fieldIndex` (an index into
    // fields()) and calls `hit(context, ClauseRef)` for every clause with a
    // literal in it.
    using HitFunction = void (*)(void *context, const ClauseRef &ref);
    void scan(int fieldIndex, const QByteArray &folded, hs_scratch *scratch, HitFunction hit,
              void *context) const;
    // Grows `scratch` (or allocates it when null) to fit every database.
    bool allocScratch(hs_scratch **scratch) const;

private:
    struct FieldDatabase
    {
        hs_database *database = nullptr;
        QVector<QVector<ClauseRef>> clausesOfLiteral;
    };
    QVector<FieldDatabase> m_databases;  // parallel to m_fieldIds
    QVector<int> m_fieldIds;
};

} // namespace portcullis::sigma
