// SPDX-License-Identifier: GPL-3.0-or-later
// Web access logs, ECS JSON lines and format detection.
#include "event/logparser.h"

#include <QDateTime>
#include <QTest>

using namespace portcullis;

namespace {

qint64 utcMs(const char *isoTime)
{
    return QDateTime::fromString(QString::fromLatin1(isoTime), Qt::ISODateWithMs)
        .toMSecsSinceEpoch();
}

bool parseOne(LogFormat format, const QByteArray &line, Event *event)
{
    const std::unique_ptr<LogParser> parser = createParser(format, ParserOptions());
    std::vector<Event> events;
    const bool accepted = parser->parseLine(line, {1, 0, false}, events);
    if (accepted && events.size() == 1)
        *event = events.front();
    return accepted && events.size() == 1;
}

// An ECS object whose nesting depth is `depth` (the top level counts as 1).
QByteArray nestedJson(int depth)
{
    QByteArray json = R"({"@timestamp":"2024-01-01T00:00:00Z","a":)";
    for (int i = 1; i < depth; ++i)
        json += "{\"a\":";
    return json + "1" + QByteArray(depth, '}');
}

} // namespace

class WebJsonParserTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void accessLines_data();
    void accessLines();
    void accessLineFields();
    void accessRepeatedRequests();
    void rejectsNonAccess_data();
    void rejectsNonAccess();
    void jsonDottedAndNested_data();
    void jsonDottedAndNested();
    void jsonExtraFields();
    void jsonDepthLimit();
    void jsonRejects_data();
    void jsonRejects();
    void detectFormat_data();
    void detectFormat();
};

void WebJsonParserTest::accessLines_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QString>("ip");
    QTest::addColumn<QString>("method");
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("path");
    QTest::addColumn<int>("status");
    QTest::addColumn<qint64>("bytes");
    QTest::addColumn<QString>("agent");

    const QByteArray date("[17/May/2015:10:05:03 +0000]");
    QTest::newRow("combined") << QByteArray("83.149.9.216 - - " + date + " \"GET /a/b.png?x=1 HTTP/1.1\" 200 203023 \"http://r/\" \"Mozilla/5.0 (X11)\"")
                              << "83.149.9.216" << "GET" << "/a/b.png?x=1" << "/a/b.png" << 200 << qint64(203023) << "Mozilla/5.0 (X11)";
    QTest::newRow("common") << QByteArray("10.0.0.1 - frank " + date + " \"POST /login HTTP/1.0\" 401 -")
                            << "10.0.0.1" << "POST" << "/login" << "/login" << 401 << qint64(-1) << "";
    QTest::newRow("lowercase method") << QByteArray("1.2.3.4 - - " + date + " \"get /x HTTP/1.1\" 404 5 \"-\" \"-\"")
                                      << "1.2.3.4" << "get" << "/x" << "/x" << 404 << qint64(5) << "";
    QTest::newRow("no protocol") << QByteArray("1.2.3.4 - - " + date + " \"GET /x y\" 400 5 \"-\" \"-\"")
                                 << "1.2.3.4" << "GET" << "/x y" << "/x y" << 400 << qint64(5) << "";
    QTest::newRow("dash request") << QByteArray("1.2.3.4 - - " + date + " \"-\" 408 0 \"-\" \"-\"")
                                  << "1.2.3.4" << "" << "" << "" << 408 << qint64(0) << "";
    QTest::newRow("quote in request") << QByteArray("1.2.3.4 - - " + date + " \"GET /a\"b HTTP/1.1\" 404 1 \"-\" \"curl\"")
                                      << "1.2.3.4" << "GET" << "/a\"b" << "/a\"b" << 404 << qint64(1) << "curl";
    QTest::newRow("escaped quote in agent") << QByteArray("1.2.3.4 - - " + date + " \"GET / HTTP/1.1\" 200 1 \"-\" \"say \\\"hi\\\" ok\"")
                                            << "1.2.3.4" << "GET" << "/" << "/" << 200 << qint64(1) << "say \"hi\" ok";
    QTest::newRow("binary request") << QByteArray("1.2.3.4 - - " + date + " \"\\x16\\x03\\x01\\x00\" 400 226 \"-\" \"-\"")
                                    << "1.2.3.4" << "" << "\\x16\\x03\\x01\\x00" << "" << 400 << qint64(226) << "";
    QTest::newRow("raw non-utf8 bytes") << QByteArray("1.2.3.4 - - " + date + " \"GET /\xff\xfe HTTP/1.1\" 404 1 \"-\" \"-\"")
                                        << "1.2.3.4" << "GET" << QString::fromUtf8("/\xff\xfe") << QString::fromUtf8("/\xff\xfe") << 404 << qint64(1) << "";
    QTest::newRow("absolute url") << QByteArray("1.2.3.4 - - " + date + " \"GET http://evil.example/p?q HTTP/1.1\" 200 1")
                                  << "1.2.3.4" << "GET" << "http://evil.example/p?q" << "/p" << 200 << qint64(1) << "";
    QTest::newRow("ipv6 client") << QByteArray("2001:db8::7 - - " + date + " \"HEAD / HTTP/1.1\" 200 0")
                                 << "2001:db8::7" << "HEAD" << "/" << "/" << 200 << qint64(0) << "";
    QTest::newRow("vhost") << QByteArray("www.example.com:443 1.2.3.4 - - " + date + " \"GET / HTTP/1.1\" 200 1 \"-\" \"ua\"")
                           << "1.2.3.4" << "GET" << "/" << "/" << 200 << qint64(1) << "ua";
    QTest::newRow("crlf line end") << QByteArray("1.2.3.4 - - " + date + " \"GET / HTTP/1.1\" 200 1 \"-\" \"ua\"\r")
                                   << "1.2.3.4" << "GET" << "/" << "/" << 200 << qint64(1) << "ua";
    QTest::newRow("extra trailing field") << QByteArray("1.2.3.4 - - " + date + " \"GET / HTTP/1.1\" 404 47 \"-\" \"-\" \"-\"")
                                          << "1.2.3.4" << "GET" << "/" << "/" << 404 << qint64(47) << "";
}

