// SPDX-License-Identifier: GPL-3.0-or-later
// Loading: multi-document files, actions, filters, correlation documents,
// issue reports with lines, logsource routing and the specification's examples.
#include "sigmatestsupport.h"

#include <QDir>
#include <QTest>

using namespace portcullis;
using namespace portcullis::sigma;
using namespace portcullis::sigma::test;

namespace {

QString specPath(const char *relative)
{
    return QDir(QStringLiteral(PORTCULLIS_DATA_DIR))
        .filePath(QStringLiteral("../design/reference/sigma-specification/tests/schema/")
                  + QLatin1String(relative));
}

Event sshEvent(const QString &message)
{
    Event event;
    event.category = EventCategory::Authentication;
    event.processName = QStringLiteral("sshd");
    event.original = QStringLiteral("Dec 10 06:55:46 LabSZ sshd[24200]: ") + message;
    return event;
}

Event backendEvent(EventCategory category, const QString &action)
{
    Event event;
    event.category = category;
    event.action = action;
    event.extra.insert(QStringLiteral("event.module"), QStringLiteral("bookedbarber"));
    return event;
}

} // namespace

class TestSigmaLoad : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void metadata();
    void globalAndRepeat();
    void reset();
    void filterDocument();
    void correlationDocuments();
    void issues_data();
    void issues();
    void brokenYamlNamesLine();
    void unsupportedAggregation();
    void missingPlaceholder();
    void keywordsSearchMessageBody();
    void routing_data();
    void routing();
    void specificationExamples();
};

void TestSigmaLoad::metadata()
{
    QVector<LoadIssue> issues;
    const RuleSet rules = ruleSetFromText(
        "title: Probe\nid: abc\nname: probe_rule\nstatus: test\ndescription: d\n"
        "tags:\n    - attack.initial-access\n    - attack.t1190\n    - attack.t1110.001\n"
        "logsource:\n    category: webserver\n"
        "detection:\n    sel:\n        cs-method: GET\n    condition: sel\n"
        "falsepositives:\n    - scanners\nlevel: critical\n",
        &issues);
    QVERIFY(issues.isEmpty());
    QCOMPARE(rules.ruleCount(), 1);
    const RuleInfo &info = rules.rule(0);
    QCOMPARE(info.id, QStringLiteral("abc"));
    QCOMPARE(info.name, QStringLiteral("probe_rule"));
    QCOMPARE(info.title, QStringLiteral("Probe"));
    QCOMPARE(info.severity, Severity::Critical);
    QCOMPARE(info.mitreTechnique, QStringLiteral("T1190"));
    QCOMPARE(info.logsource.category, QStringLiteral("webserver"));
    QCOMPARE(info.falsePositives, QStringList { QStringLiteral("scanners") });
    QCOMPARE(info.line, 1);
    QCOMPARE(rules.indexOf(QStringLiteral("abc")), 0);
    QCOMPARE(rules.indexOf(QStringLiteral("probe_rule")), 0);
    QCOMPARE(rules.indexOf(QStringLiteral("nope")), -1);
}

void TestSigmaLoad::globalAndRepeat()
{
    QVector<LoadIssue> issues;
    const RuleSet rules = ruleSetFromText(
        "action: global\ntitle: Web probes\nlogsource:\n    category: webserver\n"
        "detection:\n    condition: sel\n---\n"
        "id: one\ndetection:\n    sel:\n        cs-uri-query|contains: '/wp-admin'\n---\n"
        "action: repeat\nid: two\ndetection:\n    sel:\n        cs-uri-query|contains: '/.git/'\n",
        &issues);
    QVERIFY(issues.isEmpty());
    QCOMPARE(rules.ruleCount(), 2);
    QCOMPARE(rules.rule(1).title, QStringLiteral("Web probes"));
    QVector<int> matched;
    rules.match(webEvent({ { "url.original", "/.git/config" } }), &matched);
    QCOMPARE(matched, QVector<int> { 1 });
    matched.clear();
    rules.match(webEvent({ { "url.original", "/wp-admin/" } }), &matched);
    QCOMPARE(matched, QVector<int> { 0 });
}

