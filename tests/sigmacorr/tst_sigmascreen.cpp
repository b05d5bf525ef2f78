// SPDX-License-Identifier: GPL-3.0-or-later
// LineScreen: a line it passes over must give no match. The rules cover every
// field of an access log line, and the lines include what the parser decodes
// (escapes, bytes that are not ASCII, virtual hosts, odd shapes). Reading a
// log with the screen must give the same matches and alerts as without it.
#include "sigmatestsupport.h"

#include "event/logparser.h"
#include "sigma/sigmascreen.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>

#include <QtTest>

using namespace portcullis;
using namespace portcullis::sigma;
using namespace sigmatest;

namespace {

const QString dataDir = QStringLiteral(PORTCULLIS_DATA_DIR);
const QString rulesDir = QStringLiteral(PORTCULLIS_SOURCE_DIR "/resources/rules");

QByteArray webRule(int n, const QByteArray &detection)
{
    return "title: Screen rule " + QByteArray::number(n) + "\nid: screen-" + QByteArray::number(n)
           + "\nlogsource:\n    category: webserver\ndetection:\n" + detection
           + "level: high\n---\n";
}

// One rule per field that the screen reads from the line, and some that it
// cannot (the address, the virtual host, constant fields), which it must
// treat as always present.
QByteArray fieldRules()
{
    QByteArray yaml;
    int n = 0;
    const auto add = [&](const QByteArray &detection) { yaml += webRule(++n, detection); };
    add("    selection:\n        cs-uri-query|contains: 'UNION SELECT'\n    condition: selection\n");
    add("    selection:\n        cs-uri-stem|endswith: '/wp-login.php'\n"
        "    condition: selection\n");
    add("    selection:\n        cs-method: 'propfind'\n    condition: selection\n");
    add("    selection:\n        sc-status: 418\n    condition: selection\n");
    add("    selection:\n        sc-bytes: 31337\n    condition: selection\n");
    add("    selection:\n        cs-referrer|contains: 'evil.example'\n    condition: selection\n");
    add("    selection:\n        c-useragent|startswith: 'sqlmap/'\n    condition: selection\n");
    add("    keywords:\n        - 'jndi:ldap'\n    condition: keywords\n");
    add("    selection:\n        cs-version: '2.0'\n    condition: selection\n");
    add("    selection:\n        c-ip|cidr: '203.0.113.0/24'\n        cs-uri-query|contains: '/admin'\n"
        "    condition: selection\n");
    add("    selection:\n        cs-host|contains: 'shop'\n        sc-status: 500\n"
        "    condition: selection\n");
    add("    selection:\n        event.outcome: 'failure'\n        cs-uri-query|contains: '/login'\n"
        "    condition: selection\n");
    add("    selection:\n        cs-uri-query|contains|all:\n            - '/cart'\n"
        "            - 'coupon='\n    filter:\n        sc-status: 404\n"
        "    condition: selection and not filter\n");
    add("    selection:\n        cs-uri-query: '/'\n        cs-method: 'DELETE'\n"
        "    condition: selection\n");
    add("    selection:\n        c-useragent|cased|contains: 'Nikto'\n    condition: selection\n");
    add("    selection:\n        c-useragent|contains: 'nikto/2'\n    condition: selection\n");
    // The parser removes the backslash of \" and \\ in the referrer and the
    // agent, so these needles do not occur in the line's bytes.
    add("    selection:\n        c-useragent|contains: 'say \"hi\"'\n    condition: selection\n");
    add("    selection:\n        cs-referrer|endswith: 'a\\b'\n    condition: selection\n");
    return yaml;
}

// Access log lines, each meant to match or nearly match one of fieldRules().
QList<QByteArray> trickyLines()
{
    const QByteArray time = "[10/Oct/2026:13:55:36 +0000]";
    const auto line = [&](const QByteArray &head, const QByteArray &rest) -> QByteArray {
        return head + ' ' + time + ' ' + rest;
    };
    return {
        line("192.0.2.1 - -", "\"GET /q?id=1%20union%20select HTTP/1.1\" 200 12 \"-\" \"curl\""),
        line("192.0.2.1 - -", "\"GET /q?id=1 UnIoN SeLeCt 2 HTTP/1.1\" 200 12 \"-\" \"curl\""),
        line("192.0.2.1 - -", "\"GET /q?id=1 UNION\\\"SELECT HTTP/1.1\" 200 1 \"-\" \"curl\""),
        line("192.0.2.1 - -", "\"GET /q?id=1 UNION\\x20SELECT HTTP/1.1\" 200 1 \"-\" \"curl\""),
        line("192.0.2.2 - -", "\"POST /blog/WP-LOGIN.PHP HTTP/1.1\" 302 0 \"-\" \"Mozilla\""),
        line("192.0.2.2 - -", "\"POST /wp-login.php?x=/wp-login.php HTTP/1.1\" 302 0 \"-\" \"M\""),
        line("192.0.2.2 - -", "\"POST http://h/wp-login.php#f HTTP/1.1\" 302 0 \"-\" \"M\""),
        line("192.0.2.3 - -", "\"PROPFIND /dav HTTP/1.1\" 207 5 \"-\" \"x\""),
        line("192.0.2.3 - -", "\"GET /propfind HTTP/1.1\" 200 5 \"-\" \"propfind\""),
        line("192.0.2.4 - -", "\"GET /teapot HTTP/1.1\" 418 5 \"-\" \"x\""),
        line("192.0.2.4 - -", "\"GET /418 HTTP/1.1\" 200 418 \"-\" \"x\""),
        line("192.0.2.5 - -", "\"GET /big HTTP/1.1\" 200 31337 \"-\" \"x\""),
        line("192.0.2.5 - -", "\"GET /big HTTP/1.1\" 200 0031337 \"-\" \"x\""),
        line("192.0.2.5 - -", "\"GET /31337 HTTP/1.1\" 200 - \"-\" \"x\""),
        line("192.0.2.6 - -", "\"GET / HTTP/1.1\" 200 5 \"https://EVIL.example/x\" \"x\""),
        line("192.0.2.6 - -", "\"GET /evil.example HTTP/1.1\" 200 5 \"-\" \"x\""),
        line("192.0.2.7 - -", "\"GET / HTTP/1.1\" 200 5 \"-\" \"SQLMap/1.7\""),
        line("192.0.2.7 - -", "\"GET / HTTP/1.1\" 200 5 \"-\" \"x sqlmap/1.7\""),
        line("192.0.2.8 - -", "\"GET /${jndi:ldap://x/a} HTTP/1.1\" 200 5 \"-\" \"x\""),
        line("192.0.2.8 - -", "\"GET / HTTP/1.1\" 200 5 \"-\" \"${JNDI:LDAP://x/a}\""),
        line("192.0.2.9 - -", "\"GET / HTTP/2.0\" 200 5 \"-\" \"x\""),
        line("192.0.2.9 - -", "\"GET /HTTP/2.0 HTTP/1.1\" 200 5 \"-\" \"x\""),
        line("203.0.113.9 - -", "\"GET /admin HTTP/1.1\" 200 5 \"-\" \"x\""),
        line("::ffff:203.0.113.9 - -", "\"GET /Admin/ HTTP/1.1\" 200 5 \"-\" \"x\""),
        line("198.51.100.1 - -", "\"GET /admin HTTP/1.1\" 200 5 \"-\" \"x\""),
        line("shop.example.org 192.0.2.10 - -", "\"GET /x HTTP/1.1\" 500 5 \"-\" \"x\""),
        line("shop.example.org:443 192.0.2.10 - -", "\"GET /x HTTP/1.1\" 500 5 \"-\" \"x\""),
        line("192.0.2.11 - -", "\"GET /login HTTP/1.1\" 401 5 \"-\" \"x\""),
        line("192.0.2.11 - -", "\"GET /login HTTP/1.1\" 200 5 \"-\" \"x\""),
        line("192.0.2.12 - -", "\"GET /cart?coupon=1 HTTP/1.1\" 200 5 \"-\" \"x\""),
        line("192.0.2.12 - -", "\"GET /cart?coupon=1 HTTP/1.1\" 404 5 \"-\" \"x\""),
        line("192.0.2.13 - -", "\"DELETE / HTTP/1.1\" 204 0 \"-\" \"x\""),
        line("192.0.2.13 - -", "\"delete / HTTP/1.1\" 204 0 \"-\" \"x\""),
        line("192.0.2.14 - -", "\"GET / HTTP/1.1\" 404 5 \"-\" \"Mozilla (Nikto/2.5)\""),
        line("192.0.2.14 - -", "\"GET / HTTP/1.1\" 404 5 \"-\" \"Mozilla (nikto/2.5)\""),
        // Not ASCII: U+212A (Kelvin sign) lower-cases to "k", so the folded
        // agent contains "nikto/2" and the raw bytes do not.
        line("192.0.2.14 - -", "\"GET / HTTP/1.1\" 200 5 \"-\" \"Mozilla (NI\xe2\x84\xaaTO/2.5)\""),
        line("192.0.2.15 - -", "\"GET /?q=UN\xc4\xb0ON SELECT HTTP/1.1\" 200 5 \"-\" \"x\""),
        line("192.0.2.15 - -", "\"GET /?q=\xe2\x80\x8bunion select HTTP/1.1\" 200 5 \"-\" \"x\""),
        line("192.0.2.15 - -", "\"GET /?q=\xff union select HTTP/1.1\" 200 5 \"-\" \"x\""),
        line("192.0.2.15 - -", "\"GET / HTTP/1.1\" 200 5 \"-\" \"Bot (say \\\"hi\\\")\""),
        line("192.0.2.15 - -", "\"GET / HTTP/1.1\" 200 5 \"-\" \"Bot (say hi)\""),
        line("192.0.2.15 - -", "\"GET / HTTP/1.1\" 200 5 \"https://x/a\\\\b\" \"x\""),
        line("192.0.2.15 - -", "\"GET / HTTP/1.1\" 200 5 \"https://x/a-b\" \"x\""),
        // Shapes the parser tolerates or rejects.
        line("192.0.2.16 - -", "\"-\" 400 0 \"-\" \"-\""),
        line("192.0.2.16 - -", "\"UNION SELECT\" 400 0 \"-\" \"-\""),
        line("192.0.2.16 - -", "\"GET /q?a=\" 404 x UNION SELECT\" 404 0"),
        line("192.0.2.16 - -", "\"GET /q HTTP/1.1\" 418 0"),
        line("192.0.2.16 - alice smith", "\"GET /q HTTP/1.1\" 418 0 \"-\""),
        line("not-an-address - -", "\"GET /q?UNION SELECT HTTP/1.1\" 200 0 \"-\" \"x\""),
        "192.0.2.17 - - [99/Oct/2026:13:55:36 +0000] \"GET /?UNION SELECT HTTP/1.1\" 200 1",
        line("192.0.2.18 - -", "\"GET /?union select HTTP/1.1\" 200 1 \"-\" \"x\"") + '\r',
        "",
        "garbage UNION SELECT jndi:ldap",
    };
}

} // namespace

