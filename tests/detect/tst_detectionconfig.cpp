// SPDX-License-Identifier: GPL-3.0-or-later
// DetectionConfig: defaults, validation messages, JSON and INI files.
#include "detect/detectionengine.h"

#include <QJsonDocument>
#include <QTemporaryDir>
#include <QtTest>

using namespace portcullis;

class TestDetectionConfig : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void defaultsMatchDocs();
    void roundTrip_data();
    void roundTrip();
    void invalidValueNamesKeyAndRange_data();
    void invalidValueNamesKeyAndRange();
    void unknownKeyRejected();
    void failedLoadKeepsValues();
    void missingFile();
};

void TestDetectionConfig::defaultsMatchDocs()
{
    const DetectionConfig config;
    QCOMPARE(config.validate(), QString());
    QCOMPARE(config.bruteForceMinAttempts, 5);
    QCOMPARE(config.bruteForceWindowMs, 10 * 60 * 1000);
    QCOMPARE(config.stuffingMinUsers, 5);
    QCOMPARE(config.stuffingWindowMs, 10 * 60 * 1000);
    QCOMPARE(config.successMinFailures, 3);
    QCOMPARE(config.successWindowMs, 30 * 60 * 1000);
    QCOMPARE(config.distributedMinSources, 20);
    QCOMPARE(config.distributedMaxMedianAttempts, 3);
    QCOMPARE(config.distributedWindowMs, 24 * 60 * 60 * 1000);
    QCOMPARE(config.scan404MinResponses, 20);
    QCOMPARE(config.scan404WindowMs, 5 * 60 * 1000);
    QCOMPARE(config.scanMinProbePaths, 3);
    QCOMPARE(config.scanProbeWindowMs, 10 * 60 * 1000);
    QVERIFY(config.loginPaths.contains(QStringLiteral("/wp-login.php")));
    QVERIFY(config.probePatterns.contains(QStringLiteral("/.env")));
}

void TestDetectionConfig::roundTrip_data()
{
    QTest::addColumn<QString>("fileName");
    QTest::newRow("json") << "detect.json";
    QTest::newRow("ini") << "detect.ini";
}

void TestDetectionConfig::roundTrip()
{
    QFETCH(QString, fileName);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(fileName);

    DetectionConfig written;
    written.bruteForceMinAttempts = 7;
    written.bruteForceWindowMs = 120 * 1000;
    written.loginPaths = { QStringLiteral("/auth") };
    written.probePatterns = { QStringLiteral("/.env"), QStringLiteral("/.git/") };
    QString error;
    QVERIFY2(written.saveToFile(path, &error), qPrintable(error));

    DetectionConfig read;
    QVERIFY2(read.loadFromFile(path, &error), qPrintable(error));
    QCOMPARE(read.bruteForceMinAttempts, 7);
    QCOMPARE(read.bruteForceWindowMs, 120 * 1000);
    QCOMPARE(read.loginPaths, written.loginPaths);
    QCOMPARE(read.probePatterns, written.probePatterns);
    QCOMPARE(read.successWindowMs, written.successWindowMs);
}

void TestDetectionConfig::invalidValueNamesKeyAndRange_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("expectedKey");
    QTest::addColumn<QString>("expectedRange");

    QTest::newRow("zero attempts") << QByteArray(R"({"ssh_brute_force": {"min_attempts": 0}})")
                                   << "ssh_brute_force.min_attempts"
                                   << "from 1 to 10000000";
    QTest::newRow("text window") << QByteArray(
        R"({"web_scanning": {"window_404_seconds": "soon"}})")
                                 << "web_scanning.window_404_seconds"
                                 << "from 1 to 604800";
    QTest::newRow("fraction") << QByteArray(R"({"distributed_login": {"min_sources": 2.5}})")
                              << "distributed_login.min_sources"
                              << "from 2 to 10000000";
    QTest::newRow("high below min")
        << QByteArray(R"({"ssh_brute_force": {"min_attempts": 10, "high_severity_attempts": 9}})")
        << "ssh_brute_force.high_severity_attempts"
        << "at least";
}

void TestDetectionConfig::invalidValueNamesKeyAndRange()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, expectedKey);
    QFETCH(QString, expectedRange);

    DetectionConfig config;
    QString error;
    QVERIFY(!config.fromJson(QJsonDocument::fromJson(json).object(), &error));
    QVERIFY2(error.contains(expectedKey), qPrintable(error));
    QVERIFY2(error.contains(expectedRange), qPrintable(error));
}

void TestDetectionConfig::unknownKeyRejected()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("typo.ini"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("[ssh_brute_force]\nmin_atempts=3\n");
    file.close();

    DetectionConfig config;
    QString error;
    QVERIFY(!config.loadFromFile(path, &error));
    QVERIFY2(error.contains(QLatin1String("min_atempts")), qPrintable(error));
    QVERIFY2(error.contains(path), qPrintable(error));
}

void TestDetectionConfig::failedLoadKeepsValues()
{
    DetectionConfig config;
    config.stuffingMinUsers = 9;
    QString error;
    const QByteArray json = R"({"credential_stuffing": {"min_users": 6, "window_seconds": -1}})";
    QVERIFY(!config.fromJson(QJsonDocument::fromJson(json).object(), &error));
    QCOMPARE(config.stuffingMinUsers, 9);
}

void TestDetectionConfig::missingFile()
{
    DetectionConfig config;
    QString error;
    QVERIFY(!config.loadFromFile(QStringLiteral("/nonexistent/detect.json"), &error));
    QVERIFY2(error.contains(QLatin1String("/nonexistent/detect.json")), qPrintable(error));
}

QTEST_GUILESS_MAIN(TestDetectionConfig)
#include "tst_detectionconfig.moc"
