// SPDX-License-Identifier: GPL-3.0-or-later
#include "fraud/trainer.h"
#include "fraud/treemodel.h"

#include <QJsonArray>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace portcullis::fraud;

class TestFraudModel : public QObject
{
    Q_OBJECT

private:
    std::vector<FeatureVector> m_rows;
    std::vector<float> m_labels;
    TreeModel m_model;
    QByteArray m_xgboostJson;

private Q_SLOTS:
    void initTestCase()
    {
        // Rows with a few informative columns, a fifth of the values missing.
        QRandomGenerator random(3);
        for (int i = 0; i < 3000; ++i) {
            FeatureVector row;
            row.fill(missingValue());
            for (int column : {0, 5, int(feature::AmountInUsdValue), int(feature::AmountToPayerMeanRatio),
                     int(feature::MerchantFraudRate28d)}) {
                if (random.bounded(5) != 0)
                    row[size_t(column)] = float(random.generateDouble() * 10);
            }
            const float amount = row[feature::AmountInUsdValue];
            const float ratio = row[feature::AmountToPayerMeanRatio];
            const bool fraud = (!std::isnan(amount) && amount > 8) || (!std::isnan(ratio) && ratio > 9)
                || random.bounded(50) == 0;
            m_rows.push_back(row);
            m_labels.push_back(fraud ? 1.f : 0.f);
        }
        TrainOptions options;
        options.rounds = 40;
        options.maxDepth = 4;
        QString error;
        QVERIFY2(trainModel(m_rows, m_labels, options, &m_model, &m_xgboostJson, &error), qPrintable(error));
        QCOMPARE(m_model.treeCount(), 40);
    }

    void treeWalkEqualsXgboost()
    {
        std::vector<float> margins, contributions;
        QString error;
        QVERIFY2(xgboostMargins(m_xgboostJson, m_rows, &margins, &contributions, &error), qPrintable(error));
        QCOMPARE(margins.size(), m_rows.size());
        int differing = 0;
        for (size_t i = 0; i < m_rows.size(); ++i) {
            const float ours = m_model.margin(m_rows[i]);
            if (std::abs(ours - margins[i]) > 1e-5f * (1 + std::abs(margins[i])))
                ++differing;
        }
        QCOMPARE(differing, 0);
    }

    void contributionsEqualXgboostApproximation()
    {
        std::vector<float> margins, contributions;
        QString error;
        QVERIFY2(xgboostMargins(m_xgboostJson, m_rows, &margins, &contributions, &error), qPrintable(error));
        const size_t width = FeatureCount + 1;
        QCOMPARE(contributions.size(), m_rows.size() * width);
        for (size_t i = 0; i < 200; ++i) {
            float bias = 0;
            std::vector<float> ours(FeatureCount, 0.f);
            for (const Contribution &c : m_model.contributions(m_rows[i], &bias))
                ours[size_t(c.feature)] = c.contribution;
            for (size_t f = 0; f < size_t(FeatureCount); ++f)
                QVERIFY2(std::abs(ours[f] - contributions[i * width + f]) < 1e-4f,
                    qPrintable(QStringLiteral("row %1 feature %2").arg(i).arg(featureName(int(f)))));
            QVERIFY(std::abs(bias - contributions[i * width + FeatureCount]) < 1e-4f);
        }
    }

    void contributionsSumToMargin()
    {
        for (size_t i = 0; i < 100; ++i) {
            float bias = 0;
            float sum = 0;
            for (const Contribution &c : m_model.contributions(m_rows[i], &bias))
                sum += c.contribution;
            QVERIFY(std::abs(bias + sum - m_model.margin(m_rows[i])) < 1e-4f);
        }
    }

    void topContributionsAreTheLargest()
    {
        for (size_t i = 0; i < 200; ++i) {
            const std::vector<Contribution> all = m_model.contributions(m_rows[i], nullptr);
            Contribution top[3];
            const int count = m_model.topContributions(m_rows[i], 3, top);
            int positive = 0;
            for (const Contribution &c : all)
                positive += c.contribution > 0 ? 1 : 0;
            QCOMPARE(count, qMin(3, positive));
            for (int k = 0; k < count; ++k) {
                QCOMPARE(top[k].feature, all[size_t(k)].feature);
                QCOMPARE(top[k].contribution, all[size_t(k)].contribution);
            }
        }
    }

    void fileRoundTrip()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("model.json"));
        TreeModel model = m_model;
        model.setCalibration(0.8, -1.5);
        model.blockThreshold = 80;
        QString error;
        QVERIFY2(model.save(path, &error), qPrintable(error));
        TreeModel loaded;
        QVERIFY2(loaded.load(path, &error), qPrintable(error));
        QCOMPARE(loaded.treeCount(), model.treeCount());
        QCOMPARE(loaded.plattA(), 0.8);
        QCOMPARE(loaded.blockThreshold, 80);
        for (size_t i = 0; i < m_rows.size(); ++i)
            QCOMPARE(loaded.margin(m_rows[i]), model.margin(m_rows[i]));
    }

    void rejectsOtherVersionsAndFeatures()
    {
        QJsonObject json = m_model.toJson();
        json.insert(QStringLiteral("format_version"), ModelFormatVersion + 1);
        TreeModel model;
        QString error;
        QVERIFY(!model.fromJson(json, &error));
        QVERIFY2(error.contains(QStringLiteral("version")), qPrintable(error));

        json = m_model.toJson();
        QJsonArray names = json.value(QStringLiteral("feature_names")).toArray();
        names.replace(0, QStringLiteral("no_such_feature"));
        json.insert(QStringLiteral("feature_names"), names);
        QVERIFY(!model.fromJson(json, &error));
        QVERIFY2(error.contains(QStringLiteral("no_such_feature")), qPrintable(error));
    }

    void plattFitsLogOdds()
    {
        // Labels drawn with p = sigmoid(2x - 1): the fit recovers about a=2, b=-1.
        QRandomGenerator random(5);
        std::vector<float> margins, labels;
        for (int i = 0; i < 20000; ++i) {
            const float x = float(random.generateDouble() * 6 - 3);
            const double p = 1 / (1 + std::exp(-(2 * x - 1)));
            margins.push_back(x);
            labels.push_back(random.generateDouble() < p ? 1.f : 0.f);
        }
        double a = 0, b = 0;
        fitPlatt(margins, labels, &a, &b);
        QVERIFY2(std::abs(a - 2) < 0.15, qPrintable(QString::number(a)));
        QVERIFY2(std::abs(b + 1) < 0.15, qPrintable(QString::number(b)));
    }

    void scoreRange()
    {
        QCOMPARE(TreeModel::scoreFromProbability(0.0), 0);
        QCOMPARE(TreeModel::scoreFromProbability(0.499), 49);
        QCOMPARE(TreeModel::scoreFromProbability(1.0), 99);
    }
};

QTEST_GUILESS_MAIN(TestFraudModel)
#include "test_fraud_model.moc"
