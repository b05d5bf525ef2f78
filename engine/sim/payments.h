// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "sim/population.h"

#include <QJsonObject>
#include <QStringList>

namespace portcullis::sim {

class ActivityWriter;
class Generator;
struct AttackLabel;

// The decision of the card network and Radar on one charge.
enum class ChargeResult : quint8 {
    Authorized,
    IssuerDeclined, // card_declined, insufficient_funds, expired_card, incorrect_cvc, ...
    Blocked, // Radar's default block rule (highest risk)
};

struct ChargeInput {
    const Person *customer = nullptr; // nullptr for a guest checkout
    Card card;
    qint64 amount = 3500; // minor units (cents)
    QString connectedAccount; // the shop owner's "acct_..."
    QString description;
    ChargeResult result = ChargeResult::Authorized;
    QString declineCode; // for IssuerDeclined
    bool cvcFails = false;
    bool postalFails = false;
    int riskScore = 10;
};

// Stripe-shaped objects (the fields a fraud engine reads), filled from the
// simulator's own state. Ids are random "ch_", "re_", "dp_", ... strings.
QJsonObject makeCharge(SimRandom &random, qint64 timeMs, const ChargeInput &input);
QJsonObject makeRefund(
    SimRandom &random, qint64 timeMs, const QJsonObject &charge, const QString &reason);
QJsonObject makeDispute(
    SimRandom &random, qint64 timeMs, const QJsonObject &charge, const QString &reason);
QJsonObject makeEarlyFraudWarning(
    SimRandom &random, qint64 timeMs, const QJsonObject &charge, const QString &fraudType);
QJsonObject makePayout(SimRandom &random, qint64 timeMs, qint64 amount, const QString &destination,
    const QString &status, bool instant);
QJsonObject makeExternalAccount(const QString &id, const QString &account, SimRandom &random);

// Picks a realistic result for an honest customer's charge: about 4% issuer
// declines, 0.3% Radar blocks.
void pickHonestResult(SimRandom &random, ChargeInput *input);

// Payment fraud scenarios written here (friendly_fraud, card_country_mismatch,
// fake_bookings); the stand-in's scenarios.cpp adds them to its own list.
QStringList fraudScenarioNames();
// Writes a fraud scenario under the writer's label; false for an unknown name.
bool writeFraudScenario(const QString &name, ActivityWriter &writer, AttackLabel &label);
// Labels and writes a fraud scenario at `atMs` right away, for programs that
// drive a Generator themselves. Returns the label's index, -1 for an unknown name.
int scheduleFraudScenario(Generator &generator, const QString &name, qint64 atMs);

} // namespace portcullis::sim
