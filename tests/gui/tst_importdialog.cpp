// SPDX-License-Identifier: GPL-3.0-or-later
// The import dialog runs a real import on its worker thread to the end, and
// its Cancel button stops a long one early, keeping the committed batches.
#include "guitestutil.h"
#include "importdialog.h"

#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using namespace portcullis;

namespace {

const QString AuthLog = QStringLiteral(PORTCULLIS_DATA_DIR "/auth/openssh_2k.log");
constexpr int ImportTimeoutMs = 120000;

} // namespace

class TestImportDialog : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void importsRealLogToCompletion();
    void cancelStopsLongImport();
    void permissionErrorIsShown();
    void shippedSigmaRulesRun();

private:
    QTemporaryDir m_dir;
};

void TestImportDialog::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_dir.isValid());
}

void TestImportDialog::importsRealLogToCompletion()
{
    if (!QFile::exists(AuthLog))
        QSKIP("The shared log corpus is missing; set PORTCULLIS_DATA_DIR to its folder.");
    const QString databasePath = m_dir.filePath(QStringLiteral("complete.db"));
    ImportDialog dialog(databasePath, testing::analyst());
    dialog.addFiles({ AuthLog });
    QCOMPARE(dialog.files(), QStringList { AuthLog });
    QSignalSpy finished(&dialog, &ImportDialog::importFinished);
    QSignalSpy batches(&dialog, &ImportDialog::batchCommitted);

    dialog.startImport();
    QVERIFY(dialog.isRunning());
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, ImportTimeoutMs);
    QVERIFY(!dialog.isRunning());
    QCOMPARE(finished.first().at(0).toBool(), true);
    QVERIFY(batches.count() >= 1);

    const auto summary = finished.first().at(1).value<ImportSummary>();
    QCOMPARE(summary.lines, 2000);
    QVERIFY(summary.eventsStored > 0);
    QVERIFY(summary.alertsRaised > 0);
    QVERIFY2(dialog.summaryText().contains(QStringLiteral("Lines read:       2000")),
        qPrintable(dialog.summaryText()));

    Store store;
    QString error;
    QVERIFY2(store.open(databasePath, &error), qPrintable(error));
    QCOMPARE(store.countEvents(), summary.eventsStored);
    QCOMPARE(store.countAlerts(AlertQuery()), summary.alertsRaised);
}

void TestImportDialog::cancelStopsLongImport()
{
    if (!QFile::exists(AuthLog))
        QSKIP("The shared log corpus is missing; set PORTCULLIS_DATA_DIR to its folder.");
    // 30 copies of the log in one file: many batches, so the cancel lands
    // long before the end.
    QFile source(AuthLog);
    QVERIFY(source.open(QIODevice::ReadOnly));
    QByteArray content = source.readAll();
    if (!content.endsWith('\n'))
        content += '\n';
    const QString bigLog = m_dir.filePath(QStringLiteral("big-auth.log"));
    QFile big(bigLog);
    QVERIFY(big.open(QIODevice::WriteOnly));
    for (int i = 0; i < 30; ++i)
        big.write(content);
    big.close();

    const QString databasePath = m_dir.filePath(QStringLiteral("cancelled.db"));
    ImportDialog dialog(databasePath, testing::analyst());
    dialog.addFiles({ bigLog });
    QSignalSpy finished(&dialog, &ImportDialog::importFinished);

    dialog.startImport();
    dialog.cancelImport();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, ImportTimeoutMs);
    QCOMPARE(finished.first().at(0).toBool(), false);
    const auto summary = finished.first().at(1).value<ImportSummary>();
    QVERIFY2(summary.lines < 30 * 2000, qPrintable(QString::number(summary.lines)));
    QVERIFY(dialog.summaryText().contains(QStringLiteral("Lines read:")));

    // What was committed stays, and importing again resumes to the end.
    QSignalSpy resumed(&dialog, &ImportDialog::importFinished);
    dialog.startImport();
    QTRY_COMPARE_WITH_TIMEOUT(resumed.count(), 1, ImportTimeoutMs);
    QCOMPARE(resumed.first().at(0).toBool(), true);
    const auto rest = resumed.first().at(1).value<ImportSummary>();
    QCOMPARE(summary.lines + rest.lines, 30 * 2000);

    // The cancelled and resumed import stores exactly what one uninterrupted import stores.
    Store reference;
    QString error;
    QVERIFY2(
        reference.open(m_dir.filePath(QStringLiteral("reference.db")), &error), qPrintable(error));
    ImportService importer(reference);
    ImportSummary whole;
    QVERIFY2(
        importer.importFiles(testing::analyst(), { bigLog }, &whole, &error), qPrintable(error));
    QCOMPARE(whole.lines, 30 * 2000);

    Store resumedStore;
    QVERIFY2(resumedStore.open(databasePath, &error), qPrintable(error));
    QCOMPARE(resumedStore.countEvents(), reference.countEvents());
    QCOMPARE(resumedStore.countAlerts(AlertQuery()), reference.countAlerts(AlertQuery()));
    QCOMPARE(summary.eventsStored + rest.eventsStored, whole.eventsStored);
}

void TestImportDialog::permissionErrorIsShown()
{
    if (!QFile::exists(AuthLog))
        QSKIP("The shared log corpus is missing; set PORTCULLIS_DATA_DIR to its folder.");
    Identity auditor = testing::analyst(QStringLiteral("carol"));
    auditor.roles = { Role::ComplianceOfficer };
    ImportDialog dialog(m_dir.filePath(QStringLiteral("denied.db")), auditor);
    dialog.addFiles({ AuthLog });
    QSignalSpy finished(&dialog, &ImportDialog::importFinished);

    dialog.startImport();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, ImportTimeoutMs);
    QCOMPARE(finished.first().at(0).toBool(), false);
    QVERIFY2(dialog.summaryText().contains(QStringLiteral("import_logs")),
        qPrintable(dialog.summaryText()));
}

void TestImportDialog::shippedSigmaRulesRun()
{
    // Three WordPress probes with status 404. An alert of the shipped Sigma
    // rule web_wordpress_probe shows that the GUI import runs the shipped
    // rules, as `portcullis-cli import` does.
    const QString logPath = m_dir.filePath(QStringLiteral("probes.log"));
    QFile log(logPath);
    QVERIFY(log.open(QIODevice::WriteOnly));
    for (const char *path : {"/wp-login.php", "/wp-admin/setup-config.php", "/wp-content/plugins/x/"})
        log.write(QByteArray("203.0.113.9 - - [04/Dec/2026:10:00:01 +0000] \"GET ") + path
            + " HTTP/1.1\" 404 162 \"-\" \"scanner\"\n");
    log.close();

    const QString databasePath = m_dir.filePath(QStringLiteral("sigma.db"));
    ImportDialog dialog(databasePath, testing::analyst());
    dialog.addFiles({ logPath });
    QSignalSpy finished(&dialog, &ImportDialog::importFinished);
    dialog.startImport();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, ImportTimeoutMs);
    QCOMPARE(finished.first().at(0).toBool(), true);

    Store store;
    QString error;
    QVERIFY2(store.open(databasePath, &error), qPrintable(error));
    QStringList ruleIds;
    for (const Alert &alert : store.queryAlerts(AlertQuery()))
        ruleIds << alert.ruleId;
    QVERIFY2(ruleIds.contains(QStringLiteral("web_wordpress_probe")), qPrintable(ruleIds.join(u' ')));
}


QTEST_MAIN(TestImportDialog)
#include "tst_importdialog.moc"
