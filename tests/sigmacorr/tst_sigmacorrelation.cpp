// SPDX-License-Identifier: GPL-3.0-or-later
// Sigma correlation rules through SigmaDetector on synthetic events: each
// correlation type with group-by, sliding windows, chaining, aliases,
// generate, conditions, one alert per burst and the memory bound.
#include "sigmatestsupport.h"

#include <QtTest>

using namespace portcullis;
using namespace portcullis::sigma;
using namespace sigmatest;

namespace {

const QByteArray BaseRules = R"(
title: Failed login
id: 0b6c1f5e-1111-4a7b-9c3d-000000000001
name: failed_login
detection:
    selection:
        event.action: login_failed
    condition: selection
level: low
---
title: Successful login
name: login_ok
detection:
    selection:
        event.action: login_ok
    condition: selection
---
title: Recon A
name: recon_a
detection:
    selection:
        event.action: recon_a
    condition: selection
---
title: Recon B
name: recon_b
detection:
    selection:
        event.action: recon_b
    condition: selection
---
title: Recon C
name: recon_c
detection:
    selection:
        event.action: recon_c
    condition: selection
)";

QByteArray correlation(const QByteArray &type, const QByteArray &rules, const QByteArray &extra)
{
    return "---\ntitle: Test correlation\nname: test_corr\ntags: [attack.t1110.001]\n"
           "level: high\ncorrelation:\n    type: "
        + type + "\n    rules: " + rules + "\n" + extra;
}

struct Run {
    std::shared_ptr<const SigmaRules> rules;
    QVector<LoadIssue> issues;
    CollectingSink sink;
};

// Loads the base rules plus `yaml`, feeds `events` (flushing after each) and finishes.
void run(Run &run, const QByteArray &yaml, const QVector<Event> &events)
{
    run.rules = rulesFromText(BaseRules + yaml, &run.issues);
    SigmaDetector detector(run.rules);
    for (const Event &event : events) {
        detector.processEvent(event, run.sink);
        detector.flush(run.sink);
    }
    detector.finish(run.sink);
}

QVector<Event> failures(
    const QString &ip, const QVector<qint64> &minutes, const QStringList &users = {})
{
    QVector<Event> events;
    for (int i = 0; i < minutes.size(); ++i) {
        const QString user = users.isEmpty() ? QStringLiteral("root") : users.at(i % users.size());
        events << makeEvent(minutes.at(i) * Minute, QStringLiteral("login_failed"), ip, user);
    }
    return events;
}

QVector<Event> sortedByTime(QVector<Event> events)
{
    std::stable_sort(events.begin(), events.end(),
        [](const Event &a, const Event &b) { return a.timestampMs < b.timestampMs; });
    return events;
}

const QByteArray EventCountBySource = correlation("event_count", "[failed_login]",
    "    group-by: [source.ip]\n    timespan: 10m\n    condition: {gte: 5}\n");

} // namespace

class TestSigmaCorrelation : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void eventCountGroupsBySource();
    void eventCountWindowSlides();
    void eventCountNewRunAfterGap();
    void oneAlertPerBurstUpdated();
    void valueCountDistinctUsers();
    void temporalAnyOrder();
    void temporalOrderedNeedsOrder();
    void chainedCorrelation();
    void aliasesJoinFields();
    void generateAlertsBaseRules();
    void plainRuleGroupsBySource();
    void valueCountWindowSlides();
    void conditionBounds_data();
    void conditionBounds();
    void loadErrors_data();
    void loadErrors();
    void stateExpires();
};

