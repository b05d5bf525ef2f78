// SPDX-License-Identifier: GPL-3.0-or-later
// `portcullis-cli import` and `portcullis-cli alerts` end to end, signed in
// with an API token of the first administrator (who may import and view
// alerts but not triage them).
#include "security/accounts.h"
#include "security/apitokens.h"
#include "store/store.h"
#include "clirun.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace portcullis;

class TestCliImport : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void importPrintsSummary();
    void importAgainAddsNothing();
    void unparsedLinesExitCode();
    void listAndShow();
    void triageDeniedForAdministrator();
    void usageErrors_data();
    void usageErrors();
    void importRunsSigmaRules_data();
    void importRunsSigmaRules();
    void showPrintsRepeatedLineOnce();

private:
    int runCli(
        const QStringList &arguments, QByteArray *output = nullptr, QByteArray *errors = nullptr);

    QTemporaryDir m_dir;
    QString m_database;
    QString m_tokenFile;
};

void TestCliImport::initTestCase()
{
    if (!QFile::exists(QStringLiteral(PORTCULLIS_DATA_DIR "/auth/openssh_2k.log")))
        QSKIP("The shared corpus is missing; set PORTCULLIS_DATA_DIR to the data folder.");
    // Set PORTCULLIS_KEEP_TEST_DB=1 to keep the database and token for a look by hand.
    if (qEnvironmentVariableIsSet("PORTCULLIS_KEEP_TEST_DB")) {
        m_dir.setAutoRemove(false);
        qInfo() << "Keeping" << m_dir.path();
    }
    m_database = m_dir.filePath(QStringLiteral("console.db"));
    m_tokenFile = m_dir.filePath(QStringLiteral("token"));

    Database db;
    QString error;
    QVERIFY2(db.open(m_database, &error), qPrintable(error));
    AccountService accounts(db);
    const std::optional<Identity> admin = accounts.createFirstAdministrator(
        QStringLiteral("admin"), QStringLiteral("a long passphrase 42!"), &error);
    QVERIFY2(admin, qPrintable(error));
    ApiTokenService tokens(db);
    qint64 tokenId = 0;
    const QString token = tokens.create(
        *admin, QStringLiteral("cli test"), { Role::Administrator }, 1, &tokenId, &error);
    QVERIFY2(!token.isEmpty(), qPrintable(error));
    QFile file(m_tokenFile);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(token.toUtf8());
    file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
}

int TestCliImport::runCli(const QStringList &arguments, QByteArray *output, QByteArray *errors)
{
    QStringList all = arguments;
    all << QStringLiteral("--database") << m_database << QStringLiteral("--token-file")
        << m_tokenFile;
    const portcullis::testing::CliResult run = portcullis::testing::runCliProgram(
        QStringLiteral(PORTCULLIS_CLI), all, portcullis::testing::cliEnvironment());
    if (output)
        *output = run.out;
    if (errors)
        *errors = run.err;
    return run.exitCode;
}

void TestCliImport::importPrintsSummary()
{
    QByteArray output;
    QByteArray errors;
    const int code = runCli(
        { QStringLiteral("import"), QStringLiteral(PORTCULLIS_DATA_DIR "/auth/openssh_2k.log") },
        &output, &errors);
    QVERIFY2(code == 0 || code == 3, errors.constData());
    // 2,000 lines: the last one has no line terminator.
    QVERIFY2(output.contains("Lines: 2000 read"), output.constData());
    QVERIFY2(output.contains("Alerts: "), output.constData());
    QVERIFY2(!output.contains("Alerts: 0 new"), output.constData());
}

void TestCliImport::importAgainAddsNothing()
{
    QByteArray output;
    QByteArray errors;
    runCli({ QStringLiteral("import"), QStringLiteral(PORTCULLIS_DATA_DIR "/auth/openssh_2k.log") },
        &output, &errors);
    QVERIFY2(output.contains("1 already imported"), output.constData());
    QVERIFY2(output.contains("Events: 0 parsed, 0 stored"), output.constData());
}