void TestSigmaLoad::reset()
{
    QVector<LoadIssue> issues;
    const RuleSet rules = ruleSetFromText(
        "action: global\nlogsource:\n    category: webserver\n---\naction: reset\n---\n"
        "title: No global\ndetection:\n    sel:\n        cs-method: GET\n    condition: sel\n",
        &issues);
    QVERIFY(issues.isEmpty());
    QCOMPARE(rules.ruleCount(), 1);
    QVERIFY(rules.rule(0).logsource.category.isEmpty());
}

void TestSigmaLoad::filterDocument()
{
    const QByteArray yaml =
        "title: Admin pages\nid: rule-a\nlogsource:\n    category: webserver\n"
        "detection:\n    sel:\n        cs-uri-query|startswith: '/admin'\n    condition: sel\n---\n"
        "title: Office network\nlogsource:\n    category: webserver\n"
        "filter:\n    rules:\n        - rule-a\n        - missing-rule\n"
        "    selection:\n        c-ip|cidr: '10.0.0.0/8'\n    condition: selection\n";
    QVector<LoadIssue> issues;
    const RuleSet rules = ruleSetFromText(yaml, &issues);
    QCOMPARE(rules.ruleCount(), 1);
    QCOMPARE(rules.filterCount(), 1);
    QCOMPARE(issues.size(), 1);
    QCOMPARE(issues.first().kind, LoadIssue::Kind::Warning);
    QVERIFY(issues.first().message.contains(QStringLiteral("missing-rule")));
    const Event outside = webEvent({ { "url.original", "/admin/x" }, { "source.ip", "8.8.8.8" } });
    const Event office = webEvent({ { "url.original", "/admin/x" }, { "source.ip", "10.1.2.3" } });
    QVERIFY(matches(rules, outside));
    QVERIFY(!matches(rules, office));
}

void TestSigmaLoad::correlationDocuments()
{
    const QByteArray yaml =
        "title: Failed login\nname: failed_login\nlogsource:\n    category: webserver\n"
        "detection:\n    sel:\n        sc-status: 401\n    condition: sel\n---\n"
        "title: Many failed logins\ncorrelation:\n    type: event_count\n    rules:\n"
        "        - failed_login\n    group-by:\n        - c-ip\n    timespan: 5m\n"
        "    condition:\n        gte: 10\n";
    QVector<LoadIssue> issues;
    const RuleSet rules = ruleSetFromText(yaml, &issues);
    QVERIFY(issues.isEmpty());
    QCOMPARE(rules.ruleCount(), 1);
    QCOMPARE(rules.correlationSources().size(), 1);
    const CorrelationSource &source = rules.correlationSources().first();
    QCOMPARE(source.file, QStringLiteral("test.yml"));
    QCOMPARE(source.line, 10);
    QVERIFY(source.document);
    QCOMPARE(rules.indexOf(QStringLiteral("failed_login")), 0);
}

