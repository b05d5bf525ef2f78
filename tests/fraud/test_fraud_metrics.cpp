// SPDX-License-Identifier: GPL-3.0-or-later
#include "fraud/metrics.h"

#include <QTest>

#include <cmath>

using namespace portcullis::fraud;

class TestFraudMetrics : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void rocAucByHand()
    {
        // Pairs (positive, negative): 0.8>0.6, 0.8>0.2, 0.4<0.6, 0.4>0.2 -> 3 of 4.
        QCOMPARE(rocAuc({0.8, 0.6, 0.4, 0.2}, {1, 0, 1, 0}), 0.75);
        // A tie between a positive and a negative counts one half.
        QCOMPARE(rocAuc({0.5, 0.5}, {1, 0}), 0.5);
        QCOMPARE(rocAuc({0.9, 0.1}, {1, 0}), 1.0);
        QVERIFY(std::isnan(rocAuc({0.3, 0.2}, {0, 0})));
    }

    void averagePrecisionByHand()
    {
        // Ranked: +, -, +, -. Precision at each positive: 1/1 and 2/3; AP = (1 + 2/3) / 2.
        QCOMPARE(averagePrecision({0.9, 0.8, 0.7, 0.1}, {1, 0, 1, 0}), (1.0 + 2.0 / 3.0) / 2);
        // All four tied: one threshold, precision 2/4 at recall 1.
        QCOMPARE(averagePrecision({0.5, 0.5, 0.5, 0.5}, {1, 0, 1, 0}), 0.5);
        QVERIFY(std::isnan(averagePrecision({0.3}, {0})));
    }

    void cardPrecisionByHand()
    {
        // Day 0: cards 1 (fraud, 0.9), 2 (0.8), 3 (fraud, 0.1). Top 2: cards 1 and 2 -> 1/2.
        // Day 1: card 1 was detected on day 0 and is left out; cards 3 (fraud, 0.7),
        // 4 (0.6). Top 2 -> 1/2. Card 3's two rows count once (highest score).
        const std::vector<int> days = {0, 0, 0, 1, 1, 1, 1};
        const std::vector<quint64> cards = {1, 2, 3, 1, 3, 3, 4};
        const std::vector<double> scores = {0.9, 0.8, 0.1, 0.95, 0.7, 0.2, 0.6};
        const std::vector<int> labels = {1, 0, 1, 1, 1, 0, 0};
        QCOMPARE(cardPrecisionAtK(days, cards, scores, labels, 2), 0.5);
        // k = 1: day 0 top is card 1 (fraud) -> 1; day 1 top is card 3 (fraud) -> 1.
        QCOMPARE(cardPrecisionAtK(days, cards, scores, labels, 1), 1.0);
    }

    void recallAtFalsePositiveRate()
    {
        // 2 positives, 4 negatives. Scores: + 0.9, - 0.8, + 0.7, - 0.3, - 0.2, - 0.1.
        const std::vector<double> scores = {0.9, 0.8, 0.7, 0.3, 0.2, 0.1};
        const std::vector<int> labels = {1, 0, 1, 0, 0, 0};
        OperatingPoint zero = pointAtFalsePositiveRate(scores, labels, 0.0);
        QCOMPARE(zero.threshold, 0.9);
        QCOMPARE(zero.recall, 0.5);
        QCOMPARE(zero.precision, 1.0);
        OperatingPoint quarter = pointAtFalsePositiveRate(scores, labels, 0.25);
        QCOMPARE(quarter.threshold, 0.7);
        QCOMPARE(quarter.recall, 1.0);
        QCOMPARE(quarter.precision, 2.0 / 3.0);
        QCOMPARE(quarter.falsePositiveRate, 0.25);

        const OperatingPoint at = pointAtThreshold(scores, labels, 0.75);
        QCOMPARE(at.truePositives, qint64(1));
        QCOMPARE(at.falsePositives, qint64(1));
        QCOMPARE(at.falseNegatives, qint64(1));
        QCOMPARE(at.trueNegatives, qint64(3));
    }
};

QTEST_GUILESS_MAIN(TestFraudMetrics)
#include "test_fraud_metrics.moc"
