// SPDX-License-Identifier: GPL-3.0-or-later
#include "fraud/listservice.h"
#include "fraud/rules.h"
#include "security/auditlog.h"
#include "store/database.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace portcullis;
using namespace portcullis::fraud;

class TestFraudLists : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir *m_dir = nullptr;
    Database *m_db = nullptr;
    const Identity m_responder = identityForTesting(QStringLiteral("rita"), {Role::Responder}, 3);
    const Identity m_analyst = identityForTesting(QStringLiteral("anna"), {Role::Analyst}, 2);

    QVector<AuditRecord> auditRecords(const QString &action)
    {
        const Identity auditor
            = identityForTesting(QStringLiteral("auditor"), {Role::ComplianceOfficer}, 9);
        AuditFilter filter;
        filter.action = action;
        QString error;
        return AuditLog(*m_db).list(auditor, filter, &error);
    }

    QStringList values(const QString &list)
    {
        QList<ListItem> items;
        QString error;
        if (!FraudListService(*m_db).items(m_analyst, list, &items, &error))
            return {QStringLiteral("error: ") + error};
        QStringList result;
        for (const ListItem &item : items)
            result.append(item.value);
        return result;
    }

private Q_SLOTS:
    void init()
    {
        m_dir = new QTemporaryDir;
        QVERIFY(m_dir->isValid());
        m_db = new Database;
        QString error;
        QVERIFY2(m_db->open(m_dir->filePath(QStringLiteral("console.db")), &error),
            qPrintable(error));
    }

    void cleanup()
    {
        delete m_db;
        delete m_dir;
    }

    void addIsAuditedAndFeedsRules()
    {
        FraudListService lists(*m_db);
        bool added = false;
        QString error;
        QVERIFY2(lists.add(m_responder, QStringLiteral("Blocked_Cards"), QStringLiteral(" fp_9 "),
                     QStringLiteral("chargeback on ch_1"), &added, &error),
            qPrintable(error));
        QVERIFY(added);
        QCOMPARE(values(QStringLiteral("blocked_cards")), QStringList{QStringLiteral("fp_9")});

        const QVector<AuditRecord> audit = auditRecords(QStringLiteral("fraud.list.add"));
        QCOMPARE(audit.size(), 1);
        QCOMPARE(audit[0].actor, QStringLiteral("rita"));
        QCOMPARE(audit[0].target, QStringLiteral("fraud_list:blocked_cards"));
        const QJsonObject details = QJsonDocument::fromJson(audit[0].details.toUtf8()).object();
        QCOMPARE(details.value(QStringLiteral("value")).toString(), QStringLiteral("fp_9"));
        QCOMPARE(details.value(QStringLiteral("reason")).toString(),
            QStringLiteral("chargeback on ch_1"));

        RuleSet rules;
        RuleSyntaxError syntax;
        QVERIFY(rules.parse(QStringLiteral("block if :card_fingerprint: in @blocked_cards"), &syntax));
        QVERIFY(FraudStore(*m_db).loadLists(&rules, &error));
        QVERIFY(rules.undefinedLists().isEmpty());
    }

    void addTwiceUpdatesReason()
    {
        FraudListService lists(*m_db);
        bool added = false;
        QString error;
        QVERIFY(lists.add(m_responder, QStringLiteral("blocked_customers"), QStringLiteral("cus_1"),
            QStringLiteral("first"), &added, &error));
        QVERIFY(added);
        QVERIFY(lists.add(m_responder, QStringLiteral("blocked_customers"), QStringLiteral("cus_1"),
            QStringLiteral("second"), &added, &error));
        QVERIFY(!added);
        QList<ListItem> items;
        QVERIFY(lists.items(m_analyst, QStringLiteral("blocked_customers"), &items, &error));
        QCOMPARE(items.size(), 1);
        QCOMPARE(items[0].note, QStringLiteral("second"));
        QCOMPARE(items[0].addedBy, QStringLiteral("rita"));
        QCOMPARE(auditRecords(QStringLiteral("fraud.list.add")).size(), 2);
    }

    void removeIsAudited()
    {
        FraudListService lists(*m_db);
        bool added = false;
        QString error;
        QVERIFY(lists.add(m_responder, QStringLiteral("allowed_cards"), QStringLiteral("fp_ok"),
            QStringLiteral("known customer"), &added, &error));
        QVERIFY2(lists.remove(m_responder, QStringLiteral("allowed_cards"), QStringLiteral("fp_ok"),
                     QString(), &error),
            qPrintable(error));
        QVERIFY(values(QStringLiteral("allowed_cards")).isEmpty());
        const QVector<AuditRecord> audit = auditRecords(QStringLiteral("fraud.list.remove"));
        QCOMPARE(audit.size(), 1);
        QCOMPARE(audit[0].target, QStringLiteral("fraud_list:allowed_cards"));
    }

    void removeMissingValueFails()
    {
        QString error;
        QVERIFY(!FraudListService(*m_db).remove(m_responder, QStringLiteral("blocked_cards"),
            QStringLiteral("fp_none"), QString(), &error));
        QVERIFY2(error.contains(QStringLiteral("not found")), qPrintable(error));
        QVERIFY(auditRecords(QStringLiteral("fraud.list.")).isEmpty());
    }

    void analystCannotEdit()
    {
        FraudListService lists(*m_db);
        bool added = false;
        QString error;
        QVERIFY(!lists.add(m_analyst, QStringLiteral("blocked_cards"), QStringLiteral("fp_1"),
            QStringLiteral("reason"), &added, &error));
        QVERIFY2(error.contains(QStringLiteral("run_playbooks")), qPrintable(error));
        QVERIFY(values(QStringLiteral("blocked_cards")).isEmpty());
        QVERIFY(auditRecords(QStringLiteral("fraud.list.")).isEmpty());
    }

    void rejectsInvalidInput_data()
    {
        QTest::addColumn<QString>("list");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("reason");
        QTest::addColumn<QString>("fragment");
        QTest::newRow("empty name") << "" << "v" << "r" << "invalid list name";
        QTest::newRow("name with @") << "@blocked_cards" << "v" << "r" << "invalid list name";
        QTest::newRow("name with space") << "blocked cards" << "v" << "r" << "invalid list name";
        QTest::newRow("name too long") << QString(65, QLatin1Char('a')) << "v" << "r"
                                       << "invalid list name";
        QTest::newRow("blank value") << "blocked_cards" << "  " << "r" << "invalid list value";
        QTest::newRow("control character") << "blocked_cards" << "fp\x1b[2J" << "r"
                                           << "invalid list value";
        QTest::newRow("value too long") << "blocked_cards" << QString(513, QLatin1Char('x')) << "r"
                                        << "invalid list value";
        QTest::newRow("no reason") << "blocked_cards" << "fp_1" << " " << "reason is required";
    }

    void rejectsInvalidInput()
    {
        QFETCH(QString, list);
        QFETCH(QString, value);
        QFETCH(QString, reason);
        QFETCH(QString, fragment);
        bool added = false;
        QString error;
        QVERIFY(!FraudListService(*m_db).add(m_responder, list, value, reason, &added, &error));
        QVERIFY2(error.contains(fragment), qPrintable(error));
        QVERIFY(auditRecords(QStringLiteral("fraud.list.")).isEmpty());
    }

    void listsShowKnownAndCounts()
    {
        FraudListService lists(*m_db);
        bool added = false;
        QString error;
        QVERIFY(lists.add(m_responder, QStringLiteral("blocked_ips"), QStringLiteral("203.0.113.9"),
            QStringLiteral("card testing"), &added, &error));
        QVERIFY(lists.add(m_responder, QStringLiteral("blocked_ips"), QStringLiteral("203.0.113.10"),
            QStringLiteral("card testing"), &added, &error));
        QList<ListSummary> summaries;
        QVERIFY2(lists.lists(m_analyst, &summaries, &error), qPrintable(error));
        QStringList names;
        for (const ListSummary &summary : summaries)
            names.append(summary.name);
        QCOMPARE(names, (QStringList{QStringLiteral("blocked_cards"),
                            QStringLiteral("blocked_customers"), QStringLiteral("blocked_ips"),
                            QStringLiteral("refund_requests"), QStringLiteral("reviewed_payments")}));
        QCOMPARE(summaries[2].itemCount, qint64(2));
        QCOMPARE(summaries[0].itemCount, qint64(0));
        QVERIFY(!summaries[0].description.isEmpty());
        QVERIFY(summaries[2].description.isEmpty());
    }

    void auditChainStaysValid()
    {
        FraudListService lists(*m_db);
        bool added = false;
        QString error;
        QVERIFY(lists.add(m_responder, QStringLiteral("blocked_cards"), QStringLiteral("fp_1"),
            QStringLiteral("r"), &added, &error));
        QVERIFY(lists.remove(m_responder, QStringLiteral("blocked_cards"), QStringLiteral("fp_1"),
            QStringLiteral("mistake"), &error));
        QVERIFY(AuditLog(*m_db).verifyUnchecked().ok);
    }
};

QTEST_GUILESS_MAIN(TestFraudLists)
#include "test_fraud_lists.moc"
