// SPDX-License-Identifier: GPL-3.0-or-later
// The file import pipeline on the shared corpus: idempotence, resume after a
// stop or a SIGKILL, growth by appends, unparsed and over-long lines.
#include "ingest/fileimporter.h"
#include "ingesttestutil.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace portcullis;
using portcullis::testing::identityWith;

namespace {

QString dataFile(const QString &relative)
{
    return QStringLiteral(PORTCULLIS_DATA_DIR "/") + relative;
}

const QStringList corpusFiles { QStringLiteral("auth/openssh_2k.log"),
    QStringLiteral("auth/suspicious_login_auth.log"), QStringLiteral("web/login_attack_access.log"),
    QStringLiteral("web/apache_combined_10k.log") };

// What an alert must look like for two imports to count as the same.
QString alertFingerprint(const Alert &alert)
{
    QStringList entities;
    for (auto it = alert.entities.cbegin(); it != alert.entities.cend(); ++it)
        entities.append(it.key() + QLatin1Char('=') + it.value().join(QLatin1Char(',')));
    QByteArrayList evidence(alert.evidence.cbegin(), alert.evidence.cend());
    return QStringLiteral("%1|%2|%3|%4|%5|%6|%7|%8")
        .arg(QString::fromUtf8(alert.key), alert.ruleId)
        .arg(alert.firstSeenMs)
        .arg(alert.lastSeenMs)
        .arg(alert.eventCount)
        .arg(int(alert.severity))
        .arg(entities.join(QLatin1Char(';')), QString::fromUtf8(evidence.join(' ')));
}

QStringList storedAlerts(Store &store)
{
    AlertQuery query;
    query.sortKey = AlertSortKey::Id;
    QStringList fingerprints;
    for (qint64 id : store.queryAlertIds(query))
        fingerprints.append(alertFingerprint(*store.alertById(id)));
    fingerprints.sort();
    return fingerprints;
}

QByteArrayList storedEventIds(Store &store)
{
    Statement statement = store.database().prepare("SELECT event_id FROM events ORDER BY event_id");
    QByteArrayList ids;
    while (statement.step())
        ids.append(statement.columnBlob(0));
    return ids;
}

bool writeFile(const QString &path, const QByteArray &content, bool append = false)
{
    QFile file(path);
    if (!file.open(append ? QIODevice::Append : QIODevice::WriteOnly))
        return false;
    return file.write(content) == content.size();
}

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

class TestIngest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void importTwiceAddsNothing();
    void resumeAfterStop_data();
    void resumeAfterStop();
    void resumeAfterSigkill();
    void grownFileImportsOnlyNewLines();
    void unterminatedLastLineGrows();
    void halfWrittenLineImportedAgain();
    void sameHeadOtherFileImportedApart();
    void rewrittenFileImportedAgain();
    void unparsedLinesCounted();
    void overLongLineCut();
    void unknownFormatNamesFile();
    void permissionChecked();
    void detectWithoutStoreMatches();
    void cancelKeepsCommitted();

private:
    // Imports `paths` into a new store at `dbPath` in one uninterrupted run.
    bool importInto(const QString &dbPath, const QStringList &paths, ImportSummary *summary,
        const ImportOptions &options = {});

    QTemporaryDir m_dir;
};

void TestIngest::initTestCase()
{
    if (!QFile::exists(dataFile(corpusFiles.first())))
        QSKIP("The shared corpus is missing; set PORTCULLIS_DATA_DIR to the data folder.");
    QVERIFY(m_dir.isValid());
}

bool TestIngest::importInto(const QString &dbPath, const QStringList &paths, ImportSummary *summary,
    const ImportOptions &options)
{
    Store store;
    QString error;
    if (!store.open(dbPath, &error)) {
        qWarning() << error;
        return false;
    }
    ImportService service(store, options);
    if (!service.importFiles(identityWith(Role::Analyst), paths, summary, &error)) {
        qWarning() << error;
        return false;
    }
    return true;
}

