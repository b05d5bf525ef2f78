// SPDX-License-Identifier: GPL-3.0-or-later
// The throw-away store of `portcullis-cli detect`: events without the unique
// index on event_id, kept unique by an EventIdSet, and the index built again
// whenever the set cannot vouch for an id.
#include "store/eventidset.h"
#include "store/store.h"

#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace portcullis;

namespace {

Event makeEvent(const QByteArray &id)
{
    Event event;
    event.id = id;
    event.timestampMs = 1700000000000;
    event.action = QStringLiteral("ssh_login_failed");
    event.original = QStringLiteral("line of %1").arg(QString::fromUtf8(id));
    return event;
}

// Events "abc:OFFSET:0" for the offsets first, first + 1, ... (count of them).
std::vector<Event> makeEvents(int first, int count)
{
    std::vector<Event> events;
    for (int offset = first; offset < first + count; ++offset)
        events.push_back(makeEvent("abc:" + QByteArray::number(offset) + ":0"));
    return events;
}

bool hasUniqueEventIdIndex(Database &db)
{
    Statement find = db.prepare(
        "SELECT 1 FROM pragma_index_list('events') AS list, pragma_index_info(list.name) AS info "
        "WHERE list.\"unique\" = 1 AND info.name = 'event_id'");
    return find.step();
}

} // namespace

class TestThrowAwayStore : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void eventIdSetFindsRepeats();
    void relaxDropsEventIdIndex();
    void relaxKeepsIndexWhenEventsStored();
    void duplicateInLaterBatchSkipped();
    void duplicateInSameBatchSkipped_data();
    void duplicateInSameBatchSkipped();
    void rolledBackIndexKeepsIdsUnique();
    void deleteByPrefixThenInsertAgain();
    void eventsReadById();
    void reopenBuildsIndex();

private:
    // Inserts `events` in a transaction of its own; returns the count stored or -1.
    qint64 insert(const std::vector<Event> &events);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Store> m_store;
};

void TestThrowAwayStore::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_store = std::make_unique<Store>();
    QString error;
    QVERIFY2(m_store->open(m_dir->filePath(QStringLiteral("detect.sqlite")), &error),
        qPrintable(error));
}

void TestThrowAwayStore::cleanup()
{
    m_store.reset();
    m_dir.reset();
}

qint64 TestThrowAwayStore::insert(const std::vector<Event> &events)
{
    qint64 inserted = -1;
    QString error;
    if (!m_store->database().begin(&error)) {
        qWarning("begin failed: %s", qPrintable(error));
        return -1;
    }
    if (!m_store->insertEvents(events, &inserted, &error)
        || !m_store->database().commit(&error)) {
        qWarning("insert failed: %s", qPrintable(error));
        m_store->database().rollback();
        return -1;
    }
    return inserted;
}

void TestThrowAwayStore::eventIdSetFindsRepeats()
{
    EventIdSet set;
    // Enough ids to make the table grow several times.
    for (int i = 0; i < 300000; ++i)
        QVERIFY(set.insert(QByteArray("abc:" + QByteArray::number(i) + ":0")));
    QCOMPARE(set.size(), 300000);
    QVERIFY(!set.insert("abc:0:0"));
    QVERIFY(!set.insert("abc:299999:0"));
    QVERIFY(set.insert("abc:300000:0"));
    QCOMPARE(set.size(), 300001);
}

void TestThrowAwayStore::relaxDropsEventIdIndex()
{
    QVERIFY(hasUniqueEventIdIndex(m_store->database()));
    QString error;
    QVERIFY2(m_store->relaxForThrowAway(&error), qPrintable(error));
    QVERIFY(!hasUniqueEventIdIndex(m_store->database()));

    // 100 events: three statements of 32 rows and four of one row.
    QCOMPARE(insert(makeEvents(0, 100)), 100);
    QCOMPARE(m_store->countEvents(), 100);
    QVERIFY(!hasUniqueEventIdIndex(m_store->database()));
}

void TestThrowAwayStore::relaxKeepsIndexWhenEventsStored()
{
    QCOMPARE(insert(makeEvents(0, 3)), 3);
    QString error;
    QVERIFY2(m_store->relaxForThrowAway(&error), qPrintable(error));
    QVERIFY(hasUniqueEventIdIndex(m_store->database()));
    QCOMPARE(insert(makeEvents(0, 3)), 0);
}

void TestThrowAwayStore::duplicateInLaterBatchSkipped()
{
    QString error;
    QVERIFY2(m_store->relaxForThrowAway(&error), qPrintable(error));
    QCOMPARE(insert(makeEvents(0, 40)), 40);

    // Offsets 30 to 69: the first ten are stored already.
    QCOMPARE(insert(makeEvents(30, 40)), 30);
    QVERIFY(hasUniqueEventIdIndex(m_store->database()));
    QCOMPARE(m_store->countEvents(), 70);
    QCOMPARE(insert(makeEvents(0, 70)), 0);
}

