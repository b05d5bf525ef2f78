// SPDX-License-Identifier: GPL-3.0-or-later
// `portcullis-cli rules check` and `rules test` through the built binary:
// exit codes, issue lines, JSON output.
#include "clirun.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

namespace {

const QString dataDir = QStringLiteral(PORTCULLIS_DATA_DIR);
const QString rulesDir = QStringLiteral(PORTCULLIS_SOURCE_DIR "/resources/rules");

using Result = portcullis::testing::CliResult;

Result runCli(const QStringList &arguments)
{
    return portcullis::testing::runCliProgram(QStringLiteral(PORTCULLIS_CLI), arguments);
}

bool writeFile(const QString &path, const QByteArray &text)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(text) == text.size();
}

const QByteArray BrokenTimespan = R"(title: Many failures
name: many_failures
correlation:
    type: event_count
    rules: [failed_login]
    group-by: [source.ip]
    timespan: 10 minutes
    condition: {gte: 5}
---
title: Failed login
name: failed_login
detection:
    selection:
        event.action: ssh_login
    condition: selection
)";

const QByteArray ValueSum = R"(title: Bytes out
correlation:
    type: value_sum
    rules: [failed_login]
    group-by: [source.ip]
    timespan: 1h
    condition: {field: http.response.body.bytes, gt: 1000000}
---
title: Failed login
name: failed_login
detection:
    selection:
        event.action: ssh_login
    condition: selection
)";

// A Sigma v1 aggregation, which correlation rules replace.
const QByteArray Aggregation = R"(title: Many failed logins
logsource:
    product: linux
    service: sshd
detection:
    selection:
        event.action: ssh_login
    condition: selection | count() > 5
)";

// A rule whose value list comes from the %admins% placeholder.
const QByteArray Placeholder = R"(title: Admin login
name: admin_login
detection:
    selection:
        user.name|expand: '%admins%'
    condition: selection
)";

// A YAML flow sequence that is never closed.
const QByteArray YamlError = R"(title: Broken
detection:
    selection:
        event.action: [a, b
    condition: selection
)";

} // namespace

class TestCliRules : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void checkShippedRulesPasses();
    void checkBrokenRuleFails();
    void checkUnsupportedFeatureFails();
    void checkValueSumPasses();
    void checkMissingFolderFails();
    void checkWithoutFolderIsUsageError();
    void testRuleByName();
    void testCorrelationFile();
    void checkPlaceholderOption();
    void checkInvalidPlaceholderIsUsageError();
    void testYamlErrorPrintedOnce();
    void subcommandHelpNamesSubcommand();
};

void TestCliRules::checkShippedRulesPasses()
{
    const Result result = runCli({ QStringLiteral("rules"), QStringLiteral("check"), rulesDir });
    QVERIFY2(result.exitCode == 0, result.err.constData());
    QVERIFY2(result.out.contains("12 rules and 7 correlations loaded, 0 unsupported by feature, "
                                 "0 errors"),
        result.out.constData());
}

void TestCliRules::checkBrokenRuleFails()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("broken.yml"));
    QVERIFY(writeFile(path, BrokenTimespan));

    const Result text = runCli({ QStringLiteral("rules"), QStringLiteral("check"), dir.path() });
    QCOMPARE(text.exitCode, 5);
    // The timespan value is on line 7, column 15.
    QVERIFY2(text.err.contains((path + QStringLiteral(":7:15: error: ")).toUtf8()),
        text.err.constData());
    QVERIFY2(text.out.contains("1 rules and 0 correlations loaded, 0 unsupported by feature, "
                               "1 errors"),
        text.out.constData());

    const Result json = runCli(
        { QStringLiteral("rules"), QStringLiteral("check"), QStringLiteral("--json"), dir.path() });
    QCOMPARE(json.exitCode, 5);
    QJsonParseError error;
    const QJsonObject report = QJsonDocument::fromJson(json.out, &error).object();
    QVERIFY2(error.error == QJsonParseError::NoError, json.out.constData());
    QCOMPARE(report.value(QStringLiteral("errors")).toInt(), 1);
    const QJsonObject issue = report.value(QStringLiteral("issues")).toArray().first().toObject();
    QCOMPARE(issue.value(QStringLiteral("line")).toInt(), 7);
    QCOMPARE(issue.value(QStringLiteral("kind")).toString(), QStringLiteral("error"));
}

void TestCliRules::checkUnsupportedFeatureFails()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QVERIFY(writeFile(dir.filePath(QStringLiteral("aggregation.yml")), Aggregation));
    const Result result = runCli(
        { QStringLiteral("rules"), QStringLiteral("check"), QStringLiteral("--json"), dir.path() });
    QCOMPARE(result.exitCode, 5);
    const QJsonObject report = QJsonDocument::fromJson(result.out).object();
    QCOMPARE(report.value(QStringLiteral("unsupported")).toInt(), 1);
    QCOMPARE(report.value(QStringLiteral("errors")).toInt(), 0);
    QCOMPARE(report.value(QStringLiteral("unsupported_by_feature"))
                 .toObject()
                 .value(QStringLiteral("aggregation in condition"))
                 .toInt(),
        1);
}

void TestCliRules::checkValueSumPasses()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QVERIFY(writeFile(dir.filePath(QStringLiteral("sum.yml")), ValueSum));
    const Result result = runCli({ QStringLiteral("rules"), QStringLiteral("check"), dir.path() });
    QVERIFY2(result.exitCode == 0, result.err.constData());
    QVERIFY2(result.out.contains("1 rules and 1 correlations loaded, 0 unsupported by feature, "
                                 "0 errors"),
        result.out.constData());
}

