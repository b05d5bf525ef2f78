// SPDX-License-Identifier: GPL-3.0-or-later
// The hash-chained audit trail: appends, and each kind of tampering detected
// with the first broken record named.
#include "securitytestutil.h"

#include "security/auditexport.h"
#include "security/auditlog.h"

#include <QJsonObject>

#include <sqlite3.h>

using namespace portcullis;
using namespace portcullis::testutil;

class AuditLogTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void intactChainVerifies();
    void appendJoinsCallerTransaction();
    void appendOwnTransaction();
    void triggersBlockUpdate();
    void tamperDetected_data();
    void tamperDetected();
    void editAndRehashDetected();
    void wipedTrailCrossChecked_data();
    void wipedTrailCrossChecked();
    void keptHeadDetectsRewrite();
    void listNeedsViewAudit();
    void csvEscapesFormulas();

private:
    // Runs SQL on a second connection, as an attacker with the file would,
    // after dropping the append-only triggers.
    void tamper(const QByteArray &sql);

    QTemporaryDir *m_dir = nullptr;
    Database *m_db = nullptr;
    Identity m_admin;
};

void AuditLogTest::init()
{
    m_dir = new QTemporaryDir;
    m_db = new Database;
    QVERIFY(openFastDatabase(*m_db, *m_dir));
    m_admin = identityForTesting(QStringLiteral("alice"), {Role::Administrator}, 1);
    AuditLog audit(*m_db);
    QString error;
    for (int i = 1; i <= 10; ++i) {
        QVERIFY2(audit.append(m_admin, QStringLiteral("alert.close"),
                              QStringLiteral("alert:%1").arg(i),
                              QJsonObject{{QStringLiteral("note"), QStringLiteral("n%1").arg(i)}},
                              &error),
                 qPrintable(error));
    }
}

void AuditLogTest::cleanup()
{
    delete m_db;
    delete m_dir;
}

void AuditLogTest::tamper(const QByteArray &sql)
{
    sqlite3 *raw = nullptr;
    QCOMPARE(sqlite3_open(m_db->path().toUtf8().constData(), &raw), SQLITE_OK);
    const QByteArray all = "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete; "
        + sql;
    char *message = nullptr;
    const int rc = sqlite3_exec(raw, all.constData(), nullptr, nullptr, &message);
    QVERIFY2(rc == SQLITE_OK, message);
    sqlite3_close(raw);
}

void AuditLogTest::intactChainVerifies()
{
    const AuditVerifyResult result = AuditLog(*m_db).verifyUnchecked();
    QVERIFY2(result.ok, qPrintable(result.problem));
    QCOMPARE(result.recordCount, 10);
}

void AuditLogTest::appendJoinsCallerTransaction()
{
    QVERIFY(m_db->begin());
    QString error;
    QVERIFY(AuditLog(*m_db).append(m_admin, QStringLiteral("rule.change"), QStringLiteral("r"),
                                   QJsonObject(), &error));
    QVERIFY(m_db->rollback());
    // The caller's rollback removed the record and left the chain intact.
    const AuditVerifyResult result = AuditLog(*m_db).verifyUnchecked();
    QVERIFY(result.ok);
    QCOMPARE(result.recordCount, 10);
}

void AuditLogTest::appendOwnTransaction()
{
    QString error;
    QVERIFY(AuditLog(*m_db).appendAnonymous(QStringLiteral("mallory"),
                                            QStringLiteral("login.failure"),
                                            QStringLiteral("user:mallory"), QJsonObject(), &error));
    QVERIFY(sqlite3_get_autocommit(m_db->handle()) != 0);
    QCOMPARE(AuditLog(*m_db).verifyUnchecked().recordCount, 11);
}

void AuditLogTest::triggersBlockUpdate()
{
    QString error;
    QVERIFY(!m_db->exec("UPDATE audit_log SET actor = 'x' WHERE seq = 2", &error));
    QVERIFY(error.contains(QStringLiteral("append-only")));
    QVERIFY(!m_db->exec("DELETE FROM audit_log WHERE seq = 2", &error));
}

