// SPDX-License-Identifier: GPL-3.0-or-later
// Suppressions and allow-lists: CIDR matching, the SQLite store, the
// permission check and audit record of each change, and their effect in
// DetectionEngine (no alert, counted hits, expiry).
#include "eventbuilder.h"

#include "detect/detectionengine.h"
#include "detect/suppressionservice.h"
#include "security/auditlog.h"
#include "store/database.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace portcullis;
using namespace portcullis::test;

namespace {

Suppression entry(SuppressionKind kind, const QString &value, const QString &ruleId = QString())
{
    Suppression suppression;
    suppression.kind = kind;
    suppression.value = value;
    suppression.ruleId = ruleId;
    suppression.reason = QStringLiteral("office range, reviewed by the SOC lead");
    return suppression;
}

// Forty failed logins for one account from `ip`: one account-brute-force alert.
std::vector<Event> bruteForce(const QString &ip)
{
    std::vector<Event> events;
    for (int i = 0; i < 40; ++i)
        events.push_back(login(BaseMs + i * Second, ip, QStringLiteral("usr_x"), false));
    return events;
}

QVector<Alert> run(DetectionEngine &engine, const std::vector<Event> &events)
{
    for (const Event &event : events)
        engine.processEvent(event);
    engine.finish();
    engine.takeChangedAlerts();
    return engine.alerts();
}

qsizetype auditCount(Database &db, const QString &action)
{
    AuditFilter filter;
    filter.action = action;
    QString error;
    const Identity auditor
        = identityForTesting(QStringLiteral("auditor"), { Role::ComplianceOfficer }, 9);
    return AuditLog(db).list(auditor, filter, &error).size();
}

} // namespace

class TestSuppressions : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void networkContains_data();
    void networkContains();
    void invalidEntriesRejected_data();
    void invalidEntriesRejected();
    void addListRemoveAudited();
    void analystCannotChange();
    void allowListedSourceRaisesNothing();
    void ruleScopedSourceEntry();
    void ruleAndUserEntries();
    void expiredEntryDoesNotApply();
    void hitsAreStored();

private:
    QTemporaryDir m_dir;
    Database m_db;
    Identity m_admin;
    Identity m_analyst;
};

void TestSuppressions::init()
{
    m_db.close();
    QVERIFY(m_dir.isValid());
    QFile::remove(m_dir.filePath(QStringLiteral("console.db")));
    QString error;
    QVERIFY2(m_db.open(m_dir.filePath(QStringLiteral("console.db")), &error), qPrintable(error));
    m_admin = identityForTesting(QStringLiteral("admin"), { Role::Administrator }, 1);
    m_analyst = identityForTesting(QStringLiteral("analyst"), { Role::Analyst }, 2);
}

void TestSuppressions::networkContains_data()
{
    QTest::addColumn<QString>("network");
    QTest::addColumn<QString>("address");
    QTest::addColumn<bool>("contains");
    QTest::newRow("v4 inside") << "203.0.113.0/24" << "203.0.113.77" << true;
    QTest::newRow("v4 outside") << "203.0.113.0/24" << "203.0.114.1" << false;
    QTest::newRow("v4 odd prefix") << "198.51.100.128/25" << "198.51.100.127" << false;
    QTest::newRow("v4 host") << "198.51.100.7" << "198.51.100.7" << true;
    QTest::newRow("v4 mapped") << "192.0.2.0/24" << "::ffff:192.0.2.5" << true;
    QTest::newRow("v6 inside") << "2001:db8:ff00::/40" << "2001:db8:ff0e::1" << true;
    QTest::newRow("v6 outside") << "2001:db8:ff00::/40" << "2001:db8:1::1" << false;
    QTest::newRow("family differs") << "0.0.0.0/0" << "2001:db8::1" << false;
    QTest::newRow("garbage address") << "0.0.0.0/0" << "not-an-ip" << false;
}

void TestSuppressions::networkContains()
{
    QFETCH(QString, network);
    QFETCH(QString, address);
    QFETCH(bool, contains);
    IpNetwork parsed;
    QString error;
    QVERIFY2(IpNetwork::parse(network, &parsed, &error), qPrintable(error));
    QCOMPARE(parsed.contains(address), contains);
}

