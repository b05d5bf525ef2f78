// SPDX-License-Identifier: GPL-3.0-or-later
// Each modifier, value form and condition form against a matching and a
// non-matching event.
#include "sigmatestsupport.h"

#include "sigma/sigmafields.h"
#include "sigma/sigmavalue.h"

#include <QDateTime>
#include <QThread>
#include <QRandomGenerator>
#include <QTest>

#include <arpa/inet.h>

using namespace portcullis;
using namespace portcullis::sigma;
using namespace portcullis::sigma::test;

namespace {

QString base64Of(const QByteArray &bytes)
{
    return QString::fromLatin1(bytes.toBase64());
}

QString latin1Of(const QByteArray &bytes)
{
    return QString::fromLatin1(bytes);
}

QByteArray utf16le(const char *text)
{
    QByteArray bytes;
    for (const char *c = text; *c; ++c)
        bytes.append(*c).append('\0');
    return bytes;
}

QByteArray utf16be(const char *text)
{
    QByteArray bytes;
    for (const char *c = text; *c; ++c)
        bytes.append('\0').append(*c);
    return bytes;
}

qint64 utcMs(const char *iso)
{
    return QDateTime::fromString(QString::fromLatin1(iso), Qt::ISODate).toMSecsSinceEpoch();
}

} // namespace

class TestSigmaMatch : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void valueForms_data();
    void valueForms();
    void modifiers_data();
    void modifiers();
    void conditions_data();
    void conditions();
    void concurrentMatch();
    void prefilterAgreesWithEvaluation();
    void sharedUrlEditedInPlace();
    void sharedAddressAndUserEditedInPlace();
    void foldUtf8MatchesToLower();
    void parseAddressMatchesInetPton();
    void candidatesBeyond64Words();
    void countsAsAttemptField_data();
    void countsAsAttemptField();
};

void TestSigmaMatch::valueForms_data()
{
    QTest::addColumn<QByteArray>("detection");
    QTest::addColumn<QVariantMap>("fields");
    QTest::addColumn<bool>("expected");

    const QByteArray map = "    sel:\n        cs-method: POST\n        sc-status: 200\n"
                           "    condition: sel";
    QTest::newRow("map is AND: both") << map
        << QVariantMap { { "http.request.method", "POST" }, { "http.response.status_code", 200 } }
        << true;
    QTest::newRow("map is AND: one") << map
        << QVariantMap { { "http.request.method", "POST" }, { "http.response.status_code", 404 } }
        << false;
    const QByteArray values = "    sel:\n        cs-method:\n"
                              "            - PUT\n            - DELETE\n"
                              "    condition: sel";
    QTest::newRow("value list is OR: second") << values
        << QVariantMap { { "http.request.method", "DELETE" } } << true;
    QTest::newRow("value list is OR: none") << values
        << QVariantMap { { "http.request.method", "GET" } } << false;
    const QByteArray maps = "    sel:\n        - cs-method: PUT\n        - sc-status: 500\n"
                            "    condition: sel";
    QTest::newRow("list of maps is OR: second") << maps
        << QVariantMap { { "http.request.method", "GET" }, { "http.response.status_code", 500 } }
        << true;
    QTest::newRow("list of maps is OR: none") << maps
        << QVariantMap { { "http.request.method", "GET" }, { "http.response.status_code", 200 } }
        << false;
    QTest::newRow("case-insensitive by default") << QByteArray("    sel:\n        cs-method: post\n"
                                                              "    condition: sel")
        << QVariantMap { { "http.request.method", "POST" } } << true;

    const QByteArray keywords = "    keywords:\n        - 'jndi:ldap'\n        - '/etc/passwd'\n"
                                "    condition: keywords";
    QTest::newRow("keywords search the line") << keywords
        << QVariantMap { { "event.original", "GET /x?a=${JNDI:LDAP://e} HTTP/1.1" } } << true;
    QTest::newRow("keywords no hit") << keywords
        << QVariantMap { { "event.original", "GET /index.html HTTP/1.1" } } << false;
    const QByteArray keywordsAll = "    keywords:\n        '|all':\n            - 'union'\n"
                                   "            - 'select'\n    condition: keywords";
    QTest::newRow("keywords |all: both") << keywordsAll
        << QVariantMap { { "event.original", "id=1 UNION SELECT pass" } } << true;
    QTest::newRow("keywords |all: one") << keywordsAll
        << QVariantMap { { "event.original", "id=1 union all" } } << false;

    const QByteArray star = "    sel:\n        cs-uri-query: '/admin/*.php'\n    condition: sel";
    QTest::newRow("wildcard *") << star << QVariantMap { { "url.original", "/admin/x/y.php" } }
                                << true;
    QTest::newRow("wildcard * no") << star << QVariantMap { { "url.original", "/admin/x.phps" } }
                                   << false;
    const QByteArray question = "    sel:\n        cs-uri-query: '/v?/api'\n    condition: sel";
    QTest::newRow("wildcard ?") << question << QVariantMap { { "url.original", "/v2/api" } }
                                << true;
    QTest::newRow("wildcard ? is one char") << question
        << QVariantMap { { "url.original", "/v10/api" } } << false;
    const QByteArray escapedStar = "    sel:\n        cs-uri-query: 'a\\*b'\n    condition: sel";
    QTest::newRow("escaped star literal") << escapedStar
                                          << QVariantMap { { "url.original", "a*b" } } << true;
    QTest::newRow("escaped star not wildcard") << escapedStar
        << QVariantMap { { "url.original", "axxb" } } << false;
    const QByteArray escapedQuestion = "    sel:\n        cs-uri-query: 'a\\?'\n    condition: sel";
    QTest::newRow("escaped ? literal") << escapedQuestion
                                       << QVariantMap { { "url.original", "a?" } } << true;
    QTest::newRow("escaped ? not wildcard") << escapedQuestion
        << QVariantMap { { "url.original", "ab" } } << false;
    const QByteArray backslashStar = "    sel:\n        cs-uri-query: 'C:\\\\*'\n"
                                     "    condition: sel";
    QTest::newRow("backslash then wildcard") << backslashStar
        << QVariantMap { { "url.original", "C:\\Windows" } } << true;
    QTest::newRow("backslash then wildcard no") << backslashStar
        << QVariantMap { { "url.original", "C:/Windows" } } << false;
    const QByteArray backslashLiteralStar = "    sel:\n        cs-uri-query: 'a\\\\\\*'\n"
                                            "    condition: sel";
    QTest::newRow("three backslashes: literal") << backslashLiteralStar
        << QVariantMap { { "url.original", "a\\*" } } << true;
    QTest::newRow("three backslashes: no wildcard") << backslashLiteralStar
        << QVariantMap { { "url.original", "a\\xyz" } } << false;
    const QByteArray plainBackslash = "    sel:\n        cs-uri-query: 'C:\\Windows\\'\n"
                                      "    condition: sel";
    QTest::newRow("plain backslash") << plainBackslash
        << QVariantMap { { "url.original", "C:\\Windows\\" } } << true;

    const QByteArray null = "    sel:\n        cs-username: null\n    condition: sel";
    QTest::newRow("null matches absent") << null << QVariantMap {} << true;
    QTest::newRow("null no match when set") << null << QVariantMap { { "user.name", "bob" } }
                                            << false;
    QTest::newRow("null matches JSON null") << QByteArray("    sel:\n        custom.field: null\n"
                                                          "    condition: sel")
        << QVariantMap { { "custom.field", QVariant::fromValue(nullptr) } } << true;
    const QByteArray empty = "    sel:\n        cs-username: ''\n    condition: sel";
    QTest::newRow("empty matches empty") << empty << QVariantMap { { "user.name", "" } } << true;
    QTest::newRow("empty not absent") << empty << QVariantMap {} << false;
    QTest::newRow("empty not text") << empty << QVariantMap { { "user.name", "x" } } << false;
    QTest::newRow("integer value") << QByteArray("    sel:\n        sc-status: 404\n"
                                                 "    condition: sel")
        << QVariantMap { { "http.response.status_code", 404 } } << true;
    QTest::newRow("JSON array element") << QByteArray("    sel:\n        tags: b\n"
                                                      "    condition: sel")
        << QVariantMap { { "tags", QVariantList { "a", "b" } } } << true;
}

