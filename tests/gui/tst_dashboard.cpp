// SPDX-License-Identifier: GPL-3.0-or-later
// Checks the Dashboard's figures against a real store. The series must reflect
// the stored events, alerts, backend rows and quarantine, and the live demo
// must fill the store through the stand-in and the client.
#include "dashboardmodel.h"
#include "dashboardview.h"
#include "livedemo.h"

#include "alertstyle.h"
#include "countaxis.h"
#include "guitestutil.h"
#include "backendstatusbar.h"
#include "mainwindow.h"
#include "store/store.h"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QChartView>
#include <QLabel>
#include <QLineSeries>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QValueAxis>
#include <QtTest>

#include <cmath>

using namespace portcullis;

namespace {

// A minute boundary, so the alert buckets start on it.
constexpr qint64 Newest = 1700000040000LL;

Event makeEvent(int n, qint64 ts, const QString &ip, EventOutcome outcome)
{
    Event event;
    event.id = QByteArray("dash-") + QByteArray::number(n);
    event.timestampMs = ts;
    event.category = EventCategory::Authentication;
    event.action = QStringLiteral("user_login");
    event.outcome = outcome;
    event.sourceIp = ip;
    event.original = QStringLiteral("event %1").arg(n);
    return event;
}

Alert makeAlert(int n, Severity severity, qint64 firstSeen)
{
    Alert alert;
    alert.key = QByteArray("dash-alert-") + QByteArray::number(n);
    alert.ruleId = QStringLiteral("test-rule");
    alert.title = QStringLiteral("Dashboard test alert %1").arg(n);
    alert.severity = severity;
    alert.firstSeenMs = firstSeen;
    alert.lastSeenMs = firstSeen + 1000;
    alert.eventCount = 1;
    alert.reason = QStringLiteral("test");
    return alert;
}

// 1 event an hour before the window (stored first), then 30 events from
// 203.0.113.7 (20 failed), 10 from 198.51.100.2 and 5 without an address in
// the 10 minutes up to Newest, which is stored last. 4 alerts in the window
// (3 high, 1 critical) and 1 low before it. Backend "demo" with 2 quarantined.
bool fillStore(Store &store, QString *error)
{
    std::vector<Event> events;
    int n = 0;
    events.push_back(makeEvent(n++, Newest - 3600000, QStringLiteral("192.0.2.1"),
        EventOutcome::Failure));
    for (int i = 0; i < 45; ++i) {
        const qint64 ts = Newest - 600000 + qint64(i) * 600000 / 44;
        const QString ip = i < 30 ? QStringLiteral("203.0.113.7")
            : i < 40              ? QStringLiteral("198.51.100.2")
                                  : QString();
        const EventOutcome outcome = i < 20 ? EventOutcome::Failure : EventOutcome::Success;
        events.push_back(makeEvent(n++, ts, ip, outcome));
    }
    qint64 inserted = 0;
    if (!store.database().begin(error) || !store.insertEvents(events, &inserted, error))
        return false;

    QList<Alert> alerts = { makeAlert(1, Severity::High, Newest - 500000),
        makeAlert(2, Severity::High, Newest - 400000), makeAlert(3, Severity::High, Newest - 60000),
        makeAlert(4, Severity::Critical, Newest - 30000),
        makeAlert(5, Severity::Low, Newest - 7200000) };
    for (Alert &alert : alerts)
        if (!store.upsertAlert(alert, error))
            return false;

    const char *sql = "INSERT INTO backend_connections (name, base_url, last_event_ms, "
                      "events_stored, updated_ms) VALUES ('demo', 'http://127.0.0.1:1', "
                      "1700000040000, 46, 1);"
                      "INSERT INTO quarantine (connection, received_ms, reason, raw) VALUES "
                      "('demo', 1, 'no event.id', '{}'), ('demo', 2, 'bad timestamp', '{}'),"
                      "('other', 3, 'bad', '{}');";
    return store.database().exec(sql, error) && store.database().commit(error);
}

qint64 severityTotal(const DashboardMetrics &metrics, Severity severity)
{
    qint64 total = 0;
    for (const auto &counts : metrics.alertCounts)
        total += counts[size_t(severity)];
    return total;
}

} // namespace

class TestDashboard : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void metricsReflectStore();
    void emptyStoreHasNoSeries();
    void downsampleAverages();
    void viewShowsMetrics();
    void countTicksAreWholeSteps_data();
    void countTicksAreWholeSteps();
    void emptyHealthTableShowsMessage();
    void liveDemoFillsStore();
    void mainWindowShowsDashboardAndState();

private:
    QTemporaryDir m_dir;
    QString m_path;
};

void TestDashboard::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_path = m_dir.filePath(QStringLiteral("dash.db"));
    Store store;
    QString error;
    QVERIFY2(store.open(m_path, &error), qPrintable(error));
    QVERIFY2(fillStore(store, &error), qPrintable(error));
}

