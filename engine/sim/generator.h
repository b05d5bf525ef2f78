// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "sim/population.h"
#include "sim/simrandom.h"

#include <QJsonObject>
#include <QList>
#include <QSet>
#include <QStringList>

#include <queue>
#include <vector>

namespace portcullis::sim {

// One generated event before it is emitted. The ECS document gets its
// `@timestamp` and `event.id` on emission.
struct SimEvent {
    qint64 timeMs = 0;
    quint64 order = 0; // tie-break between events of the same millisecond
    quint64 activity = 0; // events of one visit, attack run or replay share it
    int label = -1; // index into Generator::labels(), -1 for ordinary traffic
    // True for an attempt that happens whether or not the ones before it
    // worked (one guess of a brute force, one scraper request). False for a
    // step that needs the activity's login to have succeeded.
    bool independent = false;
    QJsonObject doc;
};

// The ground truth of one injected attack, served by GET /api/v2/sim/labels.
struct AttackLabel {
    QString id; // "lbl_<n>"
    QString scenario; // "brute_force", "card_testing", ...
    QString description;
    qint64 scheduledMs = 0;
    qint64 firstEventMs = 0; // 0 until the first event is emitted
    qint64 lastEventMs = 0;
    QStringList eventIds;
    QJsonObject entities; // {"ips": [...], "users": [...], "cards": [...], "accounts": [...]}
};

// Names of the attack scenarios that scheduleScenario() accepts.
QStringList scenarioNames();

// Deterministic traffic of a BookedBarber backend: for one seed, start time
// and population size, next() returns the same events in the same order.
class Generator {
public:
    Generator(quint64 seed, qint64 startMs, int shopCount, int customerCount);

    // Queues an attack at simulated time `atMs`. Returns false for an unknown name.
    bool scheduleScenario(const QString &name, qint64 atMs);
    // Queues events read from a log file; their times must not be before startMs.
    void scheduleEvents(std::vector<SimEvent> events);

    // Takes the next event due at or before `untilMs` in time order. Returns false
    // when none is due yet.
    bool next(qint64 untilMs, SimEvent *event);

    // Drops the events of an activity that are not yet emitted, except the
    // independent ones (a login that the backend rejected ends the visit).
    void cancelActivity(quint64 activity);

    QList<AttackLabel> &labels() { return m_labels; }
    const Population &population() const { return m_population; }
    SimRandom &random() { return m_random; }
    qint64 startMs() const { return m_startMs; }

    // Used by the activity builders.
    quint64 newActivity() { return ++m_lastActivity; }
    void schedule(SimEvent event);
    int addLabel(const QString &scenario, const QString &description, qint64 atMs);

private:
    struct Pending {
        qint64 timeMs;
        QString scenario;
    };
    struct Later {
        bool operator()(const SimEvent &a, const SimEvent &b) const
        {
            return a.timeMs != b.timeMs ? a.timeMs > b.timeMs : a.order > b.order;
        }
    };

    void spawnOrdinaryActivity(qint64 atMs);
    double arrivalMeanMs(qint64 atMs) const;

    SimRandom m_random;
    qint64 m_startMs;
    Population m_population;
    std::priority_queue<SimEvent, std::vector<SimEvent>, Later> m_queue;
    QList<Pending> m_scenarios; // sorted by time
    QList<AttackLabel> m_labels;
    QSet<quint64> m_cancelled;
    qint64 m_nextArrivalMs;
    quint64 m_lastOrder = 0;
    quint64 m_lastActivity = 0;
};

} // namespace portcullis::sim