void TestSigmaMatch::valueForms()
{
    QFETCH(QByteArray, detection);
    QFETCH(QVariantMap, fields);
    QFETCH(bool, expected);

    QVector<LoadIssue> issues;
    const RuleSet rules = ruleSetFromText(webRule(detection), &issues);
    for (const LoadIssue &issue : std::as_const(issues))
        qWarning() << issue.line << issue.feature << issue.message;
    QVERIFY(issues.isEmpty());
    QCOMPARE(rules.ruleCount(), 1);
    QCOMPARE(matches(rules, webEvent(fields)), expected);
}

void TestSigmaMatch::modifiers_data()
{
    QTest::addColumn<QByteArray>("detection");
    QTest::addColumn<QVariantMap>("fields");
    QTest::addColumn<bool>("expected");

    auto rule = [](const char *key, const char *value) -> QByteArray {
        return QByteArray("    sel:\n        ") + key + ": " + value + "\n    condition: sel";
    };
    auto uri = [](const QString &text) { return QVariantMap { { "url.original", text } }; };
    auto agent = [](const QString &text) {
        return QVariantMap { { "user_agent.original", text } };
    };

    QTest::newRow("contains") << rule("cs-uri-query|contains", "'etc/passwd'")
                              << uri("/x/../../ETC/PASSWD") << true;
    QTest::newRow("contains no") << rule("cs-uri-query|contains", "'etc/passwd'") << uri("/etc/")
                                 << false;
    QTest::newRow("startswith") << rule("cs-uri-query|startswith", "'/wp-'") << uri("/wp-login.php")
                                << true;
    QTest::newRow("startswith no") << rule("cs-uri-query|startswith", "'/wp-'") << uri("/a/wp-x")
                                   << false;
    QTest::newRow("endswith") << rule("cs-uri-query|endswith", "'.env'") << uri("/app/.env")
                              << true;
    QTest::newRow("endswith no") << rule("cs-uri-query|endswith", "'.env'") << uri("/.env.bak")
                                 << false;
    QTest::newRow("contains|all") << rule("cs-uri-query|contains|all", "['union', 'select']")
                                  << uri("/q?x=1+UNION+SELECT") << true;
    QTest::newRow("contains|all one") << rule("cs-uri-query|contains|all", "['union', 'select']")
                                      << uri("/q?x=union") << false;
    QTest::newRow("exists true") << rule("cs-referrer|exists", "true")
                                 << QVariantMap { { "http.request.referrer", "http://a" } } << true;
    QTest::newRow("exists true absent") << rule("cs-referrer|exists", "true") << QVariantMap {}
                                        << false;
    QTest::newRow("exists false") << rule("cs-referrer|exists", "false") << QVariantMap {} << true;
    QTest::newRow("exists false present") << rule("cs-referrer|exists", "false")
        << QVariantMap { { "http.request.referrer", "http://a" } } << false;
    QTest::newRow("cased") << rule("c-useragent|cased", "'Nmap'") << agent("Nmap") << true;
    QTest::newRow("cased no") << rule("c-useragent|cased", "'Nmap'") << agent("nmap") << false;
    QTest::newRow("neq") << rule("cs-method|neq", "GET")
                         << QVariantMap { { "http.request.method", "POST" } } << true;
    QTest::newRow("neq no") << rule("cs-method|neq", "GET")
                            << QVariantMap { { "http.request.method", "get" } } << false;
    QTest::newRow("windash slash") << rule("cs-uri-query|contains|windash", "' -enc '")
                                   << uri("powershell /enc abc") << true;
    QTest::newRow("windash en dash") << rule("cs-uri-query|contains|windash", "' -enc '")
                                     << uri(QStringLiteral("powershell \u2013enc abc")) << true;
    QTest::newRow("windash horizontal bar") << rule("cs-uri-query|contains|windash", "' -enc '")
                                            << uri(QStringLiteral("powershell \u2015enc abc"))
                                            << true;
    QTest::newRow("windash no") << rule("cs-uri-query|contains|windash", "' -enc '")
                                << uri("powershell +enc abc") << false;
    QTest::newRow("re") << rule("cs-uri-query|re", "'^/api/v[0-9]+/'") << uri("/api/v2/x") << true;
    QTest::newRow("re is cased") << rule("cs-uri-query|re", "'^/API/'") << uri("/api/x") << false;
    QTest::newRow("re|i") << rule("cs-uri-query|re|i", "'^/API/'") << uri("/api/x") << true;
    QTest::newRow("re|i no") << rule("cs-uri-query|re|i", "'^/API/$'") << uri("/api/x") << false;
    QTest::newRow("re|m") << rule("cs-uri-query|re|m", "'^second$'") << uri("first\nsecond")
                          << true;
    QTest::newRow("re without m") << rule("cs-uri-query|re", "'^second$'") << uri("first\nsecond")
                                  << false;
    QTest::newRow("re|s") << rule("cs-uri-query|re|s", "'a.b'") << uri("a\nb") << true;
    QTest::newRow("re without s") << rule("cs-uri-query|re", "'a.b'") << uri("a\nb") << false;

    QTest::newRow("base64") << rule("cs-uri-query|base64", "'/bin/sh'")
                            << uri(base64Of("/bin/sh")) << true;
    QTest::newRow("base64 no") << rule("cs-uri-query|base64", "'/bin/sh'")
                               << uri(base64Of("/bin/bash")) << false;
    for (int shift = 0; shift < 3; ++shift) {
        const QByteArray prefix(shift, 'x');
        QTest::addRow("base64offset shift %d", shift)
            << rule("cs-uri-query|base64offset|contains", "'/bin/sh'")
            << uri(base64Of(prefix + "/bin/sh -c id")) << true;
    }
    QTest::newRow("base64offset no") << rule("cs-uri-query|base64offset|contains", "'/bin/sh'")
                                     << uri(base64Of("x/usr/bin/id")) << false;
    QTest::newRow("utf16le") << rule("cs-uri-query|utf16le|contains", "'cmd'")
                             << uri(latin1Of("a" + utf16le("cmd"))) << true;
    QTest::newRow("utf16le no") << rule("cs-uri-query|utf16le|contains", "'cmd'") << uri("cmd")
                                << false;
    QTest::newRow("wide") << rule("cs-uri-query|wide|base64offset|contains", "'ping'")
                          << uri(base64Of("x" + utf16le("ping"))) << true;
    QTest::newRow("wide no") << rule("cs-uri-query|wide|base64offset|contains", "'ping'")
                             << uri(base64Of("xping")) << false;
    QTest::newRow("utf16be") << rule("cs-uri-query|utf16be|base64|contains", "'cmd'")
                             << uri(base64Of(utf16be("cmd"))) << true;
    QTest::newRow("utf16be no") << rule("cs-uri-query|utf16be|base64|contains", "'cmd'")
                                << uri(base64Of(utf16le("cmd"))) << false;
    QTest::newRow("utf16 with BOM") << rule("cs-uri-query|utf16|base64", "'cmd'")
                                    << uri(base64Of("\xFF\xFE" + utf16le("cmd"))) << true;
    QTest::newRow("utf16 with BOM no") << rule("cs-uri-query|utf16|base64", "'cmd'")
                                       << uri(base64Of(utf16le("cmd"))) << false;

    auto bytes = [](qint64 n) { return QVariantMap { { "http.response.body.bytes", n } }; };
    QTest::newRow("lt") << rule("sc-bytes|lt", "100") << bytes(99) << true;
    QTest::newRow("lt no") << rule("sc-bytes|lt", "100") << bytes(100) << false;
    QTest::newRow("lte") << rule("sc-bytes|lte", "100") << bytes(100) << true;
    QTest::newRow("lte no") << rule("sc-bytes|lte", "100") << bytes(101) << false;
    QTest::newRow("gt") << rule("sc-bytes|gt", "100") << bytes(101) << true;
    QTest::newRow("gt no") << rule("sc-bytes|gt", "100") << bytes(100) << false;
    QTest::newRow("gte") << rule("sc-bytes|gte", "100") << bytes(100) << true;
    QTest::newRow("gte no") << rule("sc-bytes|gte", "100") << bytes(99) << false;
    QTest::newRow("gt absent") << rule("sc-bytes|gt", "0") << QVariantMap {} << false;

    auto ip = [](const char *address) { return QVariantMap { { "source.ip", address } }; };
    QTest::newRow("cidr v4") << rule("c-ip|cidr", "'10.0.0.0/8'") << ip("10.200.1.2") << true;
    QTest::newRow("cidr v4 no") << rule("c-ip|cidr", "'10.0.0.0/8'") << ip("11.0.0.1") << false;
    QTest::newRow("cidr v4 /27") << rule("c-ip|cidr", "'192.168.1.32/27'") << ip("192.168.1.63")
                                 << true;
    QTest::newRow("cidr v4 /27 no") << rule("c-ip|cidr", "'192.168.1.32/27'")
                                    << ip("192.168.1.64") << false;
    QTest::newRow("cidr v6") << rule("c-ip|cidr", "'2001:db8::/32'") << ip("2001:db8:1::5")
                             << true;
    QTest::newRow("cidr v6 no") << rule("c-ip|cidr", "'2001:db8::/32'") << ip("2001:db9::5")
                                << false;
    QTest::newRow("cidr v6 rule, v4 event") << rule("c-ip|cidr", "'::/0'") << ip("10.0.0.1")
                                            << false;

    QTest::newRow("fieldref") << rule("cs-referrer|fieldref", "cs-uri-query")
        << QVariantMap { { "http.request.referrer", "/a" }, { "url.original", "/A" } } << true;
    QTest::newRow("fieldref no") << rule("cs-referrer|fieldref", "cs-uri-query")
        << QVariantMap { { "http.request.referrer", "/a" }, { "url.original", "/b" } } << false;
    QTest::newRow("fieldref|neq") << rule("cs-referrer|fieldref|neq", "cs-uri-query")
        << QVariantMap { { "http.request.referrer", "/a" }, { "url.original", "/b" } } << true;
    QTest::newRow("fieldref|neq no") << rule("cs-referrer|fieldref|neq", "cs-uri-query")
        << QVariantMap { { "http.request.referrer", "/a" }, { "url.original", "/a" } } << false;

    QTest::newRow("expand") << rule("c-ip|expand", "'%Servers%'") << ip("10.1.1.2") << true;
    QTest::newRow("expand no") << rule("c-ip|expand", "'%Servers%'") << ip("10.1.1.3") << false;
    QTest::newRow("expand escaped percent") << rule("cs-uri-query|expand", "'\\%20%Servers%'")
                                            << uri("%2010.1.1.1") << true;

    auto at = [](const char *iso) { return QVariantMap { { "@timestamp", utcMs(iso) } }; };
    QTest::newRow("hour") << rule("'@timestamp|hour'", "13") << at("2024-01-02T13:45:00Z") << true;
    QTest::newRow("hour no") << rule("'@timestamp|hour'", "13") << at("2024-01-02T14:45:00Z")
                             << false;
    QTest::newRow("minute") << rule("'@timestamp|minute'", "45") << at("2024-01-02T13:45:00Z")
                            << true;
    QTest::newRow("day") << rule("'@timestamp|day'", "2") << at("2024-01-02T13:45:00Z") << true;
    QTest::newRow("week") << rule("'@timestamp|week'", "1") << at("2024-01-02T13:45:00Z") << true;
    QTest::newRow("month") << rule("'@timestamp|month'", "2") << at("2024-01-02T13:45:00Z")
                           << false;
    QTest::newRow("year") << rule("'@timestamp|year'", "2024") << at("2024-01-02T13:45:00Z")
                          << true;
}

