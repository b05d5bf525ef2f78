// SPDX-License-Identifier: GPL-3.0-or-later
#include "event/event.h"
#include "fraud/features.h"

#include <QRandomGenerator>
#include <QTest>

#include <cstring>

using namespace portcullis;
using namespace portcullis::fraud;

namespace {

constexpr qint64 Minute = 60 * 1000;
constexpr qint64 Hour = 60 * Minute;
constexpr qint64 Day = 24 * Hour;
constexpr qint64 T0 = 1700000000000;

PaymentRecord charge(qint64 time, quint64 card, double amount, bool succeeded = true)
{
    PaymentRecord r;
    r.kind = PaymentKind::Charge;
    r.timeMs = time;
    r.amount = amount;
    r.succeeded = succeeded;
    r.entity[int(EntityKind::Card)] = card;
    return r;
}

int velocity(const FeatureVector &f, EntityKind entity, feature::Counter counter, int window)
{
    return int(f[feature::velocity(entity, counter, window)]);
}

bool sameBits(const FeatureVector &a, const FeatureVector &b)
{
    return std::memcmp(a.data(), b.data(), sizeof(float) * a.size()) == 0;
}

} // namespace

class TestFraudFeatures : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void windowsExpire()
    {
        FeatureExtractor extractor;
        FeatureVector f;
        for (qint64 t : {T0, T0 + 30 * Minute, T0 + 59 * Minute})
            extractor.process(charge(t, 7, 10), &f);
        extractor.process(charge(T0 + Hour, 7, 10), &f);
        // The charge at T0 is exactly one hour old: outside the hourly window.
        QCOMPARE(velocity(f, EntityKind::Card, feature::TotalCharges, 0), 2);
        QCOMPARE(velocity(f, EntityKind::Card, feature::TotalCharges, 1), 3);
        QCOMPARE(f[feature::velocity(EntityKind::Card, feature::AmountInUsd, 1)], 30.f);

        extractor.process(charge(T0 + 25 * Hour, 7, 10), &f);
        QCOMPARE(velocity(f, EntityKind::Card, feature::TotalCharges, 0), 0);
        QCOMPARE(velocity(f, EntityKind::Card, feature::TotalCharges, 1), 0);
        QCOMPARE(velocity(f, EntityKind::Card, feature::TotalCharges, 2), 4);

        extractor.process(charge(T0 + 7 * Day + 26 * Hour, 7, 10), &f);
        QCOMPARE(velocity(f, EntityKind::Card, feature::TotalCharges, 2), 0);
        QCOMPARE(f[feature::velocity(EntityKind::Card, feature::AmountInUsd, 2)], 0.f);
    }

    void missingEntitiesAreMissing()
    {
        FeatureExtractor extractor;
        FeatureVector f;
        PaymentRecord r = charge(T0, 7, 10);
        extractor.process(r, &f);
        QVERIFY(isMissing(f[feature::velocity(EntityKind::Ip, feature::TotalCharges, 0)]));
        QVERIFY(isMissing(f[feature::CardsPerIpAddressDaily]));
        QVERIFY(isMissing(f[feature::CardCountryDiffersFromIpCountry]));
        QVERIFY(isMissing(f[feature::CvcCheckFailed]));
        QVERIFY(isMissing(f[feature::PayerAmountMean]));  // no history yet
        QCOMPARE(f[feature::PayerPaymentCount], 0.f);
        QCOMPARE(f[feature::velocity(EntityKind::Card, feature::TotalCharges, 0)], 0.f);

        r.entity[int(EntityKind::Ip)] = entityKey(u"198.51.100.7");
        r.timeMs += Minute;
        extractor.process(r, &f);
        QCOMPARE(f[feature::velocity(EntityKind::Ip, feature::TotalCharges, 0)], 0.f);
        QCOMPARE(f[feature::CardsPerIpAddressDaily], 1.f);
    }

    void declinesThenSuccess()
    {
        FeatureExtractor extractor;
        FeatureVector f;
        for (int i = 0; i < 3; ++i)
            extractor.process(charge(T0 + i * Minute, 9, 5, false), &f);
        QCOMPARE(f[feature::DeclinesBeforeSuccessHourly], 0.f);  // a decline itself
        extractor.process(charge(T0 + 10 * Minute, 9, 5, true), &f);
        QCOMPARE(f[feature::DeclinesBeforeSuccessHourly], 3.f);
        QCOMPARE(velocity(f, EntityKind::Card, feature::DeclinedCharges, 0), 3);
        QVERIFY(isMissing(f[feature::PayerAmountMean]));  // declines are not history
    }

    void amountAgainstHistory()
    {
        FeatureExtractor extractor;
        FeatureVector f;
        for (double amount : {10.0, 20.0, 30.0})
            extractor.process(charge(T0 + qint64(amount) * Minute, 3, amount), &f);
        extractor.process(charge(T0 + Hour, 3, 100), &f);
        QCOMPARE(f[feature::PayerAmountMean], 20.f);
        QCOMPARE(f[feature::PayerAmountMax], 30.f);
        QCOMPARE(f[feature::AmountToPayerMeanRatio], 5.f);
        QVERIFY(qAbs(f[feature::AmountToPayerMaxRatio] - 100.f / 30.f) < 1e-5f);
        QCOMPARE(f[feature::PayerPaymentCount], 3.f);
        extractor.process(charge(T0 + 2 * Hour, 3, 10), &f);
        QCOMPARE(f[feature::PayerHighRatioChargesWeekly], 1.f);
        QCOMPARE(f[feature::MinutesSinceCardFirstSeen], 110.f);
    }

    void eventsPerEntityCapped()
    {
        FeatureSettings settings;
        settings.maxEventsPerEntity = 8;
        FeatureExtractor extractor(settings);
        FeatureVector f;
        for (int i = 0; i < 20; ++i)
            extractor.process(charge(T0 + i * Minute, 1, 1), &f);
        QCOMPARE(velocity(f, EntityKind::Card, feature::TotalCharges, 0), 8);
        QCOMPARE(f[feature::velocity(EntityKind::Card, feature::AmountInUsd, 0)], 8.f);
    }

    void idleEntitiesExpire()
    {
        FeatureSettings settings;
        settings.idleExpiryMs = 3 * Day;
        FeatureExtractor extractor(settings);
        for (quint64 card = 1; card <= 50; ++card)
            extractor.process(charge(T0, card, 1), nullptr);
        QCOMPARE(extractor.entityCount(), qint64(50));
        extractor.process(charge(T0 + 4 * Day, 999, 1), nullptr);
        QCOMPARE(extractor.entityCount(), qint64(1));
    }

    void entitiesPerKindCapped()
    {
        FeatureSettings settings;
        settings.maxEntitiesPerKind = 100;
        FeatureExtractor extractor(settings);
        for (quint64 card = 1; card <= 1000; ++card)
            extractor.process(charge(T0 + qint64(card), card, 1), nullptr);
        QVERIFY(extractor.entityCount() <= 100);
        QVERIFY(extractor.entityCount() >= 90);
    }

    void labelReleasedAfterDelay()
    {
        FeatureExtractor extractor;  // 7-day delay
        FeatureVector f;
        PaymentRecord fraud = charge(T0, 1, 500);
        fraud.entity[int(EntityKind::Merchant)] = 42;
        fraud.label = 1;
        extractor.process(fraud, &f);

        PaymentRecord probe = charge(T0 + 7 * Day - 1000, 2, 10);
        probe.entity[int(EntityKind::Merchant)] = 42;
        probe.label = 0;
        extractor.process(probe, &f);
        QCOMPARE(f[feature::MerchantKnownFrauds28d], 0.f);
        QVERIFY(isMissing(f[feature::MerchantFraudRate28d]));

        probe.timeMs = T0 + 7 * Day;
        extractor.process(probe, &f);
        QCOMPARE(f[feature::MerchantKnownFrauds28d], 1.f);
        QCOMPARE(f[feature::MerchantKnownFraudsDaily], 1.f);
        QCOMPARE(f[feature::MerchantLabelledCharges28d], 1.f);
        QCOMPARE(f[feature::MerchantFraudRate28d], 1.f);

        probe.timeMs = T0 + 14 * Day - 500;
        extractor.process(probe, &f);
        QCOMPARE(f[feature::MerchantKnownFraudsDaily], 0.f);
        QCOMPARE(f[feature::MerchantKnownFraudsWeekly], 1.f);
        QCOMPARE(f[feature::MerchantLabelledCharges28d], 2.f);  // the first genuine probe too
        QCOMPARE(f[feature::MerchantFraudRate28d], 0.5f);
    }

    // Features of every payment before T + delay must not change when the
    // labels of payments at or after T change.
    void labelsNeverLeak()
    {
        const qint64 split = T0 + 15 * Day;
        std::vector<PaymentRecord> stream;
        QRandomGenerator random(11);
        for (int i = 0; i < 4000; ++i) {
            PaymentRecord r = charge(T0 + qint64(i) * 10 * Minute, 1 + random.bounded(60),
                1 + random.bounded(300));
            r.entity[int(EntityKind::Merchant)] = 1 + random.bounded(15);
            r.label = random.bounded(10) == 0 ? 1 : 0;
            stream.push_back(r);
        }
        std::vector<PaymentRecord> flipped = stream;
        for (PaymentRecord &r : flipped) {
            if (r.timeMs >= split)
                r.label = 1 - r.label;
        }
        FeatureExtractor a, b;
        FeatureVector fa, fb;
        int compared = 0, differentAfter = 0;
        for (size_t i = 0; i < stream.size(); ++i) {
            a.process(stream[i], &fa);
            b.process(flipped[i], &fb);
            if (stream[i].timeMs < split + 7 * Day) {
                QVERIFY2(sameBits(fa, fb), qPrintable(QStringLiteral("payment %1 saw a future label").arg(i)));
                ++compared;
            } else if (!sameBits(fa, fb)) {
                ++differentAfter;
            }
        }
        QVERIFY(compared > 3000);
        QVERIFY(differentAfter > 0);  // labels do reach the features once released
    }

    void signalsCountThroughTheCharge()
    {
        FeatureExtractor extractor;
        FeatureVector f;
        PaymentRecord first = charge(T0, 5, 20);
        first.id = "ch_1";
        first.entity[int(EntityKind::Merchant)] = 77;
        extractor.process(first, &f);

        PaymentRecord dispute;
        dispute.kind = PaymentKind::Dispute;
        dispute.timeMs = T0 + Hour;
        dispute.chargeId = "ch_1";
        dispute.reason = QStringLiteral("fraudulent");
        extractor.process(dispute, nullptr);

        PaymentRecord next = charge(T0 + 2 * Hour, 5, 20);
        next.entity[int(EntityKind::Merchant)] = 77;
        extractor.process(next, &f);
        QCOMPARE(f[feature::DisputesPerCardWeekly], 1.f);
        QCOMPARE(f[feature::DisputesPerMerchantWeekly], 1.f);
        QCOMPARE(f[feature::MerchantKnownFraudsDaily], 1.f);  // a signal is known when it arrives
        QCOMPARE(velocity(f, EntityKind::Card, feature::TotalCharges, 1), 1);
    }

    void payoutAfterDestinationChange()
    {
        FeatureExtractor extractor;
        FeatureVector f;
        PaymentRecord change;
        change.kind = PaymentKind::DestinationChange;
        change.timeMs = T0;
        change.entity[int(EntityKind::Merchant)] = 8;
        extractor.process(change, nullptr);
        PaymentRecord payout;
        payout.kind = PaymentKind::Payout;
        payout.timeMs = T0 + 30 * Minute;
        payout.amount = 900;
        payout.entity[int(EntityKind::Merchant)] = 8;
        extractor.process(payout, &f);
        QCOMPARE(f[feature::MinutesSincePayoutDestinationChange], 30.f);
    }

    void eventMapsToRecord()
    {
        Event event;
        event.timestampMs = T0;
        event.id = "2ef1e92f-35";
        event.category = EventCategory::Payment;
        event.action = QStringLiteral("charge.failed");
        event.outcome = EventOutcome::Failure;
        event.sourceIp = QStringLiteral("2001:db8:ff0e::5985");
        const QString card = QStringLiteral("stripe.data.object.payment_method_details.card.");
        event.extra = {{QStringLiteral("stripe.account"), QStringLiteral("acct_K7")},
            {QStringLiteral("stripe.data.object.id"), QStringLiteral("ch_x")},
            {QStringLiteral("stripe.data.object.amount"), 147},
            {QStringLiteral("stripe.data.object.currency"), QStringLiteral("usd")},
            {QStringLiteral("stripe.data.object.status"), QStringLiteral("failed")},
            {QStringLiteral("source.geo.country_iso_code"), QStringLiteral("SG")},
            {card + QStringLiteral("country"), QStringLiteral("BR")},
            {card + QStringLiteral("fingerprint"), QStringLiteral("o2KV")},
            {card + QStringLiteral("checks.cvc_check"), QStringLiteral("fail")},
            {card + QStringLiteral("checks.address_postal_code_check"), QStringLiteral("pass")}};
        PaymentRecord r;
        QVERIFY(paymentFromEvent(event, &r));
        QCOMPARE(int(r.kind), int(PaymentKind::Charge));
        QVERIFY(!r.succeeded);
        QCOMPARE(r.amount, 1.47);
        QCOMPARE(r.id, QByteArray("ch_x"));
        QCOMPARE(r.cardCountry, QStringLiteral("BR"));
        QCOMPARE(r.ipCountry, QStringLiteral("SG"));
        QCOMPARE(int(r.cvcCheck), int(CardCheck::Fail));
        QCOMPARE(int(r.postalCheck), int(CardCheck::Pass));
        QCOMPARE(r.key(EntityKind::Card), entityKey(u"o2KV"));
        QCOMPARE(r.key(EntityKind::Merchant), entityKey(u"acct_K7"));
        QCOMPARE(r.key(EntityKind::Device), quint64(0));

        FeatureExtractor extractor;
        FeatureVector f;
        extractor.process(r, &f);
        QCOMPARE(f[feature::CardCountryDiffersFromIpCountry], 1.f);
        QCOMPARE(f[feature::CvcCheckFailed], 1.f);
        QCOMPARE(f[feature::PostalCodeCheckFailed], 0.f);

        Event login;
        login.category = EventCategory::Authentication;
        login.action = QStringLiteral("user_login");
        QVERIFY(!paymentFromEvent(login, &r));
    }
};

QTEST_GUILESS_MAIN(TestFraudFeatures)
#include "test_fraud_features.moc"
