// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Helpers of the fraud alert patterns, shared by fraudalertspatterns.cpp and
// fraudalertsaccounts.cpp. Defined in fraudalerts.cpp unless templates.

#include "fraud/fraudalertsstate.h"

#include <deque>
#include <vector>

namespace portcullis::fraud::alerts {

// ATT&CK "Financial Theft" (T1657): money moved out through the victim's account.
extern const QString FinancialTheft;

QString tr(const char *text);
bool isAttempt(const PaymentRecord &record);
// Starts the evidence of a new burst with earlier events, oldest first.
void seedEvidence(Alert &alert, std::vector<Mark> marks);
void addEvent(Alert &alert, const QByteArray &eventId);
bool burstRunning(const Burst &burst, qint64 nowMs, qint64 quietMs);
std::vector<Mark> marksOf(const std::deque<Attempt> &attempts);
Attempt attemptOf(const DetectorState &state, const PaymentRecord &record);

template<typename T>
void trimBefore(std::deque<T> &items, qint64 horizonMs)
{
    while (!items.empty() && items.front().timeMs <= horizonMs)
        items.pop_front();
}

// The state of the entity `name`, created on first use and marked as seen now.
template<typename T>
T &entityState(DetectorState &state, Table<T> &table, const QString &name)
{
    T &entity = table[entityKey(name)];
    entity.name = name;
    entity.lastSeenMs = state.nowMs;
    return entity;
}

enum class BurstStep { None, Started, Extended };

// Starts a burst when `hit`, seeding its evidence with `seed()`, or adds the
// record's event to a running one. Returns None when neither applies.
template<typename Seed>
BurstStep advanceBurst(DetectorState &state, const Context &context, Burst &burst, bool hit,
                       const char *ruleId, const QString &group, qint64 quietMs,
                       AlertSink &sink, const Seed &seed)
{
    if (!hit && !burstRunning(burst, state.nowMs, quietMs))
        return BurstStep::None;
    if (state.touch(burst, ruleId, group, quietMs, sink)) {
        seedEvidence(burst.alert, seed());
        return BurstStep::Started;
    }
    addEvent(burst.alert, context.record.eventId);
    return BurstStep::Extended;
}

} // namespace portcullis::fraud::alerts