void TestSuppressions::invalidEntriesRejected_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("ruleId");
    QTest::addColumn<QString>("reason");
    QTest::addColumn<QString>("expected");
    QTest::newRow("bad cidr") << int(SuppressionKind::Source) << "10.0.0.0/33" << ""
                              << "why" << "prefix length";
    QTest::newRow("not an address") << int(SuppressionKind::Source) << "office" << "" << "why"
                                    << "not an IPv4 or IPv6 address";
    QTest::newRow("no reason") << int(SuppressionKind::Rule) << "web-scanning" << "" << " "
                               << "reason";
    QTest::newRow("bad rule id") << int(SuppressionKind::Rule) << "web scanning" << "" << "why"
                                 << "not a rule id";
}

void TestSuppressions::invalidEntriesRejected()
{
    QFETCH(int, kind);
    QFETCH(QString, value);
    QFETCH(QString, ruleId);
    QFETCH(QString, reason);
    QFETCH(QString, expected);
    Suppression suppression = entry(SuppressionKind(kind), value, ruleId);
    suppression.reason = reason;
    SuppressionService service(m_db);
    QString error;
    QVERIFY(!service.add(m_admin, suppression, &error));
    QVERIFY2(error.contains(expected), qPrintable(error));
}

void TestSuppressions::addListRemoveAudited()
{
    SuppressionService service(m_db);
    service.setClock([] { return BaseMs; });
    QString error;
    const auto added = service.add(m_admin,
        entry(SuppressionKind::Source, QStringLiteral("198.51.100.0/24")), &error);
    QVERIFY2(added, qPrintable(error));
    QVERIFY(added->id > 0);
    QCOMPARE(added->createdBy, QStringLiteral("admin"));
    QCOMPARE(added->createdMs, BaseMs);
    QCOMPARE(auditCount(m_db, QStringLiteral("suppression.add")), 1);

    bool ok = false;
    const QVector<Suppression> listed = service.list(m_analyst, &ok, &error);
    QVERIFY2(ok, qPrintable(error));
    QCOMPARE(listed.size(), 1);
    QCOMPARE(listed[0].value, QStringLiteral("198.51.100.0/24"));

    QVERIFY2(service.remove(m_admin, added->id, &error), qPrintable(error));
    QCOMPARE(auditCount(m_db, QStringLiteral("suppression.remove")), 1);
    QCOMPARE(service.list(m_admin, &ok, &error).size(), 0);
    QVERIFY(!service.remove(m_admin, added->id, &error));
    QVERIFY2(error.contains(QLatin1String("No suppression has id")), qPrintable(error));
    QVERIFY(AuditLog(m_db).verifyUnchecked().ok);
}

void TestSuppressions::analystCannotChange()
{
    SuppressionService service(m_db);
    QString error;
    QVERIFY(!service.add(m_analyst, entry(SuppressionKind::Rule, QStringLiteral("web-scanning")),
        &error));
    QVERIFY2(error.contains(QLatin1String("manage_rules")), qPrintable(error));
    QCOMPARE(auditCount(m_db, QStringLiteral("suppression.add")), 0);

    const auto added
        = service.add(m_admin, entry(SuppressionKind::Rule, QStringLiteral("web-scanning")), &error);
    QVERIFY2(added, qPrintable(error));
    QVERIFY(!service.remove(m_analyst, added->id, &error));
    QVERIFY2(error.contains(QLatin1String("manage_rules")), qPrintable(error));
    bool ok = false;
    QCOMPARE(service.list(m_admin, &ok, &error).size(), 1);
    QCOMPARE(auditCount(m_db, QStringLiteral("suppression.remove")), 0);
}

void TestSuppressions::allowListedSourceRaisesNothing()
{
    DetectionEngine open;
    QCOMPARE(alertsOf(run(open, bruteForce(QStringLiteral("198.51.100.9"))),
                 "account-brute-force")
                 .size(),
        1);

    SuppressionService service(m_db);
    QString error;
    const auto added = service.add(m_admin,
        entry(SuppressionKind::Source, QStringLiteral("198.51.100.0/24")), &error);
    QVERIFY2(added, qPrintable(error));
    DetectionEngine engine;
    engine.setSuppressions(SuppressionService::loadActive(m_db, &error));
    QCOMPARE(run(engine, bruteForce(QStringLiteral("198.51.100.9"))).size(), 0);
    QCOMPARE(engine.allowListedEventCount(), 40);
    QCOMPARE(engine.takeSuppressionHits().value(added->id), 40);
    // Another source is still seen.
    QCOMPARE(alertsOf(run(engine, bruteForce(QStringLiteral("203.0.113.9"))),
                 "account-brute-force")
                 .size(),
        1);
}

