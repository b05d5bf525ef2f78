// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Runs the backend stand-in's generator with labelled fraud scenarios and
// turns its payment events into parsed Events, the way the telemetry
// pipeline sees them. Used by the fraud scenario benchmark and by the
// demo model's training.

#include "event/event.h"
#include "event/jsonparser.h"
#include "sim/generator.h"

#include <QHash>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>

namespace portcullis::bench {

// The fraud scenarios and the alert rule expected to catch each.
struct ScenarioRule
{
    QString scenario;
    QString rule;
};
const QList<ScenarioRule> &scenarioRules();

struct FeedOptions
{
    quint64 seed = 1;
    int days = 4;            // simulated days
    int warmupDays = 1;      // no scenario before this
    int repeats = 3;         // times each scenario runs
    int shops = 20;
    int customers = 1500;
    qint64 startMs = 0;      // 0: 2026-11-02 00:00 UTC
};

// One parsed payment event and the index of its scenario label (-1 benign).
struct FeedEvent
{
    Event event;
    int label = -1;
};

class SimFeed
{
public:
    explicit SimFeed(const FeedOptions &options);

    // Calls `visit` for every payment event (and payout destination change)
    // in time order until the end of the simulated days.
    void run(const std::function<void(const FeedEvent &)> &visit);

    const QList<sim::AttackLabel> &labels() { return m_generator.labels(); }
    // The time of the first event of the label at `index`, of any kind (a
    // login counts), or 0 before run() reached it.
    qint64 firstEventMs(int index) const { return m_firstEventMs.value(index); }
    qint64 startMs() const { return m_startMs; }

private:
    void scheduleScenarios();

    FeedOptions m_options;
    qint64 m_startMs;
    sim::Generator m_generator;
    JsonLinesParser m_parser;
    QHash<int, qint64> m_firstEventMs;
};

} // namespace portcullis::bench
