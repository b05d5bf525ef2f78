// SPDX-License-Identifier: GPL-3.0-or-later
// portcullis-cli through the built binary: invalid option values exit 2
// before any database is opened, subcommand help names the subcommand, and
// fraud and help output read as documented in docs/cli.md.
#include "clirun.h"

#include <QTemporaryDir>
#include <QtTest>

namespace {

const QString dataDir = QStringLiteral(PORTCULLIS_DATA_DIR);
const QString demoModel = QStringLiteral(PORTCULLIS_SOURCE_DIR "/resources/fraud/demo-model.json");

struct Result {
    int exitCode = -1;
    QString out;
    QString err;
};

Result runCli(const QStringList &arguments, const QString &databasePath = QString())
{
    const portcullis::testing::CliResult run = portcullis::testing::runCliProgram(
        QStringLiteral(PORTCULLIS_CLI), arguments,
        portcullis::testing::cliEnvironment(databasePath));
    return Result { run.exitCode, QString::fromUtf8(run.out), QString::fromUtf8(run.err) };
}

bool writeFile(const QString &path, const QByteArray &text)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(text) == text.size();
}

} // namespace

class TestCliUsage : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void auditInvalidValues_data();
    void auditInvalidValues();
    void alertsInvalidValues();
    void watchInvalidSilence();
    void fraudInvalidTuningOption();
    void fraudRulesCheckMissingFile();
    void fraudSubcommandHelp();
    void fraudScoreWithoutModel();
    void fraudEvaluateOtherTrainingData();
    void helpAlignsCommands();

private:
    QTemporaryDir m_dir;
};

void TestCliUsage::auditInvalidValues_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("message");
    QTest::newRow("since word") << QStringList { QStringLiteral("--since"), QStringLiteral("yesterday") }
                                << QStringLiteral("Invalid --since 'yesterday'");
    QTest::newRow("since month 13")
        << QStringList { QStringLiteral("--since"), QStringLiteral("2026-13-45") }
        << QStringLiteral("Invalid --since '2026-13-45'");
    QTest::newRow("limit word") << QStringList { QStringLiteral("--limit"), QStringLiteral("abc") }
                                << QStringLiteral("Invalid --limit 'abc'");
    QTest::newRow("limit zero") << QStringList { QStringLiteral("--limit"), QStringLiteral("0") }
                                << QStringLiteral("Invalid --limit '0'");
}

void TestCliUsage::auditInvalidValues()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, message);
    QVERIFY(m_dir.isValid());
    // The values are checked before the database is opened, so none is created.
    const QString database = m_dir.filePath(QStringLiteral("audit.db"));
    for (const QString &action : { QStringLiteral("list"), QStringLiteral("export") }) {
        const Result result = runCli(
            QStringList { QStringLiteral("audit"), action, QStringLiteral("--output"),
                m_dir.filePath(QStringLiteral("audit.csv")) }
                + arguments,
            database);
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.err.contains(message), qPrintable(result.err));
        QVERIFY2(result.err.contains(QLatin1String("ISO 8601"))
                || result.err.contains(QLatin1String("number of records")),
            qPrintable(result.err));
    }
    QVERIFY(!QFile::exists(database));
}

void TestCliUsage::alertsInvalidValues()
{
    QVERIFY(m_dir.isValid());
    const QString database = m_dir.filePath(QStringLiteral("alerts.db"));
    for (const QString &option : { QStringLiteral("--limit"), QStringLiteral("--offset") }) {
        const Result result = runCli(
            { QStringLiteral("alerts"), QStringLiteral("list"), option, QStringLiteral("abc") },
            database);
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.err.contains(QStringLiteral("Invalid %1 'abc'").arg(option)),
            qPrintable(result.err));
    }
    QVERIFY(!QFile::exists(database));
}

void TestCliUsage::watchInvalidSilence()
{
    for (const QString &value : { QStringLiteral("abc"), QStringLiteral("-5") }) {
        const Result result = runCli({ QStringLiteral("watch"), QStringLiteral("--demo"),
            QStringLiteral("--silence"), value });
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.err.contains(QStringLiteral("Invalid --silence '%1'").arg(value)),
            qPrintable(result.err));
    }
}

void TestCliUsage::fraudInvalidTuningOption()
{
    // The option is checked before the (missing) file is read.
    const Result result = runCli({ QStringLiteral("fraud"), QStringLiteral("evaluate"),
        QStringLiteral("--rounds"), QStringLiteral("abc"), QStringLiteral("/nonexistent.csv") });
    QCOMPARE(result.exitCode, 2);
    QVERIFY2(result.err.contains(QLatin1String("--rounds")), qPrintable(result.err));
}

