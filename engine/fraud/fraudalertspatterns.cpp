// SPDX-License-Identifier: GPL-3.0-or-later
// The fraud alert patterns over charge attempts: card testing, cards from
// other countries than the IP address, and fake bookings on one account.
#include "detect/detectorsupport.h"
#include "fraud/fraudalertssupport.h"

#include <algorithm>

namespace portcullis::fraud::alerts {

namespace {

using detect::describeSpan;

AttemptFigures figuresOf(const std::deque<Attempt> &attempts, double smallAmount)
{
    AttemptFigures figures;
    for (const Attempt &attempt : attempts)
        figures.add(attempt, smallAmount);
    return figures;
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
                       .arg(track.figures.cards.size())
                       .arg(describeSpan(alert.firstSeenMs, alert.lastSeenMs))
                       .arg(track.figures.declines)
                       .arg(track.figures.small)
                       .arg(money(settings.smallAmount));
}

// Opens or extends the burst of one attempt track and keeps its figures.
template<typename Hit>
bool advanceTrack(DetectorState &state, const Context &context, AttemptTrack &track,
                  const char *ruleId, const QString &group, qint64 windowMs, AlertSink &sink,
                  const Hit &isHit)
{
    const double small = context.settings.smallAmount;
    const Attempt attempt = attemptOf(state, context.record);
    track.attempts.push_back(attempt);
    trimBefore(track.attempts, state.nowMs - windowMs);
    const AttemptFigures window = figuresOf(track.attempts, small);
    const BurstStep step = advanceBurst(state, context, track.burst, isHit(window), ruleId,
                                        group, windowMs, sink,
                                        [&] { return marksOf(track.attempts); });
    if (step == BurstStep::Started) {
        track.figures = window;
        track.burstCountries.clear();
    } else if (step == BurstStep::Extended) {
        track.figures.add(attempt, small);
    }
    return step != BurstStep::None;
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
    const auto isHit = [&settings](const AttemptFigures &window) {
        return window.cards.size() >= settings.cardTestingCards
            && (window.declines >= settings.cardTestingDeclines
                || window.small >= settings.cardTestingSmall);
    };
    for (int i = 0; i < 3; ++i) {
        const QString &name = *groups[i].name;
        if (name.isEmpty())
            continue;
        AttemptTrack &track = entityState(state, state.testing[i], name);
        const QString group = QLatin1String(groups[i].field) + QLatin1Char(':') + name;
        if (advanceTrack(state, context, track, FraudAlertDetector::CardTestingRule, group,
                         settings.cardTestingWindowMs, sink, isHit))
            updateTestingAlert(track, groups[i].field, groups[i].kindName, settings);
    }
}

void countryMismatch(DetectorState &state, const Context &context, AlertSink &sink)
{
    const PaymentRecord &record = context.record;
    const FraudAlertSettings &settings = context.settings;
    if (!isAttempt(record) || context.cardOnFile || record.ipAddress.isEmpty()
        || record.cardCountry.isEmpty() || record.ipCountry.isEmpty()
        || record.cardCountry.compare(record.ipCountry, Qt::CaseInsensitive) == 0)
        return;
    AttemptTrack &track = entityState(state, state.mismatch, record.ipAddress);
    const auto isHit = [&settings](const AttemptFigures &window) {
        return window.attempts >= settings.mismatchAttempts
            && window.cards.size() >= settings.mismatchCards;
    };
    if (!advanceTrack(state, context, track, FraudAlertDetector::CountryMismatchRule,
                      record.ipAddress, settings.mismatchWindowMs, sink, isHit))
        return;
    track.burstCountries.insert(record.cardCountry.toUpper());
    Alert &alert = track.burst.alert;
    alert.title = tr("Cards from other countries than IP address %1").arg(record.ipAddress);
    alert.severity = Severity::Medium;
    alert.entities.insert(QStringLiteral("source.ip"), {record.ipAddress});
    alert.reason = tr("%1 charge attempts from %2, an address in %3, used %4 cards issued in "
                      "other countries (%5) within %6, none of them on file with the paying "
                      "customer; %7 were declined.")
                       .arg(alert.eventCount)
                       .arg(record.ipAddress, record.ipCountry.toUpper())
                       .arg(track.figures.cards.size())
                       .arg(sortedJoin(track.burstCountries),
                            describeSpan(alert.firstSeenMs, alert.lastSeenMs))
                       .arg(track.figures.declines);
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
    MerchantState &merchant = entityState(state, state.merchants, context.merchant);
    if (attempt)
        merchant.attempts.push_back(attemptOf(state, record));
    else
        merchant.aftermath.push_back({state.nowMs, record.eventId, record.amount});
    const qint64 horizon = state.nowMs - settings.fakeWindowMs;
    trimBefore(merchant.attempts, horizon);
    trimBefore(merchant.aftermath, horizon);

    const AttemptFigures window = figuresOf(merchant.attempts, settings.smallAmount);
    const int aftermath = int(merchant.aftermath.size());
    const bool hit = window.attempts >= settings.fakeAttempts
        && window.cards.size() >= settings.fakeNewCards
        && window.declines >= settings.fakeDeclineRate * window.attempts
        && aftermath >= settings.fakeAftermath;
    Burst &burst = merchant.fakeBurst;
    const BurstStep step = advanceBurst(
        state, context, burst, hit, FraudAlertDetector::FakeBookingsRule, context.merchant,
        settings.fakeWindowMs, sink, [&] {
            std::vector<Mark> marks(merchant.aftermath.begin(), merchant.aftermath.end());
            const std::vector<Mark> attempts = marksOf(merchant.attempts);
            marks.insert(marks.end(), attempts.begin(), attempts.end());
            return marks;
        });
    if (step == BurstStep::None)
        return;
    if (step == BurstStep::Started) {
        merchant.figures = window;
        merchant.burstAftermath = aftermath;
    } else if (attempt) {
        merchant.figures.add(attemptOf(state, record), settings.smallAmount);
    } else {
        ++merchant.burstAftermath;
    }
    const AttemptFigures &figures = merchant.figures;
    Alert &alert = burst.alert;
    const int rate = figures.attempts > 0
        ? int(100.0 * figures.declines / figures.attempts + 0.5)
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
                       .arg(figures.attempts)
                       .arg(figures.cards.size())
                       .arg(describeSpan(alert.firstSeenMs, alert.lastSeenMs))
                       .arg(figures.declines)
                       .arg(rate)
                       .arg(merchant.burstAftermath);
}

} // namespace portcullis::fraud::alerts
