// SPDX-License-Identifier: GPL-3.0-or-later
// RuleSet: compiling loaded rules into per-source-class plans, and matching.
// Loading lives in sigmadocuments.cpp.
#include "sigma/sigmacompiled.h"

#include "core/logging.h"
#include "sigma/sigmavalue.h"

#include <hs/hs.h>

#include <QCoreApplication>

#include <algorithm>
#include <atomic>
#include <cstring>

namespace portcullis::sigma {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("portcullis::sigma::RuleSet", text);
}

// A rough relative cost of evaluating a test: tests of short members (an
// address, a user name, a status) before searches in long text and before
// Event::extra lookups, regular expressions last.
int testCost(const FieldTest &test, const FieldCatalog &catalog)
{
    int cost = 1;
    switch (catalog.spec(test.field).member) {
    case Member::Keywords:
    case Member::Original:
    case Member::UrlOriginal:
    case Member::UserAgent:
    case Member::HttpReferrer:
    case Member::Reason:
        cost = 4;
        break;
    case Member::Extra:
        cost = 3;
        break;
    default:
        break;
    }
    for (const QVector<ValueMatcher> &group : test.groups) {
        for (const ValueMatcher &matcher : group) {
            if (matcher.op == ValueMatcher::Op::Regex)
                cost += 8;
        }
    }
    return cost;
}

// Sorts the tests of each AND and the children of each AND and OR by
// testCost, cheapest first, and returns the node's cost. Evaluation has no
// side effects, so the order changes only how soon it stops.
int orderByCost(Detection &detection, ConditionNode &node, const FieldCatalog &catalog)
{
    int cost = 0;
    if (node.kind == ConditionNode::Kind::Selection) {
        Selection &selection = detection.selections[node.selection];
        for (QVector<FieldTest> &tests : selection.alternatives) {
            std::stable_sort(tests.begin(), tests.end(),
                             [&](const FieldTest &a, const FieldTest &b) {
                                 return testCost(a, catalog) < testCost(b, catalog);
                             });
            for (const FieldTest &test : std::as_const(tests))
                cost += testCost(test, catalog);
        }
        return cost;
    }
    QVector<std::pair<int, ConditionNode>> children;
    for (ConditionNode &child : node.children) {
        const int childCost = orderByCost(detection, child, catalog);
        children.append({ childCost, std::move(child) });
        cost += childCost;
    }
    std::stable_sort(children.begin(), children.end(),
                     [](const auto &a, const auto &b) { return a.first < b.first; });
    for (int i = 0; i < children.size(); ++i)
        node.children[i] = std::move(children[i].second);
    return cost;
}

// Gives every matcher of `detection` the id of its prefilter literal, so
// that evaluation can use what the prefilter found.
void linkLiterals(Detection *detection, const LiteralTable &literals)
{
    for (Selection &selection : detection->selections) {
        for (QVector<FieldTest> &tests : selection.alternatives) {
            for (FieldTest &test : tests) {
                for (QVector<ValueMatcher> &group : test.groups) {
                    for (ValueMatcher &matcher : group) {
                        Requirement::Literal literal;
                        bool decides = false;
                        const bool has = matcherLiteral(test.field, matcher, &literal, &decides);
                        matcher.literal = has ? literals.find(literal) : -1;
                        matcher.literalDecides = matcher.literal >= 0 && decides;
                    }
                }
            }
        }
    }
}

// The Event member of a field whose strings parsers share between events
// (see ScanMemo), or null for other fields.
const QString *repeatedMember(const Event &event, Member member)
{
    switch (member) {
    case Member::UrlOriginal:
        return &event.urlOriginal;
    case Member::UserAgent:
        return &event.userAgent;
    case Member::HttpReferrer:
        return &event.httpReferrer;
    case Member::UserName:
        return &event.userName;
    default:
        return nullptr;
    }
}

