// SPDX-License-Identifier: GPL-3.0-or-later
// `portcullis-cli detect` as a user runs it: JSON lines, summary, exit codes.
#include "clirun.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

namespace {

const QString dataDir = QStringLiteral(PORTCULLIS_DATA_DIR);

using Result = portcullis::testing::CliResult;

Result runCli(const QStringList &arguments)
{
    return portcullis::testing::runCliProgram(QStringLiteral(PORTCULLIS_CLI), arguments);
}

} // namespace

class TestCliDetect : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void jsonLines_data();
    void jsonLines();
    void summaryOnStandardError();
    void missingFileFails();
    void noFileIsUsageError();
    void invalidConfigNamesKey();
};

void TestCliDetect::jsonLines_data()
{
    QTest::addColumn<bool>("noStore");
    QTest::newRow("with store") << false;
    QTest::newRow("no store") << true;
}

void TestCliDetect::jsonLines()
{
    QFETCH(bool, noStore);
    const QString path = dataDir + QStringLiteral("/auth/openssh_2k.log");
    if (!QFile::exists(path))
        QSKIP(qPrintable(path + QStringLiteral(" is missing; set PORTCULLIS_DATA_DIR")));

    QStringList arguments { QStringLiteral("detect"), QStringLiteral("--json"), path };
    if (noStore)
        arguments.insert(1, QStringLiteral("--no-store"));
    const Result result = runCli(arguments);
    QVERIFY2(result.exitCode == 0 || result.exitCode == 3, result.err.constData());

    const QList<QByteArray> lines = result.out.trimmed().split('\n');
    QVERIFY(lines.size() > 5);
    int bruteForce = 0;
    for (const QByteArray &line : lines) {
        QJsonParseError error;
        const QJsonObject alert = QJsonDocument::fromJson(line, &error).object();
        QVERIFY2(error.error == QJsonParseError::NoError, line.constData());
        for (const char *key : { "rule_id", "title", "severity", "first_seen", "last_seen",
                 "event_count", "entities", "evidence", "reason" })
            QVERIFY2(
                alert.contains(QLatin1String(key)), qPrintable(QLatin1String(key) + u' ' + line));
        QVERIFY(alert.value(QStringLiteral("first_seen")).toString().endsWith(u'Z'));
        QVERIFY(alert.value(QStringLiteral("entities"))
                    .toObject()
                    .contains(QStringLiteral("source.ip")));
        QVERIFY(!alert.value(QStringLiteral("evidence")).toArray().isEmpty());
        if (alert.value(QStringLiteral("rule_id")).toString() == QLatin1String("ssh-brute-force")) {
            ++bruteForce;
            QVERIFY(alert.value(QStringLiteral("event_count")).toInt() >= 5);
        }
    }
    QVERIFY(bruteForce > 0);
}

void TestCliDetect::summaryOnStandardError()
{
    const QString path = dataDir + QStringLiteral("/web/login_attack_access.log");
    if (!QFile::exists(path))
        QSKIP(qPrintable(path + QStringLiteral(" is missing; set PORTCULLIS_DATA_DIR")));
    const Result result = runCli({ QStringLiteral("detect"), path });
    QVERIFY2(result.exitCode == 0 || result.exitCode == 3, result.err.constData());
    static const QRegularExpression summary(
        QStringLiteral(R"(Files: 1, lines: 3456, events: \d+, unparsed lines: \d+, .* alerts: (\d+))"));
    QVERIFY2(summary.match(QString::fromUtf8(result.err)).hasMatch(), result.err.constData());
    QVERIFY(result.out.contains("web-distributed-login"));
}

void TestCliDetect::missingFileFails()
{
    const Result result
        = runCli({ QStringLiteral("detect"), QStringLiteral("/nonexistent/auth.log") });
    QCOMPARE(result.exitCode, 1);
    QVERIFY2(result.err.contains("/nonexistent/auth.log"), result.err.constData());
}

void TestCliDetect::noFileIsUsageError()
{
    const Result result = runCli({ QStringLiteral("detect"), QStringLiteral("--json") });
    QCOMPARE(result.exitCode, 2);
}

void TestCliDetect::invalidConfigNamesKey()
{
    QTemporaryDir dir;
    const QString config = dir.filePath(QStringLiteral("detect.json"));
    QFile file(config);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(R"({"ssh_brute_force": {"window_seconds": 0}})");
    file.close();
    // --detection-config is the same option, under the name `import` uses.
    for (const QString &option : { QStringLiteral("--config"), QStringLiteral("--detection-config") }) {
        const Result result = runCli({ QStringLiteral("detect"), option, config,
            dataDir + QStringLiteral("/auth/openssh_2k.log") });
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.err.contains("ssh_brute_force.window_seconds"), result.err.constData());
    }
}

QTEST_GUILESS_MAIN(TestCliDetect)
#include "tst_clidetect.moc"
