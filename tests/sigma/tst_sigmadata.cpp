// SPDX-License-Identifier: GPL-3.0-or-later
// SigmaHQ web and Linux rules over the shared real logs, parsed by the
// project's own parsers.
#include "event/logparser.h"
#include "sigma/sigmarule.h"

#include <QDir>
#include <QFile>
#include <QMap>
#include <QTest>

using namespace portcullis;
using namespace portcullis::sigma;

namespace {

QString dataPath(const QString &relative)
{
    return QDir(QStringLiteral(PORTCULLIS_DATA_DIR)).filePath(relative);
}

// Parses `path` and returns, per matched rule file name, the number of events.
QMap<QString, int> matchFile(const RuleSet &rules, const QString &path, LogFormat format,
                             int *events)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    ParserOptions options;
    options.filePath = path;
    options.timeZone = "UTC";
    const std::unique_ptr<LogParser> parser = createParser(format, options);
    QMap<QString, int> counts;
    qint64 lineNumber = 0;
    std::vector<Event> parsed;
    while (!file.atEnd()) {
        QByteArray line = file.readLine();
        while (line.endsWith('\n') || line.endsWith('\r'))
            line.chop(1);
        LineInfo info;
        info.lineNumber = ++lineNumber;
        parsed.clear();
        parser->parseLine(line, info, parsed);
        for (const Event &event : parsed) {
            ++*events;
            QVector<int> matched;
            rules.match(event, &matched);
            for (const int rule : std::as_const(matched))
                counts[QFileInfo(rules.rule(rule).file).fileName()] += 1;
        }
    }
    return counts;
}

} // namespace

class TestSigmaData : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void webLog4jFixture();
    void authLogs_data();
    void authLogs();

private:
    RuleSet m_rules;
};

void TestSigmaData::initTestCase()
{
    const QString web = dataPath(QStringLiteral("sigma/rules/web"));
    if (!QFileInfo::exists(web))
        QSKIP("The Sigma corpus is missing; set PORTCULLIS_DATA_DIR to the shared data folder.");
    QVector<LoadIssue> issues;
    QVERIFY(m_rules.loadPaths({ web, dataPath(QStringLiteral("sigma/rules/linux")) }, &issues));
    m_rules.compile(&issues);
    for (const LoadIssue &issue : std::as_const(issues))
        QVERIFY2(issue.kind == LoadIssue::Kind::Warning, qPrintable(issue.message));
    QVERIFY(m_rules.ruleCount() > 100);
}

void TestSigmaData::webLog4jFixture()
{
    int events = 0;
    const QMap<QString, int> counts = matchFile(m_rules,
        dataPath(QStringLiteral("corpora/crowdsec/"
                                "apache_log4j2_cve-2021-44228__apache_log4j2_cve-2021-44228.log")),
        LogFormat::WebAccess, &events);
    qInfo() << "events" << events << "matches" << counts;
    QVERIFY(events > 0);
    QVERIFY(counts.value(QStringLiteral("web_jndi_exploit.yml")) >= 1);
}

void TestSigmaData::authLogs_data()
{
    QTest::addColumn<QString>("file");
    QTest::newRow("openssh_2k") << "auth/openssh_2k.log";
    QTest::newRow("suspicious_login") << "auth/suspicious_login_auth.log";
}

void TestSigmaData::authLogs()
{
    QFETCH(QString, file);
    int events = 0;
    const QMap<QString, int> counts =
        matchFile(m_rules, dataPath(file), LogFormat::Syslog, &events);
    qInfo() << "events" << events << "matches" << counts;
    QVERIFY(events > 1000);
    // No SigmaHQ Linux or web rule describes what these logs hold (brute
    // force needs correlation rules), so any match is a routing or keyword bug.
    QVERIFY2(counts.isEmpty(), qPrintable(QStringList(counts.keys()).join(QLatin1String(", "))));
}

QTEST_GUILESS_MAIN(TestSigmaData)
#include "tst_sigmadata.moc"