// Adds to the context's hits what `scan` adds, reusing the result of the
// previous scan of the same string for the same memo field. The ids a scan
// adds to the list are all the ids it found. Literal ids include the field
// and the kind, so no other scan of an event adds the same ids. The memo
// keeps a copy of `text`, so while its entry exists no other text can take
// the same data pointer.
template<typename Scan>
void scanRepeated(const Prefilter &prefilter, int memoField, const QString &text,
                  MatchContext &context, Scan scan)
{
    const quint64 key = quint64(quintptr(text.constData())) ^ (quint64(memoField) << 48);
    const int slot = int((key * 0x9E3779B97F4A7C15ull) >> 54) & (MatchContext::MemoSlots - 1);
    ScanMemo &memo = context.memos[slot];
    if (memo.prefilter == &prefilter && memo.fieldIndex == memoField
        && memo.text.constData() == text.constData() && memo.text.size() == text.size()) {
        for (const int id : std::as_const(memo.hits))
            context.hits.add(id);
        return;
    }
    const qsizetype before = context.hits.list.size();
    scan();
    memo.prefilter = &prefilter;
    memo.fieldIndex = memoField;
    memo.text = text;
    memo.hits.clear();
    for (qsizetype i = before; i < context.hits.list.size(); ++i)
        memo.hits.append(context.hits.list.at(i));
}

// Adds to the context's hits the literals of text field plan `fieldIndex`
// in `text`, reusing the result of the previous scan of the same string.
void scanRepeatedText(const Prefilter &prefilter, int fieldIndex, const QString &text,
                      MatchContext &context)
{
    scanRepeated(prefilter, fieldIndex, text, context, [&] {
        foldUtf8(text, &context.scanBuffer);
        prefilter.scanText(fieldIndex, context.scanBuffer, context.scratch, &context.hits);
    });
}

// Adds to the hits the Network literals of network plan `fieldIndex` that
// contain the address `text`.
void scanAddressText(const Prefilter &prefilter, int fieldIndex, QStringView text,
                     MatchContext &context)
{
    // Parsed here without a FieldValue; evaluation parses it again only for
    // a `cidr` test that the prefilter did not decide.
    std::array<quint8, 16> address {};
    const int size = text.isEmpty() ? 0 : parseAddress(text, &address);
    if (size > 0)
        prefilter.scanAddress(fieldIndex, QByteArrayView(address.data(), size), &context.hits);
}

} // namespace

MatchContext::~MatchContext()
{
    hs_free_scratch(scratch);
}

CompiledRules::~CompiledRules()
{
    delete m_spare.exchange(nullptr);
    hs_free_scratch(prototypeScratch);
}

std::unique_ptr<MatchContext> CompiledRules::acquireContext() const
{
    if (MatchContext *spare = m_spare.exchange(nullptr, std::memory_order_acquire))
        return std::unique_ptr<MatchContext>(spare);
    {
        const std::lock_guard<std::mutex> lock(m_poolMutex);
        if (!m_pool.empty()) {
            std::unique_ptr<MatchContext> context = std::move(m_pool.back());
            m_pool.pop_back();
            return context;
        }
    }
    auto context = std::make_unique<MatchContext>();
    if (prototypeScratch && hs_clone_scratch(prototypeScratch, &context->scratch) != HS_SUCCESS)
        qCCritical(lcDetect) << "Sigma: cannot allocate Hyperscan scratch space";
    context->values.resize(catalog.size());
    context->valueStamps.fill(0, catalog.size());
    context->hits.bits.fill(0, (literals.size() + 63) / 64);
    context->memos.resize(MatchContext::MemoSlots);
    return context;
}

void CompiledRules::releaseContext(std::unique_ptr<MatchContext> context) const
{
    context->event = nullptr;
    MatchContext *empty = nullptr;
    if (m_spare.compare_exchange_strong(empty, context.get(), std::memory_order_release)) {
        context.release();
        return;
    }
    const std::lock_guard<std::mutex> lock(m_poolMutex);
    m_pool.push_back(std::move(context));
}

void CompiledRules::clearPool()
{
    delete m_spare.exchange(nullptr);
    const std::lock_guard<std::mutex> lock(m_poolMutex);
    m_pool.clear();
}

const FieldValue &CompiledRules::value(MatchContext &context, int id) const
{
    FieldValue &value = context.values[id];
    if (context.valueStamps.at(id) != context.stamp) {
        catalog.read(*context.event, id, &value);
        context.valueStamps[id] = context.stamp;
    }
    return value;
}

bool CompiledRules::fieldRefMatches(const ValueMatcher &matcher, const FieldValue &value,
                                    MatchContext &context) const
{
    const FieldValue &other = this->value(context, matcher.otherField);
    for (const FieldItem &item : value.items) {
        for (const FieldItem &otherItem : other.items) {
            if (matcher.cased ? item.text == otherItem.text
                              : item.folded() == otherItem.folded())
                return true;
        }
    }
    return false;
}