void TestSigmaMatch::modifiers()
{
    QFETCH(QByteArray, detection);
    QFETCH(QVariantMap, fields);
    QFETCH(bool, expected);

    const QHash<QString, QStringList> placeholders {
        { QStringLiteral("Servers"), { QStringLiteral("10.1.1.1"), QStringLiteral("10.1.1.2") } },
    };
    QVector<LoadIssue> issues;
    const RuleSet rules = ruleSetFromText(webRule(detection), &issues, placeholders);
    for (const LoadIssue &issue : std::as_const(issues))
        qWarning() << issue.line << issue.feature << issue.message;
    QVERIFY(issues.isEmpty());
    QCOMPARE(rules.ruleCount(), 1);
    QCOMPARE(matches(rules, webEvent(fields)), expected);
}

void TestSigmaMatch::conditions_data()
{
    QTest::addColumn<QByteArray>("condition");
    QTest::addColumn<QString>("method");
    QTest::addColumn<bool>("expected");

    // sel_a: method POST, sel_b: method starts with P, filter_x: method PUT,
    // _hidden: always true.
    QTest::newRow("and") << QByteArray("sel_a and sel_b") << "POST" << true;
    QTest::newRow("and no") << QByteArray("sel_a and sel_b") << "PUT" << false;
    QTest::newRow("or") << QByteArray("sel_a or filter_x") << "PUT" << true;
    QTest::newRow("or no") << QByteArray("sel_a or filter_x") << "GET" << false;
    QTest::newRow("not") << QByteArray("not sel_a") << "GET" << true;
    QTest::newRow("not no") << QByteArray("not sel_a") << "POST" << false;
    QTest::newRow("and not") << QByteArray("sel_b and not filter_x") << "PUT" << false;
    QTest::newRow("precedence") << QByteArray("filter_x or sel_a and not sel_b") << "PUT" << true;
    QTest::newRow("parentheses") << QByteArray("(filter_x or sel_a) and not sel_b") << "PUT"
                                 << false;
    QTest::newRow("1 of sel*") << QByteArray("1 of sel*") << "PATCH" << true;
    QTest::newRow("1 of sel* no") << QByteArray("1 of sel*") << "GET" << false;
    QTest::newRow("any of sel*") << QByteArray("any of sel*") << "PATCH" << true;
    QTest::newRow("all of sel*") << QByteArray("all of sel*") << "POST" << true;
    QTest::newRow("all of sel* no") << QByteArray("all of sel*") << "PATCH" << false;
    QTest::newRow("not 1 of binds tighter") << QByteArray("sel_b and not 1 of filter*") << "POST"
                                            << true;
    QTest::newRow("1 of them") << QByteArray("1 of them") << "PUT" << true;
    QTest::newRow("all of them skips _") << QByteArray("all of them") << "GET" << false;
    QTest::newRow("all of them") << QByteArray("all of them and _hidden") << "GET" << false;
    QTest::newRow("pattern in middle") << QByteArray("1 of s*_a") << "POST" << true;
    QTest::newRow("list is OR") << QByteArray("\n        - sel_a\n        - filter_x") << "PUT"
                                << true;
    QTest::newRow("list is OR no") << QByteArray("\n        - sel_a\n        - filter_x") << "GET"
                                   << false;
}

