// SPDX-License-Identifier: GPL-3.0-or-later
// Alert triage through AlertService: the permission matrix, the status
// transitions, history and the audit records written with each change.
#include "respond/alertservice.h"
#include "security/accounts.h"
#include "security/auditlog.h"

#include <QTemporaryDir>
#include <QTest>

using namespace portcullis;

namespace {

Identity identityWith(QSet<Role> roles, const QString &name = QStringLiteral("alice"))
{
    Identity identity;
    identity.userId = 7;
    identity.userName = name;
    identity.roles = roles;
    return identity;
}

int auditCount(Store &store, const char *action)
{
    Statement statement
        = store.database().prepare("SELECT COUNT(*) FROM audit_log WHERE action = ?");
    statement.bind(1, QString::fromLatin1(action));
    return statement.step() ? statement.columnInt(0) : -1;
}

} // namespace

class TestAlertService : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void permissionMatrix_data();
    void permissionMatrix();
    void lifecycleWritesHistoryAndAudit();
    void invalidTransitions_data();
    void invalidTransitions();
    void closeNeedsDisposition();
    void assignValidatesName();
    void missingAlertNamed();
    void evidenceEvents();

private:
    QTemporaryDir *m_dir = nullptr;
    Store *m_store = nullptr;
    qint64 m_alertId = 0;
};

void TestAlertService::init()
{
    m_dir = new QTemporaryDir;
    m_store = new Store;
    QString error;
    QVERIFY2(
        m_store->open(m_dir->filePath(QStringLiteral("triage.db")), &error), qPrintable(error));

    Event event;
    event.id = "abc:0:0";
    event.original = QStringLiteral("Dec 10 06:55:46 LabSZ sshd[24200]: Failed password for root");
    event.filePath = QStringLiteral("/var/log/auth.log");
    event.lineNumber = 1;
    qint64 inserted = 0;
    QVERIFY(m_store->insertEvents({ event }, &inserted, &error));

    Alert alert;
    alert.key = "ssh-brute-force|203.0.113.7|1";
    alert.ruleId = QStringLiteral("ssh-brute-force");
    alert.title = QStringLiteral("SSH brute force from 203.0.113.7");
    alert.severity = Severity::Medium;
    alert.eventCount = 1;
    alert.evidence = { event.id, "not-stored:1:0" };
    alert.reason = QStringLiteral("Test alert.");
    QVERIFY(m_store->upsertAlert(alert, &error));
    m_alertId = alert.id;

    // Assignees must be active console users: bob is created as the first
    // administrator; carol and dave (disabled) directly, each with the
    // user.add record that audit verification expects for an account.
    const std::optional<Identity> bob = AccountService(m_store->database())
        .createFirstAdministrator(QStringLiteral("bob"), QStringLiteral("violet tractor harbour 42"),
            &error);
    QVERIFY2(bob, qPrintable(error));
    QVERIFY(m_store->database().exec(
        "INSERT INTO users (name, password_hash, password_salt, scrypt_n, scrypt_r, scrypt_p, "
        "disabled, created_ms, password_changed_ms) VALUES "
        "('carol', x'00', x'00', 16384, 8, 1, 0, 0, 0), "
        "('dave', x'00', x'00', 16384, 8, 1, 1, 0, 0)",
        &error));
    for (const QString &name : { QStringLiteral("carol"), QStringLiteral("dave") })
        QVERIFY(AuditLog(m_store->database())
                    .append(*bob, QStringLiteral("user.add"), QStringLiteral("user:") + name,
                        QJsonObject(), &error));
}

void TestAlertService::cleanup()
{
    delete m_store;
    delete m_dir;
    m_store = nullptr;
    m_dir = nullptr;
}

void TestAlertService::permissionMatrix_data()
{
    QTest::addColumn<QSet<Role>>("roles");
    QTest::addColumn<bool>("canView");
    QTest::addColumn<bool>("canTriage");
    QTest::newRow("analyst") << QSet<Role> { Role::Analyst } << true << true;
    QTest::newRow("responder") << QSet<Role> { Role::Responder } << true << true;
    QTest::newRow("compliance officer") << QSet<Role> { Role::ComplianceOfficer } << true << false;
    QTest::newRow("administrator") << QSet<Role> { Role::Administrator } << true << false;
    QTest::newRow("no role") << QSet<Role>() << false << false;
}

