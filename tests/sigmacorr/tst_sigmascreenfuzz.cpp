// SPDX-License-Identifier: GPL-3.0-or-later
// Differential test of LineScreen with generated input: random access log
// lines (mutations of real access log lines) against random sets of access log
// rules over every web field and modifier. For each pair the screen may pass
// a line over only when the parsed event matches no rule. The seed is fixed,
// so a failure repeats, and the message gives the line and the rules.
#include "sigmatestsupport.h"

#include "event/logparser.h"
#include "event/webparser.h"
#include "sigma/sigmascreen.h"

#include <QFile>
#include <QRandomGenerator>
#include <QTemporaryDir>

#include <QtTest>

using namespace portcullis;
using namespace portcullis::sigma;
using namespace sigmatest;

namespace {

const QString dataDir = QStringLiteral(PORTCULLIS_DATA_DIR);

// PORTCULLIS_FUZZ_SEED and PORTCULLIS_FUZZ_SETS in the environment run other
// and longer sequences.
constexpr quint32 DefaultSeed = 20261205;
constexpr int DefaultRuleSets = 2000;
constexpr int LinesPerSet = 250;
constexpr int SeedLinesPerFile = 150;

// Lines that keep the test meaningful when the shared data is missing.
const char *const builtInLines[] = {
    "192.0.2.1 - - [10/Oct/2026:13:55:36 +0000] \"GET /index.php?id=1 HTTP/1.1\" 200 512 "
    "\"https://example.org/\" \"Mozilla/5.0 (X11; Linux x86_64)\"",
    "198.51.100.7 - alice [10/Oct/2026:13:55:37 +0000] \"POST /wp-login.php HTTP/1.0\" 302 0 "
    "\"-\" \"curl/8.1\"",
    "shop.example.org 203.0.113.9 - - [10/Oct/2026:13:55:38 +0200] \"PROPFIND /dav/ HTTP/2.0\" "
    "207 31337",
};

QList<QByteArray> seedLines()
{
    QList<QByteArray> lines;
    for (const char *line : builtInLines)
        lines.append(line);
    const QStringList files {
        QStringLiteral("web/apache_combined_10k.log"),
        QStringLiteral("web/login_attack_access.log"),
        QStringLiteral("corpora/crowdsec/nginx-http-sqli-probing__nginx-http-sqli-probing.log"),
        QStringLiteral("corpora/crowdsec/nginx-http-xss-probing__nginx-http-xss-probing.log"),
        QStringLiteral("corpora/crowdsec/nginx-http-path-traversal__nginx-http-path-traversal.log"),
        QStringLiteral("corpora/crowdsec/"
                       "apache_log4j2_cve-2021-44228__apache_log4j2_cve-2021-44228.log"),
        QStringLiteral("corpora/crowdsec/http-wordpress-scan__http-wordpress-scan.log"),
        QStringLiteral("corpora/crowdsec/http-cve-probing__http-cve-probing.log"),
        QStringLiteral("corpora/crowdsec/apache-http-probing__apache-http-probing.log"),
        QStringLiteral("corpora/crowdsec/http-dos-bypass-cache__http_dos_bypass_cache.log"),
        QStringLiteral("corpora/crowdsec/http-bf-wordpress-bf__http-bf-wordpress-bf.log"),
        QStringLiteral("corpora/crowdsec/nginx-http-generic-bf__nginx-http-generic-bf.log"),
    };
    for (const QString &name : files) {
        QFile file(dataDir + QLatin1Char('/') + name);
        if (!file.open(QIODevice::ReadOnly))
            continue;
        for (int n = 0; n < SeedLinesPerFile && !file.atEnd(); ++n) {
            QByteArray line = file.readLine();
            if (line.endsWith('\n'))
                line.chop(1);
            if (!line.isEmpty())
                lines.append(line);
        }
    }
    return lines;
}

// The bytes of `text` as a double-quoted YAML scalar: control bytes and
// characters that are not ASCII as escapes.
QByteArray yamlQuoted(const QByteArray &text)
{
    QByteArray out = "\"";
    for (const QChar c : QString::fromUtf8(text)) {
        const char16_t u = c.unicode();
        if (u == u'"' || u == u'\\') {
            out += '\\';
            out += char(u);
        } else if (u < 0x20 || u >= 0x7f) {
            out += "\\u" + QByteArray::number(u, 16).rightJustified(4, '0');
        } else {
            out += char(u);
        }
    }
    return out + '"';
}

// Printable form of a generated line for a failure message.
QString printable(const QByteArray &line)
{
    QString out;
    for (const char c : line) {
        const auto byte = quint8(c);
        if (byte < 0x20 || byte >= 0x7f)
            out += QStringLiteral("\\x%1").arg(byte, 2, 16, QLatin1Char('0'));
        else
            out += QLatin1Char(c);
    }
    return out;
}

class Generator
{
public:
    explicit Generator(QList<QByteArray> seeds)
        : m_rng(quint32(qEnvironmentVariableIntValue("PORTCULLIS_FUZZ_SEED")) ^ DefaultSeed)
        , m_seeds(std::move(seeds))
    {
        ParserOptions options;
        options.timeZone = "UTC";
        m_parser = createParser(LogFormat::WebAccess, options);
    }