void TestSigmaCorrelation::eventCountGroupsBySource()
{
    Run r;
    QVector<Event> events = failures(QStringLiteral("192.0.2.1"), { 0, 1, 2, 3, 4, 5 });
    events += failures(QStringLiteral("192.0.2.2"), { 0, 1, 2, 3 });
    run(r, EventCountBySource, sortedByTime(events));
    QVERIFY2(r.issues.isEmpty(), qPrintable(issuesText(r.issues)));

    const QVector<Alert> alerts = r.sink.byRule(QStringLiteral("test_corr"));
    QCOMPARE(alerts.size(), 1);
    const Alert &alert = alerts.first();
    QCOMPARE(alert.entities.value(QStringLiteral("source.ip")), QStringList { "192.0.2.1" });
    QCOMPARE(alert.eventCount, 6);
    QCOMPARE(alert.evidence.size(), 6);
    QCOMPARE(alert.severity, Severity::High);
    QCOMPARE(alert.mitreTechnique, QStringLiteral("T1110.001"));
    QCOMPARE(alert.firstSeenMs, StartMs);
    QCOMPARE(alert.lastSeenMs, StartMs + 5 * Minute);
    QVERIFY2(
        alert.reason.contains(QStringLiteral("at least 5 within 10m")), qPrintable(alert.reason));
    QVERIFY2(
        alert.reason.contains(QStringLiteral("source.ip=192.0.2.1")), qPrintable(alert.reason));
    // The base rule is referenced by the correlation, so it raises no alert of its own.
    QCOMPARE(r.sink.byRule(QStringLiteral("failed_login")).size(), 0);
}

void TestSigmaCorrelation::eventCountWindowSlides()
{
    // 8, 9, 11 and 12 minutes: 10-minute buckets aligned to the clock would
    // count 2 and 2, the sliding window counts 4.
    const QByteArray rule = correlation("event_count", "[failed_login]",
        "    group-by: [source.ip]\n    timespan: 10m\n    condition: {gte: 4}\n");
    Run sliding;
    run(sliding, rule, failures(QStringLiteral("192.0.2.1"), { 8, 9, 11, 12 }));
    QCOMPARE(sliding.sink.byRule(QStringLiteral("test_corr")).size(), 1);

    // Every 4 minutes: never 4 events within 10 minutes, however long it goes on.
    Run spread;
    run(spread, rule, failures(QStringLiteral("192.0.2.1"), { 0, 4, 8, 12, 16, 20, 24 }));
    QCOMPARE(spread.sink.byRule(QStringLiteral("test_corr")).size(), 0);
}

void TestSigmaCorrelation::eventCountNewRunAfterGap()
{
    Run r;
    run(r, EventCountBySource,
        failures(QStringLiteral("192.0.2.1"), { 0, 1, 2, 3, 4, 30, 31, 32, 33, 34, 35 }));
    const QVector<Alert> alerts = r.sink.byRule(QStringLiteral("test_corr"));
    QCOMPARE(alerts.size(), 2);
    QCOMPARE(alerts.at(0).eventCount, 5);
    QCOMPARE(alerts.at(1).eventCount, 6);
    QCOMPARE(alerts.at(1).firstSeenMs, StartMs + 30 * Minute);
    QVERIFY(alerts.at(0).key != alerts.at(1).key);
}

void TestSigmaCorrelation::oneAlertPerBurstUpdated()
{
    QVector<qint64> minutes;
    for (int i = 0; i < 100; ++i)
        minutes << i / 4; // 100 failures over 25 minutes, no gap
    Run r;
    run(r, EventCountBySource, failures(QStringLiteral("192.0.2.7"), minutes));
    const QVector<Alert> alerts = r.sink.byRule(QStringLiteral("test_corr"));
    QCOMPARE(alerts.size(), 1);
    QCOMPARE(alerts.first().eventCount, 100);
    // Flushed after every event: one update per event from the fifth on.
    QCOMPARE(r.sink.updates, 96);
}

