// SPDX-License-Identifier: GPL-3.0-or-later
// `portcullis-cli detect` with Sigma rules and a database's suppressions, as
// a user runs it: the shipped rules by default, --no-sigma, --rules and
// --suppressions.
#include "clirun.h"

#include "ingesttestutil.h"

#include "detect/suppressionservice.h"
#include "store/store.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using namespace portcullis;

namespace {

const QString dataDir = QStringLiteral(PORTCULLIS_DATA_DIR);

using Result = portcullis::testing::CliResult;

Result runCli(const QStringList &arguments)
{
    return portcullis::testing::runCliProgram(QStringLiteral(PORTCULLIS_CLI), arguments);
}

// Counts the alerts of `detect --json` output by rule id.
QMap<QString, int> countByRule(const QByteArray &jsonLines)
{
    QMap<QString, int> counts;
    for (const QByteArray &line : jsonLines.split('\n')) {
        if (line.trimmed().isEmpty())
            continue;
        const QJsonObject alert = QJsonDocument::fromJson(line).object();
        ++counts[alert.value(QStringLiteral("rule_id")).toString()];
    }
    return counts;
}

QString dataPath(const QString &relativePath)
{
    return dataDir + u'/' + relativePath;
}

} // namespace

class TestCliDetectRules : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void shippedRulesRunByDefault();
    void noSigmaLeavesBuiltinsOnly();
    void rulesOptionAddsUserRule();
    void suppressionsDropRuleAlerts();
    void missingSuppressionDatabaseIsUsageError();
};

void TestCliDetectRules::shippedRulesRunByDefault()
{
    const QString path = dataPath(QStringLiteral("web/apache_combined_10k.log"));
    if (!QFile::exists(path))
        QSKIP("the shared web logs are missing; set PORTCULLIS_DATA_DIR");

    const Result result = runCli({ QStringLiteral("detect"), QStringLiteral("--json"), path });

    QVERIFY2(result.exitCode == 0 || result.exitCode == 3, result.err.constData());
    QVERIFY(countByRule(result.out).value(QStringLiteral("web_wordpress_probe")) > 0);
}

void TestCliDetectRules::noSigmaLeavesBuiltinsOnly()
{
    const QString path = dataPath(QStringLiteral("web/apache_combined_10k.log"));
    if (!QFile::exists(path))
        QSKIP("the shared web logs are missing; set PORTCULLIS_DATA_DIR");

    const Result result = runCli(
        { QStringLiteral("detect"), QStringLiteral("--json"), QStringLiteral("--no-sigma"), path });

    QVERIFY2(result.exitCode == 0 || result.exitCode == 3, result.err.constData());
    const QMap<QString, int> counts = countByRule(result.out);
    QCOMPARE(counts.value(QStringLiteral("web_wordpress_probe")), 0);
    QVERIFY(counts.value(QStringLiteral("data-exfiltration")) > 0);
}

void TestCliDetectRules::rulesOptionAddsUserRule()
{
    const QString path = dataPath(QStringLiteral("auth/openssh_2k.log"));
    if (!QFile::exists(path))
        QSKIP("the shared auth logs are missing; set PORTCULLIS_DATA_DIR");
    QTemporaryDir folder;
    QFile rule(folder.filePath(QStringLiteral("failed_password.yml")));
    QVERIFY(rule.open(QIODevice::WriteOnly));
    rule.write("title: Failed SSH password\n"
               "id: 5d3f0c1e-6f7a-4b8c-9d0e-1f2a3b4c5d6e\n"
               "name: test_failed_password\n"
               "status: test\n"
               "logsource:\n"
               "  product: linux\n"
               "  service: sshd\n"
               "detection:\n"
               "  keywords:\n"
               "    - 'Failed password for root'\n"
               "  condition: keywords\n"
               "level: low\n");
    rule.close();

    const Result result = runCli({ QStringLiteral("detect"), QStringLiteral("--json"),
        QStringLiteral("--no-sigma"), QStringLiteral("--rules"), folder.path(), path });

    QVERIFY2(result.exitCode == 0 || result.exitCode == 3, result.err.constData());
    const QMap<QString, int> counts = countByRule(result.out);
    QVERIFY2(counts.value(QStringLiteral("test_failed_password")) > 0,
        qPrintable(QStringList(counts.keys()).join(u',')));
    QVERIFY(counts.value(QStringLiteral("ssh-brute-force")) > 0);
}

void TestCliDetectRules::suppressionsDropRuleAlerts()
{
    const QString path = dataPath(QStringLiteral("auth/openssh_2k.log"));
    if (!QFile::exists(path))
        QSKIP("the shared auth logs are missing; set PORTCULLIS_DATA_DIR");
    QTemporaryDir folder;
    const QString database = folder.filePath(QStringLiteral("console.db"));
    QString setupError;
    QVERIFY2(testing::writeRuleSuppression(database, QStringLiteral("ssh-brute-force"), &setupError),
        qPrintable(setupError));

    const Result result = runCli({ QStringLiteral("detect"), QStringLiteral("--json"),
        QStringLiteral("--suppressions"), database, path });

    QVERIFY2(result.exitCode == 0 || result.exitCode == 3, result.err.constData());
    const QMap<QString, int> counts = countByRule(result.out);
    QCOMPARE(counts.value(QStringLiteral("ssh-brute-force")), 0);
    QVERIFY(counts.value(QStringLiteral("credential-stuffing")) > 0);
    QVERIFY2(result.err.contains("Suppressed alerts: "), result.err.constData());
}

void TestCliDetectRules::missingSuppressionDatabaseIsUsageError()
{
    QTemporaryDir folder;
    const QString database = folder.filePath(QStringLiteral("absent.db"));

    const Result result = runCli({ QStringLiteral("detect"), QStringLiteral("--suppressions"),
        database, dataPath(QStringLiteral("auth/openssh_2k.log")) });

    QCOMPARE(result.exitCode, 2);
    QVERIFY2(result.err.contains(database.toUtf8()), result.err.constData());
    QVERIFY(!QFile::exists(database));
}

QTEST_GUILESS_MAIN(TestCliDetectRules)
#include "tst_clidetectrules.moc"