    int below(int n) { return int(m_rng.bounded(n)); }
    bool chance(int percent) { return below(100) < percent; }
    template<typename T>
    const T &pick(const QList<T> &list) { return list.at(below(int(list.size()))); }

    QByteArray line();
    QByteArray rule(int number, QByteArray *id);
    QByteArray filterFor(const QByteArray &ruleId);

    // The lines of the current rule set, which most values come from.
    QList<QByteArray> pool;

private:
    QByteArray mutated(QByteArray line);
    QByteArray mutateFields(const QByteArray &line);
    QByteArray value(const QByteArray &field);
    QByteArray fieldTest();
    QByteArray selection();

    QRandomGenerator m_rng;
    QList<QByteArray> m_seeds;
    std::unique_ptr<LogParser> m_parser;  // decodes the lines that values come from
};

QByteArray Generator::line()
{
    QByteArray line = pick(m_seeds);
    const int steps = below(4);
    for (int i = 0; i < steps; ++i)
        line = mutated(line);
    return line;
}

QByteArray Generator::mutated(QByteArray line)
{
    static const QList<QByteArray> inserts {
        "\"", "\\", " ", "\t", QByteArray(1, '\0'), "\r", "-", "/", "%", "?", "#", ":", "[", "]",
        "\\\"", "\" ", " \"", "HTTP/", " HTTP/1.1", "\xe2\x84\xaa", "\xc4\xb0", "\xff", "\xc3\xa9",
        "K", "k", "%4B", "%2e", "..", "'", "\" 200 ", " - ",
    };
    const int at = line.isEmpty() ? 0 : below(int(line.size()) + 1);
    switch (below(12)) {
    case 0: {  // change the case of a range
        const int end = qMin(int(line.size()), at + 1 + below(20));
        for (int i = at; i < end; ++i) {
            const char c = line.at(i);
            if (c >= 'a' && c <= 'z')
                line[i] = char(c - 32);
            else if (c >= 'A' && c <= 'Z')
                line[i] = char(c + 32);
        }
        return line;
    }
    case 1:
    case 2:
        return line.insert(at, pick(inserts));
    case 3:  // percent-encode one byte
        if (at < line.size()) {
            const QByteArray encoded
                = '%' + QByteArray::number(quint8(line.at(at)), 16).rightJustified(2, '0');
            line.replace(at, 1, chance(50) ? encoded.toUpper() : encoded);
        }
        return line;
    case 4:  // drop bytes
        return line.remove(at, 1 + below(4));
    case 5:  // truncate
        return line.left(at);
    case 6:  // repeat a piece, for long lines
        return line.insert(at, line.mid(at, below(40)).repeated(1 + below(chance(5) ? 200 : 3)));
    case 7:  // splice a piece of another line
        return line.insert(at, pick(m_seeds).mid(below(80), below(60)));
    case 8:  // extra trailing fields
        return line + pick(QList<QByteArray> { " \"x\" 12", " \"-\"", " -", "\r", " \"a\"b\"",
                                                 " \"\"", "\"" });
    default:
        return mutateFields(line);
    }
}

// Mutations of one field, found as the parser finds it.
QByteArray Generator::mutateFields(const QByteArray &line)
{
    AccessLineSpans spans;
    if (!splitAccessLine(line, &spans))
        return line;
    const auto offset = [&](QByteArrayView part) { return int(part.data() - line.constData()); };
    QByteArray out = line;
    const auto replace = [&](QByteArrayView part, const QByteArray &with) {
        if (part.data() == nullptr)
            return;
        out.replace(offset(part), int(part.size()), with);
    };
    static const QList<QByteArray> clients {
        "2001:db8::1", "::ffff:192.0.2.7", "::1", "fe80::1%eth0", "192.030.0.6", "host.example",
        "203.0.113.77", "10.0.0.1",
    };
    static const QList<QByteArray> vhosts {
        "shop.example.org", "Shop.Example.org:443", "www", "a_b.example:8080", "-",
    };
    static const QList<QByteArray> requests {
        "-", "", "GET", "GET /", "get /a b c HTTP/1.1", "UNION SELECT 1", "G-T_ /x?y HTTP/1.0",
        "PROPFIND http://evil.example/wp-login.php?x=1#f HTTP/2.0", "GET http://h HTTP/1.1",
        "GET /a?b#c HTTP/", "ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJ /x HTTP/1.1", "GET  HTTP/1.1",
        "GET /x http/1.1", "GET /x HTTP/1.1 HTTP/1.0", "GET /x\" 200 1 \"y HTTP/1.1",
    };
    switch (below(10)) {
    case 8:
    case 9: {  // an escape or a character that is not ASCII inside a field
        const QList<QByteArrayView> parts { spans.request, spans.referrer, spans.agent };
        const QByteArrayView part = pick(parts);
        if (part.data() == nullptr)
            return out;
        const int at = offset(part) + below(int(part.size()) + 1);
        out.insert(at, pick(QList<QByteArray> { "\\\"", "\\\\", "\\x", "\xe2\x84\xaa",
                                                "\xc4\xb0", "\xff", "\xc5\xbf" }));
        return out;
    }
    case 0: {  // another client, or a virtual host before it
        const QByteArrayView head = spans.head;
        const qsizetype space = head.indexOf(' ');
        const QByteArrayView client = space < 0 ? head : head.first(space);
        replace(client, chance(50) ? pick(clients) : pick(vhosts) + ' ' + client.toByteArray());
        return out;
    }
    case 1:
        replace(spans.request, pick(requests));
        return out;
    case 2:
        replace(spans.status,
                pick(QList<QByteArray> { "-", "000", "007", "200", "404", "418", "500", "999" }));
        return out;
    case 3:
        replace(spans.bytes, pick(QList<QByteArray> { "-", "0", "00031337", "31337", "+5", "",
                                                      "1234567890123456789", "12a" }));
        return out;
    case 4:
        replace(spans.referrer, pick(QList<QByteArray> { "-", "", "https://EVIL.example/x",
                                                         "a\"b", "-x" }));
        return out;
    case 5:
        replace(spans.agent, pick(QList<QByteArray> { "-", "", "sqlmap/1.7", "Nikto/2.5", "a\" \"b",
                                                      "Mozilla/5.0 \"x\"" }));
        return out;
    case 6:
        replace(spans.time, pick(QList<QByteArray> { "10/Oct/2026:13:55:36 +0000",
                                                     "31/Feb/2026:00:00:00 +0000",
                                                     "10/Oct/2026:25:00:00 +0000",
                                                     "10/Oct/2026:13:55:36 -1130 extra" }));
        return out;
    default: {  // the user field
        const QList<QByteArray> parts = spans.head.toByteArray().split(' ');
        if (parts.size() >= 3)
            replace(spans.head, parts.first() + " - " + pick(QList<QByteArray> { "-", "alice",
                                                                                "Alice Smith",
                                                                                "" }));
        return out;
    }
    }
}

// Returns a value that often occurs in the events: a piece of a field of the
// event parsed from a generated line. The parser decodes escapes and
// characters that are not ASCII, so the rules see those too. The piece is
// lower-cased or has its case changed, and gets wildcards at times.
QByteArray Generator::value(const QByteArray &field)
{
    const QByteArray source = !pool.isEmpty() && chance(80) ? pick(pool) : line();
    std::vector<Event> events;
    m_parser->parseLine(source, LineInfo(), events);
    QString text = QString::fromUtf8(source);
    if (!events.empty()) {
        const Event &event = events.front();
        if (field == "cs-method")
            text = event.httpMethod;
        else if (field == "cs-uri-query" || field == "url.original")
            text = event.urlOriginal;
        else if (field == "cs-uri-stem")
            text = event.extra.value(QStringLiteral("url.path")).toString();
        else if (field == "cs-version")
            text = event.extra.value(QStringLiteral("http.version")).toString();
        else if (field == "cs-referrer")
            text = event.httpReferrer;
        else if (field == "c-useragent")
            text = event.userAgent;
        else if (field == "sc-status")
            text = QString::number(event.httpStatus);
        else if (field == "sc-bytes")
            text = QString::number(event.httpBytes);
        else if (field == "cs-host")
            text = event.extra.value(QStringLiteral("url.domain")).toString();
        else if (field == "c-ip")
            text = event.sourceIp;
        else if (field == "cs-username")
            text = event.userName;
        else
            text = event.original;
    }
    if (chance(30))
        text = text.toLower();  // U+212A becomes "k", U+0130 "i" and U+0307
    if (chance(60) && text.size() > 2) {
        const int from = below(int(text.size()) - 1);
        text = text.mid(from, 1 + below(qMin(12, int(text.size()) - from)));
    }
    QByteArray result = text.toUtf8();
    if (chance(20)) {
        for (char &c : result) {
            if (chance(50) && c >= 'a' && c <= 'z')
                c = char(c - 32);
        }
    }
    if (chance(8))
        result.insert(below(int(result.size()) + 1), chance(50) ? "*" : "?");
    if (chance(4))
        result.insert(below(int(result.size()) + 1), chance(50) ? "\\*" : "\\\\");
    if (chance(5))
        result.replace('k', "\xe2\x84\xaa");  // U+212A lower-cases to "k"
    if (chance(3))
        result.replace('i', "\xc4\xb0");  // U+0130
    if (chance(3))
        result = pick(QList<QByteArray> { "-", "", "0", "200", "/", "HTTP/1.1", "1.1", "get" });
    return result;
}

QByteArray Generator::fieldTest()
{
    static const QList<QByteArray> fields {
        "cs-uri-query", "cs-uri-stem", "cs-method", "sc-status", "sc-bytes", "cs-referrer",
        "c-useragent", "cs-version", "cs-host", "c-ip", "cs-username", "url.original",
        "event.original", "message", "event.outcome", "event.category", "http.unknown",
    };
    static const QList<QByteArray> stringModifiers {
        "", "", "|contains", "|contains", "|startswith", "|endswith", "|contains|all", "|cased",
        "|contains|cased", "|endswith|cased", "|windash", "|contains|windash", "|base64",
        "|base64offset|contains", "|wide|base64offset|contains", "|utf16le|contains",
        "|utf16be|contains", "|utf16|base64", "|wide", "|expand", "|contains|expand",
    };
    const QByteArray field = pick(fields);
    QByteArray modifiers;
    QList<QByteArray> values;
    const int kind = below(100);
    if (kind < 6) {
        modifiers = "|re";
        values << pick(QList<QByteArray> { "a+b", "(?i)union", "^GET", "[0-9]{3}", ".*" });
    } else if (kind < 10) {
        modifiers = "|cidr";
        values << pick(QList<QByteArray> { "192.0.2.0/24", "0.0.0.0/0", "2001:db8::/32",
                                           "83.149.9.216/32", "::ffff:0:0/96" });
    } else if (kind < 14) {
        modifiers = pick(QList<QByteArray> { "|lt", "|gt", "|gte", "|lte" });
        values << pick(QList<QByteArray> { "300", "400", "0", "1000" });
    } else if (kind < 17) {
        modifiers = "|exists";
        values << (chance(50) ? "true" : "false");
    } else if (kind < 20) {
        modifiers = "|fieldref";
        values << pick(fields);
    } else if (kind < 25) {
        modifiers = "|neq";
        values << value(field);
    } else if (kind < 28) {
        values << "null";
    } else {
        modifiers = pick(stringModifiers);
        const int count = 1 + (chance(30) ? below(3) : 0);
        for (int i = 0; i < count; ++i)
            values << value(field);
    }
    const auto scalar = [](const QByteArray &v) {
        return v == "null" ? v : yamlQuoted(v);
    };
    if (values.size() == 1 && chance(70))
        return field + modifiers + ": " + scalar(values.first()) + '\n';
    QByteArray out = field + modifiers + ":\n";
    for (const QByteArray &v : std::as_const(values))
        out += "            - " + scalar(v) + '\n';
    return out;
}

QByteArray Generator::selection()
{
    if (chance(12)) {  // a keyword list
        QByteArray out = "\n";
        const int count = 1 + below(2);
        for (int i = 0; i < count; ++i)
            out += "        - " + yamlQuoted(value("event.original")) + '\n';
        return out;
    }
    const int tests = 1 + below(3);
    if (chance(15)) {  // a list of maps
        QByteArray out = "\n";
        for (int m = 0; m < 2; ++m)
            out += "        - " + fieldTest();
        return out;
    }
    QByteArray out = "\n";
    for (int t = 0; t < tests; ++t)
        out += "        " + fieldTest();
    return out;
}

QByteArray Generator::rule(int number, QByteArray *id)
{
    *id = "fuzz-" + QByteArray::number(number);
    static const QList<QByteArray> logsources {
        "logsource:\n    category: webserver\n", "logsource:\n    category: webserver\n",
        "logsource:\n    category: webserver\n", "logsource:\n    category: WebServer\n",
        "logsource:\n    product: linux\n    service: sshd\n",
        "logsource:\n    category: proxy\n", "",
    };
    static const QList<QByteArray> conditions {
        "sel1", "sel1", "sel1 and sel2", "sel1 or sel2", "sel1 and not sel2", "not sel1 and sel2",
        "1 of sel*", "all of sel*", "1 of them", "all of them", "(sel1 or sel2) and not sel3",
        "sel1 and (sel2 or not sel3)", "not (sel1 or sel2)",
    };
    QByteArray yaml = "title: Fuzz rule " + QByteArray::number(number) + "\nid: " + *id + '\n'
                      + pick(logsources) + "detection:\n";
    for (int s = 1; s <= 3; ++s)
        yaml += "    sel" + QByteArray::number(s) + ':' + selection();
    yaml += "    condition: " + pick(conditions) + "\nlevel: high\n---\n";
    return yaml;
}

QByteArray Generator::filterFor(const QByteArray &ruleId)
{
    return "title: Fuzz filter\nlogsource:\n    category: webserver\nfilter:\n    rules:\n"
           "        - " + ruleId + "\n    selection:" + selection()
           + "    condition: selection\n---\n";
}

struct Totals
{
    int sets = 0;
    int activeSets = 0;
    qint64 pairs = 0;
    qint64 matchedPairs = 0;
    qint64 screenedPairs = 0;
};

} // namespace