void TestSigmaCorrelation::valueCountDistinctUsers()
{
    const QByteArray rule = correlation("value_count", "[failed_login]",
        "    group-by: [source.ip]\n    timespan: 10m\n"
        "    condition: {field: user.name, gte: 3}\n");
    Run r;
    QVector<Event> events = failures(QStringLiteral("192.0.2.1"), { 0, 1, 2, 3, 4, 5 },
        { "root", "root", "admin", "root", "oracle", "admin" });
    // One user over and over from another source: many events, one value.
    events += failures(QStringLiteral("192.0.2.2"), { 0, 1, 2, 3, 4, 5, 6, 7 });
    run(r, rule, sortedByTime(events));
    QVERIFY2(r.issues.isEmpty(), qPrintable(issuesText(r.issues)));
    const QVector<Alert> alerts = r.sink.byRule(QStringLiteral("test_corr"));
    QCOMPARE(alerts.size(), 1);
    QCOMPARE(
        alerts.first().entities.value(QStringLiteral("source.ip")), QStringList { "192.0.2.1" });
    QCOMPARE(alerts.first().entities.value(QStringLiteral("user.name")),
        (QStringList { "root", "admin", "oracle" }));
    QVERIFY2(alerts.first().reason.startsWith(QStringLiteral("3 distinct values of user.name")),
        qPrintable(alerts.first().reason));
}

void TestSigmaCorrelation::temporalAnyOrder()
{
    const QByteArray rule = correlation(
        "temporal", "[recon_a, recon_b, recon_c]", "    group-by: [user.name]\n    timespan: 5m\n");
    const QString ip = QStringLiteral("192.0.2.1");
    Run r;
    run(r, rule,
        {
            makeEvent(0, QStringLiteral("recon_c"), ip, QStringLiteral("alice")),
            makeEvent(1 * Minute, QStringLiteral("recon_a"), ip, QStringLiteral("alice")),
            makeEvent(1 * Minute, QStringLiteral("recon_a"), ip, QStringLiteral("bob")),
            makeEvent(2 * Minute, QStringLiteral("recon_b"), ip, QStringLiteral("alice")),
            makeEvent(3 * Minute, QStringLiteral("recon_b"), ip, QStringLiteral("bob")),
            // bob's third rule comes after the 5 minutes of his first.
            makeEvent(7 * Minute, QStringLiteral("recon_c"), ip, QStringLiteral("bob")),
        });
    const QVector<Alert> alerts = r.sink.byRule(QStringLiteral("test_corr"));
    QCOMPARE(alerts.size(), 1);
    QCOMPARE(alerts.first().entities.value(QStringLiteral("user.name")), QStringList { "alice" });
}

void TestSigmaCorrelation::temporalOrderedNeedsOrder()
{
    const QByteArray rule = correlation(
        "temporal_ordered", "[recon_a, recon_b]", "    group-by: [user.name]\n    timespan: 5m\n");
    const QString ip = QStringLiteral("192.0.2.1");
    Run r;
    run(r, rule,
        {
            makeEvent(0, QStringLiteral("recon_a"), ip, QStringLiteral("alice")),
            makeEvent(0, QStringLiteral("recon_b"), ip, QStringLiteral("bob")),
            makeEvent(1 * Minute, QStringLiteral("recon_b"), ip, QStringLiteral("alice")),
            makeEvent(2 * Minute, QStringLiteral("recon_a"), ip, QStringLiteral("bob")),
        });
    const QVector<Alert> alerts = r.sink.byRule(QStringLiteral("test_corr"));
    QCOMPARE(alerts.size(), 1);
    QCOMPARE(alerts.first().entities.value(QStringLiteral("user.name")), QStringList { "alice" });
    QVERIFY2(alerts.first().reason.contains(QStringLiteral("in that order")),
        qPrintable(alerts.first().reason));
}

