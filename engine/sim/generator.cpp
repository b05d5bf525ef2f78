// SPDX-License-Identifier: GPL-3.0-or-later
#include "sim/generator.h"

#include "sim/activity.h"

#include <QDateTime>

#include <algorithm>
#include <cmath>

namespace portcullis::sim {

namespace {

// Mean time between two ordinary activities at the busiest hour, in
// simulated milliseconds. One activity yields about 3 to 12 events.
constexpr double PeakArrivalMeanMs = 1500.0;

// Relative load per hour of the platform's local day (UTC-5), with peaks in
// the late morning and after work, and a quiet night.
constexpr std::array<double, 24> hourlyLoad { 0.08, 0.05, 0.04, 0.04, 0.05, 0.10, 0.25, 0.45, 0.70,
    0.90, 1.00, 0.95, 0.85, 0.80, 0.80, 0.85, 0.95, 1.00, 0.90, 0.70, 0.50, 0.35, 0.22, 0.12 };

} // namespace

Generator::Generator(quint64 seed, qint64 startMs, int shopCount, int customerCount)
    : m_random(seed)
    , m_startMs(startMs)
    , m_population(m_random, shopCount, customerCount)
    , m_nextArrivalMs(startMs)
{
}

double Generator::arrivalMeanMs(qint64 atMs) const
{
    const qint64 localHour = ((atMs / 1000 - 5 * 3600) / 3600) % 24;
    return PeakArrivalMeanMs / hourlyLoad[std::size_t((localHour + 24) % 24)];
}

bool Generator::scheduleScenario(const QString &name, qint64 atMs)
{
    if (!scenarioNames().contains(name))
        return false;
    const auto position = std::upper_bound(m_scenarios.begin(), m_scenarios.end(), atMs,
        [](qint64 time, const Pending &pending) { return time < pending.timeMs; });
    m_scenarios.insert(position, Pending { atMs, name });
    return true;
}

void Generator::scheduleEvents(std::vector<SimEvent> events)
{
    const quint64 activity = newActivity();
    for (SimEvent &event : events) {
        event.activity = activity;
        event.independent = true;
        schedule(std::move(event));
    }
}

void Generator::schedule(SimEvent event)
{
    event.order = ++m_lastOrder;
    m_queue.push(std::move(event));
}

int Generator::addLabel(const QString &scenario, const QString &description, qint64 atMs)
{
    AttackLabel label;
    label.id = QStringLiteral("lbl_%1").arg(m_labels.size() + 1);
    label.scenario = scenario;
    label.description = description;
    label.scheduledMs = atMs;
    m_labels.append(label);
    return int(m_labels.size() - 1);
}

void Generator::cancelActivity(quint64 activity)
{
    m_cancelled.insert(activity);
}

void Generator::spawnOrdinaryActivity(qint64 atMs)
{
    ActivityWriter writer(*this, atMs);
    writeOrdinaryActivity(writer);
}

bool Generator::next(qint64 untilMs, SimEvent *event)
{
    for (;;) {
        const qint64 queued = m_queue.empty() ? untilMs + 1 : m_queue.top().timeMs;
        const qint64 horizon = std::min(queued, untilMs);

        // Start every activity that begins before the earliest queued event,
        // because its first event may come before that one.
        if (!m_scenarios.isEmpty() && m_scenarios.first().timeMs <= horizon) {
            const Pending pending = m_scenarios.takeFirst();
            const int index = addLabel(pending.scenario, QString(), pending.timeMs);
            ActivityWriter writer(*this, pending.timeMs, index);
            writeScenario(pending.scenario, writer, m_labels[index]);
            continue;
        }
        if (m_nextArrivalMs <= horizon) {
            const qint64 at = m_nextArrivalMs;
            m_nextArrivalMs += qMax<qint64>(1, qint64(m_random.exponential(arrivalMeanMs(at))));
            spawnOrdinaryActivity(at);
            continue;
        }

        if (m_queue.empty() || m_queue.top().timeMs > untilMs)
            return false;
        SimEvent top = m_queue.top();
        m_queue.pop();
        if (!top.independent && m_cancelled.contains(top.activity))
            continue;
        *event = std::move(top);
        return true;
    }
}

} // namespace portcullis::sim
