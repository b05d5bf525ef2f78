// SPDX-License-Identifier: GPL-3.0-or-later
// Each fraud alert pattern fires on a built scenario, once per burst, and
// stays quiet on ordinary payments.
#include "paymentevents.h"

#include "fraud/fraudalerts.h"

#include <QHash>
#include <QSet>
#include <QTest>

using namespace portcullis;
using namespace portcullis::test;
using fraud::FraudAlertDetector;

namespace {

struct Sink : AlertSink
{
    QHash<QByteArray, Alert> alerts;
    void upsertAlert(const Alert &alert) override { alerts.insert(alert.key, alert); }
    QList<Alert> ofRule(const QString &rule) const
    {
        QList<Alert> found;
        for (const Alert &alert : alerts)
            if (alert.ruleId == rule)
                found.append(alert);
        return found;
    }
};

std::vector<Event> cardTesting()
{
    std::vector<Event> events;
    for (int i = 0; i < 14; ++i) {
        ChargeSpec spec;
        spec.id = QStringLiteral("ch_ct%1").arg(i);
        spec.cents = 100 + i * 10;
        spec.card = QStringLiteral("card_ct%1").arg(i);
        spec.ip = QStringLiteral("203.0.113.200");
        spec.paid = i % 5 == 4;
        events.push_back(charge(BaseMs + i * MinuteMs, spec));
    }
    return events;
}

std::vector<Event> payoutTakeover()
{
    return {payoutEvent(BaseMs, QStringLiteral("account.external_account.created"),
                        QStringLiteral("acct_owner"), 0, QString()),
            payoutEvent(BaseMs + 9 * MinuteMs, QStringLiteral("payout.created"),
                        QStringLiteral("acct_owner"), 420000, QStringLiteral("instant")),
            payoutEvent(BaseMs + 15 * MinuteMs, QStringLiteral("payout.paid"),
                        QStringLiteral("acct_owner"), 420000, QStringLiteral("instant"))};
}

std::vector<Event> refundAbuse()
{
    std::vector<Event> events;
    for (int i = 0; i < 6; ++i) {
        ChargeSpec spec{QStringLiteral("ch_ra%1").arg(i), 6000, QStringLiteral("card_ra"),
                        QStringLiteral("US"), QStringLiteral("usr_refunder")};
        events.push_back(charge(BaseMs + i * 30 * MinuteMs, spec));
        events.push_back(follow(BaseMs + i * 30 * MinuteMs + 10 * MinuteMs,
                                QStringLiteral("charge.refunded"), spec,
                                QStringLiteral("requested_by_customer")));
    }
    return events;
}

std::vector<Event> friendlyFraud()
{
    std::vector<Event> events;
    QList<ChargeSpec> specs;
    for (int i = 0; i < 4; ++i) {
        specs.append({QStringLiteral("ch_ff%1").arg(i), 5000, QStringLiteral("card_ff"),
                      QStringLiteral("US"), QStringLiteral("usr_friendly")});
        events.push_back(charge(BaseMs + i * 60 * MinuteMs, specs.last()));
    }
    events.push_back(follow(BaseMs + 300 * MinuteMs, QStringLiteral("charge.dispute.created"),
                            specs[1], QStringLiteral("product_not_received")));
    events.push_back(follow(BaseMs + 600 * MinuteMs, QStringLiteral("charge.dispute.created"),
                            specs[2], QStringLiteral("unrecognized")));
    return events;
}

std::vector<Event> countryMismatch()
{
    std::vector<Event> events;
    for (int i = 0; i < 4; ++i) {
        ChargeSpec spec;
        spec.id = QStringLiteral("ch_cm%1").arg(i);
        spec.cents = 15000;
        spec.card = QStringLiteral("card_cm%1").arg(i % 3);
        spec.ip = QStringLiteral("2001:db8:ff0e::5");
        spec.ipCountry = QStringLiteral("NG");
        events.push_back(charge(BaseMs + i * 20 * MinuteMs, spec));
    }
    return events;
}

std::vector<Event> fakeBookings()
{
    std::vector<Event> events;
    QList<ChargeSpec> paid;
    for (int i = 0; i < 12; ++i) {
        ChargeSpec spec;
        spec.id = QStringLiteral("ch_fb%1").arg(i);
        spec.cents = 9000;
        spec.card = QStringLiteral("card_fb%1").arg(i);
        spec.account = QStringLiteral("acct_barber");
        spec.ip = QStringLiteral("192.0.2.%1").arg(10 + i);
        spec.paid = i % 2 == 0;
        events.push_back(charge(BaseMs + i * 15 * MinuteMs, spec));
        if (spec.paid)
            paid.append(spec);
    }
    events.push_back(follow(BaseMs + 240 * MinuteMs, QStringLiteral("charge.refunded"), paid[0],
                            QStringLiteral("requested_by_customer")));
    events.push_back(follow(BaseMs + 260 * MinuteMs,
                            QStringLiteral("radar.early_fraud_warning.created"), paid[1],
                            QStringLiteral("made_with_stolen_card")));
    return events;
}

// A busy customer who pays 6 bookings and cancels 5 bookings paid days
// before the detector started: the refunds name charges it never saw.
std::vector<Event> refundsOfOldBookings()
{
    std::vector<Event> events;
    for (int i = 0; i < 6; ++i) {
        ChargeSpec spec{QStringLiteral("ch_ob%1").arg(i), 6000, QStringLiteral("card_ob"),
                        QStringLiteral("US"), QStringLiteral("usr_busy")};
        events.push_back(charge(BaseMs + i * 60 * MinuteMs, spec));
        if (i == 5)
            break;
        ChargeSpec old = spec;
        old.id = QStringLiteral("ch_before_start%1").arg(i);
        events.push_back(follow(BaseMs + i * 60 * MinuteMs + 20 * MinuteMs,
                                QStringLiteral("charge.refunded"), old,
                                QStringLiteral("requested_by_customer")));
    }
    return events;
}

// Two regular customers behind one US address, each paying with a Canadian
// card on file, four bookings each and one declined attempt.
std::vector<Event> foreignCardsOnFile()
{
    std::vector<Event> events;
    for (int i = 0; i < 8; ++i) {
        ChargeSpec spec;
        spec.id = QStringLiteral("ch_ca%1").arg(i);
        spec.customer = QStringLiteral("usr_ca%1").arg(i % 2);
        spec.card = QStringLiteral("card_ca%1").arg(i % 2);
        spec.cardCountry = QStringLiteral("CA");
        spec.ip = QStringLiteral("198.51.100.9");
        spec.paid = i != 4;
        events.push_back(charge(BaseMs + i * 30 * MinuteMs, spec));
    }
    return events;
}

// A customer with paid bookings who disputes two charges the detector never
// saw, which may be a card holder's honest claim.
std::vector<Event> disputesOfUnknownCharges()
{
    std::vector<Event> events;
    for (int i = 0; i < 4; ++i) {
        ChargeSpec spec{QStringLiteral("ch_du%1").arg(i), 5000, QStringLiteral("card_du"),
                        QStringLiteral("US"), QStringLiteral("usr_disputer")};
        events.push_back(charge(BaseMs + i * 60 * MinuteMs, spec));
    }
    for (int i = 0; i < 2; ++i) {
        ChargeSpec unknown{QStringLiteral("ch_unseen%1").arg(i), 5000, QStringLiteral("card_du"),
                           QStringLiteral("US"), QStringLiteral("usr_disputer")};
        events.push_back(follow(BaseMs + (300 + i * 300) * MinuteMs,
                                QStringLiteral("charge.dispute.created"), unknown,
                                QStringLiteral("product_not_received")));
    }
    return events;
}

// The fake bookings burst of fakeBookings(), but paid with 12 cards the
// platform has known since the morning, so none of them is new.
std::vector<Event> knownCardsAtOneShop()
{
    std::vector<Event> events;
    for (int i = 0; i < 12; ++i) {
        ChargeSpec spec;
        spec.id = QStringLiteral("ch_kc_first%1").arg(i);
        spec.card = QStringLiteral("card_kc%1").arg(i);
        spec.ip = QStringLiteral("192.0.2.%1").arg(10 + i);
        events.push_back(charge(BaseMs + i * MinuteMs, spec));
    }
    const qint64 laterMs = BaseMs + 10 * 60 * MinuteMs;
    QList<ChargeSpec> paid;
    for (int i = 0; i < 12; ++i) {
        ChargeSpec spec;
        spec.id = QStringLiteral("ch_kc%1").arg(i);
        spec.cents = 9000;
        spec.card = QStringLiteral("card_kc%1").arg(i);
        spec.account = QStringLiteral("acct_busy_shop");
        spec.ip = QStringLiteral("192.0.2.%1").arg(10 + i);
        spec.paid = i % 2 == 0;
        events.push_back(charge(laterMs + i * 15 * MinuteMs, spec));
        if (spec.paid)
            paid.append(spec);
    }
    events.push_back(follow(laterMs + 240 * MinuteMs, QStringLiteral("charge.refunded"), paid[0],
                            QStringLiteral("requested_by_customer")));
    events.push_back(follow(laterMs + 260 * MinuteMs,
                            QStringLiteral("radar.early_fraud_warning.created"), paid[1],
                            QStringLiteral("made_with_stolen_card")));
    return events;
}

// Ordinary traffic: 60 customers with their own cards and addresses, a few
// declines, refunds and one dispute, and a payout without a destination change.
std::vector<Event> benign()
{
    std::vector<Event> events;
    qint64 t = BaseMs;
    for (int round = 0; round < 4; ++round) {
        for (int c = 0; c < 60; ++c) {
            ChargeSpec spec;
            spec.id = QStringLiteral("ch_b%1_%2").arg(round).arg(c);
            spec.card = QStringLiteral("card_b%1").arg(c);
            spec.customer = QStringLiteral("usr_b%1").arg(c);
            spec.ip = QStringLiteral("198.51.100.%1").arg(c + 1);
            spec.account = QStringLiteral("acct_shop%1").arg(c % 5);
            spec.paid = (round * 60 + c) % 25 != 0;
            t += 2 * MinuteMs;
            events.push_back(charge(t, spec));
            if (spec.paid && c % 17 == 3 && round < 2)
                events.push_back(follow(t + MinuteMs, QStringLiteral("charge.refunded"), spec,
                                        QStringLiteral("requested_by_customer")));
            if (spec.paid && c == 40 && round == 1)
                events.push_back(follow(t + MinuteMs, QStringLiteral("charge.dispute.created"),
                                        spec, QStringLiteral("product_not_received")));
        }
    }
    events.push_back(payoutEvent(t + MinuteMs, QStringLiteral("payout.created"),
                                 QStringLiteral("acct_shop1"), 90000, QStringLiteral("standard")));
    return events;
}

Sink run(const std::vector<Event> &events, FraudAlertDetector &detector)
{
    Sink sink;
    for (const Event &event : events) {
        detector.processEvent(event, sink);
        detector.flush(sink);
    }
    detector.finish(sink);
    return sink;
}

} // namespace

