// SPDX-License-Identifier: GPL-3.0-or-later
// The fraud alert patterns over customers and connected accounts: payout
// takeover, refund abuse and friendly fraud.
#include "detect/detectorsupport.h"
#include "fraud/fraudalertssupport.h"

#include <algorithm>

namespace portcullis::fraud::alerts {

namespace {

using detect::describeSpan;

void trimTimesBefore(std::deque<qint64> &times, qint64 horizonMs)
{
    while (!times.empty() && times.front() <= horizonMs)
        times.pop_front();
}

} // namespace

void payoutTakeover(DetectorState &state, const Context &context, AlertSink &sink)
{
    const PaymentRecord &record = context.record;
    const FraudAlertSettings &settings = context.settings;
    const QString user = context.customer;
    if (record.kind == PaymentKind::DestinationChange) {
        QString name = context.merchant;
        if (name.isEmpty())
            name = state.userMerchant.value(entityKey(user), user);
        if (name.isEmpty())
            return;
        MerchantState &merchant = entityState(state, state.merchants, name);
        merchant.destinationChangedMs = state.nowMs;
        merchant.destinationEvent = record.eventId;
        if (burstRunning(merchant.payoutBurst, state.nowMs, settings.payoutAfterChangeMs))
            addEvent(merchant.payoutBurst.alert, record.eventId);
        return;
    }
    if (context.merchant.isEmpty())
        return;
    if (!user.isEmpty())
        state.userMerchant.insert(entityKey(user), context.merchant);
    MerchantState &merchant = entityState(state, state.merchants, context.merchant);
    std::vector<Mark> changes;
    qint64 changedMs = -1;
    for (const QString &name : {context.merchant, user}) {
        const auto it = name.isEmpty() ? state.merchants.end() : state.merchants.find(entityKey(name));
        if (it == state.merchants.end() || it->second.destinationChangedMs < 0
            || state.nowMs - it->second.destinationChangedMs > settings.payoutAfterChangeMs)
            continue;
        changes.push_back({it->second.destinationChangedMs, it->second.destinationEvent, 0});
        changedMs = std::max(changedMs, it->second.destinationChangedMs);
    }
    if (changes.empty())
        return;

    const QString group = context.merchant + QLatin1Char('@') + QString::number(changedMs);
    Burst &burst = merchant.payoutBurst;
    const QByteArray changeMarker = '@' + QByteArray::number(changedMs) + '|';
    if (burst.active && !burst.alert.key.contains(changeMarker)) {
        if (burst.dirty)
            sink.upsertAlert(burst.alert);  // the payouts of an earlier change
        burst.dirty = false;
        burst.active = false;
    }
    changes.push_back({state.nowMs, record.eventId, record.amount});
    advanceBurst(state, context, burst, true, FraudAlertDetector::PayoutTakeoverRule, group,
                 settings.payoutAfterChangeMs, sink, [&] { return changes; });
    Alert &alert = burst.alert;
    const bool instant = record.reason == QLatin1String("instant");
    alert.title = tr("Payout after a payout destination change on %1").arg(context.merchant);
    alert.severity = instant ? Severity::Critical : Severity::High;
    alert.mitreTechnique = FinancialTheft;
    alert.entities.insert(QStringLiteral("stripe.account"), {context.merchant});
    if (!user.isEmpty())
        alert.entities.insert(QStringLiteral("user.id"), {user});
    alert.reason = tr("The payout destination of connected account %1 changed %2 before a %3 "
                      "payout of %4 was requested; a changed destination followed by a payout is "
                      "how a taken-over account is emptied.")
                       .arg(context.merchant, describeSpan(changedMs, state.nowMs),
                            instant ? tr("instant") : tr("standard"), money(record.amount));
}

void refundAbuse(DetectorState &state, const Context &context, AlertSink &sink)
{
    const PaymentRecord &record = context.record;
    const FraudAlertSettings &settings = context.settings;
    if (context.customer.isEmpty())
        return;
    CustomerState &customer = entityState(state, state.customers, context.customer);
    Burst &burst = customer.refundBurst;
    const qint64 windowMs = settings.refundWindowMs;
    if (record.kind != PaymentKind::Refund) {
        // A dispute after the refunds belongs to the same abuse.
        advanceBurst(state, context, burst, false, FraudAlertDetector::RefundAbuseRule,
                     context.customer, windowMs, sink, [] { return std::vector<Mark>(); });
        return;
    }
    const Mark refund{state.nowMs, record.eventId, record.amount};
    customer.refunds.push_back(refund);
    trimBefore(customer.refunds, state.nowMs - settings.historyWindowMs);
    const bool ofRecentCharge = context.charge && context.charge->paid
        && state.nowMs - context.charge->timeMs <= windowMs;
    if (ofRecentCharge)
        customer.quickRefunds.push_back(refund);
    trimBefore(customer.quickRefunds, state.nowMs - windowMs);

    int paid = 0;
    for (auto it = customer.paid.rbegin();
         it != customer.paid.rend() && *it > state.nowMs - windowMs; ++it)
        ++paid;
    const int quick = int(customer.quickRefunds.size());
    const bool hit = ofRecentCharge && quick >= settings.refundCount
        && quick >= settings.refundShare * paid;
    const BurstStep step = advanceBurst(
        state, context, burst, hit, FraudAlertDetector::RefundAbuseRule, context.customer,
        windowMs, sink, [&] {
            return std::vector<Mark>(customer.quickRefunds.begin(), customer.quickRefunds.end());
        });
    if (step == BurstStep::None)
        return;
    if (step == BurstStep::Started) {
        customer.burstRefunds = quick;
        customer.refundedAmount = 0;
        for (const Mark &mark : customer.quickRefunds)
            customer.refundedAmount += mark.amount;
    } else if (ofRecentCharge) {
        ++customer.burstRefunds;
        customer.refundedAmount += record.amount;
    }
    Alert &alert = burst.alert;
    alert.title = tr("Refund abuse by customer %1").arg(context.customer);
    alert.severity = Severity::Medium;
    alert.entities.insert(QStringLiteral("user.id"), {context.customer});
    alert.reason = tr("Customer %1 had %2 charges refunded, each within %3 of paying for it, %4 "
                      "in total over %5, against %6 paid charges in the last %3; paying for "
                      "bookings and having them refunded again and again points to refund abuse.")
                       .arg(context.customer)
                       .arg(customer.burstRefunds)
                       .arg(describeSpan(0, windowMs), money(customer.refundedAmount),
                            describeSpan(alert.firstSeenMs, alert.lastSeenMs))
                       .arg(paid);
}

void friendlyFraud(DetectorState &state, const Context &context, AlertSink &sink)
{
    const PaymentRecord &record = context.record;
    const FraudAlertSettings &settings = context.settings;
    if (context.customer.isEmpty())
        return;
    CustomerState &customer = entityState(state, state.customers, context.customer);
    const qint64 horizon = state.nowMs - settings.historyWindowMs;
    trimTimesBefore(customer.paid, horizon);
    trimBefore(customer.refunds, horizon);
    trimBefore(customer.disputes, horizon);
    if (isAttempt(record)) {
        customer.paid.push_back(state.nowMs);
        return;
    }
    if (record.kind != PaymentKind::Dispute)
        return;
    const int paid = int(customer.paid.size());
    const int refunds = int(customer.refunds.size());
    const int disputes = int(customer.disputes.size());
    std::vector<Mark> history(customer.refunds.begin(), customer.refunds.end());
    history.insert(history.end(), customer.disputes.begin(), customer.disputes.end());
    history.push_back({state.nowMs, record.eventId, record.amount});
    customer.disputes.push_back(history.back());
    // Only a charge the detector saw paid shows that the customer paid it.
    // A dispute of an unknown charge may be a card holder's honest claim.
    const bool chargePaid = context.charge && context.charge->paid;
    const bool hit = chargePaid && paid >= settings.friendlyPaidCharges && disputes >= 1
        && refunds + disputes >= settings.friendlyShare * paid;
    Burst &burst = customer.friendlyBurst;
    if (advanceBurst(state, context, burst, hit, FraudAlertDetector::FriendlyFraudRule,
                     context.customer, settings.historyWindowMs, sink,
                     [&] { return history; })
        == BurstStep::None)
        return;
    Alert &alert = burst.alert;
    alert.title = tr("Friendly fraud risk: customer %1 disputes a paid charge").arg(context.customer);
    alert.severity = Severity::Medium;
    alert.entities.insert(QStringLiteral("user.id"), {context.customer});
    alert.reason = tr("Customer %1 disputed a paid charge of %2 (reason: %3) after %4 paid "
                      "charges, %5 refunds and %6 earlier disputes in the last 90 days; a customer "
                      "with this history disputing a delivered service is a friendly fraud risk.")
                       .arg(context.customer, money(record.amount),
                            record.reason.isEmpty() ? tr("none given") : record.reason)
                       .arg(paid)
                       .arg(refunds)
                       .arg(disputes);
}

} // namespace portcullis::fraud::alerts