void TestIngest::importTwiceAddsNothing()
{
    QStringList paths;
    for (const QString &file : corpusFiles)
        paths.append(dataFile(file));
    const QString dbPath = m_dir.filePath(QStringLiteral("twice.db"));

    ImportSummary first;
    QVERIFY(importInto(dbPath, paths, &first));
    QCOMPARE(first.files, 4);
    QVERIFY(first.lines > 20000);
    QVERIFY(first.events > 0);
    QCOMPARE(first.eventsStored, first.events);
    QCOMPARE(first.duplicatesSkipped, 0);
    QVERIFY(first.alertsRaised > 0);
    QVERIFY(first.errors.isEmpty());

    Store store;
    QString error;
    QVERIFY(store.open(dbPath, &error));
    const qint64 events = store.countEvents();
    const QStringList alerts = storedAlerts(store);
    QCOMPARE(events, first.eventsStored);

    ImportSummary second;
    QVERIFY(importInto(dbPath, paths, &second));
    QCOMPARE(second.eventsStored, 0);
    QCOMPARE(second.lines, 0);
    QCOMPARE(second.filesUpToDate, 4);
    QCOMPARE(second.alertsRaised, 0);
    QCOMPARE(store.countEvents(), events);
    QCOMPARE(storedAlerts(store), alerts);

    // The import left its audit record.
    Statement audit
        = store.database().prepare("SELECT COUNT(*) FROM audit_log WHERE action = 'logs.import'");
    QVERIFY(audit.step());
    QCOMPARE(audit.columnInt(0), 2);
}

void TestIngest::resumeAfterStop_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("batchSize");
    QTest::addColumn<int>("stopAfter");
    QTest::newRow("ssh after 1") << QStringLiteral("auth/openssh_2k.log") << 300 << 1;
    QTest::newRow("ssh after 4") << QStringLiteral("auth/openssh_2k.log") << 300 << 4;
    QTest::newRow("suspicious after 7")
        << QStringLiteral("auth/suspicious_login_auth.log") << 500 << 7;
    QTest::newRow("web login after 2") << QStringLiteral("web/login_attack_access.log") << 700 << 2;
}

void TestIngest::resumeAfterStop()
{
    QFETCH(QString, file);
    QFETCH(int, batchSize);
    QFETCH(int, stopAfter);
    const QString path = dataFile(file);
    const QString tag
        = QString::fromLatin1(QTest::currentDataTag()).replace(QLatin1Char(' '), QLatin1Char('_'));

    ImportSummary reference;
    const QString referenceDb = m_dir.filePath(tag + QStringLiteral("-ref.db"));
    QVERIFY(importInto(referenceDb, { path }, &reference));

    const QString resumedDb = m_dir.filePath(tag + QStringLiteral("-resumed.db"));
    {
        Store store;
        QString error;
        QVERIFY(store.open(resumedDb, &error));
        ImportOptions options;
        options.batchSize = batchSize;
        options.stopAfterBatches = stopAfter;
        ImportService service(store, options);
        ImportSummary partial;
        QVERIFY(!service.importFiles(identityWith(Role::Analyst), { path }, &partial, &error));
        QVERIFY(partial.eventsStored > 0);
        QVERIFY(partial.eventsStored < reference.eventsStored);
    }
    ImportSummary rest;
    QVERIFY(importInto(resumedDb, { path }, &rest));
    QCOMPARE(rest.filesResumed, 1);
    QCOMPARE(rest.duplicatesSkipped, 0);

    Store ref;
    Store resumed;
    QString error;
    QVERIFY(ref.open(referenceDb, &error));
    QVERIFY(resumed.open(resumedDb, &error));
    QCOMPARE(resumed.countEvents(), ref.countEvents());
    QCOMPARE(storedEventIds(resumed), storedEventIds(ref));
    QCOMPARE(storedAlerts(resumed), storedAlerts(ref));
}

