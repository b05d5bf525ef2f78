// SPDX-License-Identifier: GPL-3.0-or-later
// The fast scoring paths must give exactly what the plain ones gave: the
// padded tree walk against a walk of linked nodes, and the reason text
// against QString::number(value, 'g', 4).
#include "fraud/fraudengine.h"
#include "fraud/treeeval.h"

#include <QRandomGenerator>
#include <QTest>

#include <cmath>
#include <cstring>

using namespace portcullis::fraud;

namespace {

// Grows a random tree of at most `maxDepth` splits on a path. Children get
// higher indexes than their parent, as in XGBoost's node arrays.
void growTree(QRandomGenerator &random, int maxDepth, int depth, int index,
    std::vector<TreeEvalNode> &nodes)
{
    TreeEvalNode &node = nodes[size_t(index)];
    node.mean = float(random.bounded(2.0) - 1.0);
    if (depth == maxDepth || (depth > 0 && random.bounded(4) == 0)) {
        node.value = float(random.bounded(2.0) - 1.0);
        return;
    }
    node.feature = int(random.bounded(FeatureCount));
    node.value = float(random.bounded(100.0));
    node.defaultLeft = random.bounded(2) == 1;
    const int left = int(nodes.size());
    nodes.resize(nodes.size() + 2);
    nodes[size_t(index)].left = left;
    nodes[size_t(index)].right = left + 1;
    growTree(random, maxDepth, depth + 1, left, nodes);
    growTree(random, maxDepth, depth + 1, left + 1, nodes);
}

// Returns the margin of the reference walk: one tree after another, node by
// node, adding the contributions to byFeature.
float walkNodes(const std::vector<std::vector<TreeEvalNode>> &trees, const FeatureVector &x,
    float base, float *byFeature)
{
    float sum = base;
    for (const std::vector<TreeEvalNode> &nodes : trees) {
        int index = 0;
        while (nodes[size_t(index)].left >= 0) {
            const TreeEvalNode &node = nodes[size_t(index)];
            const float value = x[size_t(node.feature)];
            const bool left = std::isnan(value) ? node.defaultLeft : value < node.value;
            const int next = left ? node.left : node.right;
            byFeature[node.feature] += nodes[size_t(next)].mean - node.mean;
            index = next;
        }
        sum += nodes[size_t(index)].value;
    }
    return sum;
}

quint32 bitsOf(float value)
{
    quint32 bits = 0;
    std::memcpy(&bits, &value, sizeof bits);
    return bits;
}

FeatureVector randomFeatures(QRandomGenerator &random)
{
    FeatureVector x;
    for (float &value : x) {
        const int kind = int(random.bounded(5));
        value = kind == 0 ? missingValue() : kind == 1 ? float(random.bounded(10)) * 10.f
                                                       : float(random.bounded(100.0));
    }
    return x;
}

} // namespace

class TestFraudScoringExact : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void treeWalkMatchesNodes_data()
    {
        QTest::addColumn<int>("maxDepth");
        QTest::addColumn<int>("trees");
        QTest::newRow("single leaves") << 0 << 5;
        QTest::newRow("depth 4, 100 trees") << 4 << 100;
        QTest::newRow("depth 6, remainder lanes") << 6 << 13;
        QTest::newRow("depth 9, node walk") << 9 << 20;
    }

    void treeWalkMatchesNodes()
    {
        QFETCH(int, maxDepth);
        QFETCH(int, trees);
        QRandomGenerator random(quint32(maxDepth * 1000 + trees));
        std::vector<std::vector<TreeEvalNode>> forest;
        TreeEval eval;
        for (int t = 0; t < trees; ++t) {
            std::vector<TreeEvalNode> nodes(1);
            // Shallow trees first, so the padding has to grow while loading.
            growTree(random, qMin(maxDepth, t / 2), 0, 0, nodes);
            forest.push_back(nodes);
            eval.appendTree(nodes);
        }
        QCOMPARE(eval.treeCount(), trees);

        for (int row = 0; row < 2000; ++row) {
            const FeatureVector x = randomFeatures(random);
            float expected[FeatureCount] = {};
            float actual[TreeEval::ContributionSlots] = {};
            const float expectedMargin = walkNodes(forest, x, 0.25f, expected);
            QCOMPARE(bitsOf(eval.evaluate(x, 0.25f, actual)), bitsOf(expectedMargin));
            QCOMPARE(bitsOf(eval.evaluate(x, 0.25f, nullptr)), bitsOf(expectedMargin));
            for (int i = 0; i < FeatureCount; ++i) {
                if (expected[i] != actual[i])
                    QFAIL(qPrintable(QStringLiteral("row %1, feature %2: %3, expected %4")
                                         .arg(row).arg(i).arg(double(actual[i]))
                                         .arg(double(expected[i]))));
            }
        }
    }

    void emptyForestReturnsBase()
    {
        TreeEval eval;
        FeatureVector x;
        x.fill(1.f);
        QCOMPARE(eval.evaluate(x, 0.5f, nullptr), 0.5f);
        QCOMPARE(eval.bias(0.5f), 0.5f);
    }

    void reasonTextMatchesQString_data()
    {
        QTest::addColumn<float>("value");
        const float values[] = {0.f, -0.f, 1.f, 5.f, 33.f, 194.f, 2530.f, 9999.f, 9999.5f,
            10000.f, 12345.f, 99995.f, 1234.5f, 1235.5f, 1.0625f, 0.125f, 0.3158f, 0.0001f,
            0.00009999f, 0.00012345f, 1e-8f, 9e-9f, 1e12f, 9.99e11f, -3.5f, -1234.5f,
            72475.86f, 0.5f, 2.5f, 100.f};
        for (float v : values)
            QTest::addRow("%g", double(v)) << v;
    }

    void reasonTextMatchesQString()
    {
        QFETCH(float, value);
        const QString expected = featureDescription(feature::Amount) + QLatin1String(": ")
            + QString::number(double(value), 'g', 4);
        QCOMPARE(reasonText(feature::Amount, value), expected);
    }

    void reasonTextMatchesManyValues()
    {
        // Whole numbers, halves (ties) and random floats across the
        // formatter's range.
        const QString prefix = featureDescription(feature::Amount) + QLatin1String(": ");
        QRandomGenerator random(7);
        std::vector<float> values;
        for (int i = -20000; i <= 20000; ++i) {
            values.push_back(float(i));
            values.push_back(float(i) + 0.5f);
        }
        for (int i = 0; i < 300000; ++i) {
            const double exponent = random.bounded(24.0) - 10.0;
            values.push_back(float(std::pow(10.0, exponent) * (random.bounded(2) ? 1 : -1)));
        }
        for (float value : values) {
            const QString expected = prefix + QString::number(double(value), 'g', 4);
            const QString actual = reasonText(feature::Amount, value);
            if (actual != expected)
                QFAIL(qPrintable(QStringLiteral("%1: got '%2', expected '%3'")
                                     .arg(double(value), 0, 'g', 9).arg(actual, expected)));
        }
    }

    void reasonTextForMissingValue()
    {
        const QString text = reasonText(feature::PayerAmountMean, missingValue());
        QVERIFY2(text.startsWith(featureDescription(feature::PayerAmountMean)), qPrintable(text));
        QVERIFY2(text.contains(QLatin1String("unknown")), qPrintable(text));
    }
};

QTEST_GUILESS_MAIN(TestFraudScoringExact)
#include "test_fraud_scoring_exact.moc"
