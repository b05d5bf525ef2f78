// SPDX-License-Identifier: GPL-3.0-or-later
// TelemetryPipeline with suppressions from a real SQLite file, and the ATT&CK
// technique of its telemetry-silence and telemetry-gap alerts.
#include "ingesttestutil.h"

#include "detect/suppressionservice.h"
#include "ingest/telemetrypipeline.h"
#include "store/store.h"

#include <QtTest>

using namespace portcullis;

namespace {

constexpr char Attacker[] = "203.0.113.9";

// Failed backend logins for `users` distinct accounts from one address, a
// credential-stuffing burst at the default threshold of 5 user names.
EventPage stuffingPage(const QString &ip, int users, const QString &idPrefix)
{
    EventPage page;
    for (int i = 0; i < users; ++i) {
        page.events << QStringLiteral(
            R"({"@timestamp":"2026-12-04T15:00:%1.000Z","event":{"id":"%2-%3",)"
            R"("category":"authentication","action":"user_login","outcome":"failure"},)"
            R"("source":{"ip":"%4"},"user":{"name":"user%3@example.net"}})")
                           .arg(10 + i)
                           .arg(idPrefix)
                           .arg(i)
                           .arg(ip)
                           .toUtf8();
    }
    page.nextCursor = idPrefix + QStringLiteral("-end");
    return page;
}

QStringList ruleIds(Store &store)
{
    QStringList ids;
    for (const Alert &alert : store.queryAlerts(AlertQuery()))
        ids << alert.ruleId;
    return ids;
}

} // namespace

class TestTelemetrySuppression : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void unsuppressedStuffingRaisesAlert();
    void suppressedRuleRaisesNoAlert();
    void allowListedSourceSkipsEvents();
    void silenceAndGapHaveTechnique();

private:
    qint64 addSuppression(const Suppression &entry);
    qint64 hitsOf(qint64 id);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Store> m_store;
    Identity m_admin = testing::identityWith(Role::Administrator);
};

void TestTelemetrySuppression::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_store = std::make_unique<Store>();
    QString error;
    QVERIFY2(
        m_store->open(m_dir->filePath(QStringLiteral("console.db")), &error), qPrintable(error));
}

void TestTelemetrySuppression::cleanup()
{
    m_store.reset();
    m_dir.reset();
}

qint64 TestTelemetrySuppression::addSuppression(const Suppression &entry)
{
    QString error;
    const auto added = SuppressionService(m_store->database()).add(m_admin, entry, &error);
    if (!added)
        qWarning() << error;
    return added ? added->id : 0;
}

qint64 TestTelemetrySuppression::hitsOf(qint64 id)
{
    bool ok = false;
    QString error;
    for (const Suppression &entry :
        SuppressionService(m_store->database()).list(m_admin, &ok, &error)) {
        if (entry.id == id)
            return entry.hits;
    }
    return -1;
}

void TestTelemetrySuppression::unsuppressedStuffingRaisesAlert()
{
    TelemetryPipeline pipeline(*m_store, QStringLiteral("b"), QUrl("http://127.0.0.1:1"));
    QString error;
    QVERIFY2(pipeline.open(&error), qPrintable(error));

    QVERIFY2(
        pipeline.commitPage(stuffingPage(QLatin1String(Attacker), 5, QStringLiteral("a")), &error),
        qPrintable(error));

    QVERIFY2(ruleIds(*m_store).contains(QStringLiteral("credential-stuffing")),
        qPrintable(ruleIds(*m_store).join(',')));
}

void TestTelemetrySuppression::suppressedRuleRaisesNoAlert()
{
    Suppression entry;
    entry.kind = SuppressionKind::Rule;
    entry.value = QStringLiteral("credential-stuffing");
    entry.reason = QStringLiteral("Load test of the login service");
    const qint64 id = addSuppression(entry);
    QVERIFY(id > 0);
    TelemetryPipeline pipeline(*m_store, QStringLiteral("b"), QUrl("http://127.0.0.1:1"));
    QString error;
    QVERIFY2(pipeline.open(&error), qPrintable(error));

    QVERIFY2(
        pipeline.commitPage(stuffingPage(QLatin1String(Attacker), 5, QStringLiteral("a")), &error),
        qPrintable(error));

    QVERIFY(!ruleIds(*m_store).contains(QStringLiteral("credential-stuffing")));
    QCOMPARE(hitsOf(id), qint64(1));
    QCOMPARE(pipeline.counters().stored, qint64(5)); // the events are still stored
}

void TestTelemetrySuppression::allowListedSourceSkipsEvents()
{
    Suppression entry;
    entry.kind = SuppressionKind::Source;
    entry.value = QStringLiteral("203.0.113.0/24");
    entry.reason = QStringLiteral("Penetration test of the login service");
    const qint64 id = addSuppression(entry);
    QVERIFY(id > 0);
    TelemetryPipeline pipeline(*m_store, QStringLiteral("b"), QUrl("http://127.0.0.1:1"));
    QString error;
    QVERIFY2(pipeline.open(&error), qPrintable(error));

    QVERIFY2(
        pipeline.commitPage(stuffingPage(QLatin1String(Attacker), 6, QStringLiteral("a")), &error),
        qPrintable(error));

    QCOMPARE(ruleIds(*m_store), QStringList());
    QCOMPARE(hitsOf(id), qint64(6));
}

void TestTelemetrySuppression::silenceAndGapHaveTechnique()
{
    TelemetryPipeline pipeline(*m_store, QStringLiteral("b"), QUrl("http://127.0.0.1:1"));
    QString error;
    QVERIFY2(pipeline.open(&error), qPrintable(error));
    TelemetryGap gap;
    gap.cursor = QStringLiteral("c-1");
    gap.oldestCursor = QStringLiteral("c-9");
    gap.missingEvents = 8;

    QVERIFY2(pipeline.raiseSilence(600 * 1000, &error), qPrintable(error));
    QVERIFY2(pipeline.commitGap(gap, &error), qPrintable(error));

    const QVector<Alert> alerts = m_store->queryAlerts(AlertQuery());
    QCOMPARE(alerts.size(), 2);
    for (const Alert &alert : alerts)
        QCOMPARE(alert.mitreTechnique, QStringLiteral("T1562.006"));
}

QTEST_GUILESS_MAIN(TestTelemetrySuppression)
#include "tst_telemetrysuppression.moc"
