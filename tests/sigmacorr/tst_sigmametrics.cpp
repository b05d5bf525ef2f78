// SPDX-License-Identifier: GPL-3.0-or-later
// The metric correlation types value_sum, value_avg and value_percentile:
// the MetricWindow against a sorted copy, the types through SigmaDetector on
// synthetic events, and their load errors.
#include "sigmatestsupport.h"

#include "sigma/correlationmetric.h"

#include <QRandomGenerator>
#include <QtTest>

#include <algorithm>
#include <cmath>

using namespace portcullis;
using namespace portcullis::sigma;
using namespace sigmatest;

namespace {

const QByteArray BaseRule = R"(
title: Failed login
name: failed_login
detection:
    selection:
        event.action: login_failed
    condition: selection
)";

QByteArray metricCorrelation(const QByteArray &type, const QByteArray &condition)
{
    return BaseRule
        + "---\ntitle: Test metric\nname: test_metric\nlevel: high\ncorrelation:\n    type: "
        + type + "\n    rules: [failed_login]\n    group-by: [source.ip]\n    timespan: 10m\n"
        + "    condition: " + condition + "\n";
}

// Failures from one source, one a minute, whose response sizes are `bytes`
// (-1: the event has no size).
QVector<Event> sizedFailures(const QVector<qint64> &bytes, qint64 stepMinutes = 1)
{
    QVector<Event> events;
    for (int i = 0; i < bytes.size(); ++i) {
        Event event = makeEvent(i * stepMinutes * Minute, QStringLiteral("login_failed"),
            QStringLiteral("192.0.2.1"), QStringLiteral("root"));
        event.httpBytes = bytes.at(i);
        events << event;
    }
    return events;
}

// The nearest-rank percentile of `values`, computed the slow way.
double sortedPercentile(QVector<double> values, int percentile)
{
    if (values.isEmpty())
        return 0;
    std::sort(values.begin(), values.end());
    const double rank = std::ceil(percentile / 100.0 * double(values.size()));
    const int index = qBound(0, int(rank) - 1, int(values.size()) - 1);
    return values.at(index);
}

} // namespace

class TestSigmaMetrics : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void windowMatchesSortedCopy_data();
    void windowMatchesSortedCopy();
    void windowEqualValues();
    void metricTypes_data();
    void metricTypes();
    void eventsWithoutNumberSkipped();
    void metricWindowSlides();
    void metricLoadIssues_data();
    void metricLoadIssues();
};

void TestSigmaMetrics::windowMatchesSortedCopy_data()
{
    QTest::addColumn<int>("percentile");
    QTest::newRow("minimum") << 0;
    QTest::newRow("p1") << 1;
    QTest::newRow("quartile") << 25;
    QTest::newRow("median") << 50;
    QTest::newRow("p90") << 90;
    QTest::newRow("p99") << 99;
    QTest::newRow("maximum") << 100;
}

void TestSigmaMetrics::windowMatchesSortedCopy()
{
    QFETCH(int, percentile);
    MetricWindow window;
    window.setPercentile(percentile);
    QVector<double> copy;
    QRandomGenerator random(percentile + 7);
    for (int step = 0; step < 3000; ++step) {
        // Mostly adds, with runs of removals from the front like a sliding window.
        if (!copy.isEmpty() && random.bounded(3) == 0) {
            window.remove(copy.takeFirst());
        } else {
            const double value = double(random.bounded(50)); // many repeats
            window.add(value);
            copy.append(value);
        }
        QCOMPARE(window.count(), copy.size());
        QCOMPARE(window.percentile(), sortedPercentile(copy, percentile));
    }
    double sum = 0;
    for (double value : std::as_const(copy))
        sum += value;
    QCOMPARE(window.sum(), sum);
}

void TestSigmaMetrics::windowEqualValues()
{
    MetricWindow window;
    window.setPercentile(50);
    for (double value : { 5.0, 5.0, 5.0, 1.0 })
        window.add(value);
    QCOMPARE(window.percentile(), 5.0); // 1 5 5 5: rank 2
    QCOMPARE(window.average(), 4.0);
    window.remove(5.0);
    window.remove(5.0);
    QCOMPARE(window.percentile(), 1.0); // 1 5: rank 1
    window.remove(1.0);
    window.remove(5.0);
    QCOMPARE(window.count(), 0);
    QCOMPARE(window.sum(), 0.0);
    QCOMPARE(window.average(), 0.0);
    QCOMPARE(window.percentile(), 0.0);
}

