// SPDX-License-Identifier: GPL-3.0-or-later
// Shortcuts of the detection hot path that must not change results: expiry
// sweeps skipped when no entry can be old enough, the syslog clock's reuse of
// the previous line's time, and the one-pass reading of PAM key=value lists.
#include "detect/baseline.h"
#include "detect/behavioursupport.h"
#include "detect/expirybound.h"
#include "event/sshmessages.h"
#include "event/syslogheader.h"

#include <QtTest>

using namespace portcullis;
using namespace portcullis::detect;

namespace {

constexpr qint64 Minute = 60 * 1000;

class CollectingSink : public AlertSink {
public:
    void upsertAlert(const Alert &alert) override { keys.append(alert.key); }
    QList<QByteArray> keys;
};

} // namespace

class TestSweepSkipping : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void boundStartsEmpty();
    void boundKeepsOldest();
    void entityTableExpiresIdleOnly();
    void entityTableExpiresAfterSkippedSweeps();
    void entityTableClearForgetsBound();
    void openAlertsExpireAfterGap();
    void openAlertsRestartedGroupExpires();
    void clockRepeatsSameStamp();
    void clockCrossesNewYearWithRepeats();
    void pamFields_data();
    void pamFields();
};

void TestSweepSkipping::boundStartsEmpty()
{
    OldestTimeBound bound;
    QVERIFY(bound.noneBefore(std::numeric_limits<qint64>::max()));
}

void TestSweepSkipping::boundKeepsOldest()
{
    OldestTimeBound bound;
    bound.add(500);
    bound.add(200);
    bound.add(900);
    QVERIFY(bound.noneBefore(200));
    QVERIFY(!bound.noneBefore(201));
    bound.reset();
    QVERIFY(bound.noneBefore(1000));
}

void TestSweepSkipping::entityTableExpiresIdleOnly()
{
    EntityTable<int> table(100, 10 * Minute);
    table.touch(QStringLiteral("a"), 0);
    table.touch(QStringLiteral("b"), 5 * Minute);
    table.expire(10 * Minute);
    QCOMPARE(table.size(), 2);
    table.expire(10 * Minute + 1);
    QCOMPARE(table.size(), 1);
    QVERIFY(table.find(QStringLiteral("b")) != nullptr);
    QCOMPARE(table.expired(), 1);
}

// A sweep that finds nothing to drop is skipped. Later sweeps must still drop
// an entry touched again in between, once it is idle from its last touch.
void TestSweepSkipping::entityTableExpiresAfterSkippedSweeps()
{
    EntityTable<int> table(100, 10 * Minute);
    table.touch(QStringLiteral("a"), 0);
    table.touch(QStringLiteral("b"), 1 * Minute);
    table.expire(2 * Minute);
    table.touch(QStringLiteral("a"), 20 * Minute);
    table.expire(12 * Minute);
    QCOMPARE(table.size(), 1);
    QVERIFY(table.find(QStringLiteral("a")) != nullptr);
    table.expire(30 * Minute);
    QCOMPARE(table.size(), 1);
    table.expire(31 * Minute);
    QCOMPARE(table.size(), 0);
    QCOMPARE(table.expired(), 2);
}

void TestSweepSkipping::entityTableClearForgetsBound()
{
    EntityTable<int> table(100, 10 * Minute);
    table.touch(QStringLiteral("a"), 0);
    table.clear();
    table.touch(QStringLiteral("b"), 100 * Minute);
    table.expire(105 * Minute);
    QCOMPARE(table.size(), 1);
    table.expire(111 * Minute);
    QCOMPARE(table.size(), 0);
}

void TestSweepSkipping::openAlertsExpireAfterGap()
{
    OpenAlerts alerts(QStringLiteral("rule"), 10 * Minute);
    CollectingSink sink;
    alerts.update(QStringLiteral("g1"), 0);
    alerts.update(QStringLiteral("g2"), 8 * Minute);
    alerts.expire(10 * Minute, sink);
    QCOMPARE(alerts.size(), 2);
    QCOMPARE(sink.keys.size(), 2);
    alerts.expire(10 * Minute + 1, sink);
    QCOMPARE(alerts.size(), 1);
    QVERIFY(alerts.find(QStringLiteral("g2")) != nullptr);
    alerts.expire(18 * Minute + 1, sink);
    QCOMPARE(alerts.size(), 0);
}

