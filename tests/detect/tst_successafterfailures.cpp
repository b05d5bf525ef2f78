// SPDX-License-Identifier: GPL-3.0-or-later
// success-after-failures on scripted login sequences from one source address:
// honest typos on a shared address against password guessing that worked.
#include "detect/detectionengine.h"
#include "detect/successafterfailuresdetector.h"

#include <QtTest>

using namespace portcullis;

namespace {

constexpr qint64 BaseMs = 1'700'000'000'000;
constexpr char Source[] = "198.51.100.20";

// Turns steps "SECONDS fail|ok USER" into SSH login events from Source.
std::vector<Event> loginEvents(const QStringList &steps)
{
    std::vector<Event> events;
    int id = 0;
    for (const QString &step : steps) {
        const QStringList parts = step.split(QLatin1Char(' '));
        Q_ASSERT(parts.size() == 3);
        Event event;
        event.timestampMs = BaseMs + parts[0].toLongLong() * 1000;
        event.id = "e" + QByteArray::number(++id);
        event.category = EventCategory::Authentication;
        event.action = QLatin1String(actions::SshLogin);
        event.outcome
            = parts[1] == QLatin1String("ok") ? EventOutcome::Success : EventOutcome::Failure;
        event.sourceIp = QLatin1String(Source);
        event.userName = parts[2];
        event.hasUserName = true;
        event.hostName = QStringLiteral("host");
        event.processName = QStringLiteral("sshd");
        event.processPid = 20'000 + id; // one connection per attempt
        events.push_back(event);
    }
    return events;
}

QVector<Alert> successAlerts(const std::vector<Event> &events)
{
    DetectionEngine engine;
    for (const Event &event : events)
        engine.processEvent(event);
    engine.finish();
    engine.takeChangedAlerts();
    QVector<Alert> result;
    for (const Alert &alert : engine.alerts()) {
        if (alert.ruleId == QLatin1String(detect::SuccessAfterFailuresDetector::RuleId))
            result.append(alert);
    }
    return result;
}

} // namespace

class TestSuccessAfterFailures : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void loginSequences_data();
    void loginSequences();
    void alertEvidence();
};

void TestSuccessAfterFailures::loginSequences_data()
{
    QTest::addColumn<QStringList>("steps");
    QTest::addColumn<int>("expectedAlerts");
    QTest::addColumn<QString>("expectedUser"); // of the alert, when one is expected

    // Honest users: each one's typos end with their own successful login.
    QTest::newRow("typos of two users on one address") << QStringList { "0 fail alice",
        "5 fail alice", "12 ok alice", "300 fail bob", "310 ok bob" }
                                                       << 0 << QString();
    QTest::newRow("typos of three users add up to four") << QStringList { "0 fail alice",
        "8 fail alice", "15 ok alice", "200 fail bob", "210 ok bob", "400 fail carol",
        "405 ok carol" } << 0 << QString();
    QTest::newRow("own typos in three logins within 30 minutes") << QStringList { "0 fail alice",
        "6 fail alice", "12 ok alice", "600 fail alice", "606 fail alice", "612 ok alice",
        "1200 fail alice", "1206 ok alice" } << 0 << QString();

    // Password guessing that ended in a login.
    QTest::newRow("failures for others, then a login")
        << QStringList { "0 fail root", "2 fail admin", "4 fail oracle", "6 ok deploy" } << 1
        << QStringLiteral("deploy");
    QTest::newRow("five failures of one account, then its login") << QStringList { "0 fail alice",
        "3 fail alice", "6 fail alice", "9 fail alice", "12 fail alice", "15 ok alice" }
                                                                  << 1 << QStringLiteral("alice");
    QTest::newRow("a settled account, then guessing of others") << QStringList { "0 fail alice",
        "5 ok alice", "60 fail root", "62 fail admin", "64 fail test", "66 ok test" }
                                                                << 1 << QStringLiteral("test");
    QTest::newRow("unsettled failures of another account count") << QStringList { "0 fail alice",
        "4 fail alice", "60 fail bob", "70 ok bob" } << 1 << QStringLiteral("bob");
}

void TestSuccessAfterFailures::loginSequences()
{
    QFETCH(QStringList, steps);
    QFETCH(int, expectedAlerts);
    QFETCH(QString, expectedUser);

    const QVector<Alert> alerts = successAlerts(loginEvents(steps));

    QCOMPARE(alerts.size(), expectedAlerts);
    if (expectedAlerts == 0)
        return;
    QCOMPARE(alerts[0].entities.value(QStringLiteral("user.name")), QStringList { expectedUser });
    QCOMPARE(alerts[0].entities.value(QStringLiteral("source.ip")),
        QStringList { QLatin1String(Source) });
}

void TestSuccessAfterFailures::alertEvidence()
{
    // alice's settled typo is no part of the guessing that follows.
    const std::vector<Event> events = loginEvents({ "0 fail alice", "5 ok alice", "60 fail root",
        "62 fail admin", "64 fail test", "66 ok test" });

    const QVector<Alert> alerts = successAlerts(events);

    QCOMPARE(alerts.size(), 1);
    const QVector<QByteArray> expected { events[2].id, events[3].id, events[4].id, events[5].id };
    QCOMPARE(alerts[0].evidence, expected);
    QCOMPARE(alerts[0].eventCount, qint64(4));
    QCOMPARE(alerts[0].firstSeenMs, events[2].timestampMs);
    QCOMPARE(alerts[0].lastSeenMs, events[5].timestampMs);
}

QTEST_GUILESS_MAIN(TestSuccessAfterFailures)
#include "tst_successafterfailures.moc"