void TestSigmaMetrics::metricTypes_data()
{
    QTest::addColumn<QByteArray>("type");
    QTest::addColumn<QByteArray>("condition");
    QTest::addColumn<QVector<qint64>>("bytes");
    QTest::addColumn<bool>("fires");
    QTest::addColumn<QString>("reason"); // expected in the alert's reason

    const QByteArray sumOver1000 = "{field: http.response.body.bytes, gt: 1000}";
    QTest::newRow("sum below") << QByteArray("value_sum") << sumOver1000
                               << QVector<qint64> { 400, 400 } << false << QString();
    QTest::newRow("sum above") << QByteArray("value_sum") << sumOver1000
                               << QVector<qint64> { 400, 400, 400 } << true
                               << QStringLiteral("The sum of http.response.body.bytes within 10m "
                                                 "was 1200; 3 events");
    QTest::newRow("sum range") << QByteArray("value_sum")
                               << QByteArray("{field: sc-bytes, gt: 100, lte: 200}")
                               << QVector<qint64> { 150, 500 } << true << QStringLiteral("was 150");

    const QByteArray avgOver500 = "{field: http.response.body.bytes, gt: 500}";
    QTest::newRow("avg below") << QByteArray("value_avg") << avgOver500
                               << QVector<qint64> { 400, 600 } << false << QString();
    QTest::newRow("avg above") << QByteArray("value_avg") << avgOver500
                               << QVector<qint64> { 400, 700 } << true
                               << QStringLiteral("The average of http.response.body.bytes "
                                                 "within 10m was 550");
    QTest::newRow("avg fraction")
        << QByteArray("value_avg") << QByteArray("{field: http.response.body.bytes, gte: 2.5}")
        << QVector<qint64> { 2, 3 } << true << QStringLiteral("was 2.5");
    QTest::newRow("avg fraction just below")
        << QByteArray("value_avg") << QByteArray("{field: http.response.body.bytes, gte: 2.6}")
        << QVector<qint64> { 2, 3 } << false << QString();

    QTest::newRow("median below")
        << QByteArray("value_percentile")
        << QByteArray("{field: http.response.body.bytes, percentile: 50, gte: 100}")
        << QVector<qint64> { 10, 200 } << false << QString();
    QTest::newRow("median above")
        << QByteArray("value_percentile")
        << QByteArray("{field: http.response.body.bytes, percentile: 50, gte: 100}")
        << QVector<qint64> { 10, 200, 300 } << true
        << QStringLiteral("The median of http.response.body.bytes within 10m was 200");
    const QVector<qint64> nineSmallOneLarge { 100, 100, 100, 100, 100, 100, 100, 100, 100, 5000 };
    QTest::newRow("p90 ignores one outlier")
        << QByteArray("value_percentile")
        << QByteArray("{field: http.response.body.bytes, percentile: 90, gt: 1000}")
        << nineSmallOneLarge << false << QString();
    QTest::newRow("p95 sees the outlier")
        << QByteArray("value_percentile")
        << QByteArray("{field: http.response.body.bytes, percentile: 95, gt: 1000}")
        << nineSmallOneLarge << true << QStringLiteral("Percentile 95 of");
    QTest::newRow("p0 is the minimum")
        << QByteArray("value_percentile")
        << QByteArray("{field: http.response.body.bytes, percentile: 0, lte: 5}")
        << QVector<qint64> { 50, 40, 3 } << true << QStringLiteral("was 3");
}

void TestSigmaMetrics::metricTypes()
{
    QFETCH(QByteArray, type);
    QFETCH(QByteArray, condition);
    QFETCH(QVector<qint64>, bytes);
    QFETCH(bool, fires);
    QFETCH(QString, reason);

    QVector<LoadIssue> issues;
    const auto rules = rulesFromText(metricCorrelation(type, condition), &issues);
    QVERIFY2(issues.isEmpty(), qPrintable(issuesText(issues)));
    QCOMPARE(rules->correlations.count(), 1);

    SigmaDetector detector(rules);
    CollectingSink sink;
    for (const Event &event : sizedFailures(bytes)) {
        detector.processEvent(event, sink);
        detector.flush(sink);
    }
    detector.finish(sink);

    const QVector<Alert> alerts = sink.byRule(QStringLiteral("test_metric"));
    QCOMPARE(alerts.size(), fires ? 1 : 0);
    QCOMPARE(sink.byRule(QStringLiteral("failed_login")).size(), 0);
    if (!fires)
        return;
    const Alert &alert = alerts.first();
    QVERIFY2(alert.reason.contains(reason), qPrintable(alert.reason));
    QCOMPARE(alert.entities.value(QStringLiteral("source.ip")), QStringList { "192.0.2.1" });
    QCOMPARE(alert.severity, Severity::High);
}