void AuditLogTest::tamperDetected_data()
{
    QTest::addColumn<QByteArray>("sql");
    QTest::addColumn<qint64>("firstBroken");
    QTest::addColumn<QString>("word");

    QTest::newRow("edit details") << QByteArray("UPDATE audit_log SET details = "
                                                "'{\"note\":\"x\"}' WHERE seq = 4")
                                  << qint64(4) << QStringLiteral("edited");
    QTest::newRow("edit actor") << QByteArray("UPDATE audit_log SET actor = 'bob' WHERE seq = 7")
                                << qint64(7) << QStringLiteral("edited");
    QTest::newRow("delete middle") << QByteArray("DELETE FROM audit_log WHERE seq = 5")
                                   << qint64(5) << QStringLiteral("deleted");
    // A deletion hidden by renumbering: seq stays contiguous, the chain breaks.
    QTest::newRow("delete and renumber")
        << QByteArray("DELETE FROM audit_log WHERE seq = 5; UPDATE audit_log SET seq = -seq "
                      "WHERE seq > 5; UPDATE audit_log SET seq = -seq - 1 WHERE seq < 0;")
        << qint64(5) << QStringLiteral("edited");
    // Swap records 3 and 6 (content and hashes move, seq stays).
    QTest::newRow("reorder")
        << QByteArray("UPDATE audit_log SET seq = 0 WHERE seq = 3; UPDATE audit_log SET seq = 3 "
                      "WHERE seq = 6; UPDATE audit_log SET seq = 6 WHERE seq = 0;")
        << qint64(3) << QStringLiteral("moved");
    QTest::newRow("truncate tail") << QByteArray("DELETE FROM audit_log WHERE seq > 8")
                                   << qint64(9) << QStringLiteral("truncated");
    QTest::newRow("truncate all") << QByteArray("DELETE FROM audit_log") << qint64(1)
                                  << QStringLiteral("truncated");
    QTest::newRow("zeroed hash")
        << QByteArray("UPDATE audit_log SET hash = zeroblob(32) WHERE seq = 10")
        << qint64(10) << QStringLiteral("edited");
}

void AuditLogTest::tamperDetected()
{
    QFETCH(QByteArray, sql);
    QFETCH(qint64, firstBroken);
    QFETCH(QString, word);
    tamper(sql);
    const AuditVerifyResult result = AuditLog(*m_db).verifyUnchecked();
    QVERIFY(!result.ok);
    QCOMPARE(result.firstBrokenSeq, firstBroken);
    QVERIFY2(result.problem.contains(word), qPrintable(result.problem));

    // Appending after tampering continues from the anchor and does not hide it.
    QString error;
    QVERIFY(AuditLog(*m_db).append(m_admin, QStringLiteral("x"), QString(), QJsonObject(),
                                   &error));
    QCOMPARE(AuditLog(*m_db).verifyUnchecked().firstBrokenSeq, firstBroken);
}

// An attacker who edits record 4 and recomputes its hash breaks the link
// from record 5.
void AuditLogTest::editAndRehashDetected()
{
    // The statement is finalized before the tampering, so that this
    // connection's WAL read snapshot does not hide it.
    AuditRecord record;
    {
    Statement row = m_db->prepare("SELECT seq, ts_ms, actor_id, actor, action, target, details, "
                                  "prev_hash FROM audit_log WHERE seq = 4");
    QVERIFY(row.step());
    record.seq = row.columnInt64(0);
    record.tsMs = row.columnInt64(1);
    record.actorId = row.columnInt64(2);
    record.actor = QStringLiteral("bob");
    record.action = row.columnText(4);
    record.target = row.columnText(5);
    record.details = row.columnText(6);
    record.prevHash = row.columnBlob(7);
    }
    const QByteArray hash = AuditLog::computeHash(record);
    tamper("UPDATE audit_log SET actor = 'bob', hash = x'" + hash.toHex() + "' WHERE seq = 4");

    const AuditVerifyResult result = AuditLog(*m_db).verifyUnchecked();
    QVERIFY(!result.ok);
    QCOMPARE(result.firstBrokenSeq, 5);
    QVERIFY2(result.problem.contains(QStringLiteral("does not follow")),
             qPrintable(result.problem));
}