class TestFraudAlerts : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void patternFires_data();
    void patternFires();
    void quietOnBenignPayments();
    void quietOnHonestLookalike_data();
    void quietOnHonestLookalike();
    void keepsDecisionsOfScoredPayments();
};

void TestFraudAlerts::patternFires_data()
{
    QTest::addColumn<int>("scenario");
    QTest::addColumn<QString>("rule");
    QTest::addColumn<QString>("entity");
    QTest::newRow("card testing") << 0 << QString(FraudAlertDetector::CardTestingRule)
                                  << QStringLiteral("203.0.113.200");
    QTest::newRow("payout takeover") << 1 << QString(FraudAlertDetector::PayoutTakeoverRule)
                                     << QStringLiteral("acct_owner");
    QTest::newRow("refund abuse") << 2 << QString(FraudAlertDetector::RefundAbuseRule)
                                  << QStringLiteral("usr_refunder");
    QTest::newRow("friendly fraud") << 3 << QString(FraudAlertDetector::FriendlyFraudRule)
                                    << QStringLiteral("usr_friendly");
    QTest::newRow("country mismatch") << 4 << QString(FraudAlertDetector::CountryMismatchRule)
                                      << QStringLiteral("2001:db8:ff0e::5");
    QTest::newRow("fake bookings") << 5 << QString(FraudAlertDetector::FakeBookingsRule)
                                   << QStringLiteral("acct_barber");
}