bool CompiledRules::matcherMatches(const ValueMatcher &matcher, int field,
                                   MatchContext &context) const
{
    // The prefilter's search already decides many tests. A literal it did
    // not find rules the matcher out, and for `contains`, plain equality and
    // `cidr` a literal it found proves the match.
    if (context.prefilter && context.prefilter->searches(matcher.literal)) {
        if (!context.hits.contains(matcher.literal))
            return false;
        if (matcher.literalDecides)
            return true;
    }
    const FieldValue &fieldValue = value(context, field);
    return matcher.op == ValueMatcher::Op::FieldRef ? fieldRefMatches(matcher, fieldValue, context)
                                                    : matcher.matches(fieldValue);
}

bool CompiledRules::evaluateTest(const FieldTest &test, MatchContext &context) const
{
    // One value with no alternatives, as in most tests: the result is the
    // matcher's for both `all` and any.
    if (test.groups.size() == 1 && test.groups.front().size() == 1) {
        const bool result = matcherMatches(test.groups.front().front(), test.field, context);
        return test.negate ? !result : result;
    }
    bool result = test.all;
    for (const QVector<ValueMatcher> &group : test.groups) {
        bool groupResult = false;
        for (const ValueMatcher &matcher : group) {
            groupResult = matcherMatches(matcher, test.field, context);
            if (groupResult)
                break;
        }
        if (groupResult != test.all) {
            result = groupResult;
            break;
        }
    }
    return test.negate ? !result : result;
}

bool CompiledRules::evaluateNode(const Detection &detection, const ConditionNode &node,
                                 MatchContext &context) const
{
    switch (node.kind) {
    case ConditionNode::Kind::Selection: {
        const Selection &selection = detection.selections.at(node.selection);
        for (const QVector<FieldTest> &tests : selection.alternatives) {
            bool all = true;
            for (const FieldTest &test : tests) {
                if (!evaluateTest(test, context)) {
                    all = false;
                    break;
                }
            }
            if (all)
                return true;
        }
        return false;
    }
    case ConditionNode::Kind::Not:
        return !evaluateNode(detection, node.children.first(), context);
    case ConditionNode::Kind::And:
        for (const ConditionNode &child : node.children) {
            if (!evaluateNode(detection, child, context))
                return false;
        }
        return true;
    case ConditionNode::Kind::Or:
        for (const ConditionNode &child : node.children) {
            if (evaluateNode(detection, child, context))
                return true;
        }
        return false;
    }
    return false;
}

bool CompiledRules::evaluate(const Detection &detection, MatchContext &context) const
{
    return evaluateNode(detection, detection.condition, context);
}

bool CompiledRules::ruleMatches(int rule, int sourceClass, MatchContext &context) const
{
    const RuleEntry &entry = rules.at(rule);
    if (!evaluate(entry.detection, context))
        return false;
    for (const int filter : entry.filters) {
        const FilterEntry &filterEntry = filters.at(filter);
        if (filterEntry.acceptsClass.at(sourceClass) && evaluate(filterEntry.detection, context))
            return false;
    }
    return true;
}

RuleSet::RuleSet()
    : d(std::make_unique<CompiledRules>())
{
}

RuleSet::~RuleSet() = default;
RuleSet::RuleSet(RuleSet &&) noexcept = default;
RuleSet &RuleSet::operator=(RuleSet &&) noexcept = default;

void RuleSet::setPlaceholders(const QHash<QString, QStringList> &values)
{
    d->placeholders = values;
}

