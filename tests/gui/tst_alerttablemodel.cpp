// SPDX-License-Identifier: GPL-3.0-or-later
#include "alerttablemodel.h"
#include "evidencemodel.h"
#include "guitestutil.h"
#include "historymodel.h"
#include "respond/alertservice.h"

#include <QAbstractItemModelTester>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace portcullis;

class TestAlertTableModel : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void passesModelTester();
    void fetchesLazilyInPages();
    void sortsBySeverityByDefault();
    void filtersInStore_data();
    void filtersInStore();
    void sortsInStore_data();
    void sortsInStore();
    void unsortableColumnKeepsOrder();
    void refreshWithoutChangeKeepsRows();
    void refreshShowsNewAlert();
    void rowOfAlertFetchesDeepRows();
    void missingPermissionReportsError();
    void displayTextIsEscaped();
    void hundredThousandAlerts();
    void evidenceModelEscapesRawLines();
    void evidenceModelShowsRepeatedLineOnce();
    void historyModelShowsChanges();

private:
    static constexpr int AlertCount = 5000;

    QTemporaryDir m_dir;
    Store m_store;
    std::unique_ptr<AlertService> m_service;
};

void TestAlertTableModel::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QString error;
    QVERIFY2(m_store.open(m_dir.filePath(QStringLiteral("alerts.db")), &error), qPrintable(error));
    QVERIFY2(testing::insertGeneratedAlerts(m_store, AlertCount, &error), qPrintable(error));
    m_service = std::make_unique<AlertService>(m_store);
}

void TestAlertTableModel::passesModelTester()
{
    AlertTableModel model(*m_service, testing::analyst());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);

    model.fetchMore(QModelIndex());
    model.sort(AlertTableModel::SeverityColumn, Qt::AscendingOrder);
    model.setSeverityFilter({ Severity::High, Severity::Critical });
    model.setTextFilter(QStringLiteral("198.51.100.7"));
    model.setTextFilter(QString());
    model.setStatusFilter({ AlertStatus::Open });
    model.refresh();
    QVERIFY(model.rowCount() > 0);
}

void TestAlertTableModel::fetchesLazilyInPages()
{
    AlertTableModel model(*m_service, testing::analyst());
    const int page = model.pageSize();

    QCOMPARE(model.matchingCount(), AlertCount);
    QCOMPARE(model.rowCount(), page);
    QVERIFY(model.canFetchMore(QModelIndex()));

    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    model.fetchMore(QModelIndex());
    QCOMPARE(model.rowCount(), 2 * page);
    QCOMPARE(inserted.count(), 1);

    while (model.canFetchMore(QModelIndex()))
        model.fetchMore(QModelIndex());
    QCOMPARE(model.rowCount(), AlertCount);
    QCOMPARE(model.index(AlertCount - 1, AlertTableModel::TitleColumn).data().toString().isEmpty(),
        false);
}

void TestAlertTableModel::sortsBySeverityByDefault()
{
    AlertTableModel model(*m_service, testing::analyst());
    QCOMPARE(model.sortColumn(), int(AlertTableModel::SeverityColumn));
    QCOMPARE(model.sortOrder(), Qt::DescendingOrder);
    QCOMPARE(model.alertAt(0)->severity, Severity::Critical);
    QCOMPARE(model.index(0, AlertTableModel::SeverityColumn).data().toString(),
        QStringLiteral("Critical"));
}

void TestAlertTableModel::filtersInStore_data()
{
    QTest::addColumn<QSet<Severity>>("severities");
    QTest::addColumn<QString>("text");

    QTest::newRow("critical only") << QSet<Severity> { Severity::Critical } << QString();
    QTest::newRow("high and low") << QSet<Severity> { Severity::High, Severity::Low } << QString();
    QTest::newRow("text, one address") << QSet<Severity> {} << QStringLiteral("198.51.100.42");
    QTest::newRow("text, user name") << QSet<Severity> {} << QStringLiteral("user3");
    QTest::newRow("text and severity")
        << QSet<Severity> { Severity::Medium } << QStringLiteral("ssh-brute-force");
    QTest::newRow("text matches nothing") << QSet<Severity> {} << QStringLiteral("no such alert");
}

