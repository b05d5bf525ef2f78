// SPDX-License-Identifier: GPL-3.0-or-later
// 100,000 alerts: every sort key and filter reads a page through an index
// (checked with EXPLAIN QUERY PLAN, not with a clock) and pages are right.
#include "store/store.h"

#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

using namespace portcullis;

namespace {

const int AlertCount
    = qEnvironmentVariableIntValue("PAGING_N") ? qEnvironmentVariableIntValue("PAGING_N") : 100000;

QString planOf(Database &db, const QByteArray &sql)
{
    const QByteArray explain = "EXPLAIN QUERY PLAN " + sql;
    Statement statement = db.prepare(explain.constData());
    QStringList details;
    while (statement.step())
        details.append(statement.columnText(3));
    return details.join(QLatin1String("; "));
}

} // namespace

class TestAlertPaging : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void sortedPages_data();
    void sortedPages();
    void sortUsesIndex_data();
    void sortUsesIndex();
    void filteredCount();

private:
    QTemporaryDir m_dir;
    Store m_store;
    QVector<Alert> m_alerts; // as inserted, with ids
};

void TestAlertPaging::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QString error;
    QVERIFY2(m_store.open(m_dir.filePath(QStringLiteral("paging.db")), &error), qPrintable(error));
    QVERIFY(m_store.database().begin(&error));
    m_alerts.reserve(AlertCount);
    for (int i = 0; i < AlertCount; ++i) {
        Alert alert;
        alert.key = "key-" + QByteArray::number(i);
        alert.ruleId = QStringLiteral("rule-%1").arg(i % 7);
        alert.title = QStringLiteral("Alert %1")
                          .arg(int((qint64(i) * 7919) % AlertCount), 6, 10, QLatin1Char('0'));
        alert.severity = static_cast<Severity>(i % 5);
        alert.firstSeenMs = 1000000 + ((qint64(i) * 104729) % AlertCount) * 1000;
        alert.lastSeenMs = alert.firstSeenMs + (i % 13) * 1000;
        alert.eventCount = 5 + i % 97;
        alert.entities.insert(QStringLiteral("source.ip"),
            { QStringLiteral("10.%1.%2.%3").arg(i >> 16).arg((i >> 8) & 255).arg(i & 255) });
        alert.reason = QStringLiteral("Synthetic alert.");
        QVERIFY2(m_store.upsertAlert(alert, &error), qPrintable(error));
        m_alerts.append(alert);
    }
    QVERIFY(m_store.database().commit(&error));

    // Triage every tenth alert so status and assignee vary.
    for (int i = 0; i < AlertCount; i += 10) {
        AlertHistoryEntry change;
        change.status = (i / 10) % 2 ? AlertStatus::Closed : AlertStatus::Acknowledged;
        change.disposition
            = change.status == AlertStatus::Closed ? Disposition::Benign : Disposition::None;
        change.assignee = QStringLiteral("analyst%1").arg(i % 3);
        QVERIFY(m_store.updateAlertTriage(m_alerts[i].id, change, &error));
        m_alerts[i].status = change.status;
        m_alerts[i].assignee = change.assignee;
    }
}

static QVariant sortValue(const Alert &alert, AlertSortKey key)
{
    switch (key) {
    case AlertSortKey::Id:
        return alert.id;
    case AlertSortKey::Severity:
        return int(alert.severity);
    case AlertSortKey::Title:
        return alert.title;
    case AlertSortKey::RuleId:
        return alert.ruleId;
    case AlertSortKey::FirstSeen:
        return alert.firstSeenMs;
    case AlertSortKey::LastSeen:
        return alert.lastSeenMs;
    case AlertSortKey::EventCount:
        return alert.eventCount;
    case AlertSortKey::Status:
        return int(alert.status);
    case AlertSortKey::Assignee:
        return alert.assignee;
    }
    return {};
}