class TestSigmaScreenFuzz : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void screenedLinesMatchNoRule();
    void sameMatchesAndAlertsPerFile();
};

void TestSigmaScreenFuzz::screenedLinesMatchNoRule()
{
    Generator generator(seedLines());
    Totals totals;
    QStringList failures;
    bool setsGiven = false;
    const int setsFromEnvironment = qEnvironmentVariableIntValue("PORTCULLIS_FUZZ_SETS", &setsGiven);
    const int ruleSets = setsGiven ? setsFromEnvironment : DefaultRuleSets;
    for (int set = 0; set < ruleSets && failures.size() < 5; ++set) {
        generator.pool.clear();
        for (int n = 0; n < LinesPerSet; ++n)
            generator.pool.append(generator.line());
        QByteArray yaml;
        const int ruleCount = 1 + generator.below(3);
        for (int r = 0; r < ruleCount; ++r) {
            QByteArray id;
            yaml += generator.rule(set * 10 + r, &id);
            if (generator.chance(10))
                yaml += generator.filterFor(id);
        }
        QVector<LoadIssue> issues;
        const auto rules = rulesFromText(yaml, &issues);
        ++totals.sets;
        LineScreen screen(rules->rules, LogFormat::WebAccess);
        totals.activeSets += screen.active() ? 1 : 0;
        ParserOptions options;
        options.timeZone = "UTC";
        const auto parser = createParser(LogFormat::WebAccess, options);
        for (int n = 0; n < LinesPerSet; ++n) {
            const QByteArray &line = generator.pool.at(n);
            LineInfo info;
            info.lineNumber = n + 1;
            std::vector<Event> events;
            parser->parseLine(line, info, events);
            QVector<int> matched;
            for (const Event &event : events)
                rules->rules.match(event, &matched);
            const bool mayMatch = screen.mayMatch(line);
            ++totals.pairs;
            totals.matchedPairs += matched.isEmpty() ? 0 : 1;
            totals.screenedPairs += mayMatch ? 0 : 1;
            if (!mayMatch && !matched.isEmpty()) {
                failures << QStringLiteral("rule %1 matches a line that the screen passed over:\n"
                                           "%2\nrules:\n%3")
                                .arg(rules->rules.rule(matched.first()).id, printable(line),
                                     QString::fromUtf8(yaml));
                break;
            }
        }
    }
    qInfo("%d rule sets (%d screened), %lld line and rule set pairs, %lld matched, "
          "%lld passed over",
          totals.sets, totals.activeSets, totals.pairs, totals.matchedPairs,
          totals.screenedPairs);
    QVERIFY2(failures.isEmpty(), qPrintable(failures.join(QStringLiteral("\n\n"))));
    // The generated input must exercise both outcomes, or it tests nothing.
    QVERIFY2(totals.matchedPairs > totals.pairs / 50, "too few generated lines match");
    QVERIFY2(totals.screenedPairs > totals.pairs / 10, "too few generated lines are passed over");
}

