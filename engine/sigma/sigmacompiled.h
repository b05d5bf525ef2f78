// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The private state of a RuleSet: loaded rules and filters, and after
// compile() the per-source-class plans that match() runs.

#include "sigma/sigmadetection.h"
#include "sigma/sigmaprefilter.h"
#include "sigma/sigmarule.h"

#include <QHash>

#include <atomic>
#include <memory>
#include <mutex>
#include <vector>

namespace portcullis::sigma {

struct RuleEntry
{
    RuleInfo info;
    Detection detection;
    QVector<int> filters;  // indexes into CompiledRules::filters
};

// A Sigma filter document: its condition is appended to the target rules as
// `and not (filter)`.
struct FilterEntry
{
    QString id;
    QString title;
    LogSource logsource;
    QStringList ruleRefs;
    Detection detection;
    QString file;
    int line = 0;
    QVector<bool> acceptsClass;  // by source class index, filled by compile()
};

// The candidate rules and prefilter that match() uses for events of one source class.
struct ClassPlan
{
    QVector<int> unconditional;  // candidate rules without literal requirements
    QVector<quint64> unconditionalBits;  // the same rules, bit r % 64 of word r / 64
    quint64 unconditionalWords = 0;      // bit w % 64 set when word w has a rule
    int candidateCount = 0;
    std::unique_ptr<Prefilter> prefilter;
};

// The literals that the previous scan of one string found in one text field
// of one prefilter. The copy of the string keeps its data alive, so the data
// pointer identifies the text. Parsers share the strings of repeated URLs and
// user agents between events.
struct ScanMemo
{
    const Prefilter *prefilter = nullptr;
    int fieldIndex = -1;
    QString text;
    QVector<int> hits;  // literal ids
};

// Per-call scratch state. Contexts are kept in a pool, so match() allocates
// little in the steady state and two threads never share one.
struct MatchContext
{
    static constexpr int MemoSlots = 1024;  // a power of two


    hs_scratch *scratch = nullptr;
    const Event *event = nullptr;
    const Prefilter *prefilter = nullptr;  // of the event's source class
    quint32 stamp = 0;
    QVector<FieldValue> values;
    QVector<quint32> valueStamps;
    LiteralHits hits;  // literals found in the event
    // Rules to evaluate for this event, bit r % 64 of word r / 64, so they
    // are evaluated in ascending order without sorting.
    QVector<quint64> candidateBits;
    QByteArray scanBuffer;  // UTF-8 text handed to Hyperscan
    std::vector<ScanMemo> memos;  // MemoSlots entries, by string data and field

    ~MatchContext();
};

class CompiledRules
{
public:
    ~CompiledRules();

    QVector<RuleEntry> rules;
    QVector<FilterEntry> filters;
    QVector<CorrelationSource> correlations;
    FieldCatalog catalog;
    QHash<QString, QStringList> placeholders;
    QHash<QString, int> indexByKey;  // rule id and name -> index
    std::vector<ClassPlan> plans;    // by source class index, filled by compile()
    LiteralTable literals;           // the prefilter literals of all plans
    bool compiled = false;
    hs_scratch *prototypeScratch = nullptr;

    std::unique_ptr<MatchContext> acquireContext() const;
    void releaseContext(std::unique_ptr<MatchContext> context) const;
    // Drops pooled contexts, whose sizes and scratch fit the previous compile().
    void clearPool();

    // The value of field `id` in the context's event, read on first use.
    const FieldValue &value(MatchContext &context, int id) const;
    bool evaluate(const Detection &detection, MatchContext &context) const;
    bool ruleMatches(int rule, int sourceClass, MatchContext &context) const;

private:
    bool evaluateNode(const Detection &detection, const ConditionNode &node,
                      MatchContext &context) const;
    bool evaluateTest(const FieldTest &test, MatchContext &context) const;
    bool matcherMatches(const ValueMatcher &matcher, int field, MatchContext &context) const;
    bool fieldRefMatches(const ValueMatcher &matcher, const FieldValue &value,
                         MatchContext &context) const;

    // One context kept outside the pool and taken and returned without the
    // mutex, for the common case of one thread matching event after event.
    mutable std::atomic<MatchContext *> m_spare { nullptr };
    mutable std::mutex m_poolMutex;
    mutable std::vector<std::unique_ptr<MatchContext>> m_pool;
};

} // namespace portcullis::sigma
