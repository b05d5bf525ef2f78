// SPDX-License-Identifier: GPL-3.0-or-later
// Detectors fed with synthetic events, one behaviour per test.
#include "detect/detectionengine.h"
#include "detect/sshbruteforcedetector.h"

#include <QtTest>

using namespace portcullis;

namespace {

constexpr qint64 BaseMs = 1'700'000'000'000;
constexpr qint64 Minute = 60 * 1000;

int nextId = 0;

Event sshEvent(qint64 atMs, const QString &ip, const char *action, EventOutcome outcome,
    const QString &user = QStringLiteral("root"), qint64 pid = 0)
{
    Event event;
    event.timestampMs = atMs;
    event.id = "e" + QByteArray::number(++nextId);
    event.category = EventCategory::Authentication;
    event.action = QLatin1String(action);
    event.outcome = outcome;
    event.sourceIp = ip;
    event.userName = user;
    event.hasUserName = true;
    event.hostName = QStringLiteral("host");
    event.processName = QStringLiteral("sshd");
    event.processPid = pid ? pid : 10'000 + nextId; // a connection per attempt unless given
    return event;
}

Event failedPassword(
    qint64 atMs, const QString &ip, const QString &user = QStringLiteral("root"), qint64 pid = 0)
{
    return sshEvent(atMs, ip, actions::SshLogin, EventOutcome::Failure, user, pid);
}

Event webEvent(
    qint64 atMs, const QString &ip, const QString &method, const QString &url, int status)
{
    Event event;
    event.timestampMs = atMs;
    event.id = "w" + QByteArray::number(++nextId);
    event.category = EventCategory::Web;
    event.action = QLatin1String(actions::HttpRequest);
    event.sourceIp = ip;
    event.httpMethod = method;
    event.urlOriginal = url;
    event.httpStatus = status;
    return event;
}

QVector<Alert> run(const std::vector<Event> &events, const DetectionConfig &config = {})
{
    DetectionEngine engine(config);
    for (const Event &event : events)
        engine.processEvent(event);
    engine.finish();
    engine.takeChangedAlerts();
    return engine.alerts();
}

QVector<Alert> byRule(const QVector<Alert> &alerts, const char *ruleId)
{
    QVector<Alert> result;
    for (const Alert &alert : alerts) {
        if (alert.ruleId == QLatin1String(ruleId))
            result.append(alert);
    }
    return result;
}

} // namespace

class TestDetectionEngine : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void bruteForceThreshold_data();
    void bruteForceThreshold();
    void bruteForceUpdatesOneAlertPerBurst();
    void bruteForceNewBurstAfterQuietWindow();
    void bruteForceCountsMultiLineAttemptOnce();
    void bruteForceIgnoresCountedDisconnects();
    void bruteForceCountsLoneInvalidUser();
    void bruteForceSeverityHigh();
    void bruteForceExpiresSourceState();
    void bruteForceEvidenceCapped();
    void credentialStuffing_data();
    void credentialStuffing();
    void successAfterFailures_data();
    void successAfterFailures();
    void distributedLogin_data();
    void distributedLogin();
    void distributedLoginCapsSourceList();
    void webScan404Burst_data();
    void webScan404Burst();
    void webScanProbePaths();
    void webScanToleratesReordering();
};

void TestDetectionEngine::bruteForceThreshold_data()
{
    QTest::addColumn<QVector<int>>("minutes");
    QTest::addColumn<int>("expectedCount"); // 0: no alert

    QTest::newRow("five in one minute") << QVector<int> { 0, 0, 0, 0, 1 } << 5;
    QTest::newRow("four") << QVector<int> { 0, 1, 2, 3 } << 0;
    QTest::newRow("five within ten minutes") << QVector<int> { 0, 2, 4, 6, 10 } << 5;
    QTest::newRow("five spread over twelve minutes") << QVector<int> { 0, 3, 6, 9, 12 } << 0;
    QTest::newRow("slow start then fast") << QVector<int> { 0, 9, 18, 19, 20, 21, 22 } << 7;
}