void TestAlertService::permissionMatrix()
{
    QFETCH(QSet<Role>, roles);
    QFETCH(bool, canView);
    QFETCH(bool, canTriage);
    AlertService service(*m_store);
    const Identity who = identityWith(roles);
    QString error;

    QCOMPARE(service.countAlerts(who, {}, &error), canView ? 1 : -1);
    QCOMPARE(service.queryAlerts(who, {}, &error).size(), canView ? 1 : 0);
    QCOMPARE(service.alert(who, m_alertId, &error).has_value(), canView);
    QCOMPARE(service.history(who, m_alertId, &error).isEmpty(), !canView);

    error.clear();
    QCOMPARE(service.acknowledge(who, m_alertId, QString(), &error), canTriage);
    QCOMPARE(error.isEmpty(), canTriage);
    if (!canTriage)
        QVERIFY2(error.contains(QLatin1String("triage_alerts")), qPrintable(error));
    QCOMPARE(m_store->alertById(m_alertId)->status,
        canTriage ? AlertStatus::Acknowledged : AlertStatus::Open);
    QCOMPARE(auditCount(*m_store, "alert.acknowledged"), canTriage ? 1 : 0);
}

void TestAlertService::lifecycleWritesHistoryAndAudit()
{
    AlertService service(*m_store);
    const Identity alice = identityWith({ Role::Analyst });
    QString error;
    QVERIFY2(service.acknowledge(alice, m_alertId, QStringLiteral("looking"), &error),
        qPrintable(error));
    QVERIFY2(service.assign(alice, m_alertId, QStringLiteral("bob"), QString(), &error),
        qPrintable(error));
    QVERIFY2(service.close(
                 alice, m_alertId, Disposition::TruePositive, QStringLiteral("blocked"), &error),
        qPrintable(error));
    QVERIFY2(
        service.reopen(alice, m_alertId, QStringLiteral("came back"), &error), qPrintable(error));

    const std::optional<Alert> alert = service.alert(alice, m_alertId, &error);
    QVERIFY(alert);
    QCOMPARE(alert->status, AlertStatus::Open);
    QCOMPARE(alert->assignee, QStringLiteral("bob"));
    QCOMPARE(alert->disposition, Disposition::None);

    const QVector<AlertHistoryEntry> history = service.history(alice, m_alertId, &error);
    QCOMPARE(history.size(), 5);
    const QStringList actions { QStringLiteral("created"), QStringLiteral("acknowledged"),
        QStringLiteral("assigned"), QStringLiteral("closed"), QStringLiteral("reopened") };
    for (int i = 0; i < history.size(); ++i)
        QCOMPARE(history.at(i).action, actions.at(i));
    QCOMPARE(history.at(1).actor, QStringLiteral("alice"));
    QCOMPARE(history.at(1).note, QStringLiteral("looking"));
    QCOMPARE(history.at(3).status, AlertStatus::Closed);
    QCOMPARE(history.at(3).disposition, Disposition::TruePositive);
    QCOMPARE(history.at(3).note, QStringLiteral("blocked"));

    for (const char *action :
        { "alert.acknowledged", "alert.assigned", "alert.closed", "alert.reopened" })
        QVERIFY2(auditCount(*m_store, action) == 1, action);
    AuditLog audit(m_store->database());
    QVERIFY(audit.verifyUnchecked().ok);
}

void TestAlertService::invalidTransitions_data()
{
    QTest::addColumn<QString>("setup"); // transitions applied first
    QTest::addColumn<QString>("attempt");
    QTest::addColumn<QString>("message"); // part of the expected error
    QTest::newRow("ack twice") << QStringLiteral("ack") << QStringLiteral("ack")
                               << QStringLiteral("only an open alert");
    QTest::newRow("ack closed") << QStringLiteral("close") << QStringLiteral("ack")
                                << QStringLiteral("is closed");
    QTest::newRow("close twice") << QStringLiteral("close") << QStringLiteral("close")
                                 << QStringLiteral("already closed");
    QTest::newRow("reopen open") << QString() << QStringLiteral("reopen")
                                 << QStringLiteral("only a closed alert");
    QTest::newRow("assign closed")
        << QStringLiteral("close") << QStringLiteral("assign") << QStringLiteral("reopen it");
}