void TestFraudAlerts::patternFires()
{
    QFETCH(int, scenario);
    QFETCH(QString, rule);
    QFETCH(QString, entity);
    using Builder = std::vector<Event> (*)();
    const Builder builders[] = {cardTesting, payoutTakeover, refundAbuse, friendlyFraud,
                                countryMismatch, fakeBookings};
    FraudAlertDetector detector;
    const Sink sink = run(builders[scenario](), detector);
    const QList<Alert> alerts = sink.ofRule(rule);
    QCOMPARE(alerts.size(), 1);  // one alert per burst, updated while it goes on
    const Alert &alert = alerts.first();
    bool named = false;
    for (const QStringList &values : alert.entities)
        named = named || values.contains(entity);
    QVERIFY2(named, qPrintable(alert.reason));
    QVERIFY(!alert.reason.isEmpty());
    QVERIFY(alert.eventCount >= 2);
    QVERIFY(!alert.evidence.isEmpty());
    QVERIFY(alert.firstSeenMs <= alert.lastSeenMs);
    if (rule == QLatin1String(FraudAlertDetector::PayoutTakeoverRule)) {
        QCOMPARE(alert.mitreTechnique, QStringLiteral("T1657"));
        QCOMPARE(alert.severity, Severity::Critical);
        QCOMPARE(alert.eventCount, 3);  // the change, payout.created and payout.paid
    }
}

