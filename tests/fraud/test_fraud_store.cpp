// SPDX-License-Identifier: GPL-3.0-or-later
#include "fraud/fraudstore.h"
#include "store/database.h"

#include <QTemporaryDir>
#include <QTest>

using namespace portcullis;
using namespace portcullis::fraud;

class TestFraudStore : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    Database m_db;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QString error;
        QVERIFY2(m_db.open(m_dir.filePath(QStringLiteral("console.db")), &error), qPrintable(error));
        QVERIFY(m_db.schemaVersion() >= 6);
    }

    void decisionsRoundTrip()
    {
        FraudStore store(m_db);
        Decision d;
        d.paymentId = "ch_1";
        d.eventId = "evt-1";
        d.timeMs = 1700000000000;
        d.score = 93;
        d.action = FraudAction::Block;
        d.requestThreeDSecure = true;
        d.decidedBy = QStringLiteral("rule");
        d.reasons.append({QStringLiteral("amount_in_usd"), 250.f, 1.5f, QStringLiteral("amount: 250")});
        d.ruleHits.append({RuleAction::Block, QStringLiteral("block if :amount_in_usd: > 200"), 3});
        QString error;
        QVERIFY2(store.recordDecision(d, &error), qPrintable(error));
        const QList<Decision> back = store.recentDecisions(10, &error);
        QCOMPARE(back.size(), 1);
        QCOMPARE(back[0].paymentId, QByteArray("ch_1"));
        QCOMPARE(back[0].score, 93);
        QCOMPARE(int(back[0].action), int(FraudAction::Block));
        QVERIFY(back[0].requestThreeDSecure);
        QCOMPARE(back[0].reasons.size(), 1);
        QCOMPARE(back[0].reasons[0].value, 250.f);
        QCOMPARE(back[0].ruleHits.size(), 1);
        QCOMPARE(back[0].ruleHits[0].line, 3);
        QCOMPARE(int(back[0].ruleHits[0].action), int(RuleAction::Block));
    }

    void listsFeedRules()
    {
        FraudStore store(m_db);
        QString error;
        QVERIFY(store.addListItem({QStringLiteral("Blocked_Cards"), QStringLiteral("fp_1"), 0,
                                      QStringLiteral("alice"), QStringLiteral("chargeback")}, &error));
        QVERIFY(store.addListItem({QStringLiteral("blocked_cards"), QStringLiteral("fp_2"), 0, {}, {}}, &error));
        QVERIFY(store.addListItem({QStringLiteral("blocked_ips"), QStringLiteral("203.0.113.9"), 0, {}, {}}, &error));
        QCOMPARE(store.listItems(QStringLiteral("blocked_cards"), &error).size(), 2);
        QVERIFY(store.removeListItem(QStringLiteral("blocked_cards"), QStringLiteral("fp_2"), &error));
        QCOMPARE(store.listNames(&error), (QStringList{QStringLiteral("blocked_cards"), QStringLiteral("blocked_ips")}));

        RuleSet rules;
        RuleSyntaxError syntax;
        QVERIFY(rules.addRule(QStringLiteral("block if :card_fingerprint: in @blocked_cards"), 1, &syntax));
        QVERIFY(store.loadLists(&rules, &error));
        PaymentRecord record;
        record.cardFingerprint = QStringLiteral("fp_1");
        FeatureVector features;
        features.fill(missingValue());
        QVERIFY(rules.matches(rules.rules().front(), {&record, &features, missingValue()}));
        record.cardFingerprint = QStringLiteral("fp_2");
        QVERIFY(!rules.matches(rules.rules().front(), {&record, &features, missingValue()}));
    }

    void latestEvaluationIsNewest()
    {
        FraudStore store(m_db);
        QString error;
        QVERIFY(!store.latestEvaluation(&error).has_value());
        for (int i = 0; i < 2; ++i) {
            EvaluationRecord record;
            record.evaluatedAtMs = 1000 + i;
            record.dataset = QStringLiteral("run%1").arg(i);
            record.testTransactions = 58264;
            record.testFrauds = 385;
            record.averagePrecision = 0.6 + i * 0.1;
            record.figures = QJsonObject{{QStringLiteral("roc_auc"), 0.87}};
            QVERIFY2(store.recordEvaluation(&record, &error), qPrintable(error));
            QVERIFY(record.id > 0);
        }
        const auto latest = store.latestEvaluation(&error);
        QVERIFY(latest.has_value());
        QCOMPARE(latest->dataset, QStringLiteral("run1"));
        QCOMPARE(latest->averagePrecision, 0.7);
        QCOMPARE(latest->testFrauds, qint64(385));
        QCOMPARE(latest->figures.value(QStringLiteral("roc_auc")).toDouble(), 0.87);
    }
};

QTEST_GUILESS_MAIN(TestFraudStore)
#include "test_fraud_store.moc"
