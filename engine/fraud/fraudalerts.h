// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "detect/detector.h"
#include "fraud/fraudengine.h"

#include <QStringList>
#include <QVector>

#include <memory>

namespace portcullis::fraud {

// Thresholds of the fraud alert patterns. docs/detections.md ("Payment
// fraud") explains each pattern.
struct FraudAlertSettings
{
    // Card testing: within `cardTestingWindowMs`, one IP address, device or
    // customer tries at least `cardTestingCards` distinct cards and either
    // `cardTestingDeclines` attempts are declined or `cardTestingSmall`
    // attempts are at most `smallAmount` dollars.
    qint64 cardTestingWindowMs = 3600LL * 1000;
    int cardTestingCards = 5;
    int cardTestingDeclines = 5;
    int cardTestingSmall = 8;
    double smallAmount = 10.0;

    // Payout takeover: a payout of a connected account within this time after
    // its payout destination changed.
    qint64 payoutAfterChangeMs = 48LL * 3600 * 1000;

    // Refund abuse: within the window, at least `refundCount` refunds of
    // charges the customer paid within the window before the refund, and
    // those refunds at least `refundShare` of the customer's paid charges in
    // the window. A customer who cancels a booking made days ago is not
    // counted; one who pays and has it refunded again and again is.
    // NOTE: a refund of a charge the detector does not remember (paid before
    // it started, or older than its last 200,000 charges) is never counted.
    qint64 refundWindowMs = 24LL * 3600 * 1000;
    int refundCount = 4;
    double refundShare = 0.3;

    // Friendly fraud: a dispute of a charge the detector saw the customer pay.
    // The customer has at least `friendlyPaidCharges` paid charges and an
    // earlier dispute within the history window, and their refunds and
    // disputes come to at least `friendlyShare` of those charges.
    qint64 historyWindowMs = 90LL * 24 * 3600 * 1000;
    int friendlyPaidCharges = 2;
    double friendlyShare = 0.25;

    // Country mismatch: charge attempts from one IP address whose card was
    // issued in another country than the address is in, within the window.
    // An attempt counts unless its customer already paid with that card, so
    // a regular customer with a foreign card on file counts once at most.
    qint64 mismatchWindowMs = 24LL * 3600 * 1000;
    int mismatchAttempts = 3;
    int mismatchCards = 2;

    // Fake bookings: on one connected account within the window, at least
    // `fakeAttempts` attempts by `fakeNewCards` new cards, a decline rate of
    // `fakeDeclineRate` or more, and at least `fakeAftermath` refunds,
    // disputes or early fraud warnings of charges with a new card. A card is
    // new while the platform first saw it less than `fakeNewCardMs` ago, so a
    // stolen card tried once or twice counts and a regular customer's card
    // counts only on its first visit.
    qint64 fakeWindowMs = 24LL * 3600 * 1000;
    qint64 fakeNewCardMs = 3600LL * 1000;
    int fakeAttempts = 10;
    int fakeNewCards = 6;
    double fakeDeclineRate = 0.3;
    int fakeAftermath = 2;

    // Decisions kept until takeDecisions(); the oldest go first beyond it.
    int maxPendingDecisions = 100000;
};

// Raises payment fraud alerts (card testing, payout takeover, refund abuse,
// friendly fraud, card and IP country mismatch, fake bookings on one
// connected account) and scores every payment with a FraudEngine. The
// decisions wait in the detector until takeDecisions(), so the pipeline can
// store them with FraudStore in the transaction of the batch.
class FraudAlertDetector : public Detector
{
public:
    static constexpr char CardTestingRule[] = "fraud-card-testing";
    static constexpr char PayoutTakeoverRule[] = "fraud-payout-takeover";
    static constexpr char RefundAbuseRule[] = "fraud-refund-abuse";
    static constexpr char FriendlyFraudRule[] = "fraud-friendly-fraud";
    static constexpr char CountryMismatchRule[] = "fraud-country-mismatch";
    static constexpr char FakeBookingsRule[] = "fraud-fake-bookings";

    explicit FraudAlertDetector(std::unique_ptr<FraudEngine> engine = {},
                                const FraudAlertSettings &settings = {});
    ~FraudAlertDetector() override;

    QString ruleId() const override { return QStringLiteral("fraud"); }
    void processEvent(const Event &event, AlertSink &sink) override;
    void flush(AlertSink &sink) override;
    void finish(AlertSink &sink) override;

    // The scored decisions made since the last call, in event order.
    QVector<Decision> takeDecisions();
    // Decisions dropped because takeDecisions() was not called in time.
    qint64 droppedDecisions() const { return m_droppedDecisions; }
    // Off: payments still feed the patterns but no decision is kept (replay
    // of already stored events).
    void setKeepDecisions(bool keep) { m_keepDecisions = keep; }

    FraudEngine &engine() { return *m_engine; }
    const FraudAlertSettings &settings() const { return m_settings; }

    // Every rule id this detector raises.
    static QStringList patternRuleIds();

private:
    struct State;
    std::unique_ptr<FraudEngine> m_engine;
    FraudAlertSettings m_settings;
    std::unique_ptr<State> m_state;
    QVector<Decision> m_decisions;
    qint64 m_droppedDecisions = 0;
    bool m_keepDecisions = true;
};

} // namespace portcullis::fraud