void TestDetectionEngine::bruteForceThreshold()
{
    QFETCH(QVector<int>, minutes);
    QFETCH(int, expectedCount);

    std::vector<Event> events;
    for (int minute : minutes)
        events.push_back(failedPassword(BaseMs + minute * Minute, QStringLiteral("1.2.3.4")));
    const QVector<Alert> alerts = byRule(run(events), "ssh-brute-force");

    if (expectedCount == 0) {
        QCOMPARE(alerts.size(), 0);
        return;
    }
    QCOMPARE(alerts.size(), 1);
    QCOMPARE(alerts[0].eventCount, expectedCount);
    QCOMPARE(alerts[0].firstSeenMs, BaseMs + minutes.first() * Minute);
    QCOMPARE(alerts[0].lastSeenMs, BaseMs + minutes.last() * Minute);
    QCOMPARE(alerts[0].entities.value(QStringLiteral("source.ip")), QStringList { "1.2.3.4" });
    QCOMPARE(alerts[0].evidence.size(), expectedCount);
    QCOMPARE(alerts[0].mitreTechnique, QStringLiteral("T1110.001"));
    QCOMPARE(alerts[0].severity, Severity::Medium);
    QVERIFY2(
        alerts[0].reason.contains(QString::number(expectedCount)), qPrintable(alerts[0].reason));
}

void TestDetectionEngine::bruteForceUpdatesOneAlertPerBurst()
{
    DetectionEngine engine;
    for (int i = 0; i < 5; ++i)
        engine.processEvent(failedPassword(BaseMs + i * 1000, QStringLiteral("1.2.3.4")));
    QVector<Alert> changed = byRule(engine.takeChangedAlerts(), "ssh-brute-force");
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed[0].eventCount, 5);
    const QByteArray key = changed[0].key;

    QCOMPARE(engine.takeChangedAlerts().size(), 0);
    engine.processEvent(failedPassword(BaseMs + 6000, QStringLiteral("1.2.3.4")));
    engine.processEvent(failedPassword(BaseMs + 7000, QStringLiteral("1.2.3.4")));
    changed = byRule(engine.takeChangedAlerts(), "ssh-brute-force");
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed[0].key, key);
    QCOMPARE(changed[0].eventCount, 7);
    QCOMPARE(byRule(engine.alerts(), "ssh-brute-force").size(), 1);
}

void TestDetectionEngine::bruteForceNewBurstAfterQuietWindow()
{
    std::vector<Event> events;
    for (int i = 0; i < 5; ++i)
        events.push_back(failedPassword(BaseMs + i * 1000, QStringLiteral("1.2.3.4")));
    for (int i = 0; i < 6; ++i)
        events.push_back(
            failedPassword(BaseMs + 30 * Minute + i * 1000, QStringLiteral("1.2.3.4")));
    const QVector<Alert> alerts = byRule(run(events), "ssh-brute-force");

    QCOMPARE(alerts.size(), 2);
    QCOMPARE(alerts[0].eventCount, 5);
    QCOMPARE(alerts[1].eventCount, 6);
    QVERIFY(alerts[0].key != alerts[1].key);
}