void RuleSet::compile(QVector<LoadIssue> *issues)
{
    auto addIssue = [issues](LoadIssue issue) {
        if (issues)
            issues->append(issue);
    };
    for (int f = 0; f < d->filters.size(); ++f) {
        FilterEntry &filter = d->filters[f];
        for (const QString &ref : std::as_const(filter.ruleRefs)) {
            const int rule = indexOf(ref);
            if (rule < 0) {
                addIssue(LoadIssue { LoadIssue::Kind::Warning, filter.file, filter.line, 0,
                                     filter.id.isEmpty() ? filter.title : filter.id, QString(),
                                     tr("Filter '%1' names rule '%2', which is not loaded; the "
                                        "filter has no effect on it.").arg(filter.title, ref) });
                continue;
            }
            QVector<int> &filters = d->rules[rule].filters;
            if (!filters.contains(f))
                filters.append(f);
        }
        filter.acceptsClass.clear();
        for (int c = 0; c < sourceClassCount(); ++c)
            filter.acceptsClass.append(logSourceAccepts(filter.logsource, c));
    }

    for (RuleEntry &entry : d->rules)
        orderByCost(entry.detection, entry.detection.condition, d->catalog);
    for (FilterEntry &filter : d->filters)
        orderByCost(filter.detection, filter.detection.condition, d->catalog);

    d->literals.clear();
    QVector<ClauseIds> requirements;
    requirements.reserve(d->rules.size());
    for (const RuleEntry &entry : std::as_const(d->rules)) {
        // The access log screen skips parsing a line only when a clause of
        // every rule is missing from it, so it gains from every clause.
        const bool everyClause
            = logSourceAccepts(entry.info.logsource, int(SourceClass::Webserver));
        ClauseIds clauses;
        for (const Requirement::Clause &clause :
             requirementOf(entry.detection, everyClause).clauses) {
            QVector<int> ids;
            for (const Requirement::Literal &literal : clause) {
                const int id = d->literals.intern(literal);
                if (!ids.contains(id))
                    ids.append(id);
            }
            clauses.append(ids);
        }
        requirements.append(clauses);
    }
    for (RuleEntry &entry : d->rules)
        linkLiterals(&entry.detection, d->literals);
    for (FilterEntry &filter : d->filters)
        linkLiterals(&filter.detection, d->literals);

    d->clearPool();
    hs_free_scratch(d->prototypeScratch);
    d->prototypeScratch = nullptr;
    d->plans.clear();
    d->plans.resize(sourceClassCount());
    for (int c = 0; c < sourceClassCount(); ++c) {
        ClassPlan &plan = d->plans[c];
        QVector<std::pair<int, ClauseIds>> constrained;
        for (int r = 0; r < d->rules.size(); ++r) {
            if (!logSourceAccepts(d->rules.at(r).info.logsource, c))
                continue;
            ++plan.candidateCount;
            if (!requirements.at(r).isEmpty())
                constrained.append({ r, requirements.at(r) });
            else
                plan.unconditional.append(r);
        }
        plan.prefilter = std::make_unique<Prefilter>();
        QString error;
        // Access log lines can be screened before parsing (LineScreen), which
        // looks for exact values in the raw line too.
        const bool screenable = c == int(SourceClass::Webserver);
        if (!plan.prefilter->build(constrained, d->literals, screenable, &error)) {
            // Without the prefilter every candidate is evaluated: slower, still correct.
            qCWarning(lcDetect) << "Sigma: Hyperscan compile failed, prefilter off:" << error;
            plan.prefilter = std::make_unique<Prefilter>();
            for (const auto &entry : std::as_const(constrained))
                plan.unconditional.append(entry.first);
            std::sort(plan.unconditional.begin(), plan.unconditional.end());
        }
        if (!plan.prefilter->allocScratch(&d->prototypeScratch))
            qCCritical(lcDetect) << "Sigma: cannot allocate Hyperscan scratch space";
        plan.unconditionalBits.fill(0, (d->rules.size() + 63) / 64);
        for (const int rule : std::as_const(plan.unconditional)) {
            plan.unconditionalBits[rule >> 6] |= quint64(1) << (rule & 63);
            plan.unconditionalWords |= quint64(1) << ((rule >> 6) & 63);
        }
    }
    d->compiled = true;
    qCDebug(lcDetect) << "Sigma: compiled" << d->rules.size() << "rules," << d->filters.size()
                      << "filters," << d->catalog.size() << "fields";
}

int RuleSet::ruleCount() const
{
    return d->rules.size();
}

const RuleInfo &RuleSet::rule(int index) const
{
    return d->rules.at(index).info;
}

int RuleSet::indexOf(const QString &idOrName) const
{
    return d->indexByKey.value(idOrName, -1);
}

const QVector<CorrelationSource> &RuleSet::correlationSources() const
{
    return d->correlations;
}