void TestSigmaCorrelation::chainedCorrelation()
{
    // Three failures for one user, then a success for that user within 10 minutes.
    const QByteArray yaml = R"(
---
title: Success after failures
name: success_after_failures
level: critical
correlation:
    type: temporal_ordered
    rules: [many_failures, login_ok]
    group-by: [user.name]
    timespan: 10m
---
title: Many failures
name: many_failures
correlation:
    type: event_count
    rules: [failed_login]
    group-by: [user.name]
    timespan: 10m
    condition: {gte: 3}
)";
    const QString ip = QStringLiteral("192.0.2.1");
    QVector<Event> events = failures(ip, { 0, 1, 2 }, { "alice" });
    events += failures(ip, { 0, 1 }, { "bob" });
    events << makeEvent(3 * Minute, QStringLiteral("login_ok"), ip, QStringLiteral("alice"));
    events << makeEvent(3 * Minute, QStringLiteral("login_ok"), ip, QStringLiteral("bob"));
    Run r;
    run(r, yaml, sortedByTime(events));
    QVERIFY2(r.issues.isEmpty(), qPrintable(issuesText(r.issues)));

    const QVector<Alert> alerts = r.sink.byRule(QStringLiteral("success_after_failures"));
    QCOMPARE(alerts.size(), 1);
    QCOMPARE(alerts.first().entities.value(QStringLiteral("user.name")), QStringList { "alice" });
    QCOMPARE(alerts.first().severity, Severity::Critical);
    // The inner correlation and the base rules only feed the outer one.
    QCOMPARE(r.sink.byRule(QStringLiteral("many_failures")).size(), 0);
    QCOMPARE(r.sink.byRule(QStringLiteral("login_ok")).size(), 0);
    QCOMPARE(r.rules->correlations.evaluationOrder().size(), 2);
    QCOMPARE(r.rules->correlations.rule(r.rules->correlations.evaluationOrder().first()).name,
        QStringLiteral("many_failures"));
}

void TestSigmaCorrelation::aliasesJoinFields()
{
    // recon_a names the host in source.ip, recon_b in destination.ip.
    const QByteArray rule = correlation("temporal", "[recon_a, recon_b]",
        "    group-by: [host_ip]\n    timespan: 5m\n"
        "    aliases:\n        host_ip:\n            recon_a: source.ip\n"
        "            recon_b: destination.ip\n");
    Event first = makeEvent(0, QStringLiteral("recon_a"), QStringLiteral("198.51.100.4"));
    Event second = makeEvent(Minute, QStringLiteral("recon_b"), QStringLiteral("203.0.113.9"));
    second.extra.insert(QStringLiteral("destination.ip"), QStringLiteral("198.51.100.4"));
    Event other = makeEvent(Minute, QStringLiteral("recon_b"), QStringLiteral("198.51.100.4"));
    other.extra.insert(QStringLiteral("destination.ip"), QStringLiteral("203.0.113.200"));
    Run r;
    run(r, rule, { first, other, second });
    QVERIFY2(r.issues.isEmpty(), qPrintable(issuesText(r.issues)));
    const QVector<Alert> alerts = r.sink.byRule(QStringLiteral("test_corr"));
    QCOMPARE(alerts.size(), 1);
    QCOMPARE(
        alerts.first().entities.value(QStringLiteral("source.ip")), QStringList { "198.51.100.4" });
    QCOMPARE(alerts.first().evidence, (QVector<QByteArray> { first.id, second.id }));
}

void TestSigmaCorrelation::generateAlertsBaseRules()
{
    const QByteArray rule = correlation("event_count", "[failed_login]",
        "    group-by: [source.ip]\n    timespan: 10m\n    condition: {gte: 5}\n"
        "    generate: true\n");
    Run r;
    run(r, rule, failures(QStringLiteral("192.0.2.1"), { 0, 1 }));
    QCOMPARE(r.sink.byRule(QStringLiteral("test_corr")).size(), 0);
    const QVector<Alert> base = r.sink.byRule(QStringLiteral("failed_login"));
    QCOMPARE(base.size(), 1);
    QCOMPARE(base.first().eventCount, 2);
    QCOMPARE(base.first().severity, Severity::Low);
}