void TestFraudAlerts::quietOnBenignPayments()
{
    FraudAlertDetector detector;
    const Sink sink = run(benign(), detector);
    QStringList fired;
    for (const Alert &alert : sink.alerts)
        fired << alert.ruleId + QStringLiteral(": ") + alert.reason;
    QVERIFY2(fired.isEmpty(), qPrintable(fired.join(QLatin1Char('\n'))));
}

void TestFraudAlerts::quietOnHonestLookalike_data()
{
    QTest::addColumn<int>("scenario");
    QTest::addColumn<QString>("rule");
    QTest::newRow("refunds of old bookings") << 0 << QString(FraudAlertDetector::RefundAbuseRule);
    QTest::newRow("foreign cards on file") << 1 << QString(FraudAlertDetector::CountryMismatchRule);
    QTest::newRow("disputes of unknown charges")
        << 2 << QString(FraudAlertDetector::FriendlyFraudRule);
    QTest::newRow("known cards at one shop") << 3 << QString(FraudAlertDetector::FakeBookingsRule);
}

// Each case looks like a pattern's scenario but lacks what makes it abuse.
void TestFraudAlerts::quietOnHonestLookalike()
{
    QFETCH(int, scenario);
    QFETCH(QString, rule);
    using Builder = std::vector<Event> (*)();
    const Builder builders[] = {refundsOfOldBookings, foreignCardsOnFile,
                                disputesOfUnknownCharges, knownCardsAtOneShop};
    FraudAlertDetector detector;
    const Sink sink = run(builders[scenario](), detector);
    const QList<Alert> alerts = sink.ofRule(rule);
    QVERIFY2(alerts.isEmpty(), alerts.isEmpty() ? "" : qPrintable(alerts.first().reason));
}

void TestFraudAlerts::keepsDecisionsOfScoredPayments()
{
    FraudAlertDetector detector;
    Sink sink;
    const std::vector<Event> events = refundAbuse();  // 6 charges, 6 refunds
    for (const Event &event : events)
        detector.processEvent(event, sink);
    const QVector<fraud::Decision> decisions = detector.takeDecisions();
    QCOMPARE(decisions.size(), 6);
    QCOMPARE(decisions.first().paymentId, QByteArray("ch_ra0"));
    QCOMPARE(decisions.first().eventId, events.front().id);
    QVERIFY(detector.takeDecisions().isEmpty());

    detector.setKeepDecisions(false);
    for (const Event &event : cardTesting())
        detector.processEvent(event, sink);
    QVERIFY(detector.takeDecisions().isEmpty());
}

QTEST_GUILESS_MAIN(TestFraudAlerts)
#include "tst_fraudalerts.moc"