void TestAlertTableModel::filtersInStore()
{
    QFETCH(QSet<Severity>, severities);
    QFETCH(QString, text);

    AlertTableModel model(*m_service, testing::analyst());
    model.setSeverityFilter(severities);
    model.setTextFilter(text);

    AlertQuery query;
    query.severities = severities;
    query.text = text;
    const qint64 expected = m_store.countAlerts(query);
    QCOMPARE(model.matchingCount(), int(expected));
    QCOMPARE(model.rowCount(), qMin(int(expected), model.pageSize()));

    for (int row = 0; row < model.rowCount(); ++row) {
        const Alert *alert = model.alertAt(row);
        QVERIFY(alert);
        if (!severities.isEmpty())
            QVERIFY2(severities.contains(alert->severity), qPrintable(alert->title));
        if (!text.isEmpty()) {
            const QString haystack = alert->title + alert->ruleId + alert->reason
                + alert->entities.value(QStringLiteral("source.ip")).join(QLatin1Char(' '))
                + alert->entities.value(QStringLiteral("user.name")).join(QLatin1Char(' '));
            QVERIFY2(haystack.contains(text, Qt::CaseInsensitive), qPrintable(alert->title));
        }
    }
}

void TestAlertTableModel::sortsInStore_data()
{
    QTest::addColumn<int>("column");
    QTest::addColumn<Qt::SortOrder>("order");

    QTest::newRow("severity, ascending")
        << int(AlertTableModel::SeverityColumn) << Qt::AscendingOrder;
    QTest::newRow("severity, descending")
        << int(AlertTableModel::SeverityColumn) << Qt::DescendingOrder;
    QTest::newRow("events, ascending") << int(AlertTableModel::EventsColumn) << Qt::AscendingOrder;
    QTest::newRow("events, descending")
        << int(AlertTableModel::EventsColumn) << Qt::DescendingOrder;
    QTest::newRow("first seen, ascending")
        << int(AlertTableModel::FirstSeenColumn) << Qt::AscendingOrder;
    QTest::newRow("title, descending") << int(AlertTableModel::TitleColumn) << Qt::DescendingOrder;
}

void TestAlertTableModel::sortsInStore()
{
    QFETCH(int, column);
    QFETCH(Qt::SortOrder, order);

    AlertTableModel model(*m_service, testing::analyst());
    model.sort(AlertTableModel::AssigneeColumn, Qt::AscendingOrder);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    model.sort(column, order);
    QCOMPARE(reset.count(), 1);
    QCOMPARE(model.sortColumn(), column);
    model.fetchMore(QModelIndex());

    // Negative, zero or positive as `a` sorts before, with or after `b` ascending.
    const auto compare = [column](const Alert &a, const Alert &b) -> qint64 {
        switch (column) {
        case AlertTableModel::SeverityColumn:
            return int(a.severity) - int(b.severity);
        case AlertTableModel::EventsColumn:
            return a.eventCount - b.eventCount;
        case AlertTableModel::FirstSeenColumn:
            return a.firstSeenMs - b.firstSeenMs;
        default:
            return a.title.compare(b.title);
        }
    };
    for (int row = 1; row < model.rowCount(); ++row) {
        const qint64 comparison = compare(*model.alertAt(row - 1), *model.alertAt(row));
        const QByteArray where = "row " + QByteArray::number(row);
        if (order == Qt::AscendingOrder)
            QVERIFY2(comparison <= 0, where.constData());
        else
            QVERIFY2(comparison >= 0, where.constData());
    }
}

void TestAlertTableModel::unsortableColumnKeepsOrder()
{
    AlertTableModel model(*m_service, testing::analyst());
    const qint64 firstId = model.alertId(0);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);

    model.sort(AlertTableModel::EntitiesColumn, Qt::AscendingOrder);
    QCOMPARE(reset.count(), 0);
    QCOMPARE(model.sortColumn(), int(AlertTableModel::SeverityColumn));
    QCOMPARE(model.alertId(0), firstId);
}

void TestAlertTableModel::refreshWithoutChangeKeepsRows()
{
    AlertTableModel model(*m_service, testing::analyst());
    model.fetchMore(QModelIndex());
    const int rows = model.rowCount();
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);

    model.refresh();
    QCOMPARE(reset.count(), 0);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(model.rowCount(), rows);
}