void TestSigmaCorrelation::plainRuleGroupsBySource()
{
    // recon_a is referenced by no correlation, so it alerts on its own.
    const QString first = QStringLiteral("192.0.2.1");
    const QString second = QStringLiteral("192.0.2.2");
    Run r;
    run(r, QByteArray(),
        {
            makeEvent(0, QStringLiteral("recon_a"), first),
            makeEvent(Minute, QStringLiteral("recon_a"), second),
            makeEvent(5 * Minute, QStringLiteral("recon_a"), first),
            makeEvent(14 * Minute, QStringLiteral("recon_a"), first),
            // More than 10 minutes after the last one: a new burst.
            makeEvent(25 * Minute, QStringLiteral("recon_a"), first),
        });
    const QVector<Alert> alerts = r.sink.byRule(QStringLiteral("recon_a"));
    QCOMPARE(alerts.size(), 3);
    QCOMPARE(alerts.at(0).entities.value(QStringLiteral("source.ip")), QStringList { first });
    QCOMPARE(alerts.at(0).eventCount, 3);
    QCOMPARE(alerts.at(1).entities.value(QStringLiteral("source.ip")), QStringList { second });
    QCOMPARE(alerts.at(1).eventCount, 1);
    QCOMPARE(alerts.at(2).eventCount, 1);
    QCOMPARE(alerts.at(2).firstSeenMs, StartMs + 25 * Minute);
    QVERIFY2(alerts.at(0).reason.startsWith(QStringLiteral("3 events from 192.0.2.1")),
        qPrintable(alerts.at(0).reason));
}

void TestSigmaCorrelation::valueCountWindowSlides()
{
    // One new user name every 4 minutes: never 3 distinct names within 5 minutes.
    const QByteArray rule = correlation("value_count", "[failed_login]",
        "    group-by: [source.ip]\n    timespan: 5m\n"
        "    condition: {field: user.name, gte: 3}\n");
    Run spread;
    run(spread, rule,
        failures(QStringLiteral("192.0.2.1"), { 0, 4, 8, 12, 16 }, { "a", "b", "c", "d", "e" }));
    QCOMPARE(spread.sink.byRule(QStringLiteral("test_corr")).size(), 0);

    Run close;
    run(close, rule, failures(QStringLiteral("192.0.2.1"), { 0, 4, 8, 9 }, { "a", "b", "c", "d" }));
    QCOMPARE(close.sink.byRule(QStringLiteral("test_corr")).size(), 1);
}

void TestSigmaCorrelation::conditionBounds_data()
{
    QTest::addColumn<QByteArray>("condition");
    QTest::addColumn<int>("events");
    QTest::addColumn<bool>("fires");
    QTest::newRow("gt 3 with 3") << QByteArray("{gt: 3}") << 3 << false;
    QTest::newRow("gt 3 with 4") << QByteArray("{gt: 3}") << 4 << true;
    QTest::newRow("eq 2 with 2") << QByteArray("{eq: 2}") << 2 << true;
    QTest::newRow("lt 2 with 1") << QByteArray("{lt: 2}") << 1 << true;
    QTest::newRow("lte 1 with 5 fires at first") << QByteArray("{lte: 1}") << 5 << true;
    QTest::newRow("neq 1 with 1") << QByteArray("{neq: 1}") << 1 << false;
    QTest::newRow("neq 1 with 2") << QByteArray("{neq: 1}") << 2 << true;
    QTest::newRow("range 3-4 with 2") << QByteArray("{gt: 2, lte: 4}") << 2 << false;
    QTest::newRow("range 3-4 with 3") << QByteArray("{gt: 2, lte: 4}") << 3 << true;
}

void TestSigmaCorrelation::conditionBounds()
{
    QFETCH(QByteArray, condition);
    QFETCH(int, events);
    QFETCH(bool, fires);
    const QByteArray rule = correlation("event_count", "[failed_login]",
        "    group-by: [source.ip]\n    timespan: 10m\n    condition: " + condition + "\n");
    QVector<qint64> minutes;
    for (int i = 0; i < events; ++i)
        minutes << i;
    Run r;
    run(r, rule, failures(QStringLiteral("192.0.2.1"), minutes));
    QVERIFY2(r.issues.isEmpty(), qPrintable(issuesText(r.issues)));
    QCOMPARE(r.sink.byRule(QStringLiteral("test_corr")).size(), fires ? 1 : 0);
}

