// SPDX-License-Identifier: GPL-3.0-or-later
// Behavioural detectors: each fires once per built attack, with its ATT&CK
// technique and a reason naming the figures, and none fires on the backend
// stand-in's benign traffic.
#include "eventbuilder.h"

#include "detect/detectionengine.h"
#include "event/jsonparser.h"
#include "sim/simserver.h"

#include <QDateTime>
#include <QtTest>

using namespace portcullis;
using namespace portcullis::test;

namespace {

QVector<Alert> run(const std::vector<Event> &events, const DetectionConfig &config = {})
{
    DetectionEngine engine(config);
    for (const Event &event : events)
        engine.processEvent(event);
    engine.finish();
    engine.takeChangedAlerts();
    return engine.alerts();
}

const QStringList behaviouralRules { QStringLiteral("account-brute-force"),
    QStringLiteral("account-takeover"), QStringLiteral("impossible-travel"),
    QStringLiteral("session-hijack"), QStringLiteral("device-rotation"),
    QStringLiteral("web-scraping"), QStringLiteral("api-abuse"), QStringLiteral("request-flood"),
    QStringLiteral("data-exfiltration") };

} // namespace

class TestBehaviourDetectors : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void accountBruteForceOneAlert();
    void accountTakeoverChain();
    void takeoverNeedsRiskyLogin();
    void impossibleTravel();
    void travelWithinSpeedIsQuiet();
    void sessionHijack();
    void sessionAddressChangeAloneIsQuiet();
    void deviceRotation();
    void scrapingSequentialIds();
    void scrapingRandomIdsIsQuiet();
    void apiAbuse();
    void requestFlood();
    void exfiltrationAgainstBaseline();
    void everyAlertHasTechnique();
    void benignPopulationIsQuiet();
};

void TestBehaviourDetectors::accountBruteForceOneAlert()
{
    std::vector<Event> events;
    for (int i = 0; i < 40; ++i)
        events.push_back(login(BaseMs + i * 2 * Second, QStringLiteral("203.0.113.200"),
            QStringLiteral("usr_target"), false));
    const QVector<Alert> alerts = alertsOf(run(events), "account-brute-force");
    QCOMPARE(alerts.size(), 1);
    QCOMPARE(alerts[0].eventCount, 40);
    QCOMPARE(alerts[0].evidence.size(), 40);
    QCOMPARE(alerts[0].mitreTechnique, QStringLiteral("T1110.001"));
    QVERIFY2(alerts[0].reason.contains(QLatin1String("40 failed logins")),
        qPrintable(alerts[0].reason));
}

void TestBehaviourDetectors::accountTakeoverChain()
{
    const QString home = QStringLiteral("198.51.100.10");
    const QString attacker = QStringLiteral("203.0.113.150");
    std::vector<Event> events;
    events.push_back(login(BaseMs, home, QStringLiteral("usr_owner"), true));
    for (int i = 0; i < 4; ++i)
        events.push_back(
            login(BaseMs + Hour + i * 3 * Second, attacker, QStringLiteral("usr_owner"), false));
    events.push_back(login(BaseMs + Hour + Minute, attacker, QStringLiteral("usr_owner"), true));

    Event email = backendEvent(BaseMs + Hour + 2 * Minute, EventCategory::Iam,
        QStringLiteral("user_email_changed"), EventOutcome::Success, attacker);
    setUser(email, QStringLiteral("usr_owner"), QStringLiteral("usr_owner@example.com"));
    events.push_back(email);
    Event payout = backendEvent(BaseMs + Hour + 8 * Minute, EventCategory::Payment,
        QStringLiteral("payout.created"), EventOutcome::Success, attacker);
    setUser(payout, QStringLiteral("usr_owner"), QStringLiteral("usr_owner@example.com"));
    payout.extra.insert(QStringLiteral("stripe.data.object.amount"), 350000);
    payout.extra.insert(QStringLiteral("stripe.data.object.method"), QStringLiteral("instant"));
    events.push_back(payout);

    const QVector<Alert> alerts = alertsOf(run(events), "account-takeover");
    QCOMPARE(alerts.size(), 1);
    QCOMPARE(alerts[0].severity, Severity::Critical);
    QCOMPARE(alerts[0].mitreTechnique, QStringLiteral("T1657"));
    QCOMPARE(alerts[0].eventCount, 3);
    QVERIFY2(alerts[0].reason.contains(QLatin1String("email address changed")),
        qPrintable(alerts[0].reason));
    QVERIFY2(alerts[0].reason.contains(QLatin1String("instant payout of 3500.00")),
        qPrintable(alerts[0].reason));
    QVERIFY(alerts[0].reason.contains(QLatin1String("4 failed logins")));
}