void TestSigmaMatch::conditions()
{
    QFETCH(QByteArray, condition);
    QFETCH(QString, method);
    QFETCH(bool, expected);

    const QByteArray detection = "    sel_a:\n        cs-method: POST\n"
                                 "    sel_b:\n        cs-method|startswith: P\n"
                                 "    filter_x:\n        cs-method: PUT\n"
                                 "    _hidden:\n        cs-method|exists: true\n"
                                 "    condition: " + condition;
    QVector<LoadIssue> issues;
    const RuleSet rules = ruleSetFromText(webRule(detection), &issues);
    for (const LoadIssue &issue : std::as_const(issues))
        qWarning() << issue.line << issue.feature << issue.message;
    QVERIFY(issues.isEmpty());
    QCOMPARE(matches(rules, webEvent({ { "http.request.method", method } })), expected);
}

void TestSigmaMatch::concurrentMatch()
{
    // Rules with literals (prefiltered) and without (always evaluated).
    QByteArray yaml;
    for (int i = 0; i < 40; ++i) {
        yaml += "title: Rule " + QByteArray::number(i) + "\nlogsource:\n    category: webserver\n"
                "detection:\n    sel:\n        cs-uri-query|contains: '/p" + QByteArray::number(i)
                + "/'\n    condition: sel\n---\n";
    }
    yaml += "title: Status\nlogsource:\n    category: webserver\ndetection:\n"
            "    sel:\n        sc-status|gte: 500\n    condition: sel\n---\n"
            "title: Regex\nlogsource:\n    category: webserver\ndetection:\n"
            "    sel:\n        cs-uri-query|re: '^/p1[0-9]/'\n    condition: sel\n";
    QVector<LoadIssue> issues;
    const RuleSet rules = ruleSetFromText(yaml, &issues);
    QVERIFY(issues.isEmpty());
    QCOMPARE(rules.ruleCount(), 42);

    QVector<Event> events;
    QVector<QVector<int>> expected;
    for (int i = 0; i < 2000; ++i) {
        const QString url = QStringLiteral("/p%1/p%2/").arg(i % 50).arg(i % 7);
        events.append(webEvent({ { "url.original", url },
                                 { "http.response.status_code", 200 + i % 400 } }));
        QVector<int> matched;
        rules.match(events.last(), &matched);
        expected.append(matched);
    }
    QCOMPARE(expected.at(3), (QVector<int> { 3 }));
    QCOMPARE(expected.at(320), (QVector<int> { 5, 20, 40 }));
    QCOMPARE(expected.at(311), (QVector<int> { 3, 11, 40, 41 }));

    QAtomicInt mismatches = 0;
    QVector<QThread *> threads;
    for (int t = 0; t < 4; ++t) {
        threads.append(QThread::create([&] {
            for (int round = 0; round < 5; ++round) {
                for (int i = 0; i < events.size(); ++i) {
                    QVector<int> matched;
                    rules.match(events.at(i), &matched);
                    if (matched != expected.at(i))
                        mismatches.fetchAndAddRelaxed(1);
                }
            }
        }));
        threads.last()->start();
    }
    for (QThread *thread : std::as_const(threads)) {
        QVERIFY(thread->wait(60000));
        delete thread;
    }
    QCOMPARE(mismatches.loadRelaxed(), 0);
}