void TestCliUsage::fraudRulesCheckMissingFile()
{
    const Result missing = runCli({ QStringLiteral("fraud"), QStringLiteral("rules"),
        QStringLiteral("check"), QStringLiteral("/nonexistent/rules.txt") });
    QCOMPARE(missing.exitCode, 1);
    QVERIFY2(missing.err.contains(QLatin1String("/nonexistent/rules.txt")), qPrintable(missing.err));

    QVERIFY(m_dir.isValid());
    const QString broken = m_dir.filePath(QStringLiteral("broken.rules"));
    QVERIFY(writeFile(broken, "block if :amount_in_usd: >\n"));
    const Result syntax = runCli(
        { QStringLiteral("fraud"), QStringLiteral("rules"), QStringLiteral("check"), broken });
    QCOMPARE(syntax.exitCode, 5);
}

void TestCliUsage::fraudSubcommandHelp()
{
    const QList<QStringList> commands {
        { QStringLiteral("score") },
        { QStringLiteral("evaluate") },
        { QStringLiteral("rules"), QStringLiteral("check") },
    };
    for (const QStringList &command : commands) {
        const Result result = runCli(
            QStringList { QStringLiteral("fraud") } + command + QStringList { QStringLiteral("--help") });
        QCOMPARE(result.exitCode, 0);
        const QString expected
            = QStringLiteral("Usage: portcullis-cli fraud %1 ").arg(command.join(QLatin1Char(' ')));
        QVERIFY2(result.out.startsWith(expected), qPrintable(result.out));
    }
}

void TestCliUsage::fraudScoreWithoutModel()
{
    QVERIFY(m_dir.isValid());
    const QString payments = m_dir.filePath(QStringLiteral("payments.csv"));
    QVERIFY(writeFile(payments,
        "TRANSACTION_ID,TX_DATETIME,CUSTOMER_ID,TERMINAL_ID,TX_AMOUNT,TX_FRAUD,TX_FRAUD_SCENARIO\n"
        "1,2018-07-25 00:00:29,1111,2328,40.77,0,0\n"));
    const Result result = runCli({ QStringLiteral("fraud"), QStringLiteral("score"), payments });
    QVERIFY2(result.exitCode == 0, qPrintable(result.err));
    QVERIFY2(result.err.contains(QLatin1String("no model loaded")), qPrintable(result.err));
    const QString line = result.out.section(QLatin1Char('\n'), 0, 0);
    QVERIFY2(line.endsWith(QLatin1String(" no score allow")), qPrintable(line));
}

void TestCliUsage::fraudEvaluateOtherTrainingData()
{
    const QStringList files {
        dataDir + QStringLiteral("/fraud/handbook_sim_warmup_2018-06-18_to_2018-07-05.csv.gz"),
        dataDir + QStringLiteral("/fraud/handbook_sim_warmup_2018-07-06_to_2018-07-24.csv.gz"),
        dataDir + QStringLiteral("/fraud/handbook_sim_2018-07-25_to_2018-08-14.csv.gz"),
    };
    for (const QString &file : files) {
        if (!QFile::exists(file))
            QSKIP(qPrintable(file + QStringLiteral(" is missing; set PORTCULLIS_DATA_DIR")));
    }
    const Result result = runCli(QStringList { QStringLiteral("fraud"), QStringLiteral("evaluate"),
                                     QStringLiteral("--no-record"), QStringLiteral("--model"),
                                     demoModel }
        + files);
    QVERIFY2(result.exitCode == 0, qPrintable(result.err));
    QVERIFY2(result.err.contains(QLatin1String("warning: the model file records its training "
                                               "data as 'backend stand-in")),
        qPrintable(result.err));
}

void TestCliUsage::helpAlignsCommands()
{
    const Result result = runCli({ QStringLiteral("help") });
    QCOMPARE(result.exitCode, 0);
    qsizetype column = -1;
    for (const QString &line : result.out.split(QLatin1Char('\n'))) {
        if (!line.startsWith(QLatin1String("  ")))
            continue;
        // The summary starts after the name and at least two spaces.
        const qsizetype nameEnd = line.indexOf(QLatin1Char(' '), 2);
        qsizetype summary = nameEnd;
        while (summary < line.size() && line.at(summary) == QLatin1Char(' '))
            ++summary;
        QVERIFY2(summary - nameEnd >= 2, qPrintable(line));
        if (column < 0)
            column = summary;
        QVERIFY2(summary == column, qPrintable(line));
    }
    QVERIFY(column > 0);
}

QTEST_GUILESS_MAIN(TestCliUsage)
#include "tst_cliusage.moc"