class TestSigmaScreen : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void passedOverLinesDoNotMatch();
    void screensOutMostLines();
    void passesEverythingWhenARuleNeedsNoLiteral();
    void otherFormatsAndClasses();
    void sameMatchesAndAlerts_data();
    void sameMatchesAndAlerts();
    void sameAlertsWhenTimeGoesBack();
};

void TestSigmaScreen::passedOverLinesDoNotMatch()
{
    QVector<LoadIssue> issues;
    const auto rules = rulesFromText(fieldRules(), &issues);
    QVERIFY2(issues.isEmpty(), qPrintable(issuesText(issues)));
    LineScreen screen(rules->rules, LogFormat::WebAccess);
    QVERIFY(screen.active());
    ParserOptions options;
    options.timeZone = "UTC";
    const auto parser = createParser(LogFormat::WebAccess, options);
    int matchedLines = 0;
    int passedOver = 0;
    qint64 number = 0;
    for (const QByteArray &line : trickyLines()) {
        std::vector<Event> events;
        LineInfo info;
        info.lineNumber = ++number;
        parser->parseLine(line, info, events);
        QVector<int> matched;
        for (const Event &event : events)
            rules->rules.match(event, &matched);
        const bool mayMatch = screen.mayMatch(line);
        QVERIFY2(mayMatch || matched.isEmpty(),
                 qPrintable(QStringLiteral("line %1 matches rule %2 but was passed over: %3")
                                .arg(number)
                                .arg(matched.value(0))
                                .arg(QString::fromUtf8(line))));
        matchedLines += matched.isEmpty() ? 0 : 1;
        passedOver += mayMatch ? 0 : 1;
    }
    // The lines exercise most rules, and the near misses are passed over.
    QVERIFY2(matchedLines >= 25, qPrintable(QString::number(matchedLines)));
    QVERIFY2(passedOver >= 6, qPrintable(QString::number(passedOver)));
}