void TestIngest::resumeAfterSigkill()
{
    // Twenty copies of the SSH log, so the child is still busy when killed.
    const QByteArray log = readFile(dataFile(QStringLiteral("auth/openssh_2k.log")));
    QVERIFY(!log.isEmpty());
    const QString path = m_dir.filePath(QStringLiteral("big_auth.log"));
    QVERIFY(writeFile(path, log.repeated(20)));

    const QString killedDb = m_dir.filePath(QStringLiteral("killed.db"));
    QProcess child;
    child.start(QStringLiteral(INGEST_IMPORT_CHILD), { killedDb, QStringLiteral("100"), path });
    QVERIFY2(child.waitForStarted(), qPrintable(child.errorString()));
    int commits = 0;
    while (commits < 25 && child.state() == QProcess::Running) {
        if (!child.waitForReadyRead(20000))
            break;
        while (child.canReadLine()) {
            if (child.readLine().startsWith("committed"))
                ++commits;
        }
    }
    QCOMPARE(child.state(), QProcess::Running);
    child.kill(); // SIGKILL
    QVERIFY(child.waitForFinished());
    QCOMPARE(child.exitStatus(), QProcess::CrashExit);

    {
        Store store;
        QString error;
        QVERIFY(store.open(killedDb, &error));
        Statement run = store.database().prepare(
            "SELECT committed_offset, finished_ms, file_size FROM import_runs");
        QVERIFY(run.step());
        QVERIFY(run.columnInt64(0) > 0);
        QCOMPARE(run.columnInt64(1), 0);
        QVERIFY(run.columnInt64(0) < run.columnInt64(2));
    }

    ImportSummary rest;
    QVERIFY(importInto(killedDb, { path }, &rest));
    QCOMPARE(rest.filesResumed, 1);
    QCOMPARE(rest.duplicatesSkipped, 0);
    ImportSummary reference;
    const QString referenceDb = m_dir.filePath(QStringLiteral("unkilled.db"));
    QVERIFY(importInto(referenceDb, { path }, &reference));

    Store ref;
    Store resumed;
    QString error;
    QVERIFY(ref.open(referenceDb, &error));
    QVERIFY(resumed.open(killedDb, &error));
    QCOMPARE(resumed.countEvents(), ref.countEvents());
    QCOMPARE(storedEventIds(resumed), storedEventIds(ref));
    QCOMPARE(storedAlerts(resumed), storedAlerts(ref));
}

void TestIngest::grownFileImportsOnlyNewLines()
{
    // Starts below the 4 KiB fingerprint head and grows past it.
    const QByteArray log = readFile(dataFile(QStringLiteral("auth/openssh_2k.log")));
    const QList<QByteArray> lines = log.split('\n');
    QVERIFY(lines.size() > 200);
    const QByteArray firstPart = lines.mid(0, 10).join('\n') + '\n';
    const QByteArray secondPart = lines.mid(10, 190).join('\n') + '\n';
    QVERIFY(firstPart.size() < 4096);
    const QString path = m_dir.filePath(QStringLiteral("growing.log"));
    QVERIFY(writeFile(path, firstPart));

    const QString dbPath = m_dir.filePath(QStringLiteral("growing.db"));
    ImportSummary first;
    QVERIFY(importInto(dbPath, { path }, &first));
    QCOMPARE(first.lines, 10);

    QVERIFY(writeFile(path, secondPart, true));
    ImportSummary second;
    QVERIFY(importInto(dbPath, { path }, &second));
    QCOMPARE(second.lines, 190);
    QCOMPARE(second.filesResumed, 1);
    QCOMPARE(second.duplicatesSkipped, 0);

    const QString wholePath = m_dir.filePath(QStringLiteral("whole.log"));
    QVERIFY(writeFile(wholePath, firstPart + secondPart));
    ImportSummary whole;
    QVERIFY(importInto(m_dir.filePath(QStringLiteral("whole.db")), { wholePath }, &whole));
    QCOMPARE(first.eventsStored + second.eventsStored, whole.eventsStored);

    ImportSummary third;
    QVERIFY(importInto(dbPath, { path }, &third));
    QCOMPARE(third.filesUpToDate, 1);
    QCOMPARE(third.eventsStored, 0);
}

void TestIngest::unterminatedLastLineGrows()
{
    // The first import sees a last line without a terminator; the writer then
    // ends it and appends more lines.
    const QByteArray line1
        = "Dec 10 06:55:46 LabSZ sshd[24200]: Invalid user webmaster from 173.234.31.186\n";
    const QByteArray line2
        = "Dec 10 06:55:48 LabSZ sshd[24202]: Invalid user test9 from 52.80.34.196";
    const QByteArray line3
        = "Dec 10 06:55:50 LabSZ sshd[24204]: Invalid user oracle from 52.80.34.196\n";
    const QString path = m_dir.filePath(QStringLiteral("unterminated.log"));
    QVERIFY(writeFile(path, line1 + line2));

    const QString dbPath = m_dir.filePath(QStringLiteral("unterminated.db"));
    ImportSummary first;
    QVERIFY(importInto(dbPath, { path }, &first));
    QCOMPARE(first.lines, 2);
    QCOMPARE(first.eventsStored, 2);

    QVERIFY(writeFile(path, "\n" + line3, true));
    ImportSummary second;
    QVERIFY(importInto(dbPath, { path }, &second));
    QCOMPARE(second.lines, 1);
    QCOMPARE(second.eventsStored, 1);
    QCOMPARE(second.duplicatesSkipped, 0);
    QVERIFY(second.errors.isEmpty());
}