void TestBehaviourDetectors::takeoverNeedsRiskyLogin()
{
    // Three typos from the owner's usual address, then an email change: no chain.
    const QString home = QStringLiteral("198.51.100.10");
    std::vector<Event> events;
    events.push_back(login(BaseMs, home, QStringLiteral("usr_owner"), true));
    for (int i = 0; i < 3; ++i)
        events.push_back(login(BaseMs + Hour + i * Second, home, QStringLiteral("usr_owner"), false));
    events.push_back(login(BaseMs + Hour + Minute, home, QStringLiteral("usr_owner"), true));
    Event email = backendEvent(BaseMs + Hour + 2 * Minute, EventCategory::Iam,
        QStringLiteral("user_email_changed"), EventOutcome::Success, home);
    setUser(email, QStringLiteral("usr_owner"), QStringLiteral("usr_owner@example.com"));
    events.push_back(email);
    QCOMPARE(alertsOf(run(events), "account-takeover").size(), 0);
}

void TestBehaviourDetectors::impossibleTravel()
{
    Event first = login(BaseMs, QStringLiteral("198.51.100.20"), QStringLiteral("usr_a"), true);
    setGeo(first, 40.71, -74.01, QStringLiteral("US"));
    Event second = login(BaseMs + 20 * Minute, QStringLiteral("203.0.113.140"),
        QStringLiteral("usr_a"), true);
    setGeo(second, 1.35, 103.82, QStringLiteral("SG"));
    const QVector<Alert> alerts = alertsOf(run({ first, second }), "impossible-travel");
    QCOMPARE(alerts.size(), 1);
    QCOMPARE(alerts[0].mitreTechnique, QStringLiteral("T1078"));
    QCOMPARE(alerts[0].evidence, (QVector<QByteArray> { first.id, second.id }));
    QVERIFY2(alerts[0].reason.contains(QLatin1String("15333 km")), qPrintable(alerts[0].reason));
}

void TestBehaviourDetectors::travelWithinSpeedIsQuiet()
{
    // New York to Chicago (1,145 km) in three hours is a flight, not an impossible trip.
    Event first = login(BaseMs, QStringLiteral("198.51.100.20"), QStringLiteral("usr_a"), true);
    setGeo(first, 40.71, -74.01, QStringLiteral("US"));
    Event second = login(BaseMs + 3 * Hour, QStringLiteral("198.51.100.21"),
        QStringLiteral("usr_a"), true);
    setGeo(second, 41.88, -87.63, QStringLiteral("US"));
    QCOMPARE(alertsOf(run({ first, second }), "impossible-travel").size(), 0);
}

void TestBehaviourDetectors::sessionHijack()
{
    std::vector<Event> events;
    Event created = backendEvent(BaseMs, EventCategory::Session,
        QStringLiteral("session_created"), EventOutcome::Success, QStringLiteral("198.51.100.30"));
    created.extra.insert(QStringLiteral("bookedbarber.session.id"), QStringLiteral("sess_1"));
    events.push_back(created);
    for (int i = 0; i < 3; ++i) {
        Event stolen = request(BaseMs + 5 * Minute + i * Second, QStringLiteral("203.0.113.160"),
            QStringLiteral("/api/v2/profile"));
        stolen.userAgent = QStringLiteral("curl/8.4.0");
        stolen.extra.insert(QStringLiteral("bookedbarber.session.id"), QStringLiteral("sess_1"));
        events.push_back(stolen);
    }
    const QVector<Alert> alerts = alertsOf(run(events), "session-hijack");
    QCOMPARE(alerts.size(), 1);
    QCOMPARE(alerts[0].eventCount, 3);
    QCOMPARE(alerts[0].mitreTechnique, QStringLiteral("T1550.004"));
    QVERIFY(alerts[0].reason.contains(QLatin1String("curl/8.4.0")));
}