void WebJsonParserTest::accessLines()
{
    QFETCH(QByteArray, line);
    QFETCH(QString, ip);
    QFETCH(QString, method);
    QFETCH(QString, url);
    QFETCH(QString, path);
    QFETCH(int, status);
    QFETCH(qint64, bytes);
    QFETCH(QString, agent);

    Event event;
    QVERIFY(parseOne(LogFormat::WebAccess, line, &event));
    QCOMPARE(event.category, EventCategory::Web);
    QCOMPARE(event.action, QLatin1String(actions::HttpRequest));
    QCOMPARE(event.sourceIp, ip);
    QCOMPARE(event.httpMethod, method);
    QCOMPARE(event.urlOriginal, url);
    QCOMPARE(event.extra.value(QStringLiteral("url.path")).toString(), path);
    QCOMPARE(event.httpStatus, status);
    QCOMPARE(event.httpBytes, bytes);
    QCOMPARE(event.userAgent, agent);
    QCOMPARE(event.outcome, status >= 400 ? EventOutcome::Failure : EventOutcome::Success);
    QCOMPARE(event.timestampMs, utcMs("2015-05-17T10:05:03Z"));
    QCOMPARE(event.original, QString::fromUtf8(line.endsWith('\r') ? line.chopped(1) : line));
}

void WebJsonParserTest::accessLineFields()
{
    Event event;
    QVERIFY(parseOne(LogFormat::WebAccess,
                     "shop.example:80 10.0.0.1 - frank [25/Oct/2015:04:11:25 +0100] \"POST /join HTTP/1.1\" 302 9093 \"http://shop/join\" \"UA\"",
                     &event));
    QCOMPARE(event.timestampMs, utcMs("2015-10-25T03:11:25Z"));
    QCOMPARE(event.userName, QStringLiteral("frank"));
    QVERIFY(event.hasUserName);
    QCOMPARE(event.httpReferrer, QStringLiteral("http://shop/join"));
    QCOMPARE(event.extra.value(QStringLiteral("url.domain")).toString(), QStringLiteral("shop.example:80"));
    QCOMPARE(event.extra.value(QStringLiteral("http.version")).toString(), QStringLiteral("1.1"));
}