void TestAlertTableModel::refreshShowsNewAlert()
{
    QTemporaryDir dir;
    Store store;
    QString error;
    QVERIFY2(store.open(dir.filePath(QStringLiteral("fresh.db")), &error), qPrintable(error));
    QVERIFY2(testing::insertGeneratedAlerts(store, 450, &error), qPrintable(error));
    AlertService service(store);
    AlertTableModel model(service, testing::analyst());
    model.sort(AlertTableModel::LastSeenColumn, Qt::DescendingOrder);
    model.fetchMore(QModelIndex());
    QCOMPARE(model.rowCount(), 400);

    Alert newest = testing::generatedAlert(100000);
    newest.lastSeenMs = 1900000000000LL;
    QVERIFY(store.database().begin(&error));
    QVERIFY2(store.upsertAlert(newest, &error), qPrintable(error));
    QVERIFY(store.database().commit(&error));

    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    model.refresh();
    QCOMPARE(reset.count(), 1);
    QCOMPARE(model.matchingCount(), 451);
    QCOMPARE(model.rowCount(), 400); // fetched rows are kept, so the view keeps its place
    QCOMPARE(model.alertId(0), newest.id);
}

void TestAlertTableModel::rowOfAlertFetchesDeepRows()
{
    AlertTableModel model(*m_service, testing::analyst());
    model.sort(AlertTableModel::FirstSeenColumn, Qt::AscendingOrder);
    const QVector<qint64> ids = m_store.queryAlertIds(model.query());
    const qint64 deepId = ids.at(AlertCount - 10);

    QCOMPARE(model.rowOfAlert(deepId), AlertCount - 10);
    QVERIFY(model.rowCount() > AlertCount - 10);
    QCOMPARE(model.alertAt(AlertCount - 10)->id, deepId);
    QCOMPARE(model.rowOfAlert(-5), -1);
}

void TestAlertTableModel::missingPermissionReportsError()
{
    Identity viewer = testing::analyst();
    viewer.roles.clear();
    QVERIFY(!hasPermission(viewer, Permission::ViewAlerts));

    AlertTableModel model(*m_service, viewer);
    QSignalSpy failed(&model, &AlertTableModel::queryFailed);
    model.refresh();
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(failed.count(), 1);
    QVERIFY(failed.first().first().toString().contains(QStringLiteral("view_alerts")));
}

void TestAlertTableModel::displayTextIsEscaped()
{
    QTemporaryDir dir;
    Store store;
    QString error;
    QVERIFY2(store.open(dir.filePath(QStringLiteral("hostile.db")), &error), qPrintable(error));
    Alert hostile = testing::generatedAlert(1);
    hostile.title = QStringLiteral("<b>bold</b> \x1b[31mred\u202Eevil");
    hostile.entities[QStringLiteral("user.name")] = { QStringLiteral("root ") };
    QVERIFY(store.database().begin(&error));
    QVERIFY2(store.upsertAlert(hostile, &error), qPrintable(error));
    QVERIFY(store.database().commit(&error));

    AlertService service(store);
    AlertTableModel model(service, testing::analyst());
    QCOMPARE(model.rowCount(), 1);
    const QString title = model.index(0, AlertTableModel::TitleColumn).data().toString();
    QCOMPARE(title, QStringLiteral("<b>bold</b> \\x1b[31mred<U+202E>evil"));
    const QString entities = model.index(0, AlertTableModel::EntitiesColumn).data().toString();
    QVERIFY2(entities.contains(QStringLiteral("\"root \"")), qPrintable(entities));
}

// The whole path at 100,000 alerts: the model fetches one page, sorts and
// filters in SQLite, and reaches the last rows without loading the ones
// between. The timings are printed for the record, not asserted.
void TestAlertTableModel::hundredThousandAlerts()
{
    constexpr int Count = 100000;
    QTemporaryDir dir;
    Store store;
    QString error;
    QVERIFY2(store.open(dir.filePath(QStringLiteral("large.db")), &error), qPrintable(error));
    QVERIFY2(testing::insertGeneratedAlerts(store, Count, &error), qPrintable(error));
    AlertService service(store);

    QElapsedTimer timer;
    timer.start();
    AlertTableModel model(service, testing::analyst());
    QCOMPARE(model.index(0, AlertTableModel::TitleColumn).data().toString().isEmpty(), false);
    const qint64 openMs = timer.restart();
    QCOMPARE(model.matchingCount(), Count);
    QCOMPARE(model.rowCount(), model.pageSize());

    model.sort(AlertTableModel::TitleColumn, Qt::AscendingOrder);
    QCOMPARE(model.alertAt(0)->title, QStringLiteral("Generated alert 00000"));
    const qint64 sortMs = timer.restart();

    model.setTextFilter(QStringLiteral("198.51.100.249"));
    const qint64 filterMs = timer.restart();
    QCOMPARE(model.matchingCount(), Count / 250); // one address in 250
    model.setTextFilter(QString());

    timer.restart();
    const qint64 lastId = store.queryAlertIds(model.query()).last();
    QCOMPARE(model.rowOfAlert(lastId), Count - 1);
    QCOMPARE(model.alertAt(Count - 1)->title, QStringLiteral("Generated alert 99999"));
    const qint64 jumpMs = timer.elapsed();

    qInfo("100,000 alerts: open %lld ms, sort by title %lld ms, text filter %lld ms, "
          "jump to the last row %lld ms",
        openMs, sortMs, filterMs, jumpMs);
}

