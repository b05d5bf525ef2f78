// SPDX-License-Identifier: GPL-3.0-or-later
#include "fraud/calibration.h"
#include "fraud/treemodel.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace portcullis::fraud;

namespace {

// Labels drawn with P(fraud) = `curve(margin)` for margins uniform in [-4, 4].
template<typename Curve>
void drawRows(int count, quint32 seed, Curve curve, std::vector<float> *margins,
    std::vector<float> *labels)
{
    QRandomGenerator random(seed);
    for (int i = 0; i < count; ++i) {
        const float margin = float(random.generateDouble() * 8 - 4);
        margins->push_back(margin);
        labels->push_back(random.generateDouble() < curve(margin) ? 1.f : 0.f);
    }
}

// A step curve that no sigmoid follows: 2% fraud below margin 1, 60% above.
double stepCurve(float margin)
{
    return margin < 1 ? 0.02 : 0.6;
}

double sigmoidCurve(float margin)
{
    return 1 / (1 + std::exp(-(1.5 * margin - 2)));
}

} // namespace

class TestFraudCalibration : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void isotonicPoolsViolators()
    {
        // Labels 0 1 0 1 1 at increasing margins: the middle 1 0 pool to 0.5.
        const std::vector<float> margins = {1, 2, 3, 4, 5};
        const std::vector<float> labels = {0, 1, 0, 1, 1};
        const Calibration c = Calibration::fitIsotonic(margins, labels);
        QCOMPARE(c.method(), CalibrationMethod::Isotonic);
        QCOMPARE(c.probability(1), 0.0);
        QCOMPARE(c.probability(2), 0.5);
        QCOMPARE(c.probability(3), 0.5);
        QCOMPARE(c.probability(4), 1.0);
        QCOMPARE(c.probability(5), 1.0);
        QCOMPARE(c.probability(1.5f), 0.25);  // interpolated between blocks
        QCOMPARE(c.probability(-10), 0.0);    // constant outside the knots
        QCOMPARE(c.probability(10), 1.0);
        QCOMPARE(c.probability(std::nanf("")), 0.0);
    }

    void isotonicTiesShareProbability()
    {
        const std::vector<float> margins = {0, 1, 1, 1, 2};
        const std::vector<float> labels = {0, 1, 0, 0, 1};
        const Calibration c = Calibration::fitIsotonic(margins, labels);
        QCOMPARE(c.probability(1), 1.0 / 3);
        QCOMPARE(c.probability(0), 0.0);
        QCOMPARE(c.probability(2), 1.0);
    }

    void isotonicIsMonotone()
    {
        std::vector<float> margins, labels;
        drawRows(5000, 11, sigmoidCurve, &margins, &labels);
        const Calibration c = Calibration::fitIsotonic(margins, labels);
        double previous = -1;
        for (float m = -5; m <= 5; m += 0.01f) {
            const double p = c.probability(m);
            QVERIFY2(p >= previous && p >= 0 && p <= 1, qPrintable(QString::number(m)));
            previous = p;
        }
    }

    void isotonicWinsOnStepCurve()
    {
        std::vector<float> margins, labels;
        drawRows(20000, 7, stepCurve, &margins, &labels);
        const CalibrationComparison brier = compareCalibrations(margins, labels);
        QVERIFY2(brier.isotonicBrier < brier.plattBrier,
            qPrintable(QStringLiteral("isotonic %1, Platt %2")
                           .arg(brier.isotonicBrier).arg(brier.plattBrier)));
        QCOMPARE(brier.better(), CalibrationMethod::Isotonic);
    }

    void plattWinsOnSigmoidCurve()
    {
        std::vector<float> margins, labels;
        drawRows(3000, 5, sigmoidCurve, &margins, &labels);
        const CalibrationComparison brier = compareCalibrations(margins, labels);
        QVERIFY2(brier.plattBrier < brier.isotonicBrier,
            qPrintable(QStringLiteral("isotonic %1, Platt %2")
                           .arg(brier.isotonicBrier).arg(brier.plattBrier)));
        QCOMPARE(brier.better(), CalibrationMethod::Platt);
    }

    void brierScoreValues()
    {
        QCOMPARE(brierScore({0.0, 1.0}, {0.f, 1.f}), 0.0);
        QCOMPARE(brierScore({0.5, 0.5}, {0.f, 1.f}), 0.25);
        QCOMPARE(brierScore({1.0}, {0.f}), 1.0);
    }

    void methodNames()
    {
        QCOMPARE(calibrationMethodName(CalibrationMethod::Isotonic), QStringLiteral("isotonic"));
        QCOMPARE(calibrationMethodFromName(QStringLiteral("platt")), CalibrationMethod::Platt);
        QVERIFY(!calibrationMethodFromName(QStringLiteral("Isotonic")).has_value());
    }

    void isotonicJsonRoundTrip()
    {
        std::vector<float> margins, labels;
        drawRows(2000, 3, sigmoidCurve, &margins, &labels);
        const Calibration c = Calibration::fitIsotonic(margins, labels);
        QString error;
        const std::optional<Calibration> back = Calibration::fromJson(c.toJson(), &error);
        QVERIFY2(back.has_value(), qPrintable(error));
        QCOMPARE(back->method(), CalibrationMethod::Isotonic);
        QCOMPARE(back->knotCount(), c.knotCount());
        for (float m = -4; m <= 4; m += 0.1f)
            QCOMPARE(back->probability(m), c.probability(m));
    }

    void rejectsInvalidJson_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("fragment");
        QTest::newRow("unknown method") << QByteArray(R"({"method": "beta"})") << "unknown";
        QTest::newRow("no knots") << QByteArray(R"({"method": "isotonic"})") << "non-empty";
        QTest::newRow("lengths differ")
            << QByteArray(R"({"method": "isotonic", "margins": [0, 1], "probabilities": [0.1]})")
            << "same length";
        QTest::newRow("decreasing")
            << QByteArray(R"({"method": "isotonic", "margins": [0, 1], "probabilities": [0.5, 0.1]})")
            << "non-decreasing";
        QTest::newRow("above one")
            << QByteArray(R"({"method": "isotonic", "margins": [0], "probabilities": [1.5]})")
            << "[0, 1]";
        QTest::newRow("text margin")
            << QByteArray(R"({"method": "isotonic", "margins": ["0"], "probabilities": [0.5]})")
            << "non-decreasing";
    }

    void rejectsInvalidJson()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, fragment);
        QString error;
        QVERIFY(!Calibration::fromJson(QJsonDocument::fromJson(json).object(), &error));
        QVERIFY2(error.contains(fragment), qPrintable(error));
    }

    void modelFileKeepsIsotonic()
    {
        // The demo model: format version 1 with Platt calibration.
        QFile demo(QStringLiteral(PORTCULLIS_SOURCE_DIR "/resources/fraud/demo-model.json"));
        QVERIFY(demo.open(QIODevice::ReadOnly));
        QJsonObject json = QJsonDocument::fromJson(demo.readAll()).object();
        QCOMPARE(json.value(QStringLiteral("format_version")).toInt(), 1);
        TreeModel model;
        QString error;
        QVERIFY2(model.fromJson(json, &error), qPrintable(error));
        QCOMPARE(model.calibration().method(), CalibrationMethod::Platt);

        std::vector<float> margins, labels;
        drawRows(2000, 9, stepCurve, &margins, &labels);
        model.setCalibration(Calibration::fitIsotonic(margins, labels));
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("model.json"));
        QVERIFY2(model.save(path, &error), qPrintable(error));
        TreeModel loaded;
        QVERIFY2(loaded.load(path, &error), qPrintable(error));
        QCOMPARE(loaded.toJson().value(QStringLiteral("format_version")).toInt(), ModelFormatVersion);
        QCOMPARE(loaded.calibration().method(), CalibrationMethod::Isotonic);
        for (float m = -4; m <= 4; m += 0.25f)
            QCOMPARE(loaded.probability(m), model.probability(m));
    }

    void oldVersionWithIsotonicFieldsStillPlatt()
    {
        // A version 1 calibration object has no knots; "method" may be absent.
        QString error;
        const std::optional<Calibration> c
            = Calibration::fromJson(QJsonObject{{QStringLiteral("a"), 2.0}}, &error);
        QVERIFY2(c.has_value(), qPrintable(error));
        QCOMPARE(c->method(), CalibrationMethod::Platt);
        QCOMPARE(c->plattA(), 2.0);
        QCOMPARE(c->probability(0), 0.5);
    }
};

QTEST_GUILESS_MAIN(TestFraudCalibration)
#include "test_fraud_calibration.moc"