void TestSigmaLoad::issues_data()
{
    QTest::addColumn<QByteArray>("detection");
    QTest::addColumn<int>("line");
    QTest::addColumn<QString>("text");

    // In webRule() text, `detection:` is line 5, `sel:` line 6 and its first
    // field line 7.
    QTest::newRow("unknown modifier") << QByteArray("    sel:\n        cs-method|startwith: GET\n"
                                                    "    condition: sel")
                                      << 7 << "startwith";
    QTest::newRow("unknown identifier") << QByteArray("    sel:\n        cs-method: GET\n"
                                                      "    condition: sel and other")
                                        << 8 << "other";
    QTest::newRow("no condition") << QByteArray("    sel:\n        cs-method: GET") << 6
                                  << "condition";
    QTest::newRow("null in list") << QByteArray("    sel:\n        cs-method:\n            - GET\n"
                                                "            - null\n    condition: sel")
                                  << 9 << "null";
    QTest::newRow("invalid regex") << QByteArray("    sel:\n        cs-method|re: '(['\n"
                                                 "    condition: sel")
                                   << 7 << "regular expression";
    QTest::newRow("invalid cidr") << QByteArray("    sel:\n        c-ip|cidr: '10.0.0.0/33'\n"
                                                "    condition: sel")
                                  << 7 << "CIDR";
    QTest::newRow("number expected") << QByteArray("    sel:\n        sc-status|gt: high\n"
                                                   "    condition: sel")
                                     << 7 << "number";
    QTest::newRow("unbalanced parenthesis") << QByteArray("    sel:\n        cs-method: GET\n"
                                                          "    condition: (sel")
                                            << 8 << "')'";
    QTest::newRow("pattern without match") << QByteArray("    sel:\n        cs-method: GET\n"
                                                         "    condition: 1 of filter*")
                                           << 8 << "filter*";
    QTest::newRow("exists needs boolean") << QByteArray("    sel:\n"
                                                        "        cs-method|exists: maybe\n"
                                                        "    condition: sel")
                                          << 7 << "true or false";
    QTest::newRow("nesting limit") << QByteArray("    sel:\n        cs-method: GET\n"
                                                 "    condition: " + QByteArray("not ").repeated(70)
                                                 + "sel")
                                   << 8 << "nests";
    QTest::newRow("re with contains") << QByteArray("    sel:\n        cs-method|contains|re: x\n"
                                                    "    condition: sel")
                                      << 7 << "|re";
}

void TestSigmaLoad::issues()
{
    QFETCH(QByteArray, detection);
    QFETCH(int, line);
    QFETCH(QString, text);

    QVector<LoadIssue> issues;
    const RuleSet rules = ruleSetFromText(webRule(detection), &issues);
    QCOMPARE(rules.ruleCount(), 0);
    QCOMPARE(issues.size(), 1);
    const LoadIssue &issue = issues.first();
    QCOMPARE(issue.kind, LoadIssue::Kind::Error);
    QCOMPARE(issue.file, QStringLiteral("test.yml"));
    QCOMPARE(issue.ruleId, QStringLiteral("11111111-2222-3333-4444-555555555555"));
    QCOMPARE(issue.line, line);
    QVERIFY2(issue.message.contains(text), qPrintable(issue.message));
}

void TestSigmaLoad::brokenYamlNamesLine()
{
    QVector<LoadIssue> issues;
    RuleSet rules;
    rules.loadText("title: x\ndetection:\n    sel: [a, b\n    condition: sel\n",
                   QStringLiteral("broken.yml"), &issues);
    QCOMPARE(issues.size(), 1);
    QCOMPARE(issues.first().kind, LoadIssue::Kind::Error);
    QCOMPARE(issues.first().file, QStringLiteral("broken.yml"));
    QVERIFY(issues.first().line >= 3);
    QVERIFY(issues.first().column > 0);
}

void TestSigmaLoad::unsupportedAggregation()
{
    QVector<LoadIssue> issues;
    const RuleSet rules = ruleSetFromText(
        webRule("    sel:\n        sc-status: 401\n    timeframe: 5m\n"
                "    condition: sel | count() by c-ip > 10"),
        &issues);
    QCOMPARE(rules.ruleCount(), 0);
    QCOMPARE(issues.size(), 1);
    QCOMPARE(issues.first().kind, LoadIssue::Kind::Unsupported);
    QCOMPARE(issues.first().feature, QStringLiteral("timeframe"));

    issues.clear();
    const RuleSet second = ruleSetFromText(
        webRule("    sel:\n        sc-status: 401\n    condition: sel | count() by c-ip > 10"),
        &issues);
    QCOMPARE(issues.size(), 1);
    QCOMPARE(issues.first().feature, QStringLiteral("aggregation in condition"));

    issues.clear();
    const RuleSet third = ruleSetFromText(
        webRule("    sel:\n        cs-uri-query|windash|base64offset|contains: '-enc'\n"
                "    condition: sel"),
        &issues);
    QCOMPARE(third.ruleCount(), 0);
    QCOMPARE(issues.size(), 1);
    QCOMPARE(issues.first().kind, LoadIssue::Kind::Unsupported);
    QCOMPARE(issues.first().feature, QStringLiteral("windash with encoding"));
}