void TestIngest::halfWrittenLineImportedAgain()
{
    // The first import catches the writer in the middle of line 2.
    const QByteArray line1
        = "Dec 10 06:55:46 LabSZ sshd[24200]: Invalid user webmaster from 173.234.31.186\n";
    const QByteArray line2Head = "Dec 10 06:55:48 LabSZ sshd[24202]: Invalid user test9 from 52.80.3";
    const QByteArray line2Tail = "4.196\n";
    const QByteArray line3
        = "Dec 10 06:55:50 LabSZ sshd[24204]: Invalid user oracle from 52.80.34.196\n";
    const QString path = m_dir.filePath(QStringLiteral("halfwritten.log"));
    QVERIFY(writeFile(path, line1 + line2Head));

    const QString dbPath = m_dir.filePath(QStringLiteral("halfwritten.db"));
    ImportSummary first;
    QVERIFY(importInto(dbPath, { path }, &first));
    QCOMPARE(first.lines, 2);

    QVERIFY(writeFile(path, line2Tail + line3, true));
    ImportSummary second;
    QVERIFY(importInto(dbPath, { path }, &second));
    QVERIFY(second.errors.isEmpty());
    QCOMPARE(second.lines, 2);

    Store store;
    QString error;
    QVERIFY2(store.open(dbPath, &error), qPrintable(error));
    QCOMPARE(store.countEvents(), 3);
    Statement statement = store.database().prepare(
        "SELECT source_ip, original FROM events WHERE line_number = 2");
    QVERIFY(statement.step());
    QCOMPARE(statement.columnText(0), QStringLiteral("52.80.34.196"));
    QCOMPARE(statement.columnText(1), QString::fromUtf8(line2Head + "4.196"));
    QVERIFY(!statement.step());
}

void TestIngest::sameHeadOtherFileImportedApart()
{
    // Two files whose first 4 KiB are equal but which go on differently.
    const QList<QByteArray> lines
        = readFile(dataFile(QStringLiteral("auth/openssh_2k.log"))).split('\n');
    const QByteArray head = lines.mid(0, 60).join('\n') + '\n';
    QVERIFY(head.size() > 4096);
    const QByteArray firstFile = head + lines.mid(60, 100).join('\n') + '\n';
    const QByteArray secondFile = head + lines.mid(500, 40).join('\n') + '\n';
    const QString firstPath = m_dir.filePath(QStringLiteral("samehead1.log"));
    const QString secondPath = m_dir.filePath(QStringLiteral("samehead2.log"));
    QVERIFY(writeFile(firstPath, firstFile));
    QVERIFY(writeFile(secondPath, secondFile));

    const QString dbPath = m_dir.filePath(QStringLiteral("samehead.db"));
    ImportSummary first;
    QVERIFY(importInto(dbPath, { firstPath }, &first));
    QCOMPARE(first.lines, 160);
    ImportSummary second;
    QVERIFY(importInto(dbPath, { secondPath }, &second));
    QCOMPARE(second.lines, 100);
    QCOMPARE(second.filesUpToDate, 0);
    QCOMPARE(second.filesResumed, 0);
    QCOMPARE(second.duplicatesSkipped, 0);

    ImportSummary alone;
    QVERIFY(importInto(m_dir.filePath(QStringLiteral("samehead-alone.db")), { secondPath },
        &alone));
    QCOMPARE(second.eventsStored, alone.eventsStored);

    // Each file is recognised again afterwards.
    ImportSummary again;
    QVERIFY(importInto(dbPath, { firstPath, secondPath }, &again));
    QCOMPARE(again.filesUpToDate, 2);
    QCOMPARE(again.eventsStored, 0);
}