void TestBehaviourDetectors::sessionAddressChangeAloneIsQuiet()
{
    Event created = backendEvent(BaseMs, EventCategory::Session,
        QStringLiteral("session_created"), EventOutcome::Success, QStringLiteral("198.51.100.30"));
    created.extra.insert(QStringLiteral("bookedbarber.session.id"), QStringLiteral("sess_2"));
    Event moved = request(BaseMs + Minute, QStringLiteral("198.51.100.31"),
        QStringLiteral("/api/v2/profile"));
    moved.extra.insert(QStringLiteral("bookedbarber.session.id"), QStringLiteral("sess_2"));
    QCOMPARE(alertsOf(run({ created, moved }), "session-hijack").size(), 0);
}

void TestBehaviourDetectors::deviceRotation()
{
    std::vector<Event> events;
    for (int i = 0; i < 15; ++i) {
        Event event = login(BaseMs + i * 20 * Second, QStringLiteral("203.0.113.170"),
            QStringLiteral("usr_victim"), true);
        event.extra.insert(QStringLiteral("bookedbarber.device.id"),
            QStringLiteral("dev_%1").arg(i));
        events.push_back(event);
    }
    const QVector<Alert> alerts = alertsOf(run(events), "device-rotation");
    QVERIFY(alerts.size() >= 1);
    QVERIFY(alerts.size() <= 2); // per account and per source address
    QCOMPARE(alerts[0].eventCount, 6); // devices 10 to 15
    QVERIFY2(alerts[0].reason.contains(QLatin1String("15 distinct device ids")),
        qPrintable(alerts[0].reason));
}

void TestBehaviourDetectors::scrapingSequentialIds()
{
    std::vector<Event> events;
    for (int id = 1000; id < 1100; ++id)
        events.push_back(request(BaseMs + (id - 1000) * 500, QStringLiteral("203.0.113.180"),
            QStringLiteral("/api/v2/shops/%1/barbers").arg(id)));
    const QVector<Alert> alerts = alertsOf(run(events), "web-scraping");
    QCOMPARE(alerts.size(), 1);
    QCOMPARE(alerts[0].eventCount, 100);
    QCOMPARE(alerts[0].entities.value(QStringLiteral("url.path")),
        QStringList { QStringLiteral("/api/v2/shops/{id}/barbers") });
}

void TestBehaviourDetectors::scrapingRandomIdsIsQuiet()
{
    std::vector<Event> events;
    QRandomGenerator random(5);
    for (int i = 0; i < 100; ++i)
        events.push_back(request(BaseMs + i * 500, QStringLiteral("203.0.113.180"),
            QStringLiteral("/api/v2/shops/%1/barbers").arg(random.bounded(1, 1000000))));
    QCOMPARE(alertsOf(run(events), "web-scraping").size(), 0);
}

void TestBehaviourDetectors::apiAbuse()
{
    std::vector<Event> events;
    for (int i = 0; i < 400; ++i) {
        Event event = request(BaseMs + i * 100, QStringLiteral("203.0.113.190"),
            QStringLiteral("/api/v2/availability"));
        event.extra.insert(QStringLiteral("bookedbarber.api_token.id"), QStringLiteral("tok_x"));
        events.push_back(event);
    }
    const QVector<Alert> alerts = alertsOf(run(events), "api-abuse");
    QCOMPARE(alerts.size(), 1);
    QCOMPARE(alerts[0].mitreTechnique, QStringLiteral("T1550.001"));
    QVERIFY2(alerts[0].reason.contains(QLatin1String("cold threshold of 300")),
        qPrintable(alerts[0].reason));
}

