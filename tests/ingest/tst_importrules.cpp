// SPDX-License-Identifier: GPL-3.0-or-later
// File import with the Sigma rules and the suppressions: real log files from
// the shared corpus, the shipped rules, and a real SQLite file.
#include "ingesttestutil.h"

#include "detect/suppressionservice.h"
#include "ingest/fileimporter.h"
#include "ingest/ruledetectors.h"
#include "store/store.h"

#include <QtTest>

using namespace portcullis;

namespace {

QString dataPath(const QString &relative)
{
    return QStringLiteral(PORTCULLIS_DATA_DIR "/") + relative;
}

QVector<Alert> detectAlerts(const QString &path, std::shared_ptr<const sigma::SigmaRules> rules)
{
    Store unused;
    ImportOptions options;
    options.storeEvents = false;
    options.sigmaRules = std::move(rules);
    ImportService service(unused, options);
    QVector<Alert> alerts;
    QString error;
    if (!service.detectFiles({ path }, nullptr, &error, {}, &alerts))
        qWarning() << "detectFiles failed:" << error;
    return alerts;
}

QMap<QString, int> countByRule(const QVector<Alert> &alerts)
{
    QMap<QString, int> counts;
    for (const Alert &alert : alerts)
        ++counts[alert.ruleId];
    return counts;
}

std::shared_ptr<const sigma::SigmaRules> shippedRules()
{
    QStringList warnings;
    QString error;
    auto rules = loadDetectionRules(true, {}, &warnings, &error);
    if (!warnings.isEmpty() || !error.isEmpty())
        qWarning() << "shipped rules:" << warnings << error;
    return rules;
}

// One failed SSH login is a match; the tag, when given, names a built-in detector.
QByteArray failedLoginRule(const QByteArray &tag)
{
    QByteArray text = "title: Failed SSH login for root\n"
                      "name: test_root_failure\n"
                      "level: medium\n";
    if (!tag.isEmpty())
        text += "tags:\n    - " + tag + "\n";
    text += "logsource:\n"
            "    product: linux\n"
            "    service: sshd\n"
            "detection:\n"
            "    selection:\n"
            "        event.action: ssh_login\n"
            "        event.outcome: failure\n"
            "        user.name: root\n"
            "    condition: selection\n";
    return text;
}

} // namespace

class TestImportRules : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void webFixturesRaiseSigmaAlerts_data();
    void webFixturesRaiseSigmaAlerts();
    void opensshHasNoDuplicateAlerts();
    void builtinTagSkipsUserRule_data();
    void builtinTagSkipsUserRule();
    void unreadableRulesPathFails();
    void suppressedSourceRaisesNoAlert();
    void allowListedSourceSkipsEvents();
    void detectAppliesDatabaseSuppressions();
    void missingSuppressionDatabaseFails();

private:
    bool importWithSuppression(
        const Suppression &entry, ImportSummary *summary, QVector<Alert> *stored, qint64 *hits);
};

void TestImportRules::initTestCase()
{
    if (!QFileInfo::exists(dataPath(QStringLiteral("auth/openssh_2k.log"))))
        QSKIP("The shared data folder is missing; set PORTCULLIS_DATA_DIR to it.");
    QVERIFY2(!sigma::shippedRulesPath().isEmpty(), "resources/rules was not found");
}

void TestImportRules::webFixturesRaiseSigmaAlerts_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("ruleId");

    const QString crowdsec = QStringLiteral("corpora/crowdsec/");
    QTest::newRow("log4j") << crowdsec
            + "apache_log4j2_cve-2021-44228__apache_log4j2_cve-2021-44228.log"
                           << "web_log4j_jndi";
    QTest::newRow("sql injection")
        << crowdsec + "nginx-http-sqli-probing__nginx-http-sqli-probing.log"
        << "web_sql_injection";
    QTest::newRow("xss") << crowdsec + "nginx-http-xss-probing__nginx-http-xss-probing.log"
                         << "web_xss";
    QTest::newRow("path traversal")
        << crowdsec + "nginx-http-path-traversal__nginx-http-path-traversal.log"
        << "web_path_traversal";
    QTest::newRow("wordpress scan") << crowdsec + "http-wordpress-scan__http-wordpress-scan.log"
                                    << "web_wordpress_probe";
}

