// SPDX-License-Identifier: GPL-3.0-or-later
#include "detect/detectorsupport.h"
#include "fraud/fraudalertsstate.h"

#include <QCoreApplication>

#include <algorithm>

namespace portcullis::fraud::alerts {

namespace {

using detect::appendEvidence;
using detect::describeSpan;

// ATT&CK "Financial Theft": money moved out through the victim's account.
const QString FinancialTheft = QStringLiteral("T1657");

QString tr(const char *text)
{
    return QCoreApplication::translate("portcullis::fraud", text);
}

template<typename T>
void trimBefore(std::deque<T> &items, qint64 horizonMs)
{
    while (!items.empty() && items.front().timeMs <= horizonMs)
        items.pop_front();
}

void trimTimesBefore(std::deque<qint64> &times, qint64 horizonMs)
{
    while (!times.empty() && times.front() <= horizonMs)
        times.pop_front();
}

bool isAttempt(const PaymentRecord &record)
{
    return record.kind == PaymentKind::Charge || record.kind == PaymentKind::PaymentFailure;
}

// Starts the evidence of a new burst with earlier events, oldest first.
void seedEvidence(Alert &alert, std::vector<Mark> marks)
{
    std::stable_sort(marks.begin(), marks.end(),
                     [](const Mark &a, const Mark &b) { return a.timeMs < b.timeMs; });
    for (const Mark &mark : marks)
        appendEvidence(alert.evidence, mark.eventId);
    alert.eventCount = qint64(marks.size());
    if (!marks.empty())
        alert.firstSeenMs = std::min(alert.firstSeenMs, marks.front().timeMs);
}

void addEvent(Alert &alert, const QByteArray &eventId)
{
    appendEvidence(alert.evidence, eventId);
    ++alert.eventCount;
}

bool burstRunning(const Burst &burst, qint64 nowMs, qint64 quietMs)
{
    return burst.active && nowMs - burst.alert.lastSeenMs <= quietMs;
}

QString sortedJoin(const QSet<QString> &values)
{
    QStringList list(values.begin(), values.end());
    list.sort();
    return list.join(QStringLiteral(", "));
}

void updateTestingAlert(AttemptTrack &track, const char *field, const char *kindName,
                        const FraudAlertSettings &settings)
{
    Alert &alert = track.burst.alert;
    alert.title = tr("Card testing from %1 %2").arg(tr(kindName), track.name);
    alert.severity = Severity::High;
    alert.entities.insert(QLatin1String(field), {track.name});
    alert.reason = tr("%1 charge attempts from %2 %3 used %4 different cards within %5: %6 were "
                      "declined and %7 were for %8 or less.")
                       .arg(alert.eventCount)
                       .arg(tr(kindName), track.name)
                       .arg(track.burstCards.size())
                       .arg(describeSpan(alert.firstSeenMs, alert.lastSeenMs))
                       .arg(track.burstDeclines)
                       .arg(track.burstSmall)
                       .arg(money(settings.smallAmount));
}

} // namespace

void cardTesting(DetectorState &state, const Context &context, AlertSink &sink)
{
    const PaymentRecord &record = context.record;
    const FraudAlertSettings &settings = context.settings;
    if (!isAttempt(record))
        return;
    struct Group
    {
        const QString *name;
        const char *field;
        const char *kindName;
    };
    const Group groups[3] = {
        {&record.ipAddress, "source.ip", QT_TRANSLATE_NOOP("portcullis::fraud", "IP address")},
        {&record.deviceId, "device.id", QT_TRANSLATE_NOOP("portcullis::fraud", "device")},
        {&context.customer, "user.id", QT_TRANSLATE_NOOP("portcullis::fraud", "customer")},
    };
    const Attempt attempt{state.nowMs, record.key(EntityKind::Card), record.amount,
                          !record.succeeded, false, record.eventId};
    for (int i = 0; i < 3; ++i) {
        const QString &name = *groups[i].name;
        if (name.isEmpty())
            continue;
        AttemptTrack &track = state.testing[i][entityKey(name)];
        track.name = name;
        track.lastSeenMs = state.nowMs;
        track.attempts.push_back(attempt);
        trimBefore(track.attempts, state.nowMs - settings.cardTestingWindowMs);

        QSet<quint64> cards;
        int declines = 0;
        int small = 0;
        for (const Attempt &a : track.attempts) {
            if (a.card)
                cards.insert(a.card);
            declines += a.declined ? 1 : 0;
            small += a.amount <= settings.smallAmount ? 1 : 0;
        }
        const bool hit = cards.size() >= settings.cardTestingCards
            && (declines >= settings.cardTestingDeclines || small >= settings.cardTestingSmall);
        if (!hit && !burstRunning(track.burst, state.nowMs, settings.cardTestingWindowMs))
            continue;
        const QString group = QLatin1String(groups[i].field) + QLatin1Char(':') + name;
        if (state.touch(track.burst, FraudAlertDetector::CardTestingRule, group,
                        settings.cardTestingWindowMs, sink)) {
            std::vector<Mark> marks;
            for (const Attempt &a : track.attempts)
                marks.push_back({a.timeMs, a.eventId, a.amount});
            seedEvidence(track.burst.alert, marks);
            track.burstCards = cards;
            track.burstDeclines = declines;
            track.burstSmall = small;
        } else {
            addEvent(track.burst.alert, record.eventId);
            if (attempt.card)
                track.burstCards.insert(attempt.card);
            track.burstDeclines += attempt.declined ? 1 : 0;
            track.burstSmall += attempt.amount <= settings.smallAmount ? 1 : 0;
        }
        updateTestingAlert(track, groups[i].field, groups[i].kindName, settings);
    }
}

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
        MerchantState &merchant = state.merchants[entityKey(name)];
        merchant.name = name;
        merchant.lastSeenMs = state.nowMs;
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
    MerchantState &merchant = state.merchants[entityKey(context.merchant)];
    merchant.name = context.merchant;
    merchant.lastSeenMs = state.nowMs;
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
    if (state.touch(burst, FraudAlertDetector::PayoutTakeoverRule, group,
                    settings.payoutAfterChangeMs, sink)) {
        changes.push_back({state.nowMs, record.eventId, record.amount});
        seedEvidence(burst.alert, changes);
    } else {
        addEvent(burst.alert, record.eventId);
    }
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
    CustomerState &customer = state.customers[entityKey(context.customer)];
    customer.name = context.customer;
    customer.lastSeenMs = state.nowMs;
    Burst &burst = customer.refundBurst;
    if (record.kind != PaymentKind::Refund) {
        // A dispute after the refunds belongs to the same abuse.
        if (burstRunning(burst, state.nowMs, settings.refundWindowMs)) {
            state.touch(burst, FraudAlertDetector::RefundAbuseRule, context.customer,
                        settings.refundWindowMs, sink);
            addEvent(burst.alert, record.eventId);
        }
        return;
    }
    customer.refunds.push_back({state.nowMs, record.eventId, record.amount});
    trimBefore(customer.refunds, state.nowMs - settings.historyWindowMs);
    std::vector<Mark> recent;
    for (auto it = customer.refunds.rbegin(); it != customer.refunds.rend(); ++it) {
        if (it->timeMs <= state.nowMs - settings.refundWindowMs)
            break;
        recent.push_back(*it);
    }
    int paid = 0;
    for (auto it = customer.paid.rbegin();
         it != customer.paid.rend() && *it > state.nowMs - settings.refundWindowMs; ++it)
        ++paid;
    const bool hit = int(recent.size()) >= settings.refundCount
        && recent.size() >= settings.refundShare * paid;
    if (!hit && !burstRunning(burst, state.nowMs, settings.refundWindowMs))
        return;
    if (state.touch(burst, FraudAlertDetector::RefundAbuseRule, context.customer,
                    settings.refundWindowMs, sink)) {
        seedEvidence(burst.alert, recent);
        customer.refundedAmount = 0;
        for (const Mark &mark : recent)
            customer.refundedAmount += mark.amount;
    } else {
        addEvent(burst.alert, record.eventId);
        customer.refundedAmount += record.amount;
    }
    Alert &alert = burst.alert;
    alert.title = tr("Refund abuse by customer %1").arg(context.customer);
    alert.severity = Severity::Medium;
    alert.entities.insert(QStringLiteral("user.id"), {context.customer});
    alert.reason = tr("Customer %1 had %2 charges refunded within %3, %4 in total, against %5 "
                      "paid charges in the last %6; repeated refunds of paid bookings point to "
                      "refund abuse.")
                       .arg(context.customer)
                       .arg(alert.eventCount)
                       .arg(describeSpan(alert.firstSeenMs, alert.lastSeenMs),
                            money(customer.refundedAmount))
                       .arg(paid)
                       .arg(describeSpan(0, settings.refundWindowMs));
}