void TestSigmaMatch::prefilterAgreesWithEvaluation()
{
    // Each detection once as written, where the prefilter picks candidates
    // and decides tests from the literals it found, and once wrapped in
    // `not (not ...)`, which has no prefilter literals, so every test is
    // evaluated on the event itself. Both must match the same events.
    const QList<QByteArray> detections {
        "    sel:\n        user.name: test\n",
        "    sel:\n        user.name|cased: Test\n",
        "    sel:\n        user.name: ädmin\n",
        "    sel:\n        user.name:\n            - root\n            - admin\n",
        "    sel:\n        user.name|contains: est\n",
        "    sel:\n        user.name|contains|cased: Est\n",
        "    sel:\n        user.name|startswith: te\n",
        "    sel:\n        user.name|endswith: user\n",
        "    sel:\n        user.name: 't*r'\n",
        "    sel:\n        c-ip|cidr: '10.1.2.3/16'\n",
        "    sel:\n        c-ip|cidr:\n            - '10.1.0.0/16'\n            - '10.0.0.0/8'\n",
        "    sel:\n        c-ip|cidr: '10.1.2.3'\n",
        "    sel:\n        c-ip|cidr: '2001:db8::/33'\n",
        "    sel:\n        c-ip|cidr: '0.0.0.0/0'\n",
        "    sel:\n        sc-status: 404\n",
        "    sel:\n        sc-bytes: 0\n",
        "    sel:\n        sc-bytes|contains: 10\n",
        "    sel:\n        tags: b\n",
        "    sel:\n        tags|contains: B\n",
        "    sel_a:\n        cs-uri-query|contains: /admin\n"
        "    sel_b:\n        user.name: test\n    condition: all of sel_*\n",
        "    sel_a:\n        cs-uri-query|contains: /admin\n"
        "    sel_b:\n        c-ip|cidr: '10.1.0.0/16'\n    condition: sel_a and not sel_b\n",
        "    sel_a:\n        cs-uri-query|contains|all:\n            - /admin\n"
        "            - .php\n    sel_b:\n        user.name: root\n"
        "    condition: sel_a or sel_b\n",
        "    keywords:\n        - 'ADMIN'\n        - 'ünïcode'\n",
        "    sel:\n        cs-uri-query|contains: /zone/\n",
        "    sel:\n        cs-uri-query|contains:\n            - '`'\n            - '{'\n",
    };
    QByteArray normal;
    QByteArray unfiltered;
    for (int i = 0; i < detections.size(); ++i) {
        QByteArray detection = detections.at(i);
        QByteArray condition = "sel";
        const qsizetype at = detection.indexOf("    condition: ");
        if (at >= 0) {
            condition = detection.mid(at + 15).trimmed();
            detection.truncate(at);
        } else if (detection.startsWith("    keywords:")) {
            condition = "keywords";
        }
        const QByteArray head = "title: Rule " + QByteArray::number(i)
                                + "\nlogsource:\n    category: webserver\ndetection:\n"
                                + detection + "    condition: ";
        normal += head + condition + "\n---\n";
        unfiltered += head + "not (not (" + condition + "))\n---\n";
    }
    QVector<LoadIssue> issues;
    const RuleSet prefiltered = ruleSetFromText(normal, &issues);
    const RuleSet evaluated = ruleSetFromText(unfiltered, &issues);
    for (const LoadIssue &issue : std::as_const(issues))
        qWarning() << issue.line << issue.feature << issue.message;
    QVERIFY(issues.isEmpty());
    QCOMPARE(prefiltered.ruleCount(), detections.size());
    QCOMPARE(evaluated.ruleCount(), detections.size());

    const QStringList users { "test", "TEST", "Test", "testuser", "atest", "root", "ÄDMIN",
                              "ädmin", "tester", "aEst", "" };
    const QStringList addresses { "10.1.2.3", "10.1.99.1", "10.2.0.1", "11.0.0.1",
                                  "2001:db8::1", "2001:db8:8000::1", "::ffff:10.1.2.3",
                                  "10.1.2", "" };
    // URLs of 16 characters or more, because the prefilter folds text in
    // blocks of 16, with upper case and non-ASCII text inside and after the
    // first block.
    const QStringList urls { "/admin/x.php", "/ADMIN", "/index.php", "/", "/ünïcode",
                             "/static/scripts/Main/ADMIN/page.PHP", "/static/scripts/ünïcode/x",
                             "/s/ZONE/@[/scripts/and/more", "/s/zone/`{/scripts/and/more" };
    const QList<QVariant> tags { QVariant(), QVariantList { "a", "b" }, QVariantList { "ab" },
                                 QString("B") };
    int events = 0;
    QVector<int> eventsMatched(detections.size(), 0);
    for (int n = 0; n < users.size() * addresses.size(); ++n) {
        QVariantMap fields { { "user.name", users.at(n % users.size()) },
                             { "source.ip", addresses.at(n / users.size()) },
                             { "url.original", urls.at(n % urls.size()) },
                             { "http.response.status_code", n % 3 == 0 ? 404 : 200 } };
        if (n % 4 != 0)
            fields.insert("http.response.body.bytes", n % 4 == 1 ? 0 : n % 4 * 50);
        if (tags.at(n % tags.size()).isValid())
            fields.insert("tags", tags.at(n % tags.size()));
        Event event = webEvent(fields);
        event.original = event.urlOriginal + QLatin1Char(' ') + event.userName;
        QVector<int> expected;
        evaluated.match(event, &expected);
        QVector<int> actual;
        prefiltered.match(event, &actual);
        QCOMPARE(actual, expected);
        ++events;
        for (const int rule : std::as_const(expected))
            ++eventsMatched[rule];
    }
    // Every rule matches some events and not others, so both results of
    // each test are compared.
    for (int rule = 0; rule < detections.size(); ++rule) {
        QVERIFY2(eventsMatched.at(rule) > 0, detections.at(rule).constData());
        QVERIFY2(eventsMatched.at(rule) < events, detections.at(rule).constData());
    }
}