void TestSigmaScreen::screensOutMostLines()
{
    QVector<LoadIssue> issues;
    const auto rules = rulesFromText(fieldRules(), &issues);
    LineScreen screen(rules->rules, LogFormat::WebAccess);
    // Ordinary requests that no rule is about.
    int passed = 0;
    for (int i = 0; i < 1000; ++i) {
        const QByteArray line = "192.0.2." + QByteArray::number(i % 250)
                                + " - - [10/Oct/2026:13:55:36 +0000] \"GET /images/p"
                                + QByteArray::number(i) + ".png HTTP/1.1\" 200 "
                                + QByteArray::number(1000 + i) + " \"-\" \"Mozilla/5.0\"";
        passed += screen.mayMatch(line) ? 1 : 0;
    }
    QCOMPARE(passed, 0);
    QVERIFY(screen.mayMatch("192.0.2.1 - - [10/Oct/2026:13:55:36 +0000] \"GET /?x=union select "
                            "HTTP/1.1\" 200 1 \"-\" \"x\""));
}

void TestSigmaScreen::passesEverythingWhenARuleNeedsNoLiteral()
{
    QVector<LoadIssue> issues;
    const auto rules = rulesFromText(
        webRule(1, "    selection:\n        cs-uri-query|re: 'a+b'\n    condition: selection\n")
            + webRule(2, "    selection:\n        cs-uri-query|contains: 'rare'\n"
                         "    condition: selection\n"),
        &issues);
    QVERIFY2(issues.isEmpty(), qPrintable(issuesText(issues)));
    LineScreen screen(rules->rules, LogFormat::WebAccess);
    QVERIFY(!screen.active());
    QVERIFY(screen.mayMatch("192.0.2.1 - - [10/Oct/2026:13:55:36 +0000] \"GET / HTTP/1.1\" 200 1"));
}

