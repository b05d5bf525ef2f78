// SPDX-License-Identifier: GPL-3.0-or-later
#include "event/event.h"
#include "fraud/fraudengine.h"
#include "fraud/trainer.h"

#include <QTest>

using namespace portcullis;
using namespace portcullis::fraud;

namespace {

PaymentRecord payment(double amount, const QString &cardCountry, const QString &ipCountry)
{
    PaymentRecord r;
    r.kind = PaymentKind::Charge;
    r.timeMs = 1700000000000;
    r.id = "ch_1";
    r.amount = amount;
    r.cardCountry = cardCountry;
    r.ipCountry = ipCountry;
    r.cardFingerprint = QStringLiteral("fp_9");
    r.entity[int(EntityKind::Card)] = entityKey(r.cardFingerprint);
    return r;
}

} // namespace

class TestFraudEngine : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void ruleOrder_data()
    {
        QTest::addColumn<QString>("rules");
        QTest::addColumn<QString>("action");
        QTest::addColumn<bool>("threeDs");
        QTest::addColumn<int>("hits");

        QTest::newRow("no rules") << "" << "allow" << false << 0;
        QTest::newRow("block") << "block if :card_country: != :ip_country: and :amount_in_usd: > 200" << "block" << false << 1;
        QTest::newRow("allow wins over block")
            << "block if :amount_in_usd: > 200\nallow if :card_fingerprint: = 'fp_9'" << "allow" << false << 2;
        QTest::newRow("block wins over review")
            << "review if :amount_in_usd: > 100\nblock if :amount_in_usd: > 200" << "block" << false << 2;
        QTest::newRow("3ds applies and the rest decides")
            << "request_3ds if :amount_in_usd: > 100\nreview if :ip_country: = 'NG'" << "review" << true << 2;
        QTest::newRow("not matching") << "block if :amount_in_usd: > 1000" << "allow" << false << 0;
    }

    void ruleOrder()
    {
        QFETCH(QString, rules);
        QFETCH(QString, action);
        QFETCH(bool, threeDs);
        QFETCH(int, hits);
        RuleSet set;
        RuleSyntaxError error;
        QVERIFY2(set.parse(rules, &error), qPrintable(error.formatted()));
        FraudEngine engine;
        engine.setRules(set);
        const Decision d = engine.process(payment(250, QStringLiteral("US"), QStringLiteral("NG")));
        QCOMPARE(fraudActionName(d.action), action);
        QCOMPARE(d.requestThreeDSecure, threeDs);
        QCOMPARE(d.ruleHits.size(), hits);
        QCOMPARE(d.score, -1);  // no model
    }

    void modelScoresWithReasons()
    {
        // A model that learned "amount over 200 is fraud".
        std::vector<FeatureVector> rows;
        std::vector<float> labels;
        for (int i = 0; i < 2000; ++i) {
            FeatureVector row;
            row.fill(missingValue());
            row[feature::AmountInUsdValue] = float(i % 400);
            rows.push_back(row);
            labels.push_back(i % 400 > 200 ? 1.f : 0.f);
        }
        TrainOptions options;
        options.rounds = 30;
        options.learningRate = 0.3;
        TreeModel model;
        QString error;
        QVERIFY2(trainModel(rows, labels, options, &model, nullptr, &error), qPrintable(error));
        model.blockThreshold = 90;
        model.reviewThreshold = 50;
        FraudEngine engine;
        engine.setModel(model);

        const Decision high = engine.process(payment(350, {}, {}));
        QVERIFY(high.score >= 90);
        QCOMPARE(high.action, FraudAction::Block);
        QCOMPARE(high.decidedBy, QStringLiteral("model"));
        QVERIFY(!high.reasons.isEmpty());
        QCOMPARE(high.reasons.front().featureName(), QStringLiteral("amount_in_usd"));
        QVERIFY2(high.reasons.front().text().contains(QStringLiteral("amount in US dollars: 350")),
            qPrintable(high.reasons.front().text()));

        const Decision low = engine.process(payment(20, {}, {}));
        QVERIFY(low.score < 50);
        QCOMPARE(low.action, FraudAction::Allow);

        RuleSet rules;
        RuleSyntaxError syntax;
        QVERIFY(rules.addRule(QStringLiteral("review if :risk_score: >= 0 and :amount_in_usd: < 30"), 1, &syntax));
        engine.setRules(rules);
        QCOMPARE(engine.process(payment(21, {}, {})).action, FraudAction::Review);
    }

    void guestReasonsFoldMissingValues()
    {
        // A guest checkout: the three largest contributions come from
        // missing payer history, the next ones from observed values.
        const Contribution candidates[] = {
            {feature::PayerAmountMean, missingValue(), 0.9f},
            {feature::AmountToPayerMeanRatio, missingValue(), 0.5f},
            {feature::PayerAmountMax, missingValue(), 0.3f},
            {feature::AmountInUsdValue, 480.f, 0.25f},
            {feature::CvcCheckFailed, 1.f, 0.2f},
            {feature::MerchantAgeDays, 3.f, 0.1f},
        };
        DecisionReasons reasons;
        selectReasons(candidates, 6, 3, &reasons);

        QCOMPARE(reasons.size(), 3);
        QCOMPARE(reasons[0].featureName(), QStringLiteral("payer_amount_mean"));
        QVERIFY(isMissing(reasons[0].value));
        QCOMPARE(reasons[0].contribution, 0.9f + 0.5f + 0.3f);
        const QString folded = reasons[0].text();
        QCOMPARE(folded.count(QStringLiteral("no history for this payer")), 1);
        QVERIFY2(folded.contains(featureDescription(feature::PayerAmountMean)), qPrintable(folded));
        QVERIFY2(folded.contains(featureDescription(feature::AmountToPayerMeanRatio)),
            qPrintable(folded));
        QVERIFY2(folded.contains(featureDescription(feature::PayerAmountMax)), qPrintable(folded));
        QCOMPARE(reasons[1].featureName(), QStringLiteral("amount_in_usd"));
        QCOMPARE(reasons[1].text(), QStringLiteral("amount in US dollars: 480"));
        QCOMPARE(reasons[2].featureName(), QStringLiteral("cvc_check_failed"));
    }

    void observedReasonsKeepTheirOrder()
    {
        const Contribution candidates[] = {
            {feature::AmountInUsdValue, 480.f, 0.9f},
            {feature::PayerAmountMean, missingValue(), 0.5f},
            {feature::CvcCheckFailed, 1.f, 0.4f},
            {feature::MerchantAgeDays, 3.f, 0.1f},
        };
        DecisionReasons reasons;
        selectReasons(candidates, 4, 3, &reasons);

        // One missing value in the top three keeps its own line and place.
        QCOMPARE(reasons.size(), 3);
        QCOMPARE(reasons[0].featureName(), QStringLiteral("amount_in_usd"));
        QCOMPARE(reasons[1].featureName(), QStringLiteral("payer_amount_mean"));
        QCOMPARE(reasons[1].text(), reasonText(feature::PayerAmountMean, missingValue()));
        QCOMPARE(reasons[2].featureName(), QStringLiteral("cvc_check_failed"));

        // Without missing values in the top three the list is unchanged.
        reasons.clear();
        selectReasons(candidates + 2, 2, 3, &reasons);
        QCOMPARE(reasons.size(), 2);
        QCOMPARE(reasons[0].featureName(), QStringLiteral("cvc_check_failed"));
        QCOMPARE(reasons[1].featureName(), QStringLiteral("merchant_age_days"));
    }

    void payoutsGoToRulesOnly()
    {
        std::vector<FeatureVector> rows(200);
        std::vector<float> labels;
        for (size_t i = 0; i < rows.size(); ++i) {
            rows[i].fill(missingValue());
            rows[i][feature::AmountInUsdValue] = float(i);
            labels.push_back(i > 100 ? 1.f : 0.f);
        }
        TrainOptions options;
        options.rounds = 5;
        TreeModel model;
        QString error;
        QVERIFY2(trainModel(rows, labels, options, &model, nullptr, &error), qPrintable(error));
        RuleSet rules;
        RuleSyntaxError syntax;
        QVERIFY(rules.addRule(QStringLiteral("review if :payment_type: = 'payout' and "
                                             ":minutes_since_payout_destination_change: < 60"), 1, &syntax));
        FraudEngine engine;
        engine.setModel(model);
        engine.setRules(rules);

        PaymentRecord change;
        change.kind = PaymentKind::DestinationChange;
        change.timeMs = 1700000000000;
        change.entity[int(EntityKind::Merchant)] = entityKey(u"acct_1");
        QCOMPARE(engine.process(change).score, -1);
        PaymentRecord payout = change;
        payout.kind = PaymentKind::Payout;
        payout.timeMs += 10 * 60 * 1000;
        payout.amount = 5000;
        const Decision d = engine.process(payout);
        QCOMPARE(d.score, -1);
        QCOMPARE(d.action, FraudAction::Review);
        QCOMPARE(d.decidedBy, QStringLiteral("rule"));
    }

    void eventsThatAreNotPayments()
    {
        FraudEngine engine;
        Event login;
        login.category = EventCategory::Authentication;
        login.action = QStringLiteral("user_login");
        QVERIFY(!engine.process(login).has_value());

        Event refund;
        refund.category = EventCategory::Payment;
        refund.action = QStringLiteral("charge.refunded");
        refund.extra.insert(QStringLiteral("stripe.data.object.charge"), QStringLiteral("ch_1"));
        const auto decision = engine.process(refund);
        QVERIFY(decision.has_value());
        QCOMPARE(decision->score, -1);
        QCOMPARE(decision->action, FraudAction::Allow);
    }
};

QTEST_GUILESS_MAIN(TestFraudEngine)
#include "test_fraud_engine.moc"