// After every record and the anchor are deleted the chain is empty and
// consistent, so rows that only audited actions write must give it away.
void AuditLogTest::wipedTrailCrossChecked_data()
{
    QTest::addColumn<QByteArray>("sql");
    QTest::addColumn<QString>("word");
    QTest::newRow("account without first admin")
        << QByteArray("INSERT INTO users (name, password_hash, password_salt, scrypt_n, "
                      "scrypt_r, scrypt_p, created_ms, password_changed_ms) "
                      "VALUES ('root', x'00', x'00', 1024, 8, 1, 0, 0)")
        << QStringLiteral("user.create_first_admin");
    QTest::newRow("lockout state without failures")
        << QByteArray("INSERT INTO login_state (user_name, failures) VALUES ('mallory', 3)")
        << QStringLiteral("login_state");
}

void AuditLogTest::wipedTrailCrossChecked()
{
    QFETCH(QByteArray, sql);
    QFETCH(QString, word);
    tamper("DELETE FROM audit_log; DELETE FROM audit_anchor; " + sql);
    const AuditVerifyResult result = AuditLog(*m_db).verifyUnchecked();
    QVERIFY(!result.ok);
    QVERIFY2(result.problem.contains(word), qPrintable(result.problem));
}

// A head hash kept from an earlier verify must still be in the chain.
void AuditLogTest::keptHeadDetectsRewrite()
{
    const AuditVerifyResult first = AuditLog(*m_db).verifyUnchecked();
    QVERIFY(first.ok);
    QString error;
    QVERIFY(AuditLog(*m_db).append(m_admin, QStringLiteral("x"), QString(), QJsonObject(),
                                   &error));
    QVERIFY(AuditLog(*m_db).verifyUnchecked(first.headHash).ok);

    const AuditVerifyResult other = AuditLog(*m_db).verifyUnchecked(QByteArray(32, 'x'));
    QVERIFY(!other.ok);
    QVERIFY2(other.problem.contains(QStringLiteral("kept head hash")),
             qPrintable(other.problem));
}

void AuditLogTest::listNeedsViewAudit()
{
    QString error;
    const Identity analyst = identityForTesting(QStringLiteral("andy"), {Role::Analyst}, 2);
    QVERIFY(AuditLog(*m_db).list(analyst, AuditFilter(), &error).isEmpty());
    QVERIFY(error.contains(QStringLiteral("view_audit")));
    error.clear();
    QVERIFY(!AuditLog(*m_db).verify(analyst, &error).ok);
    QVERIFY(!error.isEmpty());

    const Identity officer =
        identityForTesting(QStringLiteral("cora"), {Role::ComplianceOfficer}, 3);
    error.clear();
    AuditFilter filter;
    filter.text = QStringLiteral("alert:7");
    const QVector<AuditRecord> records = AuditLog(*m_db).list(officer, filter, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(records.size(), 1);
    QCOMPARE(records.first().seq, 7);
}

void AuditLogTest::csvEscapesFormulas()
{
    QCOMPARE(csvCell(QStringLiteral("=HYPERLINK(\"http://x\")")),
             QStringLiteral("\"'=HYPERLINK(\"\"http://x\"\")\""));
    QCOMPARE(csvCell(QStringLiteral("+1")), QStringLiteral("\"'+1\""));
    QCOMPARE(csvCell(QStringLiteral("@SUM(A1)")), QStringLiteral("\"'@SUM(A1)\""));
    QCOMPARE(csvCell(QStringLiteral("plain")), QStringLiteral("plain"));
    QCOMPARE(csvCell(QStringLiteral("a,b")), QStringLiteral("\"a,b\""));

    AuditRecord record;
    record.seq = 1;
    record.actor = QStringLiteral("-2+3");
    record.action = QStringLiteral("login.failure");
    const QByteArray csv = auditRecordsToCsv({record});
    QVERIFY(csv.startsWith("seq,time,actor_id,actor,action"));
    QVERIFY(csv.contains("\"'-2+3\""));
}

QTEST_GUILESS_MAIN(AuditLogTest)
#include "tst_auditlog.moc"