void TestAlertTableModel::evidenceModelEscapesRawLines()
{
    EvidenceModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);

    Event hostile;
    hostile.timestampMs = 1700000000000LL;
    hostile.sourceIp = QStringLiteral("203.0.113.9");
    hostile.userName = QStringLiteral(" admin");
    hostile.hasUserName = true;
    hostile.action = QStringLiteral("ssh_login");
    hostile.filePath = QStringLiteral("/var/log/auth.log");
    hostile.lineNumber = 42;
    hostile.original = QStringLiteral("Failed password for <i>x</i> \x1b[2J\u2066from 1.2.3.4");
    Event plain = hostile;
    plain.original = QStringLiteral("Accepted password for root from 203.0.113.9");
    model.setEvents({ hostile, plain });

    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.rawLines(),
        QStringLiteral("Failed password for <i>x</i> \\x1b[2J<U+2066>from 1.2.3.4\n"
                       "Accepted password for root from 203.0.113.9"));
    QCOMPARE(
        model.index(0, EvidenceModel::UserColumn).data().toString(), QStringLiteral("\" admin\""));
    QCOMPARE(model.index(0, EvidenceModel::LocationColumn).data().toString(),
        QStringLiteral("auth.log:42"));
    model.clear();
    QCOMPARE(model.rowCount(), 0);
}

void TestAlertTableModel::evidenceModelShowsRepeatedLineOnce()
{
    Event repeated;
    repeated.filePath = QStringLiteral("/var/log/auth.log");
    repeated.lineNumber = 7;
    repeated.original = QStringLiteral(
        "sshd[1]: message repeated 3 times: [ Failed password for root from 203.0.113.9 ]");
    Event next = repeated;
    next.lineNumber = 8;
    Event telemetry;
    telemetry.original = QStringLiteral("login failed");

    EvidenceModel model;
    model.setEvents({ repeated, repeated, repeated, next, telemetry, telemetry });

    QCOMPARE(model.rowCount(), 6);
    const QStringList lines = model.rawLines().split(QLatin1Char('\n'));
    QCOMPARE(lines.size(), 4);
    QCOMPARE(lines.at(0), repeated.original);
    QCOMPARE(lines.at(1), next.original);
    QCOMPARE(lines.at(2), telemetry.original);
    QCOMPARE(lines.at(3), telemetry.original);
}

void TestAlertTableModel::historyModelShowsChanges()
{
    HistoryModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);

    AlertHistoryEntry closed;
    closed.atMs = 1700000000000LL;
    closed.actor = QStringLiteral("alice");
    closed.action = QStringLiteral("closed");
    closed.status = AlertStatus::Closed;
    closed.disposition = Disposition::Benign;
    closed.note = QStringLiteral("backup job\nruns nightly");
    model.setEntries({ closed });

    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(
        model.index(0, HistoryModel::StatusColumn).data().toString(), QStringLiteral("Closed"));
    QCOMPARE(model.index(0, HistoryModel::DispositionColumn).data().toString(),
        QStringLiteral("Benign"));
    QCOMPARE(model.index(0, HistoryModel::NoteColumn).data().toString(),
        QStringLiteral("backup job / runs nightly"));
    QCOMPARE(model.index(0, HistoryModel::TimeColumn).data().toString(),
        QStringLiteral("2023-11-14 22:13:20"));
}

QTEST_MAIN(TestAlertTableModel)
#include "tst_alerttablemodel.moc"
