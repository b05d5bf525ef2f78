// SPDX-License-Identifier: GPL-3.0-or-later
#include "store/migrations.h"
#include "store/store.h"

#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using namespace portcullis;

namespace {

Alert makeAlert(const QByteArray &key, Severity severity, qint64 lastSeen)
{
    Alert alert;
    alert.key = key;
    alert.ruleId = QStringLiteral("ssh-brute-force");
    alert.title = QStringLiteral("SSH brute force from 203.0.113.7");
    alert.severity = severity;
    alert.mitreTechnique = QStringLiteral("T1110.001");
    alert.firstSeenMs = lastSeen - 60000;
    alert.lastSeenMs = lastSeen;
    alert.eventCount = 5;
    alert.entities.insert(QStringLiteral("source.ip"), { QStringLiteral("203.0.113.7") });
    alert.entities.insert(
        QStringLiteral("user.name"), { QStringLiteral("root"), QStringLiteral("admin") });
    alert.evidence = { "e:1:0", "e:2:0" };
    alert.reason = QStringLiteral("5 failed logins from 203.0.113.7 within 10 minutes.");
    return alert;
}

QString pragmaText(Database &db, const char *sql)
{
    Statement statement = db.prepare(sql);
    return statement.step() ? statement.columnText(0) : QString();
}

} // namespace

class TestStore : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void migrationsOnFile();
    void eventsDeduplicated();
    void eventFieldsRoundTrip();
    void upsertKeepsTriageState();
    void evidenceLinksGrow();
    void manyEventsRoundTrip();
    void manyEvidenceLinksGrowAndChange();
    void triageWritesHistory();
    void triageMissingAlertFails();
    void queryFilters_data();
    void queryFilters();
    void importRuns();
    void unparsedLinesStored();
    void importRunIdentityColumnsAdded();
    void eventsOfLineDeleted();

private:
    QTemporaryDir *m_dir = nullptr;
    Store *m_store = nullptr;
};

void TestStore::init()
{
    m_dir = new QTemporaryDir;
    QVERIFY(m_dir->isValid());
    m_store = new Store;
    QString error;
    QVERIFY2(m_store->open(m_dir->filePath(QStringLiteral("store.db")), &error), qPrintable(error));
}

void TestStore::cleanup()
{
    delete m_store;
    m_store = nullptr;
    delete m_dir;
    m_dir = nullptr;
}