void TestBehaviourDetectors::requestFlood()
{
    std::vector<Event> events;
    for (int i = 0; i < 1500; ++i)
        events.push_back(request(BaseMs + i * 30,
            QStringLiteral("203.0.113.%1").arg(200 + i % 5), QStringLiteral("/api/v2/x")));
    const QVector<Alert> alerts = alertsOf(run(events), "request-flood");
    QCOMPARE(alerts.size(), 1); // the path; no single source reaches 600 a minute
    QCOMPARE(alerts[0].entities.value(QStringLiteral("url.path")),
        QStringList { QStringLiteral("/api/v2/x") });
    QCOMPARE(alerts[0].entities.value(QStringLiteral("source.ip")).size(), 5);
}

void TestBehaviourDetectors::exfiltrationAgainstBaseline()
{
    // Six hours of about 2 MB an hour warm the account's baseline; then 30 MB
    // in one hour is above the warm threshold (20 MB) but under the cold one.
    std::vector<Event> events;
    auto download = [&events](qint64 at, qint64 bytes) {
        Event event = request(at, QStringLiteral("198.51.100.40"),
            QStringLiteral("/api/v2/admin/customers/export"), bytes);
        setUser(event, QStringLiteral("usr_admin"), QStringLiteral("admin@example.com"));
        events.push_back(event);
    };
    for (int hour = 0; hour < 6; ++hour)
        download(BaseMs + hour * Hour, 2'000'000 + hour * 10'000);
    for (int i = 0; i < 6; ++i)
        download(BaseMs + 6 * Hour + i * Minute, 5'000'000);
    const QVector<Alert> alerts = alertsOf(run(events), "data-exfiltration");
    QCOMPARE(alerts.size(), 1);
    QVERIFY2(alerts[0].reason.contains(QLatin1String("30.0 MB")), qPrintable(alerts[0].reason));
    QVERIFY2(alerts[0].reason.contains(QLatin1String("median of 2.0 MB")),
        qPrintable(alerts[0].reason));
}

void TestBehaviourDetectors::everyAlertHasTechnique()
{
    // The rule-based detectors set their technique too.
    std::vector<Event> events;
    for (int i = 0; i < 6; ++i) {
        Event event = login(BaseMs + i * Second, QStringLiteral("203.0.113.201"),
            QStringLiteral("usr_%1").arg(i), false);
        events.push_back(event);
    }
    for (const Alert &alert : run(events)) {
        if (alert.ruleId != QLatin1String("device-rotation"))
            QVERIFY2(!alert.mitreTechnique.isEmpty(), qPrintable(alert.ruleId));
    }
}

void TestBehaviourDetectors::benignPopulationIsQuiet()
{
    sim::SimOptions options;
    options.seed = 3;
    options.speed = 0;
    options.startTimeMs = QDateTime::fromString(QStringLiteral("2026-12-01T13:00:00Z"),
        Qt::ISODate)
                              .toMSecsSinceEpoch();
    options.retentionEvents = 0;
    sim::SimServer server(options);
    QString error;
    QVERIFY2(server.start(&error), qPrintable(error));
    server.advanceTo(options.startTimeMs + 4 * Hour);

    DetectionEngine engine;
    JsonLinesParser parser(ParserOptions {});
    qint64 count = 0;
    const sim::EventLog &log = server.log();
    for (quint64 sequence = log.firstSequence(); sequence <= log.lastSequence(); ++sequence) {
        std::vector<Event> events;
        QVERIFY(parser.parseLine(log.at(sequence)->json, LineInfo(), events));
        for (const Event &event : events) {
            engine.processEvent(event);
            ++count;
        }
    }
    engine.finish();
    engine.takeChangedAlerts();
    QVERIFY2(count > 20000, qPrintable(QString::number(count)));
    for (const Alert &alert : engine.alerts())
        QVERIFY2(!behaviouralRules.contains(alert.ruleId), qPrintable(alert.reason));
    QVERIFY(engine.trackedEntities() > 0);
}

QTEST_GUILESS_MAIN(TestBehaviourDetectors)
#include "tst_behaviourdetectors.moc"