void TestImportRules::webFixturesRaiseSigmaAlerts()
{
    QFETCH(QString, file);
    QFETCH(QString, ruleId);

    const QMap<QString, int> withRules = countByRule(detectAlerts(dataPath(file), shippedRules()));
    const QMap<QString, int> without = countByRule(detectAlerts(dataPath(file), nullptr));

    QVERIFY2(withRules.value(ruleId) >= 1, qPrintable(QStringList(withRules.keys()).join(',')));
    QCOMPARE(without.value(ruleId), 0);
}

void TestImportRules::opensshHasNoDuplicateAlerts()
{
    const QString path = dataPath(QStringLiteral("auth/openssh_2k.log"));
    const auto rules = shippedRules();
    QVERIFY(rules);

    const QMap<QString, int> withRules = countByRule(detectAlerts(path, rules));
    const QMap<QString, int> builtinOnly = countByRule(detectAlerts(path, nullptr));

    // The shipped SSH correlations are the Sigma form of these built-in
    // detectors, so their file is not loaded where the built-in ones run.
    QVERIFY(builtinEquivalentRuleIds(*rules).isEmpty());
    for (int i = 0; i < rules->correlations.count(); ++i)
        QVERIFY(rules->correlations.rule(i).name != QLatin1String("ssh_brute_force"));
    QVERIFY(builtinOnly.value(QStringLiteral("ssh-brute-force")) > 0);
    QCOMPARE(withRules.value(QStringLiteral("ssh_brute_force")), 0);
    QCOMPARE(withRules.value(QStringLiteral("ssh_credential_stuffing")), 0);
    QCOMPARE(withRules, builtinOnly);
}

void TestImportRules::builtinTagSkipsUserRule_data()
{
    QTest::addColumn<QByteArray>("tag");
    QTest::addColumn<bool>("expectAlert");

    QTest::newRow("no tag") << QByteArray() << true;
    QTest::newRow("ATT&CK tag only") << QByteArray("attack.t1110") << true;
    QTest::newRow("built-in tag") << QByteArray("portcullis.builtin.ssh-brute-force") << false;
    QTest::newRow("built-in tag, upper case")
        << QByteArray("Portcullis.Builtin.ssh-brute-force") << false;
}

void TestImportRules::builtinTagSkipsUserRule()
{
    QFETCH(QByteArray, tag);
    QFETCH(bool, expectAlert);
    QTemporaryDir folder;
    QVERIFY(folder.isValid());
    QFile file(folder.filePath(QStringLiteral("root_failure.yml")));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(failedLoginRule(tag));
    file.close();

    QStringList warnings;
    QString error;
    const auto rules = loadDetectionRules(false, { folder.path() }, &warnings, &error);
    QVERIFY2(rules, qPrintable(error));
    QVERIFY2(warnings.isEmpty(), qPrintable(warnings.join('\n')));
    const QMap<QString, int> counts
        = countByRule(detectAlerts(dataPath(QStringLiteral("auth/openssh_2k.log")), rules));

    QCOMPARE(counts.value(QStringLiteral("test_root_failure")) > 0, expectAlert);
    QVERIFY(counts.value(QStringLiteral("ssh-brute-force")) > 0);
}

void TestImportRules::unreadableRulesPathFails()
{
    QString error;
    const auto rules = loadDetectionRules(
        false, { QStringLiteral("/nonexistent/portcullis-rules") }, nullptr, &error);
    QVERIFY(!rules);
    QVERIFY2(error.contains(QStringLiteral("/nonexistent/portcullis-rules")), qPrintable(error));
}

// Imports suspicious_login_auth.log into a new SQLite file holding `entry`;
// returns the stored alerts and the hits stored for the entry.
bool TestImportRules::importWithSuppression(
    const Suppression &entry, ImportSummary *summary, QVector<Alert> *stored, qint64 *hits)
{
    QTemporaryDir folder;
    Store store;
    QString error;
    if (!store.open(folder.filePath(QStringLiteral("console.db")), &error)) {
        qWarning() << error;
        return false;
    }
    const Identity admin = testing::identityWith(Role::Administrator);
    SuppressionService suppressions(store.database());
    const auto added = suppressions.add(admin, entry, &error);
    if (!added) {
        qWarning() << error;
        return false;
    }

    ImportService service(store);
    if (!service.importFiles(admin, { dataPath(QStringLiteral("auth/suspicious_login_auth.log")) },
            summary, &error)) {
        qWarning() << error;
        return false;
    }
    *stored = store.queryAlerts(AlertQuery());
    bool ok = false;
    for (const Suppression &listed : suppressions.list(admin, &ok, &error)) {
        if (listed.id == added->id)
            *hits = listed.hits;
    }
    return ok;
}