void TestIngest::rewrittenFileImportedAgain()
{
    // A file written again from the same first lines (truncated, then other
    // lines appended) is another file, not one to resume.
    const QList<QByteArray> lines
        = readFile(dataFile(QStringLiteral("auth/openssh_2k.log"))).split('\n');
    const QByteArray head = lines.mid(0, 45).join('\n') + '\n';
    QVERIFY(head.size() > 4096);
    const QString path = m_dir.filePath(QStringLiteral("rewritten.log"));
    QVERIFY(writeFile(path, head + lines.mid(45, 100).join('\n') + '\n'));

    const QString dbPath = m_dir.filePath(QStringLiteral("rewritten.db"));
    ImportSummary first;
    QVERIFY(importInto(dbPath, { path }, &first));
    QCOMPARE(first.lines, 145);

    QVERIFY(writeFile(path, head + lines.mid(300, 30).join('\n') + '\n'));
    ImportSummary second;
    QVERIFY(importInto(dbPath, { path }, &second));
    QVERIFY(second.errors.isEmpty());
    QCOMPARE(second.lines, 75);
    QCOMPARE(second.filesResumed, 0);
}

void TestIngest::unparsedLinesCounted()
{
    const QByteArray good
        = "Dec 10 06:55:46 LabSZ sshd[24200]: Invalid user webmaster from 173.234.31.186\n";
    const QString path = m_dir.filePath(QStringLiteral("junk.log"));
    QVERIFY(writeFile(
        path, good + good + "this is not a log line\n" + good + "\x01\x02 binary junk\n" + good));

    const QString dbPath = m_dir.filePath(QStringLiteral("junk.db"));
    ImportSummary summary;
    ImportOptions options;
    options.format = LogFormat::Syslog;
    QVERIFY(importInto(dbPath, { path }, &summary, options));
    QCOMPARE(summary.lines, 6);
    QCOMPARE(summary.unparsedLines, 2);
    QCOMPARE(summary.unparsedSamples.size(), 2);
    QCOMPARE(summary.unparsedSamples.at(0).lineNumber, 3);
    QCOMPARE(summary.unparsedSamples.at(0).filePath, path);
    QCOMPARE(summary.unparsedSamples.at(0).text, QStringLiteral("this is not a log line"));
    QCOMPARE(summary.unparsedSamples.at(1).lineNumber, 5);
    QCOMPARE(summary.events, 4);

    Store store;
    QString error;
    QVERIFY(store.open(dbPath, &error));
    const std::optional<ImportRun> run
        = store.lastImportRun(QCryptographicHash::hash(readFile(path), QCryptographicHash::Sha256),
            readFile(path).size());
    QVERIFY(run);
    QCOMPARE(run->unparsedLines, 2);
    QCOMPARE(run->linesRead, 6);
    QVERIFY(run->finishedMs > 0);
    const QVector<UnparsedLine> stored = store.unparsedLines(run->id, 10);
    QCOMPARE(stored.size(), 2);
    QCOMPARE(stored.at(1).lineNumber, 5);
}

void TestIngest::overLongLineCut()
{
    const QByteArray good
        = "Dec 10 06:55:46 LabSZ sshd[24200]: Invalid user webmaster from 173.234.31.186\n";
    const QByteArray longLine = "Dec 10 06:55:47 LabSZ sshd[24201]: Invalid user "
        + QByteArray(200000, 'a') + " from 10.0.0.1\n";
    const QString path = m_dir.filePath(QStringLiteral("long.log"));
    QVERIFY(writeFile(path, good + longLine + good));

    const QString dbPath = m_dir.filePath(QStringLiteral("long.db"));
    ImportSummary summary;
    ImportOptions options;
    options.format = LogFormat::Syslog;
    QVERIFY(importInto(dbPath, { path }, &summary, options));
    QCOMPARE(summary.lines, 3);
    QCOMPARE(summary.truncatedLines, 1);

    // The line after the long one keeps its number and offset.
    Store store;
    QString error;
    QVERIFY(store.open(dbPath, &error));
    Statement last = store.database().prepare(
        "SELECT line_number, file_offset FROM events ORDER BY file_offset DESC LIMIT 1");
    QVERIFY(last.step());
    QCOMPARE(last.columnInt64(0), 3);
    QCOMPARE(last.columnInt64(1), qint64(good.size() + longLine.size()));

    Statement cut = store.database().prepare(
        "SELECT length(original), original_truncated FROM events WHERE line_number = 2");
    if (cut.step()) {
        QVERIFY(cut.columnInt64(0) <= MaxLineBytes);
        QCOMPARE(cut.columnInt(1), 1);
    } else {
        QCOMPARE(summary.unparsedLines, 1);
        QCOMPARE(summary.unparsedSamples.at(0).lineNumber, 2);
        QCOMPARE(summary.unparsedSamples.at(0).text.size(), 1000);
    }
}

