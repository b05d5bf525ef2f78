// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "sigma/correlation.h"
#include "sigma/correlationmetric.h"

#include "detect/detectorsupport.h"

#include <QHash>
#include <QString>
#include <QStringList>
#include <QVector>

#include <deque>
#include <functional>
#include <limits>

namespace portcullis::sigma {

// The state of one correlation for one group (one combination of group-by
// values). A run is a sequence of the group's matching events with no gap
// longer than the timespan. It starts at the first such event, before the
// condition is met, and `fired` is true when the condition was met at some event
// of the run. One run that fires is one alert.
struct CorrelationGroup {
    int correlation = -1;
    QStringList values; // parallel to CorrelationRule::groupBy

    // The sliding window: matching events of the last timespan, sorted by time.
    struct Entry {
        qint64 timestampMs = 0;
        QString value; // value_count: the counted value
        double number = 0; // value_sum, value_avg, value_percentile: the field's number
    };
    std::deque<Entry> window;
    QHash<QString, int> valueCounts; // value_count: occurrences of each value in the window
    MetricWindow metrics; // value_sum, value_avg, value_percentile: the numbers of the window
    QVector<qint64> lastSeenPerRule; // temporal: newest time per referenced rule
    QVector<qint64> chainStart; // temporal_ordered: latest start of a chain through step i

    qint64 runStartMs = 0;
    qint64 lastSeenMs = std::numeric_limits<qint64>::min();
    qint64 runEvents = 0;
    qint64 peakCount = 0; // the largest count in the window while the condition held
    double lastMetric = 0; // metric types: the sum, average or percentile at the last event
                           // that met the condition
    detect::BoundedValueSet runValues; // value_count: distinct values of the run
    QVector<bool> rulesSeen; // temporal: rules matched during the run
    QVector<QByteArray> evidence; // event ids of the run, at most MaxEvidence
    bool fired = false;
    bool dirty = false; // fired and changed since the last takeChanged()
};

// Evaluates the correlations of a CorrelationSet over events in about
// ascending time order. Memory: one CorrelationGroup per correlation and
// group seen within the last timespan (plus the reorder tolerance), each
// with at most MaxWindowEntries window entries (and as many numbers in its
// MetricWindow) and MaxEvidence evidence ids; at most MaxGroups groups per
// correlation. The metric types skip events whose field is absent or not a
// number.
class CorrelationEngine {
public:
    static constexpr int MaxWindowEntries = 65536;
    static constexpr int MaxGroups = 200000;
    static constexpr int MaxRunValues = 1000;
    // How far an event may be older than the newest and still count.
    static constexpr qint64 ReorderToleranceMs = 5 * 60 * 1000;

    using Visit = std::function<void(const CorrelationGroup &)>;

    explicit CorrelationEngine(const CorrelationSet &set);

    // `matched` contains the RuleSet indexes of the detection rules the event
    // matches, ascending.
    void process(const Event &event, const QVector<int> &matched);
    // Calls `visit` for each group that fired and changed since the last call.
    void takeChanged(const Visit &visit);
    // Drops the groups last seen more than their timespan plus the reorder
    // tolerance before `nowMs`, first visiting those still dirty.
    void expire(qint64 nowMs, const Visit &visit);
    // Visits every dirty group and drops all state (end of input).
    void finish(const Visit &visit);

    int groupCount() const;
    // Groups not created because a correlation had MaxGroups already.
    qint64 droppedGroups() const { return m_droppedGroups; }

private:
    struct Signal {
        int refIndex = -1; // position in the correlation's `rules`
        const CorrelationRule *inner = nullptr; // set when the signal is a correlation hit
        const QStringList *innerValues = nullptr;
    };

    using FiredGroups = QHash<int, QVector<QStringList>>;

    void feed(int correlation, const Signal &signal, const Event &event, FiredGroups *fired);
    bool fieldValue(const CorrelationRule &rule, const Signal &signal, const Event &event,
        const QString &field, QString *value) const;
    bool groupValues(const CorrelationRule &rule, const Signal &signal, const Event &event,
        QStringList *values) const;
    bool countedValue(const CorrelationRule &rule, const Signal &signal, const Event &event,
        QString *counted) const;
    CorrelationGroup *findGroup(int correlation, const QStringList &values, qint64 timestampMs);
    // Adds the event to the group's run and window and sets `measure` to the
    // count, sum, average or percentile that the condition tests.
    bool update(const CorrelationRule &rule, CorrelationGroup &group, int refIndex,
        const Event &event, const CorrelationGroup::Entry &entry, double *measure);
    static double windowMeasure(const CorrelationRule &rule, const CorrelationGroup &group);
    static void dropOldest(const CorrelationRule &rule, CorrelationGroup &group);
    static qint64 updateTemporal(
        const CorrelationRule &rule, CorrelationGroup &group, int refIndex, qint64 timestampMs);

    const CorrelationSet &m_set;
    // Per correlation: joined group values -> state.
    QVector<QHash<QString, CorrelationGroup>> m_groups;
    // Per detection rule: the (correlation, position in its rules) that refer to it.
    QHash<int, QVector<QPair<int, int>>> m_ruleUsers;
    QHash<int, QVector<QPair<int, int>>> m_correlationUsers;
    QVector<QPair<int, QString>> m_changed;
    QVector<CorrelationGroup> m_finished; // runs that ended while dirty, not yet visited
    qint64 m_droppedGroups = 0;
};

} // namespace portcullis::sigma