void TestSigmaMatch::sharedUrlEditedInPlace()
{
    // The prefilter reuses its scan of a URL string that an earlier event
    // shared. A string changed in place after a match must be scanned again.
    QVector<LoadIssue> issues;
    const RuleSet rules = ruleSetFromText(
        "title: Admin\nlogsource:\n    category: webserver\ndetection:\n"
        "    sel:\n        cs-uri-query|contains: /admin\n    condition: sel\n",
        &issues);
    QVERIFY(issues.isEmpty());

    Event event = webEvent({ { "url.original", QStringLiteral("/admin/index.php") } });
    const Event shared = event;  // shares the URL's data, like events of a parser
    QVector<int> matched;
    rules.match(event, &matched);
    QCOMPARE(matched, (QVector<int> { 0 }));

    event.urlOriginal[1] = QLatin1Char('b');  // "/bdmin/index.php", the same size
    matched.clear();
    rules.match(event, &matched);
    QCOMPARE(matched, QVector<int>());

    matched.clear();
    rules.match(shared, &matched);
    QCOMPARE(matched, (QVector<int> { 0 }));

    event.urlOriginal = shared.urlOriginal;
    matched.clear();
    rules.match(event, &matched);
    QCOMPARE(matched, (QVector<int> { 0 }));
}

