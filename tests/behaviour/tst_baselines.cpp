// SPDX-License-Identifier: GPL-3.0-or-later
// Baselines: robust statistics, warm-up before the baseline decides, expiry
// of idle entities, the entity cap, and places from a MaxMind database.
#include "eventbuilder.h"
#include "mmdbwriter.h"

#include "detect/baseline.h"
#include "detect/detectionengine.h"
#include "detect/geolocator.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace portcullis;
using namespace portcullis::detect;
using namespace portcullis::test;

namespace {

Event apiCall(qint64 timeMs, const QString &token)
{
    Event event = request(timeMs, QStringLiteral("198.51.100.50"), QStringLiteral("/api/v2/x"));
    event.extra.insert(QStringLiteral("bookedbarber.api_token.id"), token);
    return event;
}

// `perMinute` requests in each of the minutes [firstMinute, firstMinute + minutes).
void addMinutes(DetectionEngine &engine, const QString &token, int firstMinute, int minutes,
    int perMinute)
{
    for (int minute = firstMinute; minute < firstMinute + minutes; ++minute) {
        for (int i = 0; i < perMinute; ++i)
            engine.processEvent(apiCall(BaseMs + minute * Minute + i * (Minute / perMinute),
                token));
    }
}

qsizetype apiAlerts(DetectionEngine &engine)
{
    engine.takeChangedAlerts();
    return alertsOf(engine.alerts(), "api-abuse").size();
}

} // namespace

class TestBaselines : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void medianAndMad_data();
    void medianAndMad();
    void ringKeepsRecentSamples();
    void threshold();
    void coldEntityUsesColdThreshold();
    void warmEntityUsesOwnBaseline();
    void idleEntityExpires();
    void entityCapHolds();
    void engineMemoryBound();
    void maxmindLookup();
    void travelFromMaxmind();
    void invalidDatabaseIsAnError();
};

void TestBaselines::medianAndMad_data()
{
    QTest::addColumn<QVector<float>>("samples");
    QTest::addColumn<float>("median");
    QTest::addColumn<float>("mad"); // before scaling
    QTest::newRow("odd") << QVector<float> { 1, 2, 3, 4, 100 } << 3.0f << 1.0f;
    QTest::newRow("even") << QVector<float> { 1, 2, 3, 4 } << 2.5f << 1.0f;
    QTest::newRow("constant") << QVector<float> { 7, 7, 7 } << 7.0f << 0.0f;
    QTest::newRow("empty") << QVector<float> {} << 0.0f << 0.0f;
}

void TestBaselines::medianAndMad()
{
    QFETCH(QVector<float>, samples);
    QFETCH(float, median);
    QFETCH(float, mad);
    RobustBaseline baseline;
    for (float sample : samples)
        baseline.add(sample);
    QCOMPARE(baseline.median(), median);
    QVERIFY(qAbs(baseline.scaledMad() - 1.4826f * mad) < 1e-4f);
}

void TestBaselines::ringKeepsRecentSamples()
{
    RobustBaseline baseline;
    for (int i = 0; i < RobustBaseline::Capacity; ++i)
        baseline.add(1000);
    for (int i = 0; i < RobustBaseline::Capacity; ++i)
        baseline.add(5);
    QCOMPARE(baseline.count(), RobustBaseline::Capacity);
    QCOMPARE(baseline.median(), 5.0f);
}

void TestBaselines::threshold()
{
    RobustBaseline baseline;
    for (float sample : { 10.0f, 12.0f, 8.0f, 11.0f, 9.0f })
        baseline.add(sample);
    // median 10, MAD 1 (scaled 1.4826): median + 8 * 1.4826 = 21.86; 10 * median = 100.
    QCOMPARE(baseline.threshold(50, 8, 10), 100.0);
    QVERIFY(qAbs(baseline.threshold(0, 8, 1) - 21.8608) < 1e-3);
    QCOMPARE(baseline.threshold(500, 8, 10), 500.0);
}

void TestBaselines::coldEntityUsesColdThreshold()
{
    // 200 requests in a minute: over the warm floor (120) but under the cold threshold (300).
    DetectionEngine engine;
    addMinutes(engine, QStringLiteral("tok_cold"), 0, 1, 200);
    engine.finish();
    QCOMPARE(apiAlerts(engine), 0);
}

void TestBaselines::warmEntityUsesOwnBaseline()
{
    // Five active minutes at 5 a minute warm the baseline (baseline.min_samples 5):
    // the threshold becomes max(120, 5 + 8 * MAD, 10 * 5) = 120, so 200 alerts.
    DetectionEngine engine;
    addMinutes(engine, QStringLiteral("tok_warm"), 0, 5, 5);
    addMinutes(engine, QStringLiteral("tok_warm"), 10, 1, 200);
    engine.finish();
    QCOMPARE(apiAlerts(engine), 1);
    QVERIFY2(engine.alerts().last().reason.contains(QLatin1String("median of 5")),
        qPrintable(engine.alerts().last().reason));
}