void TestCliImport::unparsedLinesExitCode()
{
    const QString path = m_dir.filePath(QStringLiteral("mixed.log"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("Dec 10 06:55:46 LabSZ sshd[24200]: Invalid user webmaster from 173.234.31.186\n"
               "garbage that no parser accepts\n");
    file.close();
    QByteArray output;
    QByteArray errors;
    const int code = runCli(
        { QStringLiteral("import"), QStringLiteral("--format"), QStringLiteral("syslog"), path },
        &output, &errors);
    QCOMPARE(code, 3);
    const QByteArray expected = path.toUtf8() + ":2: garbage that no parser accepts";
    QVERIFY2(output.contains(expected), output.constData());
}

void TestCliImport::listAndShow()
{
    QByteArray output;
    QByteArray errors;
    QCOMPARE(runCli({ QStringLiteral("alerts"), QStringLiteral("list"), QStringLiteral("--json"),
                        QStringLiteral("--severity"), QStringLiteral("medium,high"),
                        QStringLiteral("--limit"), QStringLiteral("0") },
                 &output, &errors),
        0);
    const QList<QByteArray> lines = output.trimmed().split('\n');
    QVERIFY2(!lines.isEmpty() && !lines.first().isEmpty(), errors.constData());
    const QJsonObject first = QJsonDocument::fromJson(lines.first()).object();
    QVERIFY(first.value(QStringLiteral("id")).toInteger() > 0);
    QVERIFY(!first.value(QStringLiteral("rule_id")).toString().isEmpty());
    const QString severity = first.value(QStringLiteral("severity")).toString();
    QVERIFY2(severity == QLatin1String("medium") || severity == QLatin1String("high"),
        qPrintable(severity));

    const QString id = QString::number(first.value(QStringLiteral("id")).toInteger());
    QCOMPARE(runCli({ QStringLiteral("alerts"), QStringLiteral("show"), id }, &output, &errors), 0);
    QVERIFY2(output.contains("Evidence ("), output.constData());
    QVERIFY2(output.contains("openssh_2k.log:"), output.constData());
    QVERIFY2(output.contains("History:"), output.constData());
    QVERIFY2(output.contains("created"), output.constData());
}

void TestCliImport::triageDeniedForAdministrator()
{
    QByteArray errors;
    QCOMPARE(runCli({ QStringLiteral("alerts"), QStringLiteral("ack"), QStringLiteral("1") },
                 nullptr, &errors),
        4);
    QVERIFY2(errors.contains("triage_alerts"), errors.constData());
}

void TestCliImport::usageErrors_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QByteArray>("message");
    QTest::newRow("unknown format") << QStringList { QStringLiteral("import"),
        QStringLiteral("--format"), QStringLiteral("csv"), QStringLiteral("x.log") }
                                    << QByteArray("--format 'csv'");
    QTest::newRow("no files") << QStringList { QStringLiteral("import") }
                              << QByteArray("at least one log file");
    QTest::newRow("bad severity") << QStringList { QStringLiteral("alerts"),
        QStringLiteral("--severity"), QStringLiteral("urgent") }
                                  << QByteArray("--severity 'urgent'");
    QTest::newRow("bad id") << QStringList { QStringLiteral("alerts"), QStringLiteral("show"),
        QStringLiteral("x1") }
                            << QByteArray("Invalid alert id 'x1'");
    QTest::newRow("close without disposition")
        << QStringList { QStringLiteral("alerts"), QStringLiteral("close"), QStringLiteral("1") }
        << QByteArray("--disposition");
    QTest::newRow("unreadable rules path")
        << QStringList { QStringLiteral("import"), QStringLiteral("--rules"),
               QStringLiteral("/nonexistent/portcullis-rules"), QStringLiteral("x.log") }
        << QByteArray("/nonexistent/portcullis-rules");
    QTest::newRow("unknown action")
        << QStringList { QStringLiteral("alerts"), QStringLiteral("delete"), QStringLiteral("1") }
        << QByteArray("Unknown alerts action 'delete'");
}

void TestCliImport::usageErrors()
{
    QFETCH(QStringList, arguments);
    QFETCH(QByteArray, message);
    QByteArray errors;
    QCOMPARE(runCli(arguments, nullptr, &errors), 2);
    QVERIFY2(errors.contains(message), errors.constData());
}

void TestCliImport::importRunsSigmaRules_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("option");
    QTest::addColumn<QString>("ruleId");
    QTest::addColumn<bool>("expectAlert");

    const QString crowdsec = QStringLiteral(PORTCULLIS_DATA_DIR "/corpora/crowdsec/");
    QTest::newRow("shipped rules")
        << crowdsec + "nginx-http-sqli-probing__nginx-http-sqli-probing.log" << QString()
        << "web_sql_injection" << true;
    QTest::newRow("--no-sigma")
        << crowdsec + "nginx-http-xss-probing__nginx-http-xss-probing.log"
        << QStringLiteral("--no-sigma") << "web_xss" << false;
}