// A group whose alert was closed by the gap and opened again is tracked from
// its new start.
void TestSweepSkipping::openAlertsRestartedGroupExpires()
{
    OpenAlerts alerts(QStringLiteral("rule"), 10 * Minute);
    CollectingSink sink;
    alerts.update(QStringLiteral("g"), 0);
    alerts.update(QStringLiteral("g"), 30 * Minute);
    alerts.expire(35 * Minute, sink);
    QCOMPARE(alerts.size(), 1);
    alerts.expire(40 * Minute + 1, sink);
    QCOMPARE(alerts.size(), 0);
    QCOMPARE(sink.keys.size(), 2);
}

void TestSweepSkipping::clockRepeatsSameStamp()
{
    const qint64 reference = QDateTime(QDate(2026, 6, 30), QTime(0, 0), Qt::UTC).toMSecsSinceEpoch();
    SyslogClock clock(reference, "UTC");
    const qint64 first = clock.fromYearless(3, 10, 6, 55, 46, 0);
    const qint64 again = clock.fromYearless(3, 10, 6, 55, 46, 0);
    const qint64 next = clock.fromYearless(3, 10, 6, 55, 47, 0);
    QCOMPARE(first, QDateTime(QDate(2026, 3, 10), QTime(6, 55, 46), Qt::UTC).toMSecsSinceEpoch());
    QCOMPARE(again, first);
    QCOMPARE(next, first + 1000);
}

// A file crossing New Year: the January stamps take the next year, also when
// a stamp repeats.
void TestSweepSkipping::clockCrossesNewYearWithRepeats()
{
    const qint64 reference = QDateTime(QDate(2027, 1, 2), QTime(0, 0), Qt::UTC).toMSecsSinceEpoch();
    SyslogClock clock(reference, "UTC");
    const qint64 december = clock.fromYearless(12, 31, 23, 59, 59, 0);
    const qint64 january = clock.fromYearless(1, 1, 0, 0, 1, 0);
    const qint64 repeated = clock.fromYearless(1, 1, 0, 0, 1, 0);
    QCOMPARE(december, QDateTime(QDate(2026, 12, 31), QTime(23, 59, 59), Qt::UTC).toMSecsSinceEpoch());
    QCOMPARE(january, december + 2000);
    QCOMPARE(repeated, january);
}

void TestSweepSkipping::pamFields_data()
{
    QTest::addColumn<QByteArray>("message");
    QTest::addColumn<QByteArray>("rhost");
    QTest::addColumn<QByteArray>("ruser");
    QTest::addColumn<bool>("hasUser");
    QTest::addColumn<QByteArray>("user");

    QTest::newRow("sshd") << QByteArray("pam_unix(sshd:auth): authentication failure; logname= uid=0 "
                                        "euid=0 tty=ssh ruser= rhost=173.234.31.186  user=root")
                          << QByteArray("173.234.31.186") << QByteArray() << true
                          << QByteArray("root");
    QTest::newRow("no user") << QByteArray("pam_unix(sshd:auth): authentication failure; logname= "
                                           "uid=0 euid=0 tty=ssh ruser= rhost=10.0.0.1")
                             << QByteArray("10.0.0.1") << QByteArray() << false << QByteArray();
    QTest::newRow("ruser only") << QByteArray("pam_unix(su:auth): authentication failure; "
                                              "logname=bob uid=1000 euid=0 tty=/dev/pts/0 ruser=bob "
                                              "rhost=")
                                << QByteArray() << QByteArray("bob") << false << QByteArray();
    QTest::newRow("after semicolon") << QByteArray("PAM 2 more authentication failures; "
                                                   "logname= uid=0 euid=0 tty=ssh ruser= "
                                                   "rhost=1.2.3.4;user=admin")
                                     << QByteArray("1.2.3.4;user=admin") << QByteArray() << true
                                     << QByteArray("admin");
    QTest::newRow("first wins") << QByteArray("pam_unix(sshd:auth): authentication failure; "
                                              "user=first rhost=h1 user=second rhost=h2")
                                << QByteArray("h1") << QByteArray() << true
                                << QByteArray("first");
}

void TestSweepSkipping::pamFields()
{
    QFETCH(QByteArray, message);
    QFETCH(QByteArray, rhost);
    QFETCH(QByteArray, ruser);
    QFETCH(bool, hasUser);
    QFETCH(QByteArray, user);

    PamFailure failure;
    QVERIFY(splitPamAuthFailure(message, &failure));
    QCOMPARE(failure.rhost.toByteArray(), rhost);
    QCOMPARE(failure.ruser.toByteArray(), ruser);
    QCOMPARE(failure.hasUser, hasUser);
    QCOMPARE(failure.user.toByteArray(), user);
}

QTEST_GUILESS_MAIN(TestSweepSkipping)
#include "tst_sweepskipping.moc"