void TestDashboard::metricsReflectStore()
{
    DashboardModel model(m_path);
    QSignalSpy updated(&model, &DashboardModel::updated);
    model.refresh();
    QVERIFY(updated.wait(10000));
    const DashboardMetrics &metrics = model.metrics();

    QCOMPARE(metrics.newestEventMs, Newest);
    QCOMPARE(metrics.window.endMs, Newest + 60000); // the next minute boundary after it
    QCOMPARE(model.eventsInWindow(), 45);
    const QList<QPointF> points = model.eventRatePoints(1000);
    QVERIFY(!points.isEmpty());
    QCOMPARE(qint64(points.first().x()), Newest - 600000); // the first non-empty bucket
    double perSecondSum = 0;
    for (const QPointF &point : points)
        perSecondSum += point.y();
    // The bucket of the newest event is still filling and is not plotted.
    QCOMPARE(qRound(perSecondSum * double(metrics.window.bucketMs) / 1000.0), 44);

    QCOMPARE(metrics.topSources.size(), 2);
    QCOMPARE(metrics.topSources.at(0).sourceIp, QStringLiteral("203.0.113.7"));
    QCOMPARE(metrics.topSources.at(0).events, 30);
    QCOMPARE(metrics.topSources.at(0).failures, 20);
    QCOMPARE(metrics.topSources.at(1).events, 10);
    QCOMPARE(metrics.topSources.at(1).failures, 0);

    QCOMPARE(model.alertsInWindow(), 4);
    QCOMPARE(severityTotal(metrics, Severity::High), 3);
    QCOMPARE(severityTotal(metrics, Severity::Critical), 1);
    QCOMPARE(severityTotal(metrics, Severity::Low), 0);
    QCOMPARE(metrics.alertCounts.last()[size_t(Severity::Critical)], 0);
    QCOMPARE(metrics.openAlerts, 5);

    QCOMPARE(metrics.backends.size(), 1);
    QCOMPARE(metrics.backends.at(0).name, QStringLiteral("demo"));
    QCOMPARE(metrics.backends.at(0).quarantined, 2);
    QCOMPARE(metrics.backends.at(0).eventsStored, 46);
}

void TestDashboard::emptyStoreHasNoSeries()
{
    const QString path = m_dir.filePath(QStringLiteral("empty.db"));
    DashboardModel model(path);
    QSignalSpy updated(&model, &DashboardModel::updated);
    model.refresh();
    QVERIFY(updated.wait(10000));
    QCOMPARE(model.metrics().newestEventMs, 0);
    QVERIFY(model.eventRatePoints().isEmpty());
    QCOMPARE(model.alertsInWindow(), 0);
    QVERIFY(model.metrics().topSources.isEmpty());
}

void TestDashboard::emptyHealthTableShowsMessage()
{
    DashboardModel model(m_dir.filePath(QStringLiteral("no-backend.db")));
    QSignalSpy updated(&model, &DashboardModel::updated);
    DashboardView view(&model);
    QVERIFY(updated.wait(10000));
    QCOMPARE(view.healthTable()->rowCount(), 1);
    QVERIFY(view.healthTable()->item(0, 0));
    QVERIFY2(view.healthTable()->item(0, 0)->text().contains(QStringLiteral("No backend connection")),
        qPrintable(view.healthTable()->item(0, 0)->text()));
}

void TestDashboard::downsampleAverages()
{
    QList<QPointF> points;
    for (int i = 0; i < 10; ++i)
        points.append(QPointF(i, i % 2 ? 4 : 2));
    const QList<QPointF> result = downsample(points, 5);
    QCOMPARE(result.size(), 5);
    for (const QPointF &point : result)
        QCOMPARE(point.y(), 3.0);
    QCOMPARE(result.at(1).x(), 2.0);
    QCOMPARE(downsample(points, 20).size(), 10);
}

void TestDashboard::viewShowsMetrics()
{
    DashboardModel model(m_path);
    QSignalSpy updated(&model, &DashboardModel::updated);
    DashboardView view(&model);
    view.resize(1400, 900);
    view.show();
    QVERIFY(updated.wait(10000));

    QVERIFY(view.eventRateSeries()->count() > 0);
    const QStringList sources = view.sourceAxis()->categories();
    QCOMPARE(sources.size(), 2);
    QCOMPARE(sources.last(), QStringLiteral("203.0.113.7")); // drawn at the top

    const QList<Severity> severities = allSeverities();
    const QBarSet *high = view.severitySets().at(int(severities.indexOf(Severity::High)));
    QCOMPARE(high->sum(), 3.0);

    QCOMPARE(view.healthTable()->rowCount(), 1);
    QCOMPARE(view.healthTable()->item(0, 0)->text(), QStringLiteral("demo"));
    QCOMPARE(view.healthTable()->item(0, 4)->text(), QLocale().toString(2));

    BackendState state;
    state.kind = BackendState::Error;
    state.reason = QStringLiteral("HTTP 401");
    model.setBackendState(QStringLiteral("demo"), state);
    QCOMPARE(view.healthTable()->item(0, 3)->text(), QLocale().toString(1));
    QVERIFY(view.summaryLabel()->text().contains(QLocale().toString(45)));
    const QRegularExpression dateTime(QStringLiteral("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC"));
    QVERIFY2(view.summaryLabel()->text().contains(dateTime), qPrintable(view.summaryLabel()->text()));

    // The alert counts are whole numbers: ticks step by a whole number from 0.
    auto *chartView = view.findChild<QChartView *>(QStringLiteral("alertSeverityChart"));
    QVERIFY(chartView);
    auto *countAxis = qobject_cast<QValueAxis *>(chartView->chart()->axes(Qt::Vertical).value(0));
    QVERIFY(countAxis);
    QCOMPARE(countAxis->tickType(), QValueAxis::TicksDynamic);
    QCOMPARE(countAxis->tickAnchor(), 0.0);
    QVERIFY(countAxis->tickInterval() >= 1);
    QCOMPARE(std::fmod(countAxis->max(), countAxis->tickInterval()), 0.0);
}