// Whole files of generated lines, whose times jump back and forth because
// they come from several logs, read with and without the screen.
void TestSigmaScreenFuzz::sameMatchesAndAlertsPerFile()
{
    Generator generator(seedLines());
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("generated.log"));
    int compared = 0;
    for (int set = 0; set < 100; ++set) {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        generator.pool.clear();
        for (int n = 0; n < LinesPerSet; ++n) {
            generator.pool.append(generator.line());
            file.write(generator.pool.last() + '\n');
        }
        file.close();
        QByteArray yaml;
        const int ruleCount = 1 + generator.below(3);
        for (int r = 0; r < ruleCount; ++r) {
            QByteArray id;
            yaml += generator.rule(set * 10 + r, &id);
        }
        QVector<LoadIssue> issues;
        const auto rules = rulesFromText(yaml, &issues);
        const Reading plain = readWith(rules, path, false, LogFormat::WebAccess);
        const Reading screened = readWith(rules, path, true, LogFormat::WebAccess);
        QVERIFY2(screened.matches == plain.matches, yaml.constData());
        QVERIFY2(screened.alerts == plain.alerts, yaml.constData());
        compared += plain.alerts.isEmpty() ? 0 : 1;
    }
    QVERIFY2(compared > 20, qPrintable(QString::number(compared)));
}

QTEST_GUILESS_MAIN(TestSigmaScreenFuzz)
#include "tst_sigmascreenfuzz.moc"