void TestBaselines::idleEntityExpires()
{
    // baseline.idle_seconds (one hour here) after its last request the token is
    // forgotten, so the same spike meets the cold threshold again.
    DetectionConfig config;
    config.baselineIdleMs = Hour;
    DetectionEngine engine(config);
    addMinutes(engine, QStringLiteral("tok_idle"), 0, 5, 5);
    const qint64 warmEntities = engine.trackedEntities();
    QVERIFY(warmEntities > 0);

    // Other traffic moves event time on by three hours; the sweep drops the token.
    for (int minute = 0; minute < 180; minute += 5)
        engine.processEvent(apiCall(BaseMs + (10 + minute) * Minute, QStringLiteral("tok_other")));
    addMinutes(engine, QStringLiteral("tok_idle"), 200, 1, 200);
    engine.finish();
    QCOMPARE(apiAlerts(engine), 0);
}

void TestBaselines::entityCapHolds()
{
    EntityTable<int> table(100, Hour);
    for (int i = 0; i < 1000; ++i)
        table.touch(QString::number(i), BaseMs + i);
    QVERIFY(table.size() <= 100);
    QVERIFY(table.evicted() >= 900);
    QVERIFY(table.find(QStringLiteral("999")) != nullptr); // the newest stay
    QVERIFY(table.find(QStringLiteral("0")) == nullptr);
    table.expire(BaseMs + 1000 + Hour + 1);
    QCOMPARE(table.size(), 0);
}

void TestBaselines::engineMemoryBound()
{
    // 20,000 sessions and addresses within a minute against a cap of 1,000 per table.
    DetectionConfig config;
    config.baselineMaxEntities = 1000;
    DetectionEngine engine(config);
    for (int i = 0; i < 20000; ++i) {
        Event event = request(BaseMs + i, QStringLiteral("2001:db8:1::%1").arg(i, 0, 16),
            QStringLiteral("/api/v2/profile"));
        setUser(event, QStringLiteral("usr_%1").arg(i), QStringLiteral("u%1").arg(i));
        event.extra.insert(QStringLiteral("bookedbarber.session.id"),
            QStringLiteral("sess_%1").arg(i));
        engine.processEvent(event);
    }
    // Nine detectors with at most three tables each.
    QVERIFY2(engine.trackedEntities() <= 9 * 3 * 1000,
        qPrintable(QString::number(engine.trackedEntities())));
    QVERIFY(engine.evictedEntities() > 0);
}

void TestBaselines::maxmindLookup()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("test-city.mmdb"));
    const QByteArray database = MmdbWriter::build({
        { QStringLiteral("198.51.100.0/24"), 40.71, -74.01, QStringLiteral("US"),
            QStringLiteral("New York"), 64500 },
        { QStringLiteral("2001:db8:ff00::/40"), 1.35, 103.82, QStringLiteral("SG"),
            QStringLiteral("Singapore"), 64501 },
    });
    QVERIFY(!database.isEmpty());
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(database);
    file.close();

    GeoLocator locator;
    QString error;
    QVERIFY2(locator.open(path, &error), qPrintable(error));
    GeoInfo info;
    QVERIFY(locator.lookup(QStringLiteral("198.51.100.77"), &info));
    QVERIFY(info.hasLocation);
    QCOMPARE(info.latitude, 40.71);
    QCOMPARE(info.countryIso, QStringLiteral("US"));
    QCOMPARE(info.city, QStringLiteral("New York"));
    QCOMPARE(info.asn, 64500u);
    QVERIFY(locator.lookup(QStringLiteral("2001:db8:ff0e::1"), &info));
    QCOMPARE(info.countryIso, QStringLiteral("SG"));
    QVERIFY(!locator.lookup(QStringLiteral("192.0.2.1"), &info));
    QVERIFY(!locator.lookup(QStringLiteral("not an address"), &info));
}

void TestBaselines::travelFromMaxmind()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("test-city.mmdb"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(MmdbWriter::build({
        { QStringLiteral("198.51.100.0/24"), 40.71, -74.01, QStringLiteral("US"),
            QStringLiteral("New York"), 64500 },
        { QStringLiteral("203.0.113.0/24"), 1.35, 103.82, QStringLiteral("SG"),
            QStringLiteral("Singapore"), 64501 },
    }));
    file.close();

    DetectionConfig config;
    config.geoDatabasePath = path;
    DetectionEngine engine(config);
    QVERIFY(engine.hasGeoDatabase());
    // No source.geo fields: the places come from the database.
    engine.processEvent(login(BaseMs, QStringLiteral("198.51.100.9"), QStringLiteral("usr_m"), true));
    engine.processEvent(
        login(BaseMs + 30 * Minute, QStringLiteral("203.0.113.9"), QStringLiteral("usr_m"), true));
    engine.finish();
    engine.takeChangedAlerts();
    const QVector<Alert> alerts = alertsOf(engine.alerts(), "impossible-travel");
    QCOMPARE(alerts.size(), 1);
    QVERIFY2(alerts[0].reason.contains(QLatin1String("Singapore, SG")),
        qPrintable(alerts[0].reason));
}

void TestBaselines::invalidDatabaseIsAnError()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("broken.mmdb"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("not a database");
    file.close();
    GeoLocator locator;
    QString error;
    QVERIFY(!locator.open(path, &error));
    QVERIFY2(error.contains(path), qPrintable(error));

    DetectionConfig config;
    config.geoDatabasePath = dir.filePath(QStringLiteral("missing.mmdb"));
    QVERIFY(config.validate().contains(QLatin1String("geo.maxmind_database")));
}

QTEST_GUILESS_MAIN(TestBaselines)
#include "tst_baselines.moc"