void TestAlertPaging::sortedPages_data()
{
    QTest::addColumn<int>("key");
    QTest::addColumn<bool>("ascending");
    QTest::addColumn<int>("offset");
    const QList<QPair<const char *, AlertSortKey>> keys { { "id", AlertSortKey::Id },
        { "severity", AlertSortKey::Severity }, { "title", AlertSortKey::Title },
        { "rule", AlertSortKey::RuleId }, { "first", AlertSortKey::FirstSeen },
        { "last", AlertSortKey::LastSeen }, { "count", AlertSortKey::EventCount },
        { "status", AlertSortKey::Status }, { "assignee", AlertSortKey::Assignee } };
    for (const auto &key : keys) {
        for (int offset : { 0, 50000, AlertCount - 30 }) {
            QTest::addRow("%s asc @%d", key.first, offset) << int(key.second) << true << offset;
            QTest::addRow("%s desc @%d", key.first, offset) << int(key.second) << false << offset;
        }
    }
}

void TestAlertPaging::sortedPages()
{
    QFETCH(int, key);
    QFETCH(bool, ascending);
    QFETCH(int, offset);
    const auto sortKey = static_cast<AlertSortKey>(key);

    QVector<Alert> expected = m_alerts;
    std::sort(expected.begin(), expected.end(), [&](const Alert &a, const Alert &b) {
        const QVariant va = sortValue(a, sortKey);
        const QVariant vb = sortValue(b, sortKey);
        const auto order = QVariant::compare(va, vb);
        if (order != QPartialOrdering::Equivalent)
            return ascending ? order == QPartialOrdering::Less : order == QPartialOrdering::Greater;
        return ascending ? a.id < b.id : a.id > b.id;
    });

    AlertQuery query;
    query.sortKey = sortKey;
    query.ascending = ascending;
    query.offset = offset;
    query.limit = 50;
    const QVector<Alert> page = m_store.queryAlerts(query);
    QCOMPARE(page.size(), qMin(50, AlertCount - offset));
    for (int i = 0; i < page.size(); ++i)
        QCOMPARE(page.at(i).id, expected.at(offset + i).id);
}

void TestAlertPaging::sortUsesIndex_data()
{
    QTest::addColumn<QByteArray>("sql");
    const char *columns[] = { "severity", "title", "rule_id", "first_seen_ms", "last_seen_ms",
        "event_count", "status", "assignee" };
    for (const char *column : columns) {
        QTest::addRow("%s", column) << QByteArray("SELECT id FROM alerts ORDER BY "
            + QByteArray(column) + " DESC, id DESC LIMIT 50 OFFSET 0");
    }
    QTest::addRow("status filter by last seen") << QByteArray(
        "SELECT id FROM alerts WHERE status IN (0) ORDER BY last_seen_ms DESC, id DESC LIMIT 50");
    QTest::addRow("severity filter by last seen") << QByteArray(
        "SELECT id FROM alerts WHERE severity IN (3) ORDER BY last_seen_ms DESC, id DESC LIMIT 50");
}

void TestAlertPaging::sortUsesIndex()
{
    QFETCH(QByteArray, sql);
    const QString plan = planOf(m_store.database(), sql);
    QVERIFY2(!plan.contains(QLatin1String("TEMP B-TREE")), qPrintable(plan));
    QVERIFY2(plan.contains(QLatin1String("INDEX")), qPrintable(plan));
}

void TestAlertPaging::filteredCount()
{
    AlertQuery query;
    query.severities = { Severity::High, Severity::Critical };
    query.statuses = { AlertStatus::Open };
    const qint64 expected = std::count_if(m_alerts.cbegin(), m_alerts.cend(), [](const Alert &a) {
        return (a.severity == Severity::High || a.severity == Severity::Critical)
            && a.status == AlertStatus::Open;
    });
    QCOMPARE(m_store.countAlerts(query), expected);

    query.text = QStringLiteral("10.1.134.");
    query.limit = 1000;
    const QVector<Alert> found = m_store.queryAlerts(query);
    QVERIFY(!found.isEmpty());
    for (const Alert &alert : found)
        QVERIFY(alert.entities.value(QStringLiteral("source.ip"))
                    .first()
                    .startsWith(QLatin1String("10.1.134.")));
    QCOMPARE(m_store.countAlerts(query), qint64(found.size()));
}

QTEST_GUILESS_MAIN(TestAlertPaging)
#include "tst_alertpaging.moc"