void TestThrowAwayStore::duplicateInSameBatchSkipped_data()
{
    QTest::addColumn<int>("count");
    QTest::addColumn<int>("repeatRow");
    QTest::addColumn<int>("originalRow");
    // Statements carry 32 rows while 32 are left, then one row each.
    QTest::newRow("one-row statements") << 40 << 36 << 3;
    QTest::newRow("one-row and 32-row statement") << 40 << 36 << 31;
    QTest::newRow("inside a 32-row statement") << 64 << 41 << 40;
    QTest::newRow("across 32-row statements") << 64 << 50 << 2;
}

void TestThrowAwayStore::duplicateInSameBatchSkipped()
{
    QFETCH(int, count);
    QFETCH(int, repeatRow);
    QFETCH(int, originalRow);
    QString error;
    QVERIFY2(m_store->relaxForThrowAway(&error), qPrintable(error));
    std::vector<Event> events = makeEvents(0, count);
    events[size_t(repeatRow)] = events[size_t(originalRow)];
    QCOMPARE(insert(events), count - 1);
    QCOMPARE(m_store->countEvents(), count - 1);
    QVERIFY(hasUniqueEventIdIndex(m_store->database()));
}

void TestThrowAwayStore::rolledBackIndexKeepsIdsUnique()
{
    QString error;
    QVERIFY2(m_store->relaxForThrowAway(&error), qPrintable(error));
    QCOMPARE(insert(makeEvents(0, 5)), 5);

    // The repeated id builds the index inside the transaction, which is
    // then rolled back with it.
    qint64 inserted = -1;
    QVERIFY(m_store->database().begin());
    QVERIFY2(m_store->insertEvents(makeEvents(4, 3), &inserted, &error), qPrintable(error));
    QCOMPARE(inserted, 2);
    QVERIFY(m_store->database().rollback());
    QVERIFY(!hasUniqueEventIdIndex(m_store->database()));
    QCOMPARE(m_store->countEvents(), 5);

    QCOMPARE(insert(makeEvents(0, 5)), 0);
    QCOMPARE(insert(makeEvents(5, 2)), 2);
    QCOMPARE(m_store->countEvents(), 7);
}

void TestThrowAwayStore::deleteByPrefixThenInsertAgain()
{
    QString error;
    QVERIFY2(m_store->relaxForThrowAway(&error), qPrintable(error));
    std::vector<Event> events = makeEvents(10, 2);
    events.push_back(makeEvent("abc:10:1"));
    events.push_back(makeEvent("abc:100:0"));
    QCOMPARE(insert(events), 4);

    QVERIFY(m_store->database().begin());
    QVERIFY2(m_store->deleteEventsWithIdPrefix("abc:10:", &error), qPrintable(error));
    QVERIFY(m_store->database().commit());
    QCOMPARE(m_store->countEvents(), 2);

    // The completed line's events go in again under the same ids.
    QCOMPARE(insert({ makeEvent("abc:10:0"), makeEvent("abc:10:1") }), 2);
    QCOMPARE(m_store->countEvents(), 4);
}

void TestThrowAwayStore::eventsReadById()
{
    QString error;
    QVERIFY2(m_store->relaxForThrowAway(&error), qPrintable(error));
    QCOMPARE(insert(makeEvents(0, 40)), 40);
    const QVector<Event> read = m_store->eventsByIds({ "abc:7:0", "missing", "abc:39:0" });
    QCOMPARE(read.size(), 2);
    QCOMPARE(read.at(0).id, QByteArray("abc:7:0"));
    QCOMPARE(read.at(0).original, QStringLiteral("line of abc:7:0"));
    QCOMPARE(read.at(1).id, QByteArray("abc:39:0"));
}

void TestThrowAwayStore::reopenBuildsIndex()
{
    QString error;
    QVERIFY2(m_store->relaxForThrowAway(&error), qPrintable(error));
    QCOMPARE(insert(makeEvents(0, 10)), 10);

    m_store = std::make_unique<Store>();
    QVERIFY2(m_store->open(m_dir->filePath(QStringLiteral("detect.sqlite")), &error),
        qPrintable(error));
    QVERIFY(hasUniqueEventIdIndex(m_store->database()));
    QCOMPARE(insert(makeEvents(5, 10)), 5);
    QCOMPARE(m_store->countEvents(), 15);
}

QTEST_GUILESS_MAIN(TestThrowAwayStore)
#include "tst_throwawaystore.moc"