void RuleSet::match(const Event &event, QVector<int> *matched) const
{
    if (!d->compiled) {
        static std::atomic_bool warned { false };
        if (!warned.exchange(true))
            qCWarning(lcDetect) << "Sigma: RuleSet::match called before compile(); no rule matches";
        return;
    }
    const int sourceClass = sourceClassIndex(event);
    const ClassPlan &plan = d->plans.at(sourceClass);
    if (plan.candidateCount == 0)
        return;

    std::unique_ptr<MatchContext> context = d->acquireContext();
    context->event = &event;
    if (++context->stamp == 0) {  // wrapped: forget every stamp
        context->valueStamps.fill(0);
        context->stamp = 1;
    }
    // Copied into the context's buffer, which is reused. memcpy, because
    // GCC 12 compiles std::copy over these QVector iterators to a loop.
    context->candidateBits.resize(plan.unconditionalBits.size());
    std::memcpy(context->candidateBits.data(), plan.unconditionalBits.constData(),
                size_t(plan.unconditionalBits.size()) * sizeof(quint64));
    const Prefilter &prefilter = *plan.prefilter;
    MatchContext &ctx = *context;
    ctx.prefilter = &prefilter;
    for (int i = 0; i < prefilter.textFields().size(); ++i) {
        const int field = prefilter.textFields().at(i).field;
        const QString *repeated = repeatedMember(event, d->catalog.spec(field).member);
        if (repeated) {
            if (!repeated->isEmpty())
                scanRepeatedText(prefilter, i, *repeated, ctx);
            continue;
        }
        QStringView text;
        if (d->catalog.directText(event, field, &text)) {
            if (!text.isEmpty()) {
                foldUtf8(text, &ctx.scanBuffer);
                prefilter.scanText(i, ctx.scanBuffer, ctx.scratch, &ctx.hits);
            }
            continue;
        }
        qint64 number = 0;
        if (d->catalog.directNumber(event, field, &number)) {
            if (number >= 0) {
                writeDecimal(number, &ctx.scanBuffer);
                prefilter.scanText(i, ctx.scanBuffer, ctx.scratch, &ctx.hits);
            }
            continue;
        }
        for (const FieldItem &item : d->value(ctx, field).items) {
            foldUtf8(item.text, &ctx.scanBuffer);
            prefilter.scanText(i, ctx.scanBuffer, ctx.scratch, &ctx.hits);
        }
    }
    for (int i = 0; i < prefilter.networkFields().size(); ++i) {
        const int field = prefilter.networkFields().at(i).field;
        // Parsers share the strings of repeated client addresses, so a
        // connection's lines parse and look up their address once. Memo
        // fields of network plans are negative, apart from text plans.
        if (d->catalog.spec(field).member == Member::SourceIp) {
            if (!event.sourceIp.isEmpty()) {
                scanRepeated(prefilter, -1 - i, event.sourceIp, ctx,
                             [&] { scanAddressText(prefilter, i, event.sourceIp, ctx); });
            }
            continue;
        }
        QStringView text;
        if (d->catalog.directText(event, field, &text)) {
            scanAddressText(prefilter, i, text, ctx);
            continue;
        }
        for (const FieldItem &item : d->value(ctx, field).items)
            prefilter.scanAddress(i, item.addressBytes(), &ctx.hits);
    }
    quint64 wordsSet = plan.unconditionalWords;
    prefilter.markCandidates(ctx.hits, &ctx.candidateBits, &wordsSet);
    const quint64 *candidateWords = ctx.candidateBits.constData();
    const int wordCount = int(ctx.candidateBits.size());
    const auto evaluateWord = [&](int word) {
        for (quint64 bits = candidateWords[word]; bits != 0; bits &= bits - 1) {
            const int rule = word * 64 + qCountTrailingZeroBits(bits);
            if (d->ruleMatches(rule, sourceClass, ctx))
                matched->append(rule);
        }
    };
    if (wordCount <= 64) {
        // Only the words with a candidate, in ascending order.
        for (quint64 words = wordsSet; words != 0; words &= words - 1)
            evaluateWord(qCountTrailingZeroBits(words));
    } else {
        for (int word = 0; word < wordCount; ++word)
            evaluateWord(word);
    }
    ctx.hits.clear();
    ctx.prefilter = nullptr;
    d->releaseContext(std::move(context));
}

} // namespace portcullis::sigma
