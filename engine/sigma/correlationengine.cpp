// SPDX-License-Identifier: GPL-3.0-or-later
#include "sigma/correlationengine.h"

#include "sigma/correlationfields.h"

#include "core/logging.h"

#include <QtNumeric>

#include <algorithm>

namespace portcullis::sigma {

namespace {

constexpr qint64 Never = std::numeric_limits<qint64>::min();
const QChar Separator(0x1f); // between group values in hash keys

QString joinKey(const QStringList &values)
{
    return values.join(Separator);
}

void insertSorted(std::deque<CorrelationGroup::Entry> &window, CorrelationGroup::Entry entry)
{
    auto position = window.end();
    while (position != window.begin() && std::prev(position)->timestampMs > entry.timestampMs)
        --position;
    window.insert(position, std::move(entry));
}

void resetRun(CorrelationGroup &group, qint64 timestampMs)
{
    group.window.clear();
    group.valueCounts.clear();
    group.lastSeenPerRule.fill(Never);
    group.chainStart.fill(Never);
    group.runStartMs = timestampMs;
    group.lastSeenMs = timestampMs;
    group.runEvents = 0;
    group.peakCount = 0;
    group.metrics.clear();
    group.lastMetric = 0;
    group.runValues.clear();
    group.rulesSeen.fill(false);
    group.evidence.clear();
    group.fired = false;
    group.dirty = false;
}

} // namespace

CorrelationEngine::CorrelationEngine(const CorrelationSet &set)
    : m_set(set)
    , m_groups(set.count())
{
    for (int c = 0; c < set.count(); ++c) {
        const CorrelationRule &rule = set.rule(c);
        for (int pos = 0; pos < rule.rules.size(); ++pos) {
            const CorrelationRef &ref = rule.rules.at(pos);
            auto &users = ref.isCorrelation ? m_correlationUsers : m_ruleUsers;
            users[ref.index].append({ c, pos });
        }
    }
}

void CorrelationEngine::process(const Event &event, const QVector<int> &matched)
{
    if (matched.isEmpty() || m_set.count() == 0)
        return;

    // Groups of each correlation whose condition is met at this event, fed to
    // the correlations that refer to it. Inner correlations come first.
    FiredGroups fired;
    for (int c : m_set.evaluationOrder()) {
        const CorrelationRule &rule = m_set.rule(c);
        // Later rules first, so that an event matching two steps of a
        // temporal_ordered correlation cannot complete both steps alone.
        for (int pos = int(rule.rules.size()) - 1; pos >= 0; --pos) {
            const CorrelationRef &ref = rule.rules.at(pos);
            Signal signal;
            signal.refIndex = pos;
            if (!ref.isCorrelation) {
                if (std::binary_search(matched.cbegin(), matched.cend(), ref.index))
                    feed(c, signal, event, &fired);
                continue;
            }
            const QVector<QStringList> inner = fired.value(ref.index);
            signal.inner = &m_set.rule(ref.index);
            for (const QStringList &values : inner) {
                signal.innerValues = &values;
                feed(c, signal, event, &fired);
            }
        }
    }
}

void CorrelationEngine::feed(
    int correlation, const Signal &signal, const Event &event, FiredGroups *fired)
{
    const CorrelationRule &rule = m_set.rule(correlation);
    QStringList values;
    if (!groupValues(rule, signal, event, &values))
        return;
    CorrelationGroup::Entry entry;
    entry.timestampMs = event.timestampMs;
    const bool metric = isMetricType(rule.type);
    if (rule.type == CorrelationType::ValueCount || metric) {
        if (!countedValue(rule, signal, event, &entry.value))
            return;
    }
    if (metric) {
        bool isNumber = false;
        entry.number = entry.value.toDouble(&isNumber);
        if (!isNumber || !qIsFinite(entry.number))
            return; // the metric types aggregate numbers only, so this event is not counted
        entry.value.clear();
    }
    CorrelationGroup *group = findGroup(correlation, values, event.timestampMs);
    if (!group)
        return;

    double measure = 0;
    if (!update(rule, *group, signal.refIndex, event, entry, &measure))
        return;
    if (metric)
        group->lastMetric = measure;
    else
        group->peakCount = qMax(group->peakCount, qint64(measure));
    group->fired = true;
    if (!group->dirty) {
        group->dirty = true;
        m_changed.append({ correlation, joinKey(values) });
    }
    (*fired)[correlation].append(values);
}

bool CorrelationEngine::fieldValue(const CorrelationRule &rule, const Signal &signal,
    const Event &event, const QString &field, QString *value) const
{
    const QString name = rule.resolveField(field, rule.rules.at(signal.refIndex));
    if (signal.inner) {
        const int index = int(signal.inner->groupBy.indexOf(name));
        if (index >= 0) {
            *value = signal.innerValues->at(index);
            return !value->isEmpty();
        }
    }
    *value = correlationFieldValue(event, name);
    return !value->isEmpty();
}

bool CorrelationEngine::groupValues(const CorrelationRule &rule, const Signal &signal,
    const Event &event, QStringList *values) const
{
    for (const QString &field : rule.groupBy) {
        QString value;
        if (!fieldValue(rule, signal, event, field, &value))
            return false; // an event without a group-by field belongs to no group
        values->append(value);
    }
    return true;
}

bool CorrelationEngine::countedValue(
    const CorrelationRule &rule, const Signal &signal, const Event &event, QString *counted) const
{
    QStringList parts;
    for (const QString &field : rule.valueFields) {
        QString value;
        if (!fieldValue(rule, signal, event, field, &value))
            return false;
        parts.append(value);
    }
    *counted = parts.join(QStringLiteral(", "));
    return true;
}

CorrelationGroup *CorrelationEngine::findGroup(
    int correlation, const QStringList &values, qint64 timestampMs)
{
    QHash<QString, CorrelationGroup> &groups = m_groups[correlation];
    const QString key = joinKey(values);
    auto it = groups.find(key);
    if (it != groups.end())
        return &*it;
    if (groups.size() >= MaxGroups) {
        if (m_droppedGroups++ % 10000 == 0) {
            qCWarning(lcDetect) << "Sigma correlation" << m_set.rule(correlation).title << "has"
                                << MaxGroups
                                << "groups; events of new groups are "
                                   "not counted until older groups expire";
        }
        return nullptr;
    }
    const CorrelationRule &rule = m_set.rule(correlation);
    CorrelationGroup group;
    group.correlation = correlation;
    group.values = values;
    group.lastSeenPerRule = QVector<qint64>(rule.rules.size(), Never);
    group.chainStart = QVector<qint64>(rule.rules.size(), Never);
    group.rulesSeen = QVector<bool>(rule.rules.size(), false);
    group.metrics.setPercentile(rule.percentile);
    resetRun(group, timestampMs);
    group.runEvents = 0;
    it = groups.insert(key, group);
    return &*it;
}

bool CorrelationEngine::update(const CorrelationRule &rule, CorrelationGroup &group, int refIndex,
    const Event &event, const CorrelationGroup::Entry &entry, double *measure)
{
    const qint64 time = event.timestampMs;
    if (group.runEvents > 0 && time > group.lastSeenMs + rule.timespanMs) {
        // The previous run ended: keep its final state for the next visit.
        if (group.dirty)
            m_finished.append(group);
        resetRun(group, time);
    }
    group.runStartMs = group.runEvents == 0 ? time : qMin(group.runStartMs, time);
    group.lastSeenMs = group.runEvents == 0 ? time : qMax(group.lastSeenMs, time);
    ++group.runEvents;
    detect::appendEvidence(group.evidence, event.id);

    if (rule.type == CorrelationType::Temporal || rule.type == CorrelationType::TemporalOrdered) {
        group.rulesSeen[refIndex] = true;
        *measure = double(updateTemporal(rule, group, refIndex, time));
        return rule.condition.test(*measure);
    }

    insertSorted(group.window, entry);
    if (rule.type == CorrelationType::ValueCount) {
        ++group.valueCounts[entry.value];
        group.runValues.add(entry.value, MaxRunValues);
    } else if (isMetricType(rule.type)) {
        group.metrics.add(entry.number);
    }
    const qint64 start = group.lastSeenMs - rule.timespanMs;
    while (!group.window.empty()
        && (group.window.front().timestampMs < start
            || int(group.window.size()) > MaxWindowEntries)) {
        dropOldest(rule, group);
    }
    *measure = windowMeasure(rule, group);
    return rule.condition.test(*measure);
}

double CorrelationEngine::windowMeasure(const CorrelationRule &rule, const CorrelationGroup &group)
{
    switch (rule.type) {
    case CorrelationType::EventCount:
        return double(group.window.size());
    case CorrelationType::ValueCount:
        return double(group.valueCounts.size());
    case CorrelationType::ValueSum:
        return group.metrics.sum();
    case CorrelationType::ValueAvg:
        return group.metrics.average();
    case CorrelationType::ValuePercentile:
        return group.metrics.percentile();
    case CorrelationType::Temporal:
    case CorrelationType::TemporalOrdered:
        break;
    }
    return 0;
}

void CorrelationEngine::dropOldest(const CorrelationRule &rule, CorrelationGroup &group)
{
    if (rule.type == CorrelationType::ValueCount) {
        const auto it = group.valueCounts.find(group.window.front().value);
        if (it != group.valueCounts.end() && --*it <= 0)
            group.valueCounts.erase(it);
    } else if (isMetricType(rule.type)) {
        group.metrics.remove(group.window.front().number);
    }
    group.window.pop_front();
}

qint64 CorrelationEngine::updateTemporal(
    const CorrelationRule &rule, CorrelationGroup &group, int refIndex, qint64 timestampMs)
{
    const qint64 start = group.lastSeenMs - rule.timespanMs;
    if (rule.type == CorrelationType::Temporal) {
        group.lastSeenPerRule[refIndex] = qMax(group.lastSeenPerRule[refIndex], timestampMs);
        return std::count_if(group.lastSeenPerRule.cbegin(), group.lastSeenPerRule.cend(),
            [start](qint64 seen) { return seen != Never && seen >= start; });
    }

    // Ordered: chainStart[i] is the latest time at which a chain of steps 0..i
    // began, so the chain through step i fits the timespan when it is recent.
    if (refIndex == 0) {
        group.chainStart[0] = qMax(group.chainStart[0], timestampMs);
    } else {
        const qint64 previous = group.chainStart[refIndex - 1];
        if (previous != Never && timestampMs - previous <= rule.timespanMs)
            group.chainStart[refIndex] = qMax(group.chainStart[refIndex], previous);
    }
    qint64 steps = 0;
    while (steps < group.chainStart.size() && group.chainStart[steps] != Never
        && timestampMs - group.chainStart[steps] <= rule.timespanMs) {
        ++steps;
    }
    return steps;
}

void CorrelationEngine::takeChanged(const Visit &visit)
{
    for (const CorrelationGroup &group : std::as_const(m_finished))
        visit(group);
    m_finished.clear();
    for (const auto &[correlation, key] : std::as_const(m_changed)) {
        const auto it = m_groups[correlation].find(key);
        if (it == m_groups[correlation].end() || !it->dirty)
            continue;
        visit(*it);
        it->dirty = false;
    }
    m_changed.clear();
}

void CorrelationEngine::expire(qint64 nowMs, const Visit &visit)
{
    takeChanged(visit);
    for (int c = 0; c < m_groups.size(); ++c) {
        const qint64 horizon = nowMs - m_set.rule(c).timespanMs - ReorderToleranceMs;
        auto &groups = m_groups[c];
        if (groups.isEmpty())
            continue; // non-const begin() on an empty QHash allocates
        for (auto it = groups.begin(); it != groups.end();) {
            if (it->lastSeenMs >= horizon)
                ++it;
            else
                it = groups.erase(it);
        }
    }
}

void CorrelationEngine::finish(const Visit &visit)
{
    takeChanged(visit);
    for (auto &groups : m_groups)
        groups.clear();
}

int CorrelationEngine::groupCount() const
{
    int total = 0;
    for (const auto &groups : m_groups)
        total += int(groups.size());
    return total;
}

} // namespace portcullis::sigma