void TestDashboard::countTicksAreWholeSteps_data()
{
    QTest::addColumn<double>("maximum");
    QTest::addColumn<double>("interval");
    QTest::addColumn<double>("top");
    QTest::newRow("empty") << 0.0 << 1.0 << 5.0;
    QTest::newRow("one") << 1.0 << 1.0 << 2.0;
    QTest::newRow("fraction") << 0.4 << 1.0 << 1.0;
    QTest::newRow("three") << 3.0 << 1.0 << 4.0;
    QTest::newRow("eight") << 8.0 << 2.0 << 10.0;
    QTest::newRow("ninety-six") << 96.0 << 20.0 << 120.0;
    QTest::newRow("hundred and three") << 103.0 << 20.0 << 120.0;
    QTest::newRow("thousands") << 5968.0 << 2000.0 << 8000.0;
}

void TestDashboard::countTicksAreWholeSteps()
{
    QFETCH(double, maximum);
    QFETCH(double, interval);
    QFETCH(double, top);
    const CountAxisTicks ticks = countAxisTicks(maximum);
    QCOMPARE(ticks.interval, interval);
    QCOMPARE(ticks.top, top);
    QVERIFY(ticks.top >= maximum);
}

void TestDashboard::liveDemoFillsStore()
{
    const QString path = m_dir.filePath(QStringLiteral("live.db"));
    LiveDemo demo;
    QSignalSpy states(&demo, &LiveDemo::stateChanged);
    QSignalSpy alerts(&demo, &LiveDemo::alertsStored);
    QString error;
    QVERIFY2(demo.start(path, &error), qPrintable(error));
    QVERIFY(demo.baseUrl().host() == QStringLiteral("127.0.0.1"));

    // The first scenario starts 20 simulated seconds in: 2 s at ten times real speed.
    QTRY_VERIFY_WITH_TIMEOUT(!alerts.isEmpty(), 60000);
    QVERIFY(!states.isEmpty());

    DashboardModel model(path);
    QSignalSpy updated(&model, &DashboardModel::updated);
    model.refresh();
    QVERIFY(updated.wait(10000));
    QVERIFY(model.eventsInWindow() > 0);
    QVERIFY(model.alertsInWindow() > 0);
    QCOMPARE(model.metrics().backends.size(), 1);
    QCOMPARE(model.metrics().backends.at(0).name, demo.connectionName());
    demo.stop();
}

void TestDashboard::mainWindowShowsDashboardAndState()
{
    MainWindow window(m_path, testing::analyst());
    QVERIFY(window.isDatabaseOpen());
    window.setErrorDialogsEnabled(false);
    QCOMPARE(window.viewTabs()->count(), 3);
    QCOMPARE(window.viewTabs()->widget(1), window.dashboardView());

    QAction *fraudTab = nullptr;
    for (QAction *action : window.findChildren<QAction *>()) {
        if (action->shortcut() == QKeySequence(Qt::CTRL | Qt::Key_3))
            fraudTab = action;
    }
    QVERIFY2(fraudTab, "the View menu should have Ctrl+3 for the Fraud tab");
    fraudTab->trigger();
    QCOMPARE(window.viewTabs()->currentIndex(), 2);

    BackendState state;
    state.kind = BackendState::Error;
    state.reason = QStringLiteral("HTTP 401 from the backend");
    window.setBackendState(QStringLiteral("demo"), state);
    window.setBackendState(QStringLiteral("spare"), BackendState{});
    auto *bar = window.statusBar()->findChild<BackendStatusBar *>();
    QVERIFY(bar);
    QLabel *label = bar->label(QStringLiteral("demo"));
    QVERIFY(label);
    QVERIFY(bar->label(QStringLiteral("spare")));
    QVERIFY(label != bar->label(QStringLiteral("spare")));
    QVERIFY2(label->text().contains(QStringLiteral("demo")), qPrintable(label->text()));
    QVERIFY2(label->text().contains(state.reason), qPrintable(label->text()));
    QVERIFY2(label->toolTip().contains(state.reason), qPrintable(label->toolTip()));
}

QTEST_MAIN(TestDashboard)
#include "tst_dashboard.moc"
