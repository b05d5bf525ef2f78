// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Internal state of FraudAlertDetector, shared by fraudalerts.cpp and
// fraudalertspatterns.cpp.

#include "detect/alert.h"
#include "detect/detector.h"
#include "fraud/fraudalerts.h"
#include "fraud/payment.h"

#include <QByteArray>
#include <QHash>
#include <QSet>
#include <QString>

#include <deque>
#include <unordered_map>
#include <vector>

namespace portcullis::fraud::alerts {

// One charge attempt as the patterns remember it.
struct Attempt
{
    qint64 timeMs = 0;
    quint64 card = 0;
    double amount = 0;
    bool declined = false;
    QByteArray eventId;
};

// Counts over a run of charge attempts: the whole window when a burst
// starts, then every attempt the burst adds.
struct AttemptFigures
{
    QSet<quint64> cards;
    int attempts = 0;
    int declines = 0;
    int small = 0;  // at most FraudAlertSettings::smallAmount

    void add(const Attempt &attempt, double smallAmount)
    {
        if (attempt.card)
            cards.insert(attempt.card);
        ++attempts;
        declines += attempt.declined ? 1 : 0;
        small += attempt.amount <= smallAmount ? 1 : 0;
    }
};

// A timed event id (refund, dispute, warning).
struct Mark
{
    qint64 timeMs = 0;
    QByteArray eventId;
    double amount = 0;
};

// The alert of one running burst.
struct Burst
{
    Alert alert;
    bool active = false;
    bool dirty = false;
};

// A remembered charge, for the refunds, disputes and warnings that name it.
struct ChargeInfo
{
    QString customer;
    QString merchant;
    quint64 card = 0;
    double amount = 0;
    qint64 timeMs = 0;
    bool paid = false;
    bool newCard = false;  // see FraudAlertSettings::fakeNewCardMs
};

// The history of one card across the platform, as the patterns need it.
struct CardHistory
{
    qint64 firstSeenMs = 0;
    qint64 lastSeenMs = 0;
    quint64 paidBy = 0;  // entityKey of the last customer who paid with it; 0 for none
};

// Attempts of one IP address, device or customer.
struct AttemptTrack
{
    QString name;  // the entity as written
    std::deque<Attempt> attempts;
    Burst burst;
    AttemptFigures figures;  // of the running burst
    QSet<QString> burstCountries;
    qint64 lastSeenMs = 0;
};

struct CustomerState
{
    QString name;
    std::deque<qint64> paid;       // paid charges within the history window
    std::deque<Mark> refunds;      // within the history window
    std::deque<Mark> disputes;     // within the history window
    std::deque<Mark> quickRefunds; // refunds of the customer's charges paid within the refund window
    double refundedAmount = 0;  // of the running refund abuse burst
    int burstRefunds = 0;       // of the running refund abuse burst
    Burst refundBurst;
    Burst friendlyBurst;
    qint64 lastSeenMs = 0;
};

struct MerchantState
{
    QString name;
    qint64 destinationChangedMs = -1;
    QByteArray destinationEvent;
    std::deque<Attempt> attempts;  // attempts with a new card within the window
    std::deque<Mark> aftermath;    // refunds, disputes, warnings of new-card charges
    Burst payoutBurst;
    Burst fakeBurst;
    AttemptFigures figures;  // of the fake bookings burst
    int burstAftermath = 0;
    qint64 lastSeenMs = 0;
};

template<typename T>
using Table = std::unordered_map<quint64, T>;

struct Context
{
    const FraudAlertSettings &settings;
    const PaymentRecord &record;
    QString customer;  // user.id, else the Stripe customer, else the charge's
    QString merchant;
    const ChargeInfo *charge = nullptr;  // the charge a refund, dispute or warning names
    bool newCard = false;     // the attempt's card, see FraudAlertSettings::fakeNewCardMs
    bool cardOnFile = false;  // the attempt's customer paid with its card before
};

struct DetectorState
{
    Table<AttemptTrack> testing[3];  // IP, device, customer
    Table<AttemptTrack> mismatch;    // IP
    Table<CustomerState> customers;
    Table<MerchantState> merchants;
    QHash<quint64, QString> userMerchant;  // shop owner's user id -> account (payout changes)
    std::unordered_map<quint64, CardHistory> cards;
    QHash<QByteArray, ChargeInfo> charges;
    std::deque<QByteArray> chargeOrder;
    std::vector<Burst *> dirty;
    qint64 nowMs = 0;
    qint64 lastSweepMs = 0;

    void markDirty(Burst &burst)
    {
        if (!burst.dirty)
            dirty.push_back(&burst);
        burst.dirty = true;
    }
    // Starts the burst's alert or adds the event to it; ends a burst idle for
    // longer than `quietMs` first.
    bool touch(Burst &burst, const char *ruleId, const QString &group, qint64 quietMs,
               AlertSink &sink);
    void sweep(const FraudAlertSettings &settings, AlertSink &sink);
};

// The patterns, in fraudalertspatterns.cpp. Each updates its state with the
// record and raises or updates its alert.
void cardTesting(DetectorState &state, const Context &context, AlertSink &sink);
void payoutTakeover(DetectorState &state, const Context &context, AlertSink &sink);
void refundAbuse(DetectorState &state, const Context &context, AlertSink &sink);
void friendlyFraud(DetectorState &state, const Context &context, AlertSink &sink);
void countryMismatch(DetectorState &state, const Context &context, AlertSink &sink);
void fakeBookings(DetectorState &state, const Context &context, AlertSink &sink);

// "$1,234.50"
QString money(double amount);

} // namespace portcullis::fraud::alerts