void friendlyFraud(DetectorState &state, const Context &context, AlertSink &sink)
{
    const PaymentRecord &record = context.record;
    const FraudAlertSettings &settings = context.settings;
    if (context.customer.isEmpty())
        return;
    CustomerState &customer = state.customers[entityKey(context.customer)];
    customer.name = context.customer;
    customer.lastSeenMs = state.nowMs;
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
    customer.disputes.push_back({state.nowMs, record.eventId, record.amount});
    const bool chargePaid = !context.charge || context.charge->paid;
    const bool hit = chargePaid && paid >= settings.friendlyPaidCharges && disputes >= 1
        && refunds + disputes >= settings.friendlyShare * paid;
    Burst &burst = customer.friendlyBurst;
    if (!hit && !burstRunning(burst, state.nowMs, settings.historyWindowMs))
        return;
    if (state.touch(burst, FraudAlertDetector::FriendlyFraudRule, context.customer,
                    settings.historyWindowMs, sink)) {
        history.push_back({state.nowMs, record.eventId, record.amount});
        seedEvidence(burst.alert, history);
    } else {
        addEvent(burst.alert, record.eventId);
    }
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

void countryMismatch(DetectorState &state, const Context &context, AlertSink &sink)
{
    const PaymentRecord &record = context.record;
    const FraudAlertSettings &settings = context.settings;
    if (!isAttempt(record) || record.ipAddress.isEmpty() || record.cardCountry.isEmpty()
        || record.ipCountry.isEmpty()
        || record.cardCountry.compare(record.ipCountry, Qt::CaseInsensitive) == 0)
        return;
    AttemptTrack &track = state.mismatch[entityKey(record.ipAddress)];
    track.name = record.ipAddress;
    track.lastSeenMs = state.nowMs;
    const Attempt attempt{state.nowMs, record.key(EntityKind::Card), record.amount,
                          !record.succeeded, false, record.eventId};
    track.attempts.push_back(attempt);
    trimBefore(track.attempts, state.nowMs - settings.mismatchWindowMs);
    QSet<quint64> cards;
    int declines = 0;
    for (const Attempt &a : track.attempts) {
        if (a.card)
            cards.insert(a.card);
        declines += a.declined ? 1 : 0;
    }
    const bool hit = int(track.attempts.size()) >= settings.mismatchAttempts
        && cards.size() >= settings.mismatchCards;
    if (!hit && !burstRunning(track.burst, state.nowMs, settings.mismatchWindowMs))
        return;
    if (state.touch(track.burst, FraudAlertDetector::CountryMismatchRule, record.ipAddress,
                    settings.mismatchWindowMs, sink)) {
        std::vector<Mark> marks;
        for (const Attempt &a : track.attempts)
            marks.push_back({a.timeMs, a.eventId, a.amount});
        seedEvidence(track.burst.alert, marks);
        track.burstCards = cards;
        track.burstDeclines = declines;
        track.burstCountries.clear();
    } else {
        addEvent(track.burst.alert, record.eventId);
        if (attempt.card)
            track.burstCards.insert(attempt.card);
        track.burstDeclines += attempt.declined ? 1 : 0;
    }
    track.burstCountries.insert(record.cardCountry.toUpper());
    Alert &alert = track.burst.alert;
    alert.title = tr("Cards from other countries than IP address %1").arg(record.ipAddress);
    alert.severity = Severity::Medium;
    alert.entities.insert(QStringLiteral("source.ip"), {record.ipAddress});
    alert.reason = tr("%1 charge attempts from %2, an address in %3, used %4 cards issued in "
                      "other countries (%5) within %6; %7 were declined.")
                       .arg(alert.eventCount)
                       .arg(record.ipAddress, record.ipCountry.toUpper())
                       .arg(track.burstCards.size())
                       .arg(sortedJoin(track.burstCountries),
                            describeSpan(alert.firstSeenMs, alert.lastSeenMs))
                       .arg(track.burstDeclines);
}

void fakeBookings(DetectorState &state, const Context &context, AlertSink &sink)
{
    const PaymentRecord &record = context.record;
    const FraudAlertSettings &settings = context.settings;
    if (context.merchant.isEmpty())
        return;
    const bool attempt = isAttempt(record);
    if (!attempt && !(context.charge && context.charge->newCard))
        return;
    MerchantState &merchant = state.merchants[entityKey(context.merchant)];
    merchant.name = context.merchant;
    merchant.lastSeenMs = state.nowMs;
    if (attempt)
        merchant.attempts.push_back({state.nowMs, record.key(EntityKind::Card), record.amount,
                                     !record.succeeded, true, record.eventId});
    else
        merchant.aftermath.push_back({state.nowMs, record.eventId, record.amount});
    const qint64 horizon = state.nowMs - settings.fakeWindowMs;
    trimBefore(merchant.attempts, horizon);
    trimBefore(merchant.aftermath, horizon);

    QSet<quint64> cards;
    int declines = 0;
    for (const Attempt &a : merchant.attempts) {
        if (a.card)
            cards.insert(a.card);
        declines += a.declined ? 1 : 0;
    }
    const int attempts = int(merchant.attempts.size());
    const int aftermath = int(merchant.aftermath.size());
    const bool hit = attempts >= settings.fakeAttempts && cards.size() >= settings.fakeNewCards
        && declines >= settings.fakeDeclineRate * attempts && aftermath >= settings.fakeAftermath;
    Burst &burst = merchant.fakeBurst;
    if (!hit && !burstRunning(burst, state.nowMs, settings.fakeWindowMs))
        return;
    if (state.touch(burst, FraudAlertDetector::FakeBookingsRule, context.merchant,
                    settings.fakeWindowMs, sink)) {
        std::vector<Mark> marks(merchant.aftermath.begin(), merchant.aftermath.end());
        for (const Attempt &a : merchant.attempts)
            marks.push_back({a.timeMs, a.eventId, a.amount});
        seedEvidence(burst.alert, marks);
        merchant.burstCards = cards;
        merchant.burstAttempts = attempts;
        merchant.burstDeclines = declines;
        merchant.burstAftermath = aftermath;
    } else {
        addEvent(burst.alert, record.eventId);
        if (attempt) {
            ++merchant.burstAttempts;
            merchant.burstDeclines += record.succeeded ? 0 : 1;
            if (record.key(EntityKind::Card))
                merchant.burstCards.insert(record.key(EntityKind::Card));
        } else {
            ++merchant.burstAftermath;
        }
    }
    Alert &alert = burst.alert;
    const int rate = merchant.burstAttempts > 0
        ? int(100.0 * merchant.burstDeclines / merchant.burstAttempts + 0.5)
        : 0;
    alert.title = tr("Bookings paid with many new cards on %1").arg(context.merchant);
    alert.severity = Severity::High;
    alert.mitreTechnique = FinancialTheft;
    alert.entities.insert(QStringLiteral("stripe.account"), {context.merchant});
    alert.reason = tr("Connected account %1 took %2 payment attempts with %3 cards new to the "
                      "platform within %4; %5 were declined (%6%) and %7 refunds, disputes or "
                      "early fraud warnings followed, the pattern of fake bookings paid with "
                      "stolen cards.")
                       .arg(context.merchant)
                       .arg(merchant.burstAttempts)
                       .arg(merchant.burstCards.size())
                       .arg(describeSpan(alert.firstSeenMs, alert.lastSeenMs))
                       .arg(merchant.burstDeclines)
                       .arg(rate)
                       .arg(merchant.burstAftermath);
}

} // namespace portcullis::fraud::alerts
