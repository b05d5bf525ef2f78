// SPDX-License-Identifier: GPL-3.0-or-later
#include "sigma/correlation.h"

#include "sigma/correlationyaml.h"

#include <QCoreApplication>
#include <QRegularExpression>

#include <functional>

#include <yaml-cpp/yaml.h>

namespace portcullis::sigma {

namespace {

constexpr char Context[] = "portcullis::sigma";

QString tr(const char *text)
{
    return QCoreApplication::translate(Context, text);
}

} // namespace

QString correlationTypeName(CorrelationType type)
{
    switch (type) {
    case CorrelationType::EventCount:
        return QStringLiteral("event_count");
    case CorrelationType::ValueCount:
        return QStringLiteral("value_count");
    case CorrelationType::Temporal:
        return QStringLiteral("temporal");
    case CorrelationType::TemporalOrdered:
        return QStringLiteral("temporal_ordered");
    case CorrelationType::ValueSum:
        return QStringLiteral("value_sum");
    case CorrelationType::ValueAvg:
        return QStringLiteral("value_avg");
    case CorrelationType::ValuePercentile:
        return QStringLiteral("value_percentile");
    }
    return QString();
}

bool isMetricType(CorrelationType type)
{
    return type == CorrelationType::ValueSum || type == CorrelationType::ValueAvg
        || type == CorrelationType::ValuePercentile;
}

bool CountCondition::isEmpty() const
{
    return !gt && !gte && !lt && !lte && !eq && !neq;
}

bool CountCondition::test(double value) const
{
    if (gt && !(value > *gt))
        return false;
    if (gte && !(value >= *gte))
        return false;
    if (lt && !(value < *lt))
        return false;
    if (lte && !(value <= *lte))
        return false;
    if (eq && value != *eq)
        return false;
    if (neq && value == *neq)
        return false;
    return true;
}

QString formatMetric(double value)
{
    // 15 significant digits: whole numbers up to 10^15 print without an exponent.
    return QString::number(value, 'g', 15);
}

QString CountCondition::describe() const
{
    QStringList parts;
    if (gt)
        parts << tr("more than %1").arg(formatMetric(*gt));
    if (gte)
        parts << tr("at least %1").arg(formatMetric(*gte));
    if (lt)
        parts << tr("fewer than %1").arg(formatMetric(*lt));
    if (lte)
        parts << tr("at most %1").arg(formatMetric(*lte));
    if (eq)
        parts << tr("exactly %1").arg(formatMetric(*eq));
    if (neq)
        parts << tr("other than %1").arg(formatMetric(*neq));
    return parts.join(tr(" and "));
}

bool parseTimespan(const QString &text, qint64 *milliseconds)
{
    static const QRegularExpression pattern(QStringLiteral("^([0-9]{1,9})([smhd])$"));
    const QRegularExpressionMatch match = pattern.match(text);
    if (!match.hasMatch())
        return false;
    const qint64 number = match.captured(1).toLongLong();
    const QChar unit = match.captured(2).at(0);
    qint64 factor = 1000;
    if (unit == QLatin1Char('m'))
        factor = 60 * 1000;
    else if (unit == QLatin1Char('h'))
        factor = 60 * 60 * 1000;
    else if (unit == QLatin1Char('d'))
        factor = 24 * 60 * 60 * 1000;
    if (number <= 0)
        return false;
    *milliseconds = number * factor;
    return true;
}

QString CorrelationRule::resolveField(const QString &groupField, const CorrelationRef &ref) const
{
    const auto alias = aliases.constFind(groupField);
    if (alias == aliases.constEnd())
        return groupField;
    for (const QString &key : { ref.name, ref.id, ref.written }) {
        if (key.isEmpty())
            continue;
        const auto field = alias->constFind(key);
        if (field != alias->constEnd())
            return *field;
    }
    return groupField;
}

int CorrelationSet::indexOf(const QString &idOrName) const
{
    return m_byIdOrName.value(idOrName, -1);
}

bool CorrelationSet::ruleAlertsAlone(int ruleIndex) const
{
    const auto it = m_ruleGenerate.constFind(ruleIndex);
    return it == m_ruleGenerate.constEnd() || *it;
}

bool CorrelationSet::correlationAlerts(int index) const
{
    return !m_rules.at(index).referenced || m_correlationGenerated.at(index);
}

void CorrelationSet::build(const RuleSet &rules, QVector<LoadIssue> *issues)
{
    m_rules.clear();
    m_valid.clear();
    for (const CorrelationSource &source : rules.correlationSources()) {
        CorrelationRule rule;
        if (parse(source, rules, &rule, issues)) {
            m_rules.append(rule);
            m_valid.append(true);
        }
    }
    resolveReferences(rules, issues);
    order(issues);
}

bool CorrelationSet::parse(const CorrelationSource &source, const RuleSet &rules,
    CorrelationRule *rule, QVector<LoadIssue> *issues) const
{
    Q_UNUSED(rules);
    CorrelationReader reader(source, issues);
    try {
        return reader.read(rule);
    } catch (const YAML::Exception &error) {
        if (issues) {
            LoadIssue issue;
            issue.file = source.file;
            issue.line = source.line;
            issue.ruleId = rule->id.isEmpty() ? rule->title : rule->id;
            issue.message
                = tr("Invalid correlation structure: %1.").arg(QString::fromStdString(error.msg));
            issues->append(issue);
        }
        return false;
    }
}

namespace {

void addReferenceError(
    QVector<LoadIssue> *issues, const CorrelationRule &rule, const QString &message)
{
    if (!issues)
        return;
    LoadIssue issue;
    issue.kind = LoadIssue::Kind::Error;
    issue.file = rule.file;
    issue.line = rule.line;
    issue.ruleId = rule.id.isEmpty() ? rule.title : rule.id;
    issue.message = message;
    issues->append(issue);
}

// Fills `ref` from a detection rule or a correlation named `ref.written`.
bool lookUp(const RuleSet &rules, const QHash<QString, int> &correlations,
    const QVector<CorrelationRule> &parsed, CorrelationRef *ref)
{
    const int correlation = correlations.value(ref->written, -1);
    if (correlation >= 0) {
        ref->isCorrelation = true;
        ref->index = correlation;
        ref->name = parsed.at(correlation).name;
        ref->id = parsed.at(correlation).id;
        return true;
    }
    const int index = rules.indexOf(ref->written);
    if (index < 0)
        return false;
    ref->isCorrelation = false;
    ref->index = index;
    ref->name = rules.rule(index).name;
    ref->id = rules.rule(index).id;
    return true;
}

} // namespace

void CorrelationSet::resolveReferences(const RuleSet &rules, QVector<LoadIssue> *issues)
{
    QHash<QString, int> correlations;
    for (int i = 0; i < m_rules.size(); ++i) {
        const CorrelationRule &rule = m_rules.at(i);
        for (const QString &key : { rule.id, rule.name }) {
            if (key.isEmpty())
                continue;
            if (correlations.contains(key) || rules.indexOf(key) >= 0) {
                addReferenceError(issues, rule,
                    tr("Correlation '%1': the id or name '%2' is already used by another rule; "
                       "give each rule a unique id and name.")
                        .arg(rule.title, key));
                m_valid[i] = false;
                continue;
            }
            correlations.insert(key, i);
        }
    }

    for (int i = 0; i < m_rules.size(); ++i) {
        CorrelationRule &rule = m_rules[i];
        for (CorrelationRef &ref : rule.rules) {
            if (lookUp(rules, correlations, m_rules, &ref))
                continue;
            addReferenceError(issues, rule,
                tr("Correlation '%1' refers to rule '%2', which is not loaded; load the file "
                   "that defines a rule with this id or name, or fix the reference.")
                    .arg(rule.title, ref.written));
            m_valid[i] = false;
        }
    }
}

void CorrelationSet::order(QVector<LoadIssue> *issues)
{
    // Depth-first: 0 unvisited, 1 on the current path (a cycle when met again), 2 done.
    const int total = int(m_rules.size());
    QVector<int> state(total, 0);
    QVector<int> sorted;
    std::function<bool(int)> visit = [&](int index) -> bool {
        if (state[index] == 2)
            return m_valid[index];
        if (state[index] == 1) {
            addReferenceError(issues, m_rules.at(index),
                tr("Correlation '%1' refers to itself through a chain of correlations; "
                   "remove the loop from the `rules` lists.")
                    .arg(m_rules.at(index).title));
            m_valid[index] = false;
            return false;
        }
        state[index] = 1;
        for (const CorrelationRef &ref : std::as_const(m_rules[index].rules)) {
            if (!ref.isCorrelation || visit(ref.index))
                continue;
            if (m_valid[index]) {
                addReferenceError(issues, m_rules.at(index),
                    tr("Correlation '%1' refers to correlation '%2', which did not load; fix "
                       "that one first.")
                        .arg(m_rules.at(index).title, ref.written));
            }
            m_valid[index] = false;
        }
        state[index] = 2;
        sorted.append(index);
        return m_valid[index];
    };
    for (int i = 0; i < total; ++i)
        visit(i);

    // Keep the valid ones, in evaluation order, and renumber the references.
    QVector<int> newIndex(total, -1);
    QVector<CorrelationRule> kept;
    for (int index : std::as_const(sorted)) {
        if (!m_valid[index])
            continue;
        newIndex[index] = int(kept.size());
        kept.append(m_rules.at(index));
    }
    m_rules = kept;
    m_valid = QVector<bool>(m_rules.size(), true);
    m_order.clear();
    m_byIdOrName.clear();
    m_ruleGenerate.clear();
    m_correlationGenerated = QVector<bool>(m_rules.size(), false);
    for (int i = 0; i < m_rules.size(); ++i) {
        m_order.append(i);
        CorrelationRule &rule = m_rules[i];
        if (!rule.id.isEmpty())
            m_byIdOrName.insert(rule.id, i);
        if (!rule.name.isEmpty())
            m_byIdOrName.insert(rule.name, i);
        for (CorrelationRef &ref : rule.rules) {
            if (ref.isCorrelation) {
                ref.index = newIndex.at(ref.index);
                m_rules[ref.index].referenced = true;
                if (rule.generate)
                    m_correlationGenerated[ref.index] = true;
            } else {
                m_ruleGenerate[ref.index] = m_ruleGenerate.value(ref.index) || rule.generate;
            }
        }
    }
}

} // namespace portcullis::sigma