void TestSigmaMatch::sharedAddressAndUserEditedInPlace()
{
    // The prefilter reuses its look-up of a client address and of a user
    // name that an earlier event shared, as parsers share them between the
    // lines of one connection. A string changed in place must be looked up
    // again, and other rule sets keep their own results.
    QVector<LoadIssue> issues;
    const RuleSet rules = ruleSetFromText(
        "title: Network\nlogsource:\n    category: webserver\ndetection:\n"
        "    sel:\n        c-ip|cidr: 10.1.0.0/16\n    condition: sel\n---\n"
        "title: User\nlogsource:\n    category: webserver\ndetection:\n"
        "    sel:\n        user.name: admin\n    condition: sel\n",
        &issues);
    QVERIFY(issues.isEmpty());
    const RuleSet other = ruleSetFromText(
        "title: Other network\nlogsource:\n    category: webserver\ndetection:\n"
        "    sel:\n        c-ip|cidr: 10.2.0.0/16\n    condition: sel\n",
        &issues);
    QVERIFY(issues.isEmpty());

    Event event = webEvent({ { "source.ip", QStringLiteral("10.1.2.3") },
                             { "user.name", QStringLiteral("admin") } });
    const Event shared = event;  // shares the strings' data, like events of a parser
    QVector<int> matched;
    rules.match(event, &matched);
    QCOMPARE(matched, (QVector<int> { 0, 1 }));
    matched.clear();
    other.match(event, &matched);
    QCOMPARE(matched, QVector<int>());

    event.sourceIp[3] = QLatin1Char('2');  // "10.2.2.3", the same size
    event.userName[0] = QLatin1Char('b');  // "bdmin"
    matched.clear();
    rules.match(event, &matched);
    QCOMPARE(matched, QVector<int>());
    matched.clear();
    other.match(event, &matched);
    QCOMPARE(matched, (QVector<int> { 0 }));

    matched.clear();
    rules.match(shared, &matched);
    QCOMPARE(matched, (QVector<int> { 0, 1 }));
    matched.clear();
    other.match(shared, &matched);
    QCOMPARE(matched, QVector<int>());

    // A text test and a network test of one string keep their results
    // apart, here a user name that shares the address string.
    const RuleSet mixed = ruleSetFromText(
        "title: Text\nlogsource:\n    category: webserver\ndetection:\n"
        "    sel:\n        user.name|startswith: '10.1.'\n    condition: sel\n---\n"
        "title: Network\nlogsource:\n    category: webserver\ndetection:\n"
        "    sel:\n        c-ip|cidr: 10.9.0.0/16\n    condition: sel\n",
        &issues);
    QVERIFY(issues.isEmpty());
    for (const QString &address : { QStringLiteral("10.9.1.1"), QStringLiteral("10.1.1.1") }) {
        Event both = webEvent({ { "source.ip", address } });
        both.userName = both.sourceIp;
        both.hasUserName = true;
        matched.clear();
        mixed.match(both, &matched);
        QCOMPARE(matched, (QVector<int> { address.startsWith(QLatin1String("10.9.")) ? 1 : 0 }));
    }
}