void TestSigmaLoad::missingPlaceholder()
{
    QVector<LoadIssue> issues;
    const RuleSet rules = ruleSetFromText(
        webRule("    sel:\n        c-ip|expand: '%Workstations%'\n"
                "        cs-host|expand: '%Servers%'\n    condition: sel"),
        &issues, { { QStringLiteral("Servers"), { QStringLiteral("web1") } } });
    QCOMPARE(rules.ruleCount(), 0);
    QCOMPARE(issues.size(), 1);
    QCOMPARE(issues.first().kind, LoadIssue::Kind::Unsupported);
    QCOMPARE(issues.first().feature, QStringLiteral("placeholder"));
    QVERIFY(issues.first().message.contains(QStringLiteral("%Workstations%")));
    QVERIFY(!issues.first().message.contains(QStringLiteral("%Servers%")));
}

void TestSigmaLoad::keywordsSearchMessageBody()
{
    // The detection of SigmaHQ's lnx_file_copy.yml: a ':' must not match the
    // time in the syslog header.
    QVector<LoadIssue> issues;
    const RuleSet rules = ruleSetFromText(
        "title: File copy\nlogsource:\n    product: linux\ndetection:\n"
        "    tools:\n        - 'scp '\n        - 'rsync '\n"
        "    filter:\n        - '@'\n        - ':'\n    condition: tools and filter\n",
        &issues);
    QVERIFY(issues.isEmpty());
    QVERIFY(!matches(rules, sshEvent(QStringLiteral("Invalid user rsync from 192.0.2.7"))));
    QVERIFY(matches(rules, sshEvent(QStringLiteral("cmd: rsync a bob@192.0.2.7:/tmp"))));
}

void TestSigmaLoad::routing_data()
{
    QTest::addColumn<QByteArray>("logsource");
    QTest::addColumn<QString>("eventKind");
    QTest::addColumn<bool>("expected");

    QTest::newRow("webserver sees web") << QByteArray("    category: webserver") << "web" << true;
    QTest::newRow("webserver skips sshd") << QByteArray("    category: webserver") << "sshd"
                                          << false;
    QTest::newRow("linux sshd sees sshd") << QByteArray("    product: linux\n    service: sshd")
                                          << "sshd" << true;
    QTest::newRow("linux auth sees sshd") << QByteArray("    product: linux\n    service: auth")
                                          << "sshd" << true;
    QTest::newRow("linux sees sshd") << QByteArray("    product: linux") << "sshd" << true;
    QTest::newRow("linux auth sees pam") << QByteArray("    product: linux\n    service: auth")
                                         << "sudo" << true;
    QTest::newRow("linux sshd skips sudo") << QByteArray("    product: linux\n    service: sshd")
                                           << "sudo" << false;
    QTest::newRow("linux skips web") << QByteArray("    product: linux") << "web" << false;
    QTest::newRow("windows skips sshd") << QByteArray("    product: windows") << "sshd" << false;
    QTest::newRow("backend category") << QByteArray("    product: bookedbarber\n"
                                                    "    category: authentication")
                                      << "backend-auth" << true;
    QTest::newRow("backend other category") << QByteArray("    product: bookedbarber\n"
                                                          "    category: payment")
                                            << "backend-auth" << false;
    QTest::newRow("backend product only") << QByteArray("    product: bookedbarber")
                                          << "backend-auth" << true;
    QTest::newRow("backend is not webserver") << QByteArray("    category: webserver")
                                              << "backend-web" << false;
    QTest::newRow("empty logsource sees all") << QByteArray("    {}") << "backend-auth" << true;
}