void TestImportRules::suppressedSourceRaisesNoAlert()
{
    // 24.151.103.17 logs in after failures (the corpus test of success-after-failures).
    Suppression entry;
    entry.kind = SuppressionKind::Source;
    entry.value = QStringLiteral("24.151.103.17");
    entry.ruleId = QStringLiteral("success-after-failures");
    entry.reason = QStringLiteral("Known jump host of the operations team");
    ImportSummary summary;
    QVector<Alert> stored;
    qint64 hits = 0;

    QVERIFY(importWithSuppression(entry, &summary, &stored, &hits));

    int successAlerts = 0;
    int bruteForceFromSource = 0;
    for (const Alert &alert : stored) {
        const bool fromSource = alert.entities.value(QStringLiteral("source.ip"))
                                    .contains(QStringLiteral("24.151.103.17"));
        successAlerts += alert.ruleId == QLatin1String("success-after-failures") ? 1 : 0;
        bruteForceFromSource += fromSource && alert.ruleId == QLatin1String("ssh-brute-force");
    }
    QCOMPARE(successAlerts, 0);
    QVERIFY(bruteForceFromSource > 0); // other rules still see the source
    QVERIFY(summary.alertsSuppressed >= 1);
    QCOMPARE(hits, summary.alertsSuppressed);
}

void TestImportRules::allowListedSourceSkipsEvents()
{
    Suppression entry;
    entry.kind = SuppressionKind::Source;
    entry.value = QStringLiteral("24.151.103.0/24");
    entry.reason = QStringLiteral("Operations network");
    ImportSummary summary;
    QVector<Alert> stored;
    qint64 hits = 0;

    QVERIFY(importWithSuppression(entry, &summary, &stored, &hits));

    for (const Alert &alert : stored) {
        QVERIFY2(!alert.entities.value(QStringLiteral("source.ip"))
                      .contains(QStringLiteral("24.151.103.17")),
            qPrintable(alert.ruleId));
    }
    QVERIFY(!stored.isEmpty());
    QVERIFY(summary.eventsAllowListed > 0);
    QCOMPARE(hits, summary.eventsAllowListed);
}

void TestImportRules::detectAppliesDatabaseSuppressions()
{
    QTemporaryDir folder;
    const QString database = folder.filePath(QStringLiteral("console.db"));
    QString setupError;
    QVERIFY2(testing::writeRuleSuppression(database, QStringLiteral("ssh-brute-force"), &setupError),
        qPrintable(setupError));
    Store unused;
    ImportOptions options;
    options.storeEvents = false;
    QString error;
    QVERIFY2(loadActiveSuppressions(database, &options.suppressions, &error), qPrintable(error));
    QCOMPARE(options.suppressions.size(), 1);
    ImportService service(unused, options);
    ImportSummary summary;
    QVector<Alert> alerts;

    QVERIFY2(service.detectFiles({ dataPath(QStringLiteral("auth/openssh_2k.log")) }, &summary,
                 &error, {}, &alerts),
        qPrintable(error));

    const QMap<QString, int> counts = countByRule(alerts);
    QCOMPARE(counts.value(QStringLiteral("ssh-brute-force")), 0);
    QVERIFY(counts.value(QStringLiteral("credential-stuffing")) > 0);
    QVERIFY(summary.alertsSuppressed > 0);
}

void TestImportRules::missingSuppressionDatabaseFails()
{
    QTemporaryDir folder;
    const QString database = folder.filePath(QStringLiteral("absent.db"));
    SuppressionList suppressions;
    QString error;

    QVERIFY(!loadActiveSuppressions(database, &suppressions, &error));

    QVERIFY2(error.contains(database), qPrintable(error));
    QVERIFY(!QFileInfo::exists(database)); // not created by the attempt
}

QTEST_GUILESS_MAIN(TestImportRules)
#include "tst_importrules.moc"