void WebJsonParserTest::accessRepeatedRequests()
{
    // One parser reuses the fields of a request line it has seen, so every
    // event must equal the event that a fresh parser makes of the same line,
    // also when a virtual host has already put url.domain into extra.
    const QByteArray date = "[17/May/2015:10:05:03 +0000]";
    const QList<QByteArray> lines {
        "1.2.3.4 - - " + date + " \"GET /a?q=1 HTTP/1.1\" 200 1 \"-\" \"ua\"",
        "www.example.com:443 1.2.3.4 - - " + date + " \"GET /a?q=1 HTTP/1.1\" 200 1",
        "1.2.3.5 - bob " + date + " \"GET /a?q=1 HTTP/1.1\" 404 2 \"-\" \"other\"",
        "1.2.3.4 - - " + date + " \"GET /a?q=1\" 200 1",
        "1.2.3.4 - - " + date + " \"\\x16\\x03\" 400 1",
        "1.2.3.4 - - " + date + " \"-\" 408 0",
        "www.example.com:443 1.2.3.4 - - " + date + " \"\\x16\\x03\" 400 1",
        "1.2.3.4 - - " + date + " \"GET /a?q=1 HTTP/1.1\" 200 1 \"-\" \"ua\"",
    };
    const std::unique_ptr<LogParser> parser = createParser(LogFormat::WebAccess, ParserOptions());
    for (const QByteArray &line : lines) {
        std::vector<Event> events;
        QVERIFY(parser->parseLine(line, {1, 0, false}, events));
        QCOMPARE(events.size(), size_t(1));
        const Event &event = events.front();
        Event fresh;
        QVERIFY(parseOne(LogFormat::WebAccess, line, &fresh));
        QCOMPARE(event.httpMethod, fresh.httpMethod);
        QCOMPARE(event.urlOriginal, fresh.urlOriginal);
        QCOMPARE(event.extra, fresh.extra);
        QCOMPARE(event.userName, fresh.userName);
        QCOMPARE(event.httpStatus, fresh.httpStatus);
        QCOMPARE(event.userAgent, fresh.userAgent);
        if (line.startsWith("www.")) {
            QCOMPARE(event.extra.value(QStringLiteral("url.domain")).toString(),
                     QStringLiteral("www.example.com:443"));
        }
        if (line.contains("/a?q=1 HTTP/1.1")) {
            QCOMPARE(event.extra.value(QStringLiteral("url.path")).toString(), QStringLiteral("/a"));
            QCOMPARE(event.extra.value(QStringLiteral("http.version")).toString(),
                     QStringLiteral("1.1"));
        }
    }
}

void WebJsonParserTest::rejectsNonAccess_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::newRow("syslog") << QByteArray("Dec 10 06:55:46 LabSZ sshd[24200]: Invalid user a from 1.2.3.4");
    QTest::newRow("no date") << QByteArray("1.2.3.4 - - \"GET / HTTP/1.1\" 200 1");
    QTest::newRow("bad date") << QByteArray("1.2.3.4 - - [99/Foo/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 200 1");
    QTest::newRow("impossible date") << QByteArray("1.2.3.4 - - [31/Feb/2026:10:05:03 +0000] \"GET / HTTP/1.1\" 200 1");
    QTest::newRow("no leap day") << QByteArray("1.2.3.4 - - [29/Feb/2025:10:05:03 +0000] \"GET / HTTP/1.1\" 200 1");
    QTest::newRow("no request") << QByteArray("1.2.3.4 - - [17/May/2015:10:05:03 +0000] 200 1");
    QTest::newRow("unterminated request") << QByteArray("1.2.3.4 - - [17/May/2015:10:05:03 +0000] \"GET / HTTP/1.1");
    QTest::newRow("bad client") << QByteArray("not/a/host - - [17/May/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 200 1");
    QTest::newRow("empty") << QByteArray();
}

void WebJsonParserTest::rejectsNonAccess()
{
    QFETCH(QByteArray, line);
    Event event;
    QVERIFY(!parseOne(LogFormat::WebAccess, line, &event));
}

void WebJsonParserTest::jsonDottedAndNested_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::newRow("dotted") << QByteArray(
        R"({"@timestamp":"2024-03-01T10:00:00.250Z","event.category":"authentication","event.action":"ssh_login","event.outcome":"failure","source.ip":"::ffff:1.2.3.4","source.port":2222,"user.name":"bob ","host.name":"web1"})");
    QTest::newRow("nested") << QByteArray(
        R"({"@timestamp":"2024-03-01T11:00:00.250+01:00","event":{"category":["authentication"],"action":"ssh_login","outcome":"failure"},"source":{"ip":"1.2.3.4","port":"2222"},"user":{"name":"bob "},"host":{"name":"web1"}})");
}