// The parser marks one line per attempt with countsAsAttempt; the detector
// counts that one and gathers the attempt's other lines as evidence.
void TestDetectionEngine::bruteForceCountsMultiLineAttemptOnce()
{
    std::vector<Event> events;
    for (int i = 0; i < 5; ++i) {
        const qint64 at = BaseMs + i * 2000;
        const qint64 pid = 500 + i;
        const QString ip = QStringLiteral("5.6.7.8");
        const QString user = QStringLiteral("user%1").arg(i);
        events.push_back(
            sshEvent(at, ip, actions::SshInvalidUser, EventOutcome::Failure, user, pid));
        Event pam
            = sshEvent(at, ip, actions::PamAuthFailure, EventOutcome::Failure, QString(), pid);
        pam.hasUserName = false;
        pam.countsAsAttempt = false;
        events.push_back(pam);
        Event failed = failedPassword(at + 1000, ip, user, pid);
        failed.countsAsAttempt = false;
        events.push_back(failed);
    }
    // A valid user: the PAM line counts, sshd's "Failed password" repeats it.
    for (int i = 0; i < 2; ++i) {
        Event pam = sshEvent(BaseMs + 20'000, QStringLiteral("5.6.7.8"), actions::PamAuthFailure,
            EventOutcome::Failure, QStringLiteral("root"), 900 + i);
        events.push_back(pam);
        Event failed = failedPassword(
            BaseMs + 21'000, QStringLiteral("5.6.7.8"), QStringLiteral("root"), 900 + i);
        failed.countsAsAttempt = false;
        events.push_back(failed);
    }
    const QVector<Alert> alerts = byRule(run(events), "ssh-brute-force");
    QCOMPARE(alerts.size(), 1);
    QCOMPARE(alerts[0].eventCount, 7);
    QCOMPARE(alerts[0].evidence.size(), 19);
    QCOMPARE(alerts[0].entities.value(QStringLiteral("user.name")).size(), 6);
}

// A connection end that the parser counts (a scanner that never tried a
// login) is no login attempt for the SSH rules.
void TestDetectionEngine::bruteForceIgnoresCountedDisconnects()
{
    std::vector<Event> events;
    for (int i = 0; i < 10; ++i) {
        Event closed = sshEvent(BaseMs + i * 1000, QStringLiteral("9.8.7.6"),
            actions::SshPreauthDisconnect, EventOutcome::Failure);
        closed.hasUserName = false;
        events.push_back(closed);
    }
    QCOMPARE(run(events).size(), 0);
}

void TestDetectionEngine::bruteForceCountsLoneInvalidUser()
{
    std::vector<Event> events;
    for (int i = 0; i < 5; ++i) {
        const qint64 pid = 700 + i;
        events.push_back(sshEvent(BaseMs + i * 1000, QStringLiteral("9.9.9.9"),
            actions::SshInvalidUser, EventOutcome::Failure, QStringLiteral("admin"), pid));
        Event closed = sshEvent(BaseMs + i * 1000 + 10, QStringLiteral("9.9.9.9"),
            actions::SshPreauthDisconnect, EventOutcome::Unknown, QStringLiteral("admin"), pid);
        closed.category = EventCategory::Session;
        events.push_back(closed);
    }
    const QVector<Alert> alerts = byRule(run(events), "ssh-brute-force");
    QCOMPARE(alerts.size(), 1);
    QCOMPARE(alerts[0].eventCount, 5);
}

void TestDetectionEngine::bruteForceSeverityHigh()
{
    std::vector<Event> events;
    for (int i = 0; i < 60; ++i)
        events.push_back(failedPassword(BaseMs + i * 1000, QStringLiteral("1.2.3.4")));
    const QVector<Alert> alerts = byRule(run(events), "ssh-brute-force");
    QCOMPARE(alerts.size(), 1);
    QCOMPARE(alerts[0].eventCount, 60);
    QCOMPARE(alerts[0].severity, Severity::High);
}

void TestDetectionEngine::bruteForceExpiresSourceState()
{
    const DetectionConfig config;
    detect::SshBruteForceDetector detector(config);
    struct NullSink : AlertSink {
        void upsertAlert(const Alert &) override { }
    } nullSink;

    for (int i = 0; i < 1000; ++i) {
        detect::AuthAttempt attempt;
        attempt.timestampMs = BaseMs + i * 10;
        attempt.source = QStringLiteral("10.0.%1.%2").arg(i / 256).arg(i % 256);
        attempt.sourceField = QStringLiteral("source.ip");
        attempt.ssh = true;
        detector.processAttempt(attempt, nullSink);
    }
    QCOMPARE(detector.trackedSources(), 1000);
    // Any later event moves the detector's clock past the window and the tolerance.
    detector.processEvent(
        failedPassword(BaseMs + 60 * Minute, QStringLiteral("1.1.1.1")), nullSink);
    QCOMPARE(detector.trackedSources(), 0);
}

void TestDetectionEngine::bruteForceEvidenceCapped()
{
    std::vector<Event> events;
    for (int i = 0; i < MaxEvidence + 50; ++i)
        events.push_back(failedPassword(BaseMs + i * 100, QStringLiteral("1.2.3.4")));
    const QVector<Alert> alerts = byRule(run(events), "ssh-brute-force");
    QCOMPARE(alerts.size(), 1);
    QCOMPARE(alerts[0].eventCount, MaxEvidence + 50);
    QCOMPARE(alerts[0].evidence.size(), MaxEvidence);
    QCOMPARE(alerts[0].evidence.first(), events.front().id);
}

void TestDetectionEngine::credentialStuffing_data()
{
    QTest::addColumn<QStringList>("users");
    QTest::addColumn<bool>("expectAlert");

    QTest::newRow("five names") << QStringList { "a", "b", "c", "d", "e" } << true;
    QTest::newRow("one name five times") << QStringList { "a", "a", "a", "a", "a" } << false;
    QTest::newRow("four names, repeats") << QStringList { "a", "b", "c", "d", "a", "b" } << false;
    QTest::newRow("empty name counts") << QStringList { "a", "b", "c", "d", "" } << true;
}

void TestDetectionEngine::credentialStuffing()
{
    QFETCH(QStringList, users);
    QFETCH(bool, expectAlert);

    std::vector<Event> events;
    for (int i = 0; i < users.size(); ++i)
        events.push_back(failedPassword(BaseMs + i * Minute, QStringLiteral("2.2.2.2"), users[i]));
    const QVector<Alert> alerts = byRule(run(events), "credential-stuffing");
    QCOMPARE(alerts.size(), expectAlert ? 1 : 0);
    if (expectAlert) {
        QCOMPARE(alerts[0].entities.value(QStringLiteral("user.name")).size(), 5);
        QCOMPARE(alerts[0].eventCount, users.size());
    }
}

void TestDetectionEngine::successAfterFailures_data()
{
    QTest::addColumn<int>("failures");
    QTest::addColumn<int>("minutesBeforeSuccess");
    QTest::addColumn<QString>("successUser");
    QTest::addColumn<bool>("expectAlert");

    const QString alice = QStringLiteral("alice");
    const QString bob = QStringLiteral("bob");
    QTest::newRow("three failures, then another account") << 3 << 1 << bob << true;
    QTest::newRow("three typos of one's own account") << 3 << 1 << alice << false;
    QTest::newRow("five failures of one's own account") << 5 << 1 << alice << true;
    QTest::newRow("two failures") << 2 << 1 << bob << false;
    QTest::newRow("failures long before") << 5 << 45 << bob << false;
    QTest::newRow("failures 25 minutes before") << 4 << 25 << bob << true;
}

void TestDetectionEngine::successAfterFailures()
{
    QFETCH(int, failures);
    QFETCH(int, minutesBeforeSuccess);
    QFETCH(QString, successUser);
    QFETCH(bool, expectAlert);

    std::vector<Event> events;
    for (int i = 0; i < failures; ++i)
        events.push_back(
            failedPassword(BaseMs + i * 1000, QStringLiteral("3.3.3.3"), QStringLiteral("alice")));
    const qint64 successAt = BaseMs + failures * 1000 + minutesBeforeSuccess * Minute;
    events.push_back(sshEvent(successAt, QStringLiteral("3.3.3.3"), actions::SshLogin,
        EventOutcome::Success, successUser));
    const QVector<Alert> alerts = byRule(run(events), "success-after-failures");

    QCOMPARE(alerts.size(), expectAlert ? 1 : 0);
    if (!expectAlert)
        return;
    QCOMPARE(alerts[0].severity, Severity::High);
    QCOMPARE(alerts[0].eventCount, failures + 1);
    QCOMPARE(alerts[0].entities.value(QStringLiteral("source.ip")), QStringList { "3.3.3.3" });
    QCOMPARE(alerts[0].entities.value(QStringLiteral("user.name")), QStringList { successUser });
    QCOMPARE(alerts[0].evidence.size(), failures + 1);
    QCOMPARE(alerts[0].evidence.last(), events.back().id);
    QCOMPARE(alerts[0].lastSeenMs, successAt);
}

void TestDetectionEngine::distributedLogin_data()
{
    QTest::addColumn<int>("sources");
    QTest::addColumn<int>("postsEach");
    QTest::addColumn<QString>("method");
    QTest::addColumn<QString>("url");
    QTest::addColumn<bool>("expectAlert");

    QTest::newRow("25 sources, one each") << 25 << 1 << "POST"
                                          << "/wp-login.php" << true;
    QTest::newRow("lower-case post") << 25 << 1 << "post"
                                     << "/user/login?next=/" << true;
    QTest::newRow("three each") << 25 << 3 << "POST"
                                << "/login" << true;
    QTest::newRow("ten each") << 25 << 10 << "POST"
                              << "/login" << false;
    QTest::newRow("19 sources") << 19 << 1 << "POST"
                                << "/login" << false;
    QTest::newRow("GET") << 25 << 1 << "GET"
                         << "/login" << false;
    QTest::newRow("other path") << 25 << 1 << "POST"
                                << "/api/orders" << false;
}

void TestDetectionEngine::distributedLogin()
{
    QFETCH(int, sources);
    QFETCH(int, postsEach);
    QFETCH(QString, method);
    QFETCH(QString, url);
    QFETCH(bool, expectAlert);

    // Each source sends its POSTs back to back, then the next source starts.
    std::vector<Event> events;
    for (int i = 0; i < sources; ++i) {
        for (int post = 0; post < postsEach; ++post) {
            const qint64 at = BaseMs + (i * postsEach + post) * 5000;
            events.push_back(
                webEvent(at, QStringLiteral("198.51.100.%1").arg(i), method, url, 200));
        }
    }
    const QVector<Alert> alerts = byRule(run(events), "web-distributed-login");

    QCOMPARE(alerts.size(), expectAlert ? 1 : 0);
    if (!expectAlert)
        return;
    QCOMPARE(alerts[0].entities.value(QStringLiteral("source.ip")).size(), sources);
    QCOMPARE(alerts[0].eventCount, sources * postsEach);
    QCOMPARE(alerts[0].evidence.size(), sources * postsEach);
    QCOMPARE(alerts[0].entities.value(QStringLiteral("url.path")).size(), 1);
}

void TestDetectionEngine::distributedLoginCapsSourceList()
{
    DetectionConfig config;
    config.maxEntityValues = 100;
    std::vector<Event> events;
    for (int i = 0; i < 300; ++i)
        events.push_back(
            webEvent(BaseMs + i * 1000, QStringLiteral("10.0.%1.%2").arg(i / 256).arg(i % 256),
                QStringLiteral("POST"), QStringLiteral("/login"), 401));
    const QVector<Alert> alerts = byRule(run(events, config), "web-distributed-login");
    QCOMPARE(alerts.size(), 1);
    QCOMPARE(alerts[0].entities.value(QStringLiteral("source.ip")).size(), 100);
    QVERIFY2(alerts[0].reason.contains(QLatin1String("300 source addresses")),
        qPrintable(alerts[0].reason));
    QVERIFY2(
        alerts[0].reason.contains(QLatin1String("first 100 listed")), qPrintable(alerts[0].reason));
}

void TestDetectionEngine::webScan404Burst_data()
{
    QTest::addColumn<int>("responses");
    QTest::addColumn<int>("secondsApart");
    QTest::addColumn<bool>("expectAlert");

    QTest::newRow("20 in 95 seconds") << 20 << 5 << true;
    QTest::newRow("19") << 19 << 5 << false;
    QTest::newRow("20 over 9.5 minutes") << 20 << 30 << false;
}

void TestDetectionEngine::webScan404Burst()
{
    QFETCH(int, responses);
    QFETCH(int, secondsApart);
    QFETCH(bool, expectAlert);

    std::vector<Event> events;
    for (int i = 0; i < responses; ++i)
        events.push_back(webEvent(BaseMs + i * secondsApart * 1000, QStringLiteral("4.4.4.4"),
            QStringLiteral("GET"), QStringLiteral("/page%1").arg(i), 404));
    const QVector<Alert> alerts = byRule(run(events), "web-scanning");
    QCOMPARE(alerts.size(), expectAlert ? 1 : 0);
    if (expectAlert) {
        QCOMPARE(alerts[0].eventCount, responses);
        QCOMPARE(alerts[0].severity, Severity::Low);
    }
}

void TestDetectionEngine::webScanProbePaths()
{
    const QStringList urls { "/.env", "/wp-admin/setup.php", "/index.php?file=../../etc/passwd" };
    std::vector<Event> events;
    for (int i = 0; i < urls.size(); ++i)
        events.push_back(webEvent(
            BaseMs + i * Minute, QStringLiteral("6.6.6.6"), QStringLiteral("GET"), urls[i], 200));
    events.push_back(webEvent(
        BaseMs, QStringLiteral("7.7.7.7"), QStringLiteral("GET"), QStringLiteral("/.env"), 404));
    events.push_back(webEvent(
        BaseMs, QStringLiteral("7.7.7.7"), QStringLiteral("GET"), QStringLiteral("/.env"), 404));
    const QVector<Alert> alerts = byRule(run(events), "web-scanning");

    QCOMPARE(alerts.size(), 1);
    QCOMPARE(alerts[0].entities.value(QStringLiteral("source.ip")), QStringList { "6.6.6.6" });
    QCOMPARE(alerts[0].entities.value(QStringLiteral("url.original")).size(), 3);
    QCOMPARE(alerts[0].severity, Severity::Medium);
}

// Access logs are written when a request completes, so times may go back by minutes.
void TestDetectionEngine::webScanToleratesReordering()
{
    std::vector<Event> events;
    const int offsets[]
        = { 60, 10, 50, 0, 40, 20, 30, 55, 5, 45, 15, 35, 25, 65, 70, 75, 80, 85, 90, 2 };
    for (int seconds : offsets)
        events.push_back(webEvent(BaseMs + seconds * 1000, QStringLiteral("8.8.4.4"),
            QStringLiteral("GET"), QStringLiteral("/x%1").arg(seconds), 404));
    const QVector<Alert> alerts = byRule(run(events), "web-scanning");
    QCOMPARE(alerts.size(), 1);
    QCOMPARE(alerts[0].eventCount, 20);
    QCOMPARE(alerts[0].firstSeenMs, BaseMs);
    QCOMPARE(alerts[0].lastSeenMs, BaseMs + 90 * 1000);
}

QTEST_GUILESS_MAIN(TestDetectionEngine)
#include "tst_detectionengine.moc"