// Runs last: its alerts must not be the first ones that listAndShow() reads.
void TestCliImport::importRunsSigmaRules()
{
    QFETCH(QString, file);
    QFETCH(QString, option);
    QFETCH(QString, ruleId);
    QFETCH(bool, expectAlert);
    if (!QFile::exists(file))
        QSKIP("The crowdsec corpus is missing from the shared data folder.");
    QStringList arguments { QStringLiteral("import"), file };
    if (!option.isEmpty())
        arguments.insert(1, option);
    QByteArray output;
    QByteArray errors;

    const int code = runCli(arguments, &output, &errors);
    QVERIFY2(code == 0 || code == 3, errors.constData());
    QCOMPARE(runCli({ QStringLiteral("alerts"), QStringLiteral("list"), QStringLiteral("--json"),
                        QStringLiteral("--limit"), QStringLiteral("0") },
                 &output, &errors),
        0);

    bool found = false;
    for (const QByteArray &line : output.trimmed().split('\n')) {
        const QJsonObject alert = QJsonDocument::fromJson(line).object();
        found = found || alert.value(QStringLiteral("rule_id")).toString() == ruleId;
    }
    QCOMPARE(found, expectAlert);
}

// One "message repeated 4 times" line is four of the five attempts of a
// brute-force alert; `alerts show` prints that line once with the count.
void TestCliImport::showPrintsRepeatedLineOnce()
{
    const QString path = m_dir.filePath(QStringLiteral("repeated.log"));
    QFile log(path);
    QVERIFY(log.open(QIODevice::WriteOnly));
    log.write("Mar 29 23:18:30 host sshd[6402]: Failed password for root from 198.51.100.77 "
              "port 56338 ssh2\n"
              "Mar 29 23:18:33 host sshd[6402]: message repeated 4 times: [ Failed password for "
              "root from 198.51.100.77 port 56338 ssh2]\n");
    log.close();
    QByteArray output;
    QByteArray errors;
    const int code = runCli({ QStringLiteral("import"), path }, &output, &errors);
    QVERIFY2(code == 0, errors.constData());
    QCOMPARE(runCli({ QStringLiteral("alerts"), QStringLiteral("list"), QStringLiteral("--json"),
                        QStringLiteral("--search"), QStringLiteral("198.51.100.77"),
                        QStringLiteral("--limit"), QStringLiteral("0") },
                 &output, &errors),
        0);

    QString id;
    for (const QByteArray &line : output.trimmed().split('\n')) {
        const QJsonObject alert = QJsonDocument::fromJson(line).object();
        if (alert.value(QStringLiteral("rule_id")).toString() == QLatin1String("ssh-brute-force"))
            id = QString::number(alert.value(QStringLiteral("id")).toInteger());
    }
    QVERIFY2(!id.isEmpty(), output.constData());
    QCOMPARE(runCli({ QStringLiteral("alerts"), QStringLiteral("show"), id }, &output, &errors), 0);
    QVERIFY2(output.contains("(5 of 5 events"), output.constData());
    QCOMPARE(output.count("message repeated 4 times"), 1);
    QVERIFY2(output.contains("ssh2] [4 events]"), output.constData());
}

QTEST_GUILESS_MAIN(TestCliImport)
#include "tst_cliimport.moc"