void TestStore::migrationsOnFile()
{
    const QString path = m_dir->filePath(QStringLiteral("store.db"));
    QCOMPARE(m_store->database().schemaVersion(), int(migrations().size()));
    QCOMPARE(pragmaText(m_store->database(), "PRAGMA journal_mode"), QStringLiteral("wal"));

    struct stat info { };
    QCOMPARE(::stat(QFile::encodeName(path).constData(), &info), 0);
    QCOMPARE(int(info.st_mode & 0777), 0600);

    // Reopening applies nothing and keeps the version.
    delete m_store;
    m_store = new Store;
    QString error;
    QVERIFY2(m_store->open(path, &error), qPrintable(error));
    QCOMPARE(m_store->database().schemaVersion(), int(migrations().size()));
    for (const char *table :
        { "events", "alerts", "alert_events", "alert_history", "import_runs", "unparsed_lines" }) {
        Statement statement = m_store->database().prepare(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?");
        statement.bind(1, QString::fromLatin1(table));
        QVERIFY(statement.step());
        QVERIFY2(statement.columnInt(0) == 1, table);
    }
}

void TestStore::eventsDeduplicated()
{
    std::vector<Event> events(3);
    for (int i = 0; i < 3; ++i) {
        events[i].id = "abc:" + QByteArray::number(i) + ":0";
        events[i].original = QStringLiteral("line %1").arg(i);
    }
    qint64 inserted = -1;
    QString error;
    QVERIFY(m_store->database().begin());
    QVERIFY2(m_store->insertEvents(events, &inserted, &error), qPrintable(error));
    QCOMPARE(inserted, 3);
    QVERIFY2(m_store->insertEvents(events, &inserted, &error), qPrintable(error));
    QCOMPARE(inserted, 0);
    QVERIFY(m_store->database().commit());
    QCOMPARE(m_store->countEvents(), 3);
}

void TestStore::eventFieldsRoundTrip()
{
    Event event;
    event.id = "f00d:10:1";
    event.timestampMs = 1700000000123;
    event.category = EventCategory::Web;
    event.action = QString::fromLatin1(actions::HttpRequest);
    event.outcome = EventOutcome::Failure;
    event.sourceIp = QStringLiteral("2001:db8::1");
    event.sourcePort = 4711;
    event.userName = QStringLiteral("bob ");
    event.hasUserName = true;
    event.httpMethod = QStringLiteral("post");
    event.urlOriginal = QStringLiteral("/login?u=\"x\"\\y\n");
    event.httpStatus = 401;
    event.httpBytes = 0;
    event.userAgent = QStringLiteral("curl/8 \u00e9");
    event.original = QStringLiteral("raw \"line\"");
    event.originalTruncated = true;
    event.filePath = QStringLiteral("/var/log/access.log");
    event.lineNumber = 7;
    event.fileOffset = 1234;
    event.countsAsAttempt = false;
    event.extra.insert(QStringLiteral("url.path"), QStringLiteral("/login"));
    event.extra.insert(QStringLiteral("ssh.count"), 3);

    QString error;
    qint64 inserted = 0;
    QVERIFY(m_store->insertEvents({ event }, &inserted, &error));
    const QVector<Event> read = m_store->eventsByIds({ event.id, "missing" });
    QCOMPARE(read.size(), 1);
    const Event &back = read.first();
    QCOMPARE(back.id, event.id);
    QCOMPARE(back.timestampMs, event.timestampMs);
    QCOMPARE(back.category, event.category);
    QCOMPARE(back.outcome, event.outcome);
    QCOMPARE(back.sourceIp, event.sourceIp);
    QCOMPARE(back.sourcePort, event.sourcePort);
    QCOMPARE(back.userName, event.userName);
    QVERIFY(back.hasUserName);
    QCOMPARE(back.httpMethod, event.httpMethod);
    QCOMPARE(back.urlOriginal, event.urlOriginal);
    QCOMPARE(back.httpStatus, event.httpStatus);
    QCOMPARE(back.httpBytes, event.httpBytes);
    QCOMPARE(back.userAgent, event.userAgent);
    QCOMPARE(back.original, event.original);
    QVERIFY(back.originalTruncated);
    QCOMPARE(back.filePath, event.filePath);
    QCOMPARE(back.lineNumber, event.lineNumber);
    QCOMPARE(back.fileOffset, event.fileOffset);
    QVERIFY(!back.countsAsAttempt);
    QCOMPARE(back.extra.value(QStringLiteral("url.path")).toString(), QStringLiteral("/login"));
    QCOMPARE(back.extra.value(QStringLiteral("ssh.count")).toInt(), 3);
}

void TestStore::upsertKeepsTriageState()
{
    Alert alert = makeAlert("k1", Severity::Medium, 1000000);
    QString error;
    bool created = false;
    QVERIFY2(m_store->upsertAlert(alert, &error, &created), qPrintable(error));
    QVERIFY(created);
    QVERIFY(alert.id > 0);

    AlertHistoryEntry change;
    change.actor = QStringLiteral("alice");
    change.action = QStringLiteral("assigned");
    change.status = AlertStatus::Acknowledged;
    change.assignee = QStringLiteral("alice");
    QVERIFY2(m_store->updateAlertTriage(alert.id, change, &error), qPrintable(error));

    Alert update = makeAlert("k1", Severity::High, 2000000);
    update.eventCount = 60;
    QVERIFY2(m_store->upsertAlert(update, &error, &created), qPrintable(error));
    QVERIFY(!created);
    QCOMPARE(update.id, alert.id);
    QCOMPARE(update.status, AlertStatus::Acknowledged);

    const std::optional<Alert> stored = m_store->alertById(alert.id);
    QVERIFY(stored);
    QCOMPARE(stored->eventCount, 60);
    QCOMPARE(stored->severity, Severity::High);
    QCOMPARE(stored->lastSeenMs, 2000000);
    QCOMPARE(stored->status, AlertStatus::Acknowledged);
    QCOMPARE(stored->assignee, QStringLiteral("alice"));
    QCOMPARE(stored->entities.value(QStringLiteral("user.name")).size(), 2);
    QCOMPARE(m_store->countAlerts({}), 1);
}

void TestStore::evidenceLinksGrow()
{
    Alert alert = makeAlert("k2", Severity::Low, 5000);
    QString error;
    QVERIFY(m_store->upsertAlert(alert, &error));
    alert.evidence.append("e:3:0");
    alert.evidence.append("e:4:1");
    QVERIFY(m_store->upsertAlert(alert, &error));
    QCOMPARE(m_store->alertEvidenceIds(alert.id),
        (QVector<QByteArray> { "e:1:0", "e:2:0", "e:3:0", "e:4:1" }));
}

void TestStore::manyEventsRoundTrip()
{
    // 75 events: two multi-row statements and single rows, values that
    // repeat (shared host and file strings), change and need escaping.
    const QString host = QStringLiteral("web-1");
    const QString file = QStringLiteral("/var/log/auth.log");
    std::vector<Event> events;
    for (int i = 0; i < 75; ++i) {
        Event event;
        event.id = "bulk:" + QByteArray::number(i);
        event.timestampMs = 1700000000000 + i;
        event.category = i % 2 ? EventCategory::Authentication : EventCategory::Web;
        event.action = QString::fromLatin1(actions::SshLogin);
        event.outcome = i % 3 ? EventOutcome::Failure : EventOutcome::Success;
        event.sourceIp = i % 5 ? QStringLiteral("192.0.2.%1").arg(i) : QString();
        event.userName = i % 7 ? QStringLiteral("us\u00e9r \"%1\"\t").arg(i) : QString();
        event.hasUserName = i % 7 != 0;
        event.hostName = host;
        event.filePath = file;
        event.processName = QStringLiteral("sshd");
        event.processPid = 1000 + i;
        event.original = QStringLiteral("line %1 \u00fc\\").arg(i);
        event.lineNumber = i + 1;
        event.fileOffset = i * 100;
        event.extra.insert(QStringLiteral("ssh.method"), QStringLiteral("password"));
        events.push_back(event);
    }
    QString error;
    qint64 inserted = 0;
    QVERIFY2(m_store->insertEvents(events, &inserted, &error), qPrintable(error));
    QCOMPARE(inserted, qint64(75));
    QVERIFY(m_store->insertEvents(events, &inserted, &error));
    QCOMPARE(inserted, qint64(0));

    QVector<QByteArray> ids;
    for (const Event &event : events)
        ids.append(event.id);
    const QVector<Event> read = m_store->eventsByIds(ids);
    QCOMPARE(read.size(), 75);
    for (int i = 0; i < 75; ++i) {
        const Event &back = read.at(i);
        const Event &event = events[size_t(i)];
        QCOMPARE(back.id, event.id);
        QCOMPARE(back.timestampMs, event.timestampMs);
        QCOMPARE(back.category, event.category);
        QCOMPARE(back.outcome, event.outcome);
        QCOMPARE(back.sourceIp, event.sourceIp);
        QCOMPARE(back.userName, event.userName);
        QCOMPARE(back.hasUserName, event.hasUserName);
        QCOMPARE(back.hostName, host);
        QCOMPARE(back.filePath, file);
        QCOMPARE(back.processPid, event.processPid);
        QCOMPARE(back.original, event.original);
        QCOMPARE(back.fileOffset, event.fileOffset);
        QCOMPARE(back.extra, event.extra);
    }
}

void TestStore::manyEvidenceLinksGrowAndChange()
{
    // More links than one multi-row statement carries, grown in steps, then
    // replaced by a list that does not extend the stored one.
    Alert alert = makeAlert("k9", Severity::Low, 5000);
    alert.evidence.clear();
    for (int i = 0; i < 120; ++i)
        alert.evidence.append("many:" + QByteArray::number(i));
    QString error;
    QVERIFY(m_store->upsertAlert(alert, &error));
    QCOMPARE(m_store->alertEvidenceIds(alert.id), alert.evidence);

    for (int i = 120; i < 175; ++i)
        alert.evidence.append("many:" + QByteArray::number(i));
    QVERIFY(m_store->upsertAlert(alert, &error));
    QCOMPARE(m_store->alertEvidenceIds(alert.id), alert.evidence);

    alert.evidence = { "other:1", "other:2" };
    QVERIFY(m_store->upsertAlert(alert, &error));
    QCOMPARE(m_store->alertEvidenceIds(alert.id), alert.evidence);
}

void TestStore::triageWritesHistory()
{
    Alert alert = makeAlert("k3", Severity::Low, 5000);
    QString error;
    QVERIFY(m_store->upsertAlert(alert, &error));
    AlertHistoryEntry change;
    change.atMs = 42;
    change.actor = QStringLiteral("bob");
    change.action = QStringLiteral("closed");
    change.status = AlertStatus::Closed;
    change.disposition = Disposition::FalsePositive;
    change.note = QStringLiteral("scanner of our own");
    QVERIFY2(m_store->updateAlertTriage(alert.id, change, &error), qPrintable(error));

    const QVector<AlertHistoryEntry> history = m_store->alertHistory(alert.id);
    QCOMPARE(history.size(), 2);
    QCOMPARE(history.at(0).action, QStringLiteral("created"));
    QCOMPARE(history.at(1).actor, QStringLiteral("bob"));
    QCOMPARE(history.at(1).status, AlertStatus::Closed);
    QCOMPARE(history.at(1).disposition, Disposition::FalsePositive);
    QCOMPARE(history.at(1).note, change.note);
    QCOMPARE(m_store->alertById(alert.id)->disposition, Disposition::FalsePositive);
}

void TestStore::triageMissingAlertFails()
{
    QString error;
    QVERIFY(!m_store->updateAlertTriage(999, AlertHistoryEntry(), &error));
    QVERIFY(error.contains(QLatin1String("999")));
    QVERIFY(!m_store->inTransaction());
    QVERIFY(m_store->alertHistory(999).isEmpty());
}

void TestStore::queryFilters_data()
{
    QTest::addColumn<QSet<Severity>>("severities");
    QTest::addColumn<QSet<AlertStatus>>("statuses");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QList<int>>("expected"); // indexes into the alerts made below, in order

    QTest::newRow("all by last seen")
        << QSet<Severity>() << QSet<AlertStatus>() << QString() << QList<int> { 3, 2, 1, 0 };
    QTest::newRow("high") << QSet<Severity> { Severity::High } << QSet<AlertStatus>() << QString()
                          << QList<int> { 3, 1 };
    QTest::newRow("closed") << QSet<Severity>() << QSet<AlertStatus> { AlertStatus::Closed }
                            << QString() << QList<int> { 2 };
    QTest::newRow("text in entity") << QSet<Severity>() << QSet<AlertStatus>()
                                    << QStringLiteral("198.51.100.9") << QList<int> { 0 };
    QTest::newRow("text case-insensitive") << QSet<Severity>() << QSet<AlertStatus>()
                                           << QStringLiteral("WEB SCAN") << QList<int> { 2 };
    QTest::newRow("text with percent")
        << QSet<Severity>() << QSet<AlertStatus>() << QStringLiteral("%") << QList<int> {};
    QTest::newRow("combined") << QSet<Severity> { Severity::High, Severity::Low }
                              << QSet<AlertStatus> { AlertStatus::Open } << QStringLiteral("brute")
                              << QList<int> { 3, 1, 0 };
}

void TestStore::queryFilters()
{
    QFETCH(QSet<Severity>, severities);
    QFETCH(QSet<AlertStatus>, statuses);
    QFETCH(QString, text);
    QFETCH(QList<int>, expected);

    QVector<Alert> alerts { makeAlert("a0", Severity::Low, 1000),
        makeAlert("a1", Severity::High, 2000), makeAlert("a2", Severity::Medium, 3000),
        makeAlert("a3", Severity::High, 4000) };
    alerts[0].entities[QStringLiteral("source.ip")]
        = QStringList { QStringLiteral("198.51.100.9") };
    alerts[2].title = QStringLiteral("Web scan from 192.0.2.1");
    alerts[2].ruleId = QStringLiteral("web-scan");
    alerts[2].reason = QStringLiteral("Probe paths.");
    alerts[2].entities.clear();
    QString error;
    for (Alert &alert : alerts)
        QVERIFY(m_store->upsertAlert(alert, &error));
    AlertHistoryEntry close;
    close.status = AlertStatus::Closed;
    close.disposition = Disposition::Benign;
    QVERIFY(m_store->updateAlertTriage(alerts[2].id, close, &error));

    AlertQuery query;
    query.severities = severities;
    query.statuses = statuses;
    query.text = text;
    const QVector<Alert> found = m_store->queryAlerts(query);
    QList<int> indexes;
    for (const Alert &alert : found)
        indexes.append(int(alert.key.mid(1).toInt()));
    QCOMPARE(indexes, expected);
    QCOMPARE(m_store->countAlerts(query), qint64(expected.size()));
    QCOMPARE(m_store->queryAlertIds(query).size(), expected.size());
}

void TestStore::importRuns()
{
    ImportRun run;
    run.filePath = QStringLiteral("/tmp/auth.log");
    run.fileFingerprint = QByteArray(32, 'x');
    run.headBytes = 100;
    run.format = QStringLiteral("syslog");
    run.committedOffset = 50;
    QString error;
    QVERIFY2(m_store->saveImportRun(run, &error), qPrintable(error));
    QVERIFY(run.id > 0);
    run.committedOffset = 100;
    run.finishedMs = 7;
    QVERIFY(m_store->saveImportRun(run, &error));

    const std::optional<ImportRun> found = m_store->lastImportRun(run.fileFingerprint, 100);
    QVERIFY(found);
    QCOMPARE(found->id, run.id);
    QCOMPARE(found->committedOffset, 100);
    QCOMPARE(found->finishedMs, 7);
    QVERIFY(!m_store->lastImportRun(run.fileFingerprint, 4096));
    QCOMPARE(m_store->fingerprintLengthsBelow(4096), QVector<qint64> { 100 });
    QVERIFY(m_store->fingerprintLengthsBelow(100).isEmpty());
}

void TestStore::unparsedLinesStored()
{
    ImportRun run;
    run.fileFingerprint = "f";
    run.headBytes = 1;
    QString error;
    QVERIFY(m_store->saveImportRun(run, &error));
    QVERIFY(m_store->insertUnparsedLines(run.id,
        { { QStringLiteral("a.log"), 9, QStringLiteral("junk") },
            { QStringLiteral("a.log"), 3, QString(5000, 'x') } },
        &error));
    const QVector<UnparsedLine> lines = m_store->unparsedLines(run.id, 10);
    QCOMPARE(lines.size(), 2);
    QCOMPARE(lines.at(0).lineNumber, 3);
    QCOMPARE(lines.at(0).text.size(), 1000);
    QCOMPARE(lines.at(1).text, QStringLiteral("junk"));
    QCOMPARE(m_store->countUnparsedLines(run.id), 2);
}

void TestStore::importRunIdentityColumnsAdded()
{
    // A database whose schema version counts migration 4 but which lacks its
    // columns (created while migration 4 was empty) gets them on open.
    ImportRun run;
    run.fileFingerprint = QByteArray::fromHex("0123456789abcdef");
    run.headBytes = 8;
    QString error;
    QVERIFY2(m_store->saveImportRun(run, &error), qPrintable(error));
    Database &db = m_store->database();
    QVERIFY(db.exec("DROP INDEX import_runs_id_prefix", &error));
    QVERIFY2(db.exec("ALTER TABLE import_runs DROP COLUMN id_prefix", &error), qPrintable(error));
    QVERIFY(db.exec("ALTER TABLE import_runs DROP COLUMN resume_hash", &error));

    const QString path = db.path();
    delete m_store;
    m_store = new Store;
    QVERIFY2(m_store->open(path, &error), qPrintable(error));
    const std::optional<ImportRun> found = m_store->lastImportRun(run.fileFingerprint, 8);
    QVERIFY(found);
    QCOMPARE(found->idPrefix, QByteArray("0123456789ab"));
    QVERIFY(found->resumeHash.isEmpty());
    QVERIFY(m_store->isIdPrefixUsed("0123456789ab"));
}

void TestStore::eventsOfLineDeleted()
{
    std::vector<Event> events(4);
    events[0].id = "abc:10:0";
    events[1].id = "abc:10:1";
    events[2].id = "abc:100:0";
    events[3].id = "abc:11:0";
    qint64 inserted = 0;
    QString error;
    QVERIFY(m_store->database().begin());
    QVERIFY2(m_store->insertEvents(events, &inserted, &error), qPrintable(error));
    QVERIFY2(m_store->deleteEventsWithIdPrefix("abc:10:", &error), qPrintable(error));
    QVERIFY(m_store->database().commit());
    QCOMPARE(m_store->countEvents(), 2);
    QCOMPARE(m_store->eventsByIds({ "abc:100:0", "abc:11:0" }).size(), 2);
}

QTEST_GUILESS_MAIN(TestStore)
#include "tst_store.moc"