void TestSigmaLoad::routing()
{
    QFETCH(QByteArray, logsource);
    QFETCH(QString, eventKind);
    QFETCH(bool, expected);

    QVector<LoadIssue> issues;
    const RuleSet rules = ruleSetFromText(
        "title: Route\nlogsource:\n" + logsource
            + "\ndetection:\n    sel:\n        event.original|contains: 'marker'\n"
              "    condition: sel\n",
        &issues);
    QVERIFY(issues.isEmpty());
    Event event;
    if (eventKind == QLatin1String("web"))
        event = webEvent({ { "event.original", "GET /marker HTTP/1.1" } });
    else if (eventKind == QLatin1String("sshd") || eventKind == QLatin1String("sudo"))
        event = sshEvent(QStringLiteral("marker"));
    else if (eventKind == QLatin1String("backend-web"))
        event = backendEvent(EventCategory::Web, QStringLiteral("marker"));
    else
        event = backendEvent(EventCategory::Authentication, QStringLiteral("marker"));
    if (eventKind == QLatin1String("sudo"))
        event.processName = QStringLiteral("sudo");
    if (event.original.isEmpty())
        event.original = QStringLiteral("{\"event\":{\"action\":\"marker\"}}");
    QCOMPARE(matches(rules, event), expected);
}

void TestSigmaLoad::specificationExamples()
{
    const QString rulesDir = specPath("rules");
    if (!QFileInfo::exists(rulesDir))
        QSKIP("The Sigma specification folder is missing beside the data folder.");

    // Both example rules share one id: they load, the second with a warning.
    RuleSet rules;
    QVector<LoadIssue> issues;
    QVERIFY(rules.loadPaths({ rulesDir, specPath("filter"), specPath("correlation") }, &issues));
    rules.compile(&issues);
    QCOMPARE(rules.ruleCount(), 2);
    const RuleInfo &rule = rules.rule(rules.indexOf(QStringLiteral(
        "545a5da6-f103-4919-a519-e9aec1026ee4")));
    QCOMPARE(rule.title, QStringLiteral("A Title"));
    QCOMPARE(rule.severity, Severity::High);
    QCOMPARE(rule.mitreTechnique, QStringLiteral("T1211"));
    QCOMPARE(rule.logsource.product, QStringLiteral("windows"));
    QCOMPARE(rule.logsource.service, QStringLiteral("application"));
    QCOMPARE(rules.filterCount(), 2);
    QCOMPARE(rules.correlationSources().size(), 8);

    int duplicates = 0;
    int unknownFilterTargets = 0;
    for (const LoadIssue &issue : std::as_const(issues)) {
        QCOMPARE(issue.kind, LoadIssue::Kind::Warning);
        duplicates += issue.message.contains(QStringLiteral("already uses"));
        unknownFilterTargets += issue.message.contains(QStringLiteral("not loaded"));
    }
    QCOMPARE(duplicates, 1);
    QCOMPARE(unknownFilterTargets, 4);  // each filter names two rules outside this folder

    // The ECS example rule applies to events without logsource routing when
    // its logsource is dropped; its field name is an ECS name taken verbatim.
    QFile file(specPath("rules/rule_ecs.yml"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    QByteArray text = file.readAll();
    text.replace("logsource:\n    category: network\n    service: dns\n", "");
    QVector<LoadIssue> ecsIssues;
    const RuleSet ecs = ruleSetFromText(text, &ecsIssues);
    QVERIFY(ecsIssues.isEmpty());
    Event dns;
    dns.extra.insert(QStringLiteral("dns.question.name"), QStringLiteral("SigmaHQ"));
    QVERIFY(matches(ecs, dns));
    dns.extra.insert(QStringLiteral("dns.question.name"), QStringLiteral("sigmahq.io"));
    QVERIFY(!matches(ecs, dns));
}

QTEST_GUILESS_MAIN(TestSigmaLoad)
#include "tst_sigmaload.moc"