void TestSuppressions::ruleScopedSourceEntry()
{
    // A known scanner allowed for account-brute-force only: the alert is
    // dropped and counted, other rules still see the source.
    SuppressionService service(m_db);
    QString error;
    QVERIFY(service.add(m_admin,
        entry(SuppressionKind::Source, QStringLiteral("203.0.113.50"),
            QStringLiteral("account-brute-force")),
        &error));
    DetectionEngine engine;
    engine.setSuppressions(SuppressionService::loadActive(m_db, &error));
    std::vector<Event> events = bruteForce(QStringLiteral("203.0.113.50"));
    for (int i = 0; i < 6; ++i)
        events.push_back(login(BaseMs + Minute + i * Second, QStringLiteral("203.0.113.50"),
            QStringLiteral("usr_%1").arg(i), false));
    const QVector<Alert> alerts = run(engine, events);
    QCOMPARE(alertsOf(alerts, "account-brute-force").size(), 0);
    QCOMPARE(alertsOf(alerts, "credential-stuffing").size(), 1);
    QCOMPARE(engine.suppressedAlertCount(), 1);
    QCOMPARE(engine.allowListedEventCount(), 0);
}

void TestSuppressions::ruleAndUserEntries()
{
    SuppressionList list({ [] {
        Suppression rule = entry(SuppressionKind::Rule, QStringLiteral("account-brute-force"));
        rule.id = 7;
        return rule;
    }() });
    DetectionEngine engine;
    engine.setSuppressions(list);
    QCOMPARE(run(engine, bruteForce(QStringLiteral("203.0.113.60"))).size(), 0);
    QCOMPARE(engine.suppressedAlertCount(), 1);
    QCOMPARE(engine.takeSuppressionHits().value(7), 1);

    Suppression user = entry(SuppressionKind::User, QStringLiteral("USR_X@example.com"));
    user.id = 8;
    DetectionEngine userEngine;
    userEngine.setSuppressions(SuppressionList({ user }));
    QCOMPARE(run(userEngine, bruteForce(QStringLiteral("203.0.113.61"))).size(), 0);
    QCOMPARE(userEngine.suppressedAlertCount(), 1);
}

void TestSuppressions::expiredEntryDoesNotApply()
{
    Suppression rule = entry(SuppressionKind::Rule, QStringLiteral("account-brute-force"));
    rule.id = 3;
    rule.expiresMs = BaseMs;
    DetectionEngine engine;
    engine.setSuppressions(SuppressionList({ rule }));
    engine.setClock([] { return BaseMs + 1; });
    QCOMPARE(alertsOf(run(engine, bruteForce(QStringLiteral("203.0.113.70"))),
                 "account-brute-force")
                 .size(),
        1);
    QCOMPARE(engine.suppressedAlertCount(), 0);

    DetectionEngine before;
    before.setSuppressions(SuppressionList({ rule }));
    before.setClock([] { return BaseMs - 1; });
    QCOMPARE(run(before, bruteForce(QStringLiteral("203.0.113.70"))).size(), 0);
}

void TestSuppressions::hitsAreStored()
{
    SuppressionService service(m_db);
    QString error;
    const auto added = service.add(m_admin,
        entry(SuppressionKind::Source, QStringLiteral("198.51.100.0/24")), &error);
    QVERIFY2(added, qPrintable(error));
    DetectionEngine engine;
    engine.setSuppressions(SuppressionService::loadActive(m_db, &error));
    run(engine, bruteForce(QStringLiteral("198.51.100.9")));
    QVERIFY2(SuppressionService::recordHits(m_db, engine.takeSuppressionHits(), &error),
        qPrintable(error));
    bool ok = false;
    const QVector<Suppression> listed = service.list(m_admin, &ok, &error);
    QCOMPARE(listed.size(), 1);
    QCOMPARE(listed[0].hits, 40);
}

QTEST_GUILESS_MAIN(TestSuppressions)
#include "tst_suppressions.moc"