void TestSigmaScreen::otherFormatsAndClasses()
{
    QVector<LoadIssue> issues;
    const auto sshd = rulesFromText(
        "title: Sshd\nid: sshd-1\nlogsource:\n    product: linux\n    service: sshd\n"
        "detection:\n    keywords:\n        - 'Failed password'\n    condition: keywords\n",
        &issues);
    QVERIFY2(issues.isEmpty(), qPrintable(issuesText(issues)));
    // No rule for access logs: no access log line can match.
    LineScreen web(sshd->rules, LogFormat::WebAccess);
    QVERIFY(web.active());
    QVERIFY(!web.mayMatch("192.0.2.1 - - [10/Oct/2026:13:55:36 +0000] \"GET /Failed password "
                          "HTTP/1.1\" 200 1"));
    // Syslog lines are not screened.
    LineScreen syslog(sshd->rules, LogFormat::Syslog);
    QVERIFY(!syslog.active());
    QVERIFY(syslog.mayMatch("Oct 10 13:55:36 host sshd[1]: Accepted password for a"));
}

void TestSigmaScreen::sameMatchesAndAlerts_data()
{
    QTest::addColumn<QString>("rulesPath");
    QTest::addColumn<QString>("logPath");
    QTest::addColumn<bool>("mostlyBenign");  // so some lines must be passed over
    QTest::newRow("tricky lines, field rules") << QString() << QString() << true;
    const auto add = [](const char *log, bool mostlyBenign) {
        QTest::newRow(qPrintable(QStringLiteral("shipped rules, %1").arg(QLatin1String(log))))
            << rulesDir << dataDir + QLatin1Char('/') + QLatin1String(log) << mostlyBenign;
    };
    add("web/apache_combined_10k.log", true);
    add("web/login_attack_access.log", true);
    // Attack fixtures, where nearly every line may match.
    for (const char *log :
         { "corpora/crowdsec/nginx-http-sqli-probing__nginx-http-sqli-probing.log",
           "corpora/crowdsec/nginx-http-xss-probing__nginx-http-xss-probing.log",
           "corpora/crowdsec/nginx-http-path-traversal__nginx-http-path-traversal.log",
           "corpora/crowdsec/apache_log4j2_cve-2021-44228__apache_log4j2_cve-2021-44228.log",
           "corpora/crowdsec/http-wordpress-scan__http-wordpress-scan.log",
           "corpora/crowdsec/http-cve-probing__http-cve-probing.log",
           "corpora/crowdsec/apache-http-probing__apache-http-probing.log",
           "corpora/crowdsec/http-dos-bypass-cache__http_dos_bypass_cache.log",
           "corpora/fail2ban/nginx-botsearch" })
        add(log, false);
}