void TestSigmaCorrelation::loadErrors_data()
{
    QTest::addColumn<QByteArray>("yaml");
    QTest::addColumn<int>("line");
    QTest::addColumn<QString>("message");
    QTest::addColumn<bool>("unsupported");
    // Lines count from the correlation's "---" (line 1); `type` is on line 7.
    QTest::newRow("timespan unit") << correlation(
        "event_count", "[failed_login]", "    timespan: 10M\n    condition: {gte: 5}\n")
                                   << 9 << "timespan" << false;
    QTest::newRow("missing condition")
        << correlation("event_count", "[failed_login]", "    timespan: 10m\n") << 7
        << "condition` is missing" << false;
    QTest::newRow("unknown rule") << correlation(
        "event_count", "[no_such_rule]", "    timespan: 10m\n    condition: {gte: 5}\n")
                                  << 0 << "no_such_rule" << false;
    QTest::newRow("value_count without field") << correlation(
        "value_count", "[failed_login]", "    timespan: 10m\n    condition: {gte: 5}\n")
                                               << 10 << "condition.field" << false;
    QTest::newRow("bad bound") << correlation(
        "event_count", "[failed_login]", "    timespan: 10m\n    condition: {gte: many}\n")
                               << 10 << "whole number" << false;
    // value_median is pySigma's, not the specification's.
    QTest::newRow("value_median") << correlation("value_median", "[failed_login]",
        "    timespan: 10m\n    condition: {field: bytes, gt: 5}\n")
                                  << 7 << "'value_median'" << false;
    QTest::newRow("cycle") << QByteArray(
        "---\ntitle: Loop A\nname: loop_a\ncorrelation:\n    type: event_count\n"
        "    rules: [loop_b]\n    timespan: 1m\n    condition: {gte: 1}\n"
        "---\ntitle: Loop B\nname: loop_b\ncorrelation:\n    type: event_count\n"
        "    rules: [loop_a]\n    timespan: 1m\n    condition: {gte: 1}\n")
                           << 0 << "loop" << false;
}

void TestSigmaCorrelation::loadErrors()
{
    QFETCH(QByteArray, yaml);
    QFETCH(int, line);
    QFETCH(QString, message);
    QFETCH(bool, unsupported);
    QVector<LoadIssue> issues;
    const auto rules = rulesFromText(BaseRules + yaml, &issues);
    QCOMPARE(rules->correlations.count(), 0);
    const auto found = std::find_if(issues.cbegin(), issues.cend(),
        [](const LoadIssue &issue) { return issue.kind != LoadIssue::Kind::Warning; });
    QVERIFY2(found != issues.cend(), qPrintable(issuesText(issues)));
    const LoadIssue &issue = *found;
    QVERIFY2(issue.message.contains(message), qPrintable(issuesText(issues)));
    QCOMPARE(issue.kind, unsupported ? LoadIssue::Kind::Unsupported : LoadIssue::Kind::Error);
    QCOMPARE(issue.file, QStringLiteral("test.yml"));
    const int baseLines = int(BaseRules.count('\n'));
    if (line > 0)
        QCOMPARE(issue.line, baseLines + line);
    else
        QVERIFY(issue.line > baseLines);
    if (unsupported)
        QCOMPARE(issue.feature, QStringLiteral("correlation type value_sum"));
}

void TestSigmaCorrelation::stateExpires()
{
    auto rules = rulesFromText(BaseRules + EventCountBySource, nullptr);
    SigmaDetector detector(rules);
    CollectingSink sink;
    // 1,000 sources with one failure each, 100 ms apart.
    for (int i = 0; i < 1000; ++i) {
        const QString ip = QStringLiteral("10.0.%1.%2").arg(i / 250).arg(i % 250);
        detector.processEvent(makeEvent(i * 100, QStringLiteral("login_failed"), ip), sink);
    }
    QCOMPARE(detector.stateCount(), 1000);
    // An hour later the groups of the old sources are dropped.
    detector.processEvent(
        makeEvent(3 * 3600 * 1000, QStringLiteral("login_failed"), QStringLiteral("10.9.9.9")),
        sink);
    QCOMPARE(detector.stateCount(), 1);
    QCOMPARE(sink.alerts.size(), 0);
}

QTEST_GUILESS_MAIN(TestSigmaCorrelation)
#include "tst_sigmacorrelation.moc"