void TestSigmaMetrics::eventsWithoutNumberSkipped()
{
    // Absent sizes add nothing to the sum and do not lower the average.
    const auto rules = rulesFromText(metricCorrelation("value_avg",
                                         "{field: http.response.body.bytes, gte: 1000}"),
        nullptr);
    SigmaDetector detector(rules);
    CollectingSink sink;
    for (const Event &event : sizedFailures({ -1, 1000, -1, -1, 1000 }))
        detector.processEvent(event, sink);
    detector.finish(sink);
    const QVector<Alert> alerts = sink.byRule(QStringLiteral("test_metric"));
    QCOMPARE(alerts.size(), 1);
    QCOMPARE(alerts.first().eventCount, 2);
    QVERIFY2(alerts.first().reason.contains(QStringLiteral("was 1000")),
        qPrintable(alerts.first().reason));
}

void TestSigmaMetrics::metricWindowSlides()
{
    // 600 bytes every 6 minutes: two sizes fit 10 minutes, three never do.
    const auto rules = rulesFromText(
        metricCorrelation("value_sum", "{field: http.response.body.bytes, gt: 1500}"), nullptr);
    SigmaDetector detector(rules);
    CollectingSink sink;
    for (const Event &event : sizedFailures({ 600, 600, 600, 600, 600 }, 6))
        detector.processEvent(event, sink);
    detector.finish(sink);
    QCOMPARE(sink.byRule(QStringLiteral("test_metric")).size(), 0);
}

void TestSigmaMetrics::metricLoadIssues_data()
{
    QTest::addColumn<QByteArray>("type");
    QTest::addColumn<QByteArray>("condition");
    QTest::addColumn<bool>("loads");
    QTest::addColumn<QString>("message"); // in the first issue

    QTest::newRow("sum without field") << QByteArray("value_sum") << QByteArray("{gt: 5}") << false
                                       << QStringLiteral("value_sum correlation needs "
                                                         "`condition.field`");
    QTest::newRow("avg with two fields")
        << QByteArray("value_avg") << QByteArray("{field: [a, b], gt: 5}") << false
        << QStringLiteral("lists 2");
    QTest::newRow("avg bound not a number")
        << QByteArray("value_avg") << QByteArray("{field: a, gt: many}") << false
        << QStringLiteral("`condition.gt` must be a number, not 'many'");
    QTest::newRow("count bound fraction")
        << QByteArray("event_count") << QByteArray("{gte: 2.5}") << false
        << QStringLiteral("whole number");
    QTest::newRow("percentile too large")
        << QByteArray("value_percentile") << QByteArray("{field: a, percentile: 150, gt: 5}")
        << false << QStringLiteral("from 0 to 100, not '150'");
    QTest::newRow("percentile missing")
        << QByteArray("value_percentile") << QByteArray("{field: a, gt: 5}") << true
        << QStringLiteral("the median (percentile 50) is used");
    QTest::newRow("percentile on sum")
        << QByteArray("value_sum") << QByteArray("{field: a, percentile: 90, gt: 5}") << true
        << QStringLiteral("used by value_percentile only");
    QTest::newRow("negative avg bound")
        << QByteArray("value_avg") << QByteArray("{field: a, lt: -0.5}") << true << QString();
}

void TestSigmaMetrics::metricLoadIssues()
{
    QFETCH(QByteArray, type);
    QFETCH(QByteArray, condition);
    QFETCH(bool, loads);
    QFETCH(QString, message);

    QVector<LoadIssue> issues;
    const auto rules = rulesFromText(metricCorrelation(type, condition), &issues);
    QCOMPARE(rules->correlations.count(), loads ? 1 : 0);
    if (message.isEmpty()) {
        QVERIFY2(issues.isEmpty(), qPrintable(issuesText(issues)));
        return;
    }
    QVERIFY2(!issues.isEmpty(), "expected an issue");
    QVERIFY2(issues.first().message.contains(message), qPrintable(issuesText(issues)));
    const LoadIssue::Kind kind = loads ? LoadIssue::Kind::Warning : LoadIssue::Kind::Error;
    QCOMPARE(issues.first().kind, kind);
    // The condition is on line 10 of the correlation document, counting its "---" as 1.
    QCOMPARE(issues.first().line, int(BaseRule.count('\n')) + 10);
}

QTEST_GUILESS_MAIN(TestSigmaMetrics)
#include "tst_sigmametrics.moc"