void TestIngest::unknownFormatNamesFile()
{
    const QString path = m_dir.filePath(QStringLiteral("prose.txt"));
    QVERIFY(writeFile(path, "It was a dark and stormy night.\nThe end.\n"));
    Store store;
    QString error;
    QVERIFY(store.open(m_dir.filePath(QStringLiteral("prose.db")), &error));
    ImportService service(store);
    ImportSummary summary;
    QVERIFY(!service.importFiles(identityWith(Role::Analyst), { path }, &summary, &error));
    QVERIFY2(error.contains(path), qPrintable(error));
    QVERIFY2(error.contains(QLatin1String("--format")), qPrintable(error));
    QCOMPARE(summary.errors.size(), 1);
}

void TestIngest::permissionChecked()
{
    Store store;
    QString error;
    QVERIFY(store.open(m_dir.filePath(QStringLiteral("denied.db")), &error));
    ImportService service(store);
    ImportSummary summary;
    const QStringList paths { dataFile(QStringLiteral("auth/openssh_2k.log")) };

    QVERIFY(!service.importFiles(identityWith(Role::ComplianceOfficer), paths, &summary, &error));
    QVERIFY2(error.contains(QLatin1String("import_logs")), qPrintable(error));
    QVERIFY(!service.importFiles(Identity(), paths, &summary, &error));
    QVERIFY2(error.contains(QLatin1String("Not signed in")), qPrintable(error));
    QCOMPARE(store.countEvents(), 0);
    QCOMPARE(summary.files, 0);
}

void TestIngest::detectWithoutStoreMatches()
{
    const QStringList paths { dataFile(QStringLiteral("auth/openssh_2k.log")),
        dataFile(QStringLiteral("web/login_attack_access.log")) };
    QStringList withStore;
    QStringList withoutStore;
    for (bool storeEvents : { true, false }) {
        Store store;
        QString error;
        QVERIFY(store.open(QStringLiteral(":memory:"), &error));
        ImportOptions options;
        options.storeEvents = storeEvents;
        ImportService service(store, options);
        ImportSummary summary;
        QVector<Alert> alerts;
        QVERIFY2(service.detectFiles(paths, &summary, &error, {}, &alerts), qPrintable(error));
        QVERIFY(!alerts.isEmpty());
        QCOMPARE(summary.eventsStored, storeEvents ? summary.events : 0);
        QCOMPARE(store.countEvents(), summary.eventsStored);
        QStringList &list = storeEvents ? withStore : withoutStore;
        for (const Alert &alert : alerts) {
            QCOMPARE(alert.id > 0, storeEvents);
            list.append(alertFingerprint(alert));
        }
        list.sort();
    }
    QCOMPARE(withoutStore, withStore);
}

void TestIngest::cancelKeepsCommitted()
{
    const QString path = dataFile(QStringLiteral("auth/openssh_2k.log"));
    const QString dbPath = m_dir.filePath(QStringLiteral("cancel.db"));
    Store store;
    QString error;
    QVERIFY(store.open(dbPath, &error));
    ImportOptions options;
    options.batchSize = 500;
    ImportService service(store, options);
    ImportSummary summary;
    int calls = 0;
    QVERIFY(!service.importFiles(identityWith(Role::Analyst), { path }, &summary, &error,
        [&calls](const ImportProgress &) { return ++calls < 2; }));
    QVERIFY2(error.contains(QLatin1String("cancelled")), qPrintable(error));
    QCOMPARE(store.countEvents(), summary.eventsStored);
    QVERIFY(summary.eventsStored > 0);
}

QTEST_GUILESS_MAIN(TestIngest)
#include "tst_ingest.moc"