void TestSigmaMatch::foldUtf8MatchesToLower()
{
    // foldUtf8 folds ASCII text in blocks of 16 or 32 units and falls back
    // to QString::toLower for other text. The cases cover every length up to
    // 100, upper case at block edges and, in some, a non-ASCII unit.
    const QString alphabet = QStringLiteral("aZ09 /.-_?AzMm[`{@");
    QByteArray buffer;
    for (int size = 0; size <= 100; ++size) {
        for (int variant = 0; variant < 4; ++variant) {
            QString text;
            for (int i = 0; i < size; ++i)
                text.append(alphabet.at((i * 7 + variant * 5 + size) % alphabet.size()));
            if (variant == 3 && size > 0)
                text[(size * 13) % size] = QChar(0x00C4);  // 'Ä'
            foldUtf8(text, &buffer);
            QCOMPARE(buffer, text.toLower().toUtf8());
        }
    }
}

void TestSigmaMatch::parseAddressMatchesInetPton()
{
    // parseAddress reads dotted quads itself and leaves IPv6 to inet_pton.
    // Random texts near the form of an address (digits, dots, colons, a few
    // other characters, 1 to 18 long) must parse as glibc's inet_pton does.
    const QString alphabet = QStringLiteral("0123456789012345....::fx");
    QRandomGenerator random(20261205);
    QList<QString> texts { QStringLiteral("1.2.3.4"), QStringLiteral("255.255.255.255"),
                           QStringLiteral("256.1.1.1"), QStringLiteral("01.2.3.4"),
                           QStringLiteral("1.2.3.04"), QStringLiteral("0.0.0.0"),
                           QStringLiteral("1.2.3"), QStringLiteral("1.2.3.4."),
                           QStringLiteral(".1.2.3.4"), QStringLiteral("1..2.3"),
                           QStringLiteral("1000.1.1.1"), QStringLiteral("::ffff:1.2.3.4"),
                           QStringLiteral("fe80::1"), QStringLiteral("1.2.3.4\u00e9"),
                           QStringLiteral("123.123.123.123"), QStringLiteral("1.2.3.4.5") };
    for (int n = 0; n < 50000; ++n) {
        QString text;
        const int size = 1 + int(random.bounded(18));
        for (int i = 0; i < size; ++i)
            text.append(alphabet.at(int(random.bounded(alphabet.size()))));
        texts.append(text);
    }
    for (const QString &text : std::as_const(texts)) {
        std::array<quint8, 16> bytes {};
        const int size = parseAddress(text, &bytes);
        const QByteArray latin1 = text.toLatin1();
        std::array<quint8, 16> expected {};
        int expectedSize = 0;
        if (inet_pton(AF_INET, latin1.constData(), expected.data()) == 1)
            expectedSize = 4;
        else if (text.contains(u':') && inet_pton(AF_INET6, latin1.constData(), expected.data()) == 1)
            expectedSize = 16;
        QCOMPARE(size, expectedSize);
        QCOMPARE(QByteArrayView(bytes.data(), size), QByteArrayView(expected.data(), expectedSize));
    }
}

void TestSigmaMatch::candidatesBeyond64Words()
{
    // match() visits only the candidate words it recorded while a rule set
    // has at most 64 words of 64 rules (4,096 rules), and every word of a
    // larger set. Both must give the matches in ascending order.
    for (const int count : { 64 * 64, 64 * 64 + 100 }) {
        QByteArray yaml;
        for (int i = 0; i < count; ++i) {
            yaml += "title: Rule " + QByteArray::number(i)
                    + "\nlogsource:\n    category: webserver\ndetection:\n    sel:\n"
                      "        cs-uri-query|contains: '/p" + QByteArray::number(i)
                    + "/'\n    condition: sel\n---\n";
        }
        QVector<LoadIssue> issues;
        const RuleSet rules = ruleSetFromText(yaml, &issues);
        QVERIFY(issues.isEmpty());
        QCOMPARE(rules.ruleCount(), count);

        QVector<int> matched;
        rules.match(webEvent({ { "url.original", QStringLiteral("/p4095/p3/p64/") } }), &matched);
        QCOMPARE(matched, (QVector<int> { 3, 64, 4095 }));
    }
}

void TestSigmaMatch::countsAsAttemptField_data()
{
    QTest::addColumn<QByteArray>("ruleValue");
    QTest::addColumn<bool>("countsAsAttempt");
    QTest::addColumn<bool>("expected");
    QTest::newRow("true on a counted line") << QByteArray("true") << true << true;
    QTest::newRow("true on a repeat line") << QByteArray("true") << false << false;
    QTest::newRow("false on a repeat line") << QByteArray("false") << false << true;
    QTest::newRow("false on a counted line") << QByteArray("false") << true << false;
}

void TestSigmaMatch::countsAsAttemptField()
{
    QFETCH(QByteArray, ruleValue);
    QFETCH(bool, countsAsAttempt);
    QFETCH(bool, expected);

    QVector<LoadIssue> issues;
    const RuleSet rules = ruleSetFromText(
        webRule("    sel:\n        event.counts_as_attempt: " + ruleValue
                + "\n    condition: sel\n"),
        &issues);
    QVERIFY(issues.isEmpty());
    Event event = webEvent({ { "url.original", "/login" } });
    event.countsAsAttempt = countsAsAttempt;
    QCOMPARE(matches(rules, event), expected);
}

QTEST_GUILESS_MAIN(TestSigmaMatch)
#include "tst_sigmamatch.moc"
