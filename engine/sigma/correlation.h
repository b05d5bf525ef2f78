// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Sigma correlation rules (specification v2.1.0): event_count, value_count,
// temporal, temporal_ordered, value_sum, value_avg and value_percentile, built
// from the correlation documents that RuleSet::loadText() hands on.
// CorrelationEngine (correlationengine.h) evaluates them over a stream of
// events.

#include "sigma/sigmarule.h"

#include <QHash>
#include <QString>
#include <QStringList>
#include <QVector>

#include <optional>

namespace portcullis::sigma {

enum class CorrelationType : quint8 {
    EventCount,
    ValueCount,
    Temporal,
    TemporalOrdered,
    ValueSum,
    ValueAvg,
    ValuePercentile,
};

// "event_count", "value_count", "temporal", "temporal_ordered", "value_sum",
// "value_avg", "value_percentile".
QString correlationTypeName(CorrelationType type);

// Whether `type` aggregates the numbers of `condition.field` (value_sum,
// value_avg, value_percentile) rather than counting events or values.
bool isMetricType(CorrelationType type);

// The `condition` map of a correlation: every bound present must hold, so
// `gt: 100` with `lte: 200` is the range 101 to 200. Counts are whole
// numbers; the metric types also accept fractions such as `gt: 0.5`.
struct CountCondition {
    std::optional<double> gt;
    std::optional<double> gte;
    std::optional<double> lt;
    std::optional<double> lte;
    std::optional<double> eq;
    std::optional<double> neq;

    bool isEmpty() const;
    bool test(double value) const;
    // The bounds in words, such as "at least 5" or "more than 100 and at most 200".
    QString describe() const;
};

// A rule that a correlation refers to: a detection rule of the RuleSet or
// another correlation of the same CorrelationSet.
struct CorrelationRef {
    QString written; // the id or name as written in `rules`
    bool isCorrelation = false;
    int index = -1; // RuleSet rule index or CorrelationSet index
    QString name; // the referenced rule's name, for aliases
    QString id; // the referenced rule's id, for aliases
};

struct CorrelationRule {
    QString id;
    QString name;
    QString title;
    QString description;
    QString level;
    Severity severity = Severity::Medium;
    QStringList tags;
    QString mitreTechnique;
    CorrelationType type = CorrelationType::EventCount;
    QVector<CorrelationRef> rules;
    QStringList groupBy;
    // alias -> (referenced rule name or id -> field of that rule's events)
    QHash<QString, QHash<QString, QString>> aliases;
    qint64 timespanMs = 0;
    QString timespanText; // as written, "10m"
    CountCondition condition;
    QStringList valueFields; // value_*: `condition.field`, one or more for value_count, else one
    int percentile = 50; // value_percentile: `condition.percentile`, 0 to 100
    bool generate = false;
    QString file;
    int line = 0;
    bool referenced = false; // another correlation refers to it

    // The field that contains `groupField` (a group-by field or alias) in the
    // events of `ref`.
    QString resolveField(const QString &groupField, const CorrelationRef &ref) const;
};

// The correlations of a RuleSet, checked and ordered so that a correlation
// comes after every correlation it refers to.
class CorrelationSet {
public:
    // Parses every correlation source of `rules` (after RuleSet::compile()).
    // A broken correlation adds an Error issue naming its file and line and
    // is left out, together with the correlations that refer to it.
    void build(const RuleSet &rules, QVector<LoadIssue> *issues);

    int count() const { return int(m_rules.size()); }
    const CorrelationRule &rule(int index) const { return m_rules.at(index); }
    // Correlation indexes, inner ones first.
    const QVector<int> &evaluationOrder() const { return m_order; }
    // The index of a correlation by id or name, or -1.
    int indexOf(const QString &idOrName) const;

    // Whether alerts are raised for detection rule `ruleIndex` on its own:
    // when no correlation refers to it, or one that refers to it has
    // `generate: true`.
    bool ruleAlertsAlone(int ruleIndex) const;
    // Whether alerts are raised for correlation `index`: when it is the
    // outermost one, or one that refers to it has `generate: true`.
    bool correlationAlerts(int index) const;

private:
    bool parse(const CorrelationSource &source, const RuleSet &rules, CorrelationRule *rule,
        QVector<LoadIssue> *issues) const;
    void resolveReferences(const RuleSet &rules, QVector<LoadIssue> *issues);
    void order(QVector<LoadIssue> *issues);

    QVector<CorrelationRule> m_rules;
    QVector<bool> m_valid;
    QVector<int> m_order;
    QHash<QString, int> m_byIdOrName;
    QHash<int, bool> m_ruleGenerate; // rule index -> referenced with generate
    QVector<bool> m_correlationGenerated;
};

// Parses "10m", "1h", "30s", "1d" into milliseconds; returns false otherwise.
bool parseTimespan(const QString &text, qint64 *milliseconds);

// A count, sum, average or percentile as text: "5", "812.5", "1000000".
QString formatMetric(double value);

} // namespace portcullis::sigma