void TestCliRules::checkMissingFolderFails()
{
    const Result result = runCli(
        { QStringLiteral("rules"), QStringLiteral("check"), QStringLiteral("/nonexistent/rules") });
    QCOMPARE(result.exitCode, 1);
    QVERIFY2(result.err.contains("/nonexistent/rules"), result.err.constData());
}

void TestCliRules::checkWithoutFolderIsUsageError()
{
    const Result result = runCli({ QStringLiteral("rules"), QStringLiteral("check") });
    QCOMPARE(result.exitCode, 2);
}

void TestCliRules::testRuleByName()
{
    const QString log = dataDir
        + QStringLiteral("/corpora/crowdsec/nginx-http-sqli-probing__nginx-http-sqli-probing.log");
    if (!QFile::exists(log))
        QSKIP(qPrintable(log + QStringLiteral(" is missing; set PORTCULLIS_DATA_DIR")));
    const Result result
        = runCli({ QStringLiteral("rules"), QStringLiteral("test"), QStringLiteral("--json"),
            QStringLiteral("--rules"), rulesDir, QStringLiteral("web_sql_injection"), log });
    QVERIFY2(result.exitCode == 0, result.err.constData());
    int matches = 0;
    QJsonObject alert;
    for (const QByteArray &line : result.out.trimmed().split('\n')) {
        const QJsonObject object = QJsonDocument::fromJson(line).object();
        if (object.value(QStringLiteral("type")).toString() == QLatin1String("match"))
            ++matches;
        else
            alert = object;
    }
    QCOMPARE(matches, 16);
    QCOMPARE(
        alert.value(QStringLiteral("rule_id")).toString(), QStringLiteral("web_sql_injection"));
    QCOMPARE(alert.value(QStringLiteral("event_count")).toInt(), 16);
    QVERIFY2(result.err.contains("16 matches, 1 alerts"), result.err.constData());
}

void TestCliRules::testCorrelationFile()
{
    const QString log = dataDir + QStringLiteral("/auth/openssh_2k.log");
    if (!QFile::exists(log))
        QSKIP(qPrintable(log + QStringLiteral(" is missing; set PORTCULLIS_DATA_DIR")));
    const Result result = runCli({ QStringLiteral("rules"), QStringLiteral("test"),
        QStringLiteral("--json"), rulesDir + QStringLiteral("/linux/ssh_brute_force.yml"), log });
    QVERIFY2(result.exitCode == 0 || result.exitCode == 3, result.err.constData());
    int bruteForce = 0;
    int stuffing = 0;
    for (const QByteArray &line : result.out.trimmed().split('\n')) {
        const QJsonObject object = QJsonDocument::fromJson(line).object();
        const QString ruleId = object.value(QStringLiteral("rule_id")).toString();
        if (object.value(QStringLiteral("type")).toString() != QLatin1String("alert"))
            continue;
        bruteForce += ruleId == QLatin1String("ssh_brute_force");
        stuffing += ruleId == QLatin1String("ssh_credential_stuffing");
    }
    // The figures of the built-in detectors on this file (docs/detections.md).
    QCOMPARE(bruteForce, 12);
    QCOMPARE(stuffing, 5);
}

void TestCliRules::checkPlaceholderOption()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QVERIFY(writeFile(dir.filePath(QStringLiteral("admins.yml")), Placeholder));

    const Result without = runCli({ QStringLiteral("rules"), QStringLiteral("check"), dir.path() });
    QCOMPARE(without.exitCode, 5);
    QVERIFY2(without.err.contains("--placeholder NAME=VALUE"), without.err.constData());

    const Result with = runCli({ QStringLiteral("rules"), QStringLiteral("check"),
        QStringLiteral("--placeholder"), QStringLiteral("admins=alice"),
        QStringLiteral("--placeholder"), QStringLiteral("%admins%=bob"), dir.path() });
    QVERIFY2(with.exitCode == 0, with.err.constData());
    QVERIFY2(with.out.contains("1 rules and 0 correlations loaded, 0 unsupported by feature, "
                               "0 errors"),
        with.out.constData());
}

void TestCliRules::checkInvalidPlaceholderIsUsageError()
{
    const Result result = runCli({ QStringLiteral("rules"), QStringLiteral("check"),
        QStringLiteral("--placeholder"), QStringLiteral("admins"), rulesDir });
    QCOMPARE(result.exitCode, 2);
    QVERIFY2(result.err.contains("Invalid --placeholder 'admins'"), result.err.constData());
}

void TestCliRules::testYamlErrorPrintedOnce()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString rule = dir.filePath(QStringLiteral("broken.yml"));
    const QString log = dir.filePath(QStringLiteral("empty.log"));
    QVERIFY(writeFile(rule, YamlError));
    QVERIFY(writeFile(log, QByteArray()));
    const Result result = runCli({ QStringLiteral("rules"), QStringLiteral("test"), rule, log });
    QCOMPARE(result.exitCode, 5);
    QVERIFY2(result.err.contains((rule + QStringLiteral(":")).toUtf8()), result.err.constData());
    QVERIFY2(!result.err.contains("no rule or correlation is named"), result.err.constData());
}

void TestCliRules::subcommandHelpNamesSubcommand()
{
    for (const QString &subcommand : { QStringLiteral("check"), QStringLiteral("test") }) {
        const Result result
            = runCli({ QStringLiteral("rules"), subcommand, QStringLiteral("--help") });
        QCOMPARE(result.exitCode, 0);
        const QByteArray expected = "Usage: portcullis-cli rules " + subcommand.toUtf8() + " ";
        QVERIFY2(result.out.startsWith(expected), result.out.constData());
    }
}

QTEST_GUILESS_MAIN(TestCliRules)
#include "tst_clirules.moc"