void TestAlertService::invalidTransitions()
{
    QFETCH(QString, setup);
    QFETCH(QString, attempt);
    QFETCH(QString, message);
    AlertService service(*m_store);
    const Identity who = identityWith({ Role::Responder });
    QString error;
    const auto apply = [&](const QString &action) {
        if (action == QLatin1String("ack"))
            return service.acknowledge(who, m_alertId, QString(), &error);
        if (action == QLatin1String("close"))
            return service.close(who, m_alertId, Disposition::Benign, QString(), &error);
        if (action == QLatin1String("reopen"))
            return service.reopen(who, m_alertId, QString(), &error);
        return service.assign(who, m_alertId, QStringLiteral("carol"), QString(), &error);
    };
    if (!setup.isEmpty())
        QVERIFY2(apply(setup), qPrintable(error));
    const int historyBefore = m_store->alertHistory(m_alertId).size();

    QVERIFY(!apply(attempt));
    QVERIFY2(error.contains(message), qPrintable(error));
    QVERIFY2(error.contains(QString::number(m_alertId)), qPrintable(error));
    QCOMPARE(m_store->alertHistory(m_alertId).size(), historyBefore);
    QVERIFY(!m_store->inTransaction());
}

void TestAlertService::closeNeedsDisposition()
{
    AlertService service(*m_store);
    QString error;
    QVERIFY(!service.close(
        identityWith({ Role::Analyst }), m_alertId, Disposition::None, QString(), &error));
    QVERIFY2(error.contains(QLatin1String("false_positive")), qPrintable(error));
    QCOMPARE(m_store->alertById(m_alertId)->status, AlertStatus::Open);
}

void TestAlertService::assignValidatesName()
{
    AlertService service(*m_store);
    QString error;
    QVERIFY(!service.assign(
        identityWith({ Role::Analyst }), m_alertId, QStringLiteral("  "), QString(), &error));
    QVERIFY2(error.contains(QLatin1String("invalid")), qPrintable(error));
    QVERIFY(!service.assign(
        identityWith({ Role::ComplianceOfficer }), m_alertId, QString(), QString(), &error));
    QVERIFY2(error.contains(QLatin1String("triage_alerts")), qPrintable(error));

    // Only an active console user can be assigned.
    for (const QString &name : { QStringLiteral("nobody_exists"), QStringLiteral("dave") }) {
        QVERIFY(!service.assign(
            identityWith({ Role::Analyst }), m_alertId, name, QString(), &error));
        QVERIFY2(error.contains(QLatin1String("not an active console user")), qPrintable(error));
    }
    QVERIFY(m_store->alertById(m_alertId)->assignee.isEmpty());
}

void TestAlertService::missingAlertNamed()
{
    AlertService service(*m_store);
    QString error;
    QVERIFY(!service.acknowledge(identityWith({ Role::Analyst }), 424242, QString(), &error));
    QVERIFY2(error.contains(QLatin1String("424242")), qPrintable(error));
    QVERIFY(!service.alert(identityWith({ Role::Analyst }), 424242, &error));
    QVERIFY(!m_store->inTransaction());
}

void TestAlertService::evidenceEvents()
{
    AlertService service(*m_store);
    QString error;
    const QVector<Event> events
        = service.evidence(identityWith({ Role::Analyst }), m_alertId, &error);
    QCOMPARE(events.size(), 1);
    QCOMPARE(events.first().filePath, QStringLiteral("/var/log/auth.log"));
    QVERIFY(service.evidence(Identity(), m_alertId, &error).isEmpty());
    QVERIFY2(error.contains(QLatin1String("Not signed in")), qPrintable(error));
}

QTEST_GUILESS_MAIN(TestAlertService)
#include "tst_alertservice.moc"