void TestSigmaScreen::sameMatchesAndAlerts()
{
    QFETCH(QString, rulesPath);
    QFETCH(QString, logPath);
    QFETCH(bool, mostlyBenign);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    std::shared_ptr<const SigmaRules> rules;
    QVector<LoadIssue> issues;
    if (rulesPath.isEmpty()) {
        rules = rulesFromText(fieldRules(), &issues);
        logPath = dir.filePath(QStringLiteral("tricky.log"));
        QFile file(logPath);
        QVERIFY(file.open(QIODevice::WriteOnly));
        // Repeated a day apart, so that bursts and sweeps happen.
        for (int day = 10; day < 13; ++day) {
            for (QByteArray line : trickyLines()) {
                const QByteArray date = QByteArray::number(day) + "/Oct/2026";
                line.replace(QByteArrayView("10/Oct/2026"), QByteArrayView(date));
                file.write(line + '\n');
            }
        }
    } else {
        if (!QFile::exists(logPath))
            QSKIP(qPrintable(logPath + QStringLiteral(" is missing; set PORTCULLIS_DATA_DIR")));
        rules = loadSigmaRules({ rulesPath }, &issues);
    }
    QVERIFY(rules);
    const Reading plain = readWith(rules, logPath, false);
    const Reading screened = readWith(rules, logPath, true);
    QCOMPARE(plain.summary.screenedLines, 0);
    if (mostlyBenign)
        QVERIFY(screened.summary.screenedLines > 0);
    QCOMPARE(screened.summary.lines, plain.summary.lines);
    QCOMPARE(screened.matches, plain.matches);
    QCOMPARE(screened.alerts, plain.alerts);
    if (mostlyBenign)
        QVERIFY(!plain.matches.isEmpty() && !plain.alerts.isEmpty());
}

// A log whose time goes back, as when `rules test` reads access.log and then
// the older access.log.1. The line passed over in the middle is newer than
// the burst's end by more than the detector keeps a burst, and the last line
// is older again. The alerts must not depend on whether the middle line was
// parsed.
void TestSigmaScreen::sameAlertsWhenTimeGoesBack()
{
    QVector<LoadIssue> issues;
    const auto rules = rulesFromText(
        webRule(1, "    selection:\n        cs-uri-query|contains: '/attack'\n"
                   "    condition: selection\n"),
        &issues);
    QVERIFY2(issues.isEmpty(), qPrintable(issuesText(issues)));
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString logPath = dir.filePath(QStringLiteral("back.log"));
    QFile file(logPath);
    QVERIFY(file.open(QIODevice::WriteOnly));
    const auto write = [&](const char *time, const char *path) {
        file.write(QByteArray("192.0.2.1 - - [10/Oct/2026:") + time + " +0000] \"GET " + path
                   + " HTTP/1.1\" 200 1 \"-\" \"x\"\n");
    };
    write("13:00:00", "/attack");
    write("13:16:00", "/index.html");
    write("13:05:00", "/attack");
    file.close();
    const Reading plain = readWith(rules, logPath, false);
    const Reading screened = readWith(rules, logPath, true);
    QCOMPARE(screened.summary.screenedLines, 1);
    QCOMPARE(screened.matches, plain.matches);
    QCOMPARE(screened.alerts, plain.alerts);
}

QTEST_GUILESS_MAIN(TestSigmaScreen)
#include "tst_sigmascreen.moc"