void WebJsonParserTest::jsonDottedAndNested()
{
    QFETCH(QByteArray, line);
    Event event;
    QVERIFY(parseOne(LogFormat::JsonLines, line, &event));
    QCOMPARE(event.timestampMs, utcMs("2024-03-01T10:00:00.250Z"));
    QCOMPARE(event.category, EventCategory::Authentication);
    QCOMPARE(event.action, QStringLiteral("ssh_login"));
    QCOMPARE(event.outcome, EventOutcome::Failure);
    QCOMPARE(event.sourceIp, QStringLiteral("1.2.3.4"));
    QCOMPARE(event.sourcePort, 2222);
    QCOMPARE(event.userName, QStringLiteral("bob "));
    QVERIFY(event.hasUserName);
    QCOMPARE(event.hostName, QStringLiteral("web1"));
    QVERIFY(event.extra.isEmpty());
}

void WebJsonParserTest::jsonExtraFields()
{
    Event event;
    QVERIFY(parseOne(LogFormat::JsonLines,
                     R"({"@timestamp":1700000000000,"http":{"request":{"method":"POST"},"response":{"status_code":403}},"url.original":"/login","labels":{"team":"pay"},"tags":["a","b"]})",
                     &event));
    QCOMPARE(event.timestampMs, qint64(1700000000000));
    QCOMPARE(event.httpMethod, QStringLiteral("POST"));
    QCOMPARE(event.httpStatus, 403);
    QCOMPARE(event.urlOriginal, QStringLiteral("/login"));
    QCOMPARE(event.outcome, EventOutcome::Failure);
    QCOMPARE(event.action, QLatin1String(actions::Other));
    QCOMPARE(event.extra.value(QStringLiteral("labels.team")).toString(), QStringLiteral("pay"));
    QCOMPARE(event.extra.value(QStringLiteral("tags")).toStringList(), QStringList({"a", "b"}));
}

void WebJsonParserTest::jsonDepthLimit()
{
    Event event;
    QVERIFY(parseOne(LogFormat::JsonLines, nestedJson(32), &event));
    QVERIFY(!parseOne(LogFormat::JsonLines, nestedJson(33), &event));
}

void WebJsonParserTest::jsonRejects_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::newRow("too deep") << nestedJson(33);
    QTest::newRow("not json") << QByteArray("{oops");
    QTest::newRow("array") << QByteArray(R"([{"@timestamp":"2024-01-01T00:00:00Z"}])");
    QTest::newRow("no timestamp") << QByteArray(R"({"event.action":"x"})");
    QTest::newRow("bad timestamp") << QByteArray(R"({"@timestamp":"yesterday"})");
    QTest::newRow("huge timestamp") << QByteArray(R"({"@timestamp":1e300})");
    QTest::newRow("syslog") << QByteArray("Dec 10 06:55:46 LabSZ sshd[24200]: x");
}

void WebJsonParserTest::jsonRejects()
{
    QFETCH(QByteArray, line);
    Event event;
    QVERIFY(!parseOne(LogFormat::JsonLines, line, &event));
}

void WebJsonParserTest::detectFormat_data()
{
    QTest::addColumn<QList<QByteArray>>("lines");
    QTest::addColumn<int>("format");
    QTest::newRow("syslog") << QList<QByteArray>{"Dec 10 06:55:46 LabSZ sshd[24200]: x",
                                                 "Dec 10 06:55:47 LabSZ sshd[24200]: y"}
                            << int(LogFormat::Syslog);
    QTest::newRow("web") << QList<QByteArray>{"1.2.3.4 - - [17/May/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 200 1"}
                         << int(LogFormat::WebAccess);
    QTest::newRow("json") << QList<QByteArray>{R"({"@timestamp":"2024-01-01T00:00:00Z"})", ""}
                          << int(LogFormat::JsonLines);
    QTest::newRow("mostly web") << QList<QByteArray>{"garbage",
                                                     "1.2.3.4 - - [17/May/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 200 1",
                                                     "1.2.3.4 - - [17/May/2015:10:05:04 +0000] \"GET / HTTP/1.1\" 200 1"}
                                << int(LogFormat::WebAccess);
    QTest::newRow("none") << QList<QByteArray>{"garbage", "more garbage"} << int(LogFormat::Auto);
    QTest::newRow("empty") << QList<QByteArray>{} << int(LogFormat::Auto);
}

void WebJsonParserTest::detectFormat()
{
    QFETCH(QList<QByteArray>, lines);
    QFETCH(int, format);
    QCOMPARE(int(portcullis::detectFormat(lines)), format);
}

QTEST_GUILESS_MAIN(WebJsonParserTest)
#include "tst_webjsonparser.moc"
