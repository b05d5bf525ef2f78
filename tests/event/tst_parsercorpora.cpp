// SPDX-License-Identifier: GPL-3.0-or-later
// The parsers against labelled and real logs from the shared corpus.
#include "event/logparser.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>
#include <QTest>
#include <QTimeZone>

using namespace portcullis;

namespace {

QString dataPath(const QString &relative)
{
    return QStringLiteral(PORTCULLIS_DATA_DIR "/") + relative;
}

QList<QByteArray> readLines(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QList<QByteArray> lines = file.readAll().split('\n');
    if (!lines.isEmpty() && lines.last().isEmpty())
        lines.removeLast();
    for (QByteArray &line : lines) {
        if (line.endsWith('\r'))
            line.chop(1);
    }
    return lines;
}

// nginx's error log ("2021/09/30 09:23:53 [error] ...", also behind a
// syslog header), which some fixtures mix with access lines, is a format no
// parser reads.
bool isNginxErrorLine(const QByteArray &line)
{
    static const QRegularExpression pattern(
        QStringLiteral("\\d{4}/\\d{2}/\\d{2} \\d{2}:\\d{2}:\\d{2} \\[[a-z]+\\] "));
    return pattern.match(QString::fromLatin1(line.left(80))).hasMatch();
}

// An authentication failure event. A must-match line needs one. It may be a
// further line of an attempt that an earlier line counted already
// (countsAsAttempt false), because fail2ban counts every matching line.
bool isAuthenticationFailure(const Event &event)
{
    return event.category == EventCategory::Authentication
           && event.outcome == EventOutcome::Failure;
}

// A failure that counts as a new attempt. A must-not-match line gives none.
bool isAttemptFailure(const Event &event)
{
    return isAuthenticationFailure(event) && event.countsAsAttempt;
}

// One "# failJSON: {...}" label and the log line after it.
struct LabelledLine
{
    QJsonObject label;
    QByteArray line;
    qint64 lineNumber = 0;
    std::vector<Event> events;
};

// fail2ban evaluates its constraints per filter mode. This test reads every
// label in aggressive mode because it is the one mode in which all blocks of
// the file apply.
bool appliesInAggressiveMode(const QJsonObject &label)
{
    const QString constraint = label.value(QLatin1String("constraint")).toString();
    return !constraint.contains(QLatin1String("!= 'aggressive'"));
}

// Runs a fail2ban test log through one syslog parser, in file order, with
// fail2ban's test clock: time zone Europe/Zurich and "now" 2005-08-14 12:00
// local time, so yearless lines get the years that its labels use.
QList<LabelledLine> parseFail2banLog(const QString &path, const QByteArray &linePrefix)
{
    ParserOptions options;
    options.timeZone = "Europe/Zurich";
    options.referenceTimeMs = QDateTime(QDate(2005, 8, 14), QTime(12, 0),
                                        QTimeZone("Europe/Zurich"))
                                  .toMSecsSinceEpoch();
    const std::unique_ptr<LogParser> parser = createParser(LogFormat::Syslog, options);

    QList<LabelledLine> labelled;
    QJsonObject pending;
    bool hasPending = false;
    qint64 lineNumber = 0;
    for (const QByteArray &raw : readLines(path)) {
        ++lineNumber;
        if (raw.startsWith("# failJSON:")) {
            pending = QJsonDocument::fromJson(raw.mid(11)).object();
            hasPending = true;
            continue;
        }
        if (raw.startsWith('#') || raw.trimmed().isEmpty())
            continue;
        LabelledLine entry;
        entry.line = linePrefix + raw;
        entry.lineNumber = lineNumber;
        parser->parseLine(entry.line, {lineNumber, 0, false}, entry.events);
        if (hasPending) {
            entry.label = pending;
            labelled.append(entry);
        }
        hasPending = false;
    }
    return labelled;
}

QDateTime zurichTime(const QString &text)
{
    QDateTime time = QDateTime::fromString(text, Qt::ISODate);
    time.setTimeZone(QTimeZone("Europe/Zurich"));
    return time;
}

bool matchesLabel(const LabelledLine &entry, QString *reason)
{
    QString host = entry.label.value(QLatin1String("host")).toString();
    for (const char *key : {"ip4", "ip6"}) {
        if (host.isEmpty())
            host = entry.label.value(QLatin1String(key)).toString();
    }
    const QString time = entry.label.value(QLatin1String("time")).toString();
    for (const Event &event : entry.events) {
        if (!isAuthenticationFailure(event))
            continue;
        const QString address = event.sourceIp.isEmpty() ? event.sourceDomain : event.sourceIp;
        if (!host.isEmpty() && address.compare(host, Qt::CaseInsensitive) != 0) {
            *reason = QStringLiteral("source %1, expected %2").arg(address, host);
            continue;
        }
        const qint64 expectedMs = time.isEmpty() ? 0 : zurichTime(time).toMSecsSinceEpoch();
        if (!time.isEmpty() && event.timestampMs / 1000 != expectedMs / 1000) {
            *reason = QStringLiteral("time %1, expected %2 Europe/Zurich")
                       .arg(QDateTime::fromMSecsSinceEpoch(event.timestampMs, QTimeZone::utc())
                                .toString(Qt::ISODateWithMs),
                            time);
            continue;
        }
        return true;
    }
    if (reason->isEmpty())
        *reason = QStringLiteral("no authentication failure event");
    return false;
}

} // namespace

class ParserCorporaTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void fail2banSshd_data();
    void fail2banSshd();
    void crowdsecFixtures();
    void fail2banWebAccess();
    void cowrieJsonLines();
    void realFilesParse_data();
    void realFilesParse();
    void repeatedMessagesExpand();

private:
    void checkFail2banFile(const QString &path, const QByteArray &prefix, int expectMatch,
                           int expectReject, const QStringList &knownMisses);
};

void ParserCorporaTest::initTestCase()
{
    if (!QDir(QStringLiteral(PORTCULLIS_DATA_DIR)).exists())
        QSKIP("The shared data folder is missing: set PORTCULLIS_DATA_DIR to it.");
}

void ParserCorporaTest::fail2banSshd_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QByteArray>("prefix");
    QTest::addColumn<int>("matchLabels");
    QTest::addColumn<int>("rejectLabels");
    QTest::addColumn<QStringList>("knownMisses");

    QTest::newRow("sshd") << QStringLiteral("corpora/fail2ban/sshd") << QByteArray() << 109 << 45
                          << QStringList();
    // The journal variant has no time stamps: journald keeps them outside
    // the message, so the test adds a syslog header.
    QTest::newRow("sshd-journal") << QStringLiteral("corpora/fail2ban/sshd-journal")
                                  << QByteArray("Jan  1 00:00:00 ") << 89 << 39 << QStringList();
}

void ParserCorporaTest::fail2banSshd()
{
    QFETCH(QString, file);
    QFETCH(QByteArray, prefix);
    QFETCH(int, matchLabels);
    QFETCH(int, rejectLabels);
    QFETCH(QStringList, knownMisses);
    checkFail2banFile(dataPath(file), prefix, matchLabels, rejectLabels, knownMisses);
}

void ParserCorporaTest::checkFail2banFile(const QString &path, const QByteArray &prefix,
                                          int expectMatch, int expectReject,
                                          const QStringList &knownMisses)
{
    const QList<LabelledLine> labelled = parseFail2banLog(path, prefix);
    QVERIFY2(!labelled.isEmpty(), qPrintable(QStringLiteral("no labels read from ") + path));

    int mustMatch = 0;
    int matched = 0;
    int mustReject = 0;
    int rejected = 0;
    QStringList misses;
    QStringList unexpectedMisses;
    for (const LabelledLine &entry : labelled) {
        if (!appliesInAggressiveMode(entry.label))
            continue;
        const bool expectFailure = entry.label.value(QLatin1String("match")).toBool();
        QString reason;
        const bool failure = expectFailure ? matchesLabel(entry, &reason)
                                           : std::none_of(entry.events.begin(), entry.events.end(),
                                                          isAttemptFailure);
        (expectFailure ? mustMatch : mustReject)++;
        if (failure) {
            (expectFailure ? matched : rejected)++;
            continue;
        }
        const QString miss = QStringLiteral("%1:%2: %3 (%4)")
                                 .arg(path)
                                 .arg(entry.lineNumber)
                                 .arg(QString::fromUtf8(entry.line),
                                      expectFailure ? reason : QStringLiteral("unexpected failure"));
        misses.append(miss);
        const bool known = std::any_of(knownMisses.begin(), knownMisses.end(),
                                       [&](const QString &text) {
                                           return QString::fromUtf8(entry.line).contains(text);
                                       });
        if (!known)
            unexpectedMisses.append(miss);
    }
    qInfo("%s: %d/%d matched, %d/%d rejected", qPrintable(QFileInfo(path).fileName()), matched,
          mustMatch, rejected, mustReject);
    for (const QString &miss : misses)
        qInfo("miss: %s", qPrintable(miss));

    QCOMPARE(mustMatch, expectMatch);
    QCOMPARE(mustReject, expectReject);
    QVERIFY2(unexpectedMisses.isEmpty(), qPrintable(unexpectedMisses.join(QLatin1Char('\n'))));
    // A known miss that now passes must leave the list.
    QCOMPARE(misses.size(), knownMisses.size());
    QCOMPARE(matched, expectMatch - int(knownMisses.size()));
    QCOMPARE(rejected, expectReject);
}

void ParserCorporaTest::crowdsecFixtures()
{
    // Every syslog or access-log fixture parses line by line, and a line
    // naming one IPv4 address yields events with that source address.
    const QDir folder(dataPath(QStringLiteral("corpora/crowdsec")));
    const QRegularExpression ipv4(QStringLiteral("\\b(\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3})\\b"));
    int files = 0;
    for (const QString &name : folder.entryList({QStringLiteral("*.log")}, QDir::Files)) {
        const QList<QByteArray> lines = readLines(folder.filePath(name));
        const LogFormat format = detectFormat(lines.mid(0, 20));
        if (format != LogFormat::Syslog && format != LogFormat::WebAccess) {
            qInfo("crowdsec %s: not a syslog or access log (nginx error log or similar), "
                  "not checked",
                  qPrintable(name));
            continue;
        }
        ++files;
        const std::unique_ptr<LogParser> parser = createParser(format, ParserOptions());
        qint64 lineNumber = 0;
        int errorLogLines = 0;
        for (const QByteArray &line : lines) {
            ++lineNumber;
            if (line.trimmed().isEmpty())
                continue;
            if (isNginxErrorLine(line)) {
                ++errorLogLines;
                continue;
            }
            std::vector<Event> events;
            const QString where = QStringLiteral("%1:%2").arg(name).arg(lineNumber);
            QVERIFY2(parser->parseLine(line, {lineNumber, 0, false}, events), qPrintable(where));
            QSet<QString> addresses;
            for (auto it = ipv4.globalMatch(QString::fromUtf8(line)); it.hasNext();)
                addresses.insert(it.next().captured(1));
            if (addresses.size() != 1)
                continue;
            for (const Event &event : events) {
                if (!event.sourceIp.isEmpty())
                    QCOMPARE(event.sourceIp, *addresses.begin());
            }
        }
        if (errorLogLines > 0)
            qInfo("crowdsec %s: %d nginx error-log lines not checked", qPrintable(name),
                  errorLogLines);
    }
    QVERIFY(files >= 10);
}

void ParserCorporaTest::fail2banWebAccess()
{
    // fail2ban's nginx-botsearch log is mostly an access log. Each labelled
    // access line must parse with the labelled client address.
    const QList<QByteArray> lines = readLines(dataPath(QStringLiteral("corpora/fail2ban/nginx-botsearch")));
    const std::unique_ptr<LogParser> parser = createParser(LogFormat::WebAccess, ParserOptions());
    QString host;
    int checked = 0;
    int errorLogLines = 0;
    for (const QByteArray &line : lines) {
        if (line.startsWith("# failJSON:")) {
            host = QJsonDocument::fromJson(line.mid(11)).object().value(QLatin1String("host")).toString();
            continue;
        }
        if (line.startsWith('#') || line.trimmed().isEmpty())
            continue;
        if (isNginxErrorLine(line)) {
            ++errorLogLines;
            host.clear();
            continue;
        }
        std::vector<Event> events;
        QVERIFY2(parser->parseLine(line, {1, 0, false}, events), line.constData());
        QCOMPARE(events.size(), size_t(1));
        if (!host.isEmpty()) {
            QCOMPARE(events.front().sourceIp, host);
            ++checked;
        }
        host.clear();
    }
    qInfo("nginx-botsearch: %d access lines checked, %d error-log lines not checked", checked,
          errorLogLines);
    QVERIFY(checked > 0);
}

void ParserCorporaTest::cowrieJsonLines()
{
    // Cowrie's JSON log does not use ECS names, but every object has a
    // "timestamp", so each parses and keeps its fields in extra. The file's
    // one line that is no JSON must be rejected.
    const QList<QByteArray> lines = readLines(dataPath(QStringLiteral("corpora/fail2ban/cowrie")));
    const std::unique_ptr<LogParser> parser = createParser(LogFormat::JsonLines, ParserOptions());
    int parsed = 0;
    for (const QByteArray &line : lines) {
        if (line.startsWith('#') || line.trimmed().isEmpty())
            continue;
        std::vector<Event> events;
        if (!line.startsWith('{')) {
            QVERIFY2(!parser->parseLine(line, {1, 0, false}, events), line.constData());
            continue;
        }
        QVERIFY2(parser->parseLine(line, {1, 0, false}, events), line.constData());
        QCOMPARE(events.size(), size_t(1));
        QVERIFY(events.front().timestampMs > 0);
        QVERIFY(!events.front().extra.value(QStringLiteral("src_ip")).toString().isEmpty());
        ++parsed;
    }
    QVERIFY(parsed > 0);
}

void ParserCorporaTest::realFilesParse_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("format");
    QTest::newRow("openssh_2k") << QStringLiteral("auth/openssh_2k.log") << int(LogFormat::Syslog);
    QTest::newRow("suspicious_login") << QStringLiteral("auth/suspicious_login_auth.log")
                                      << int(LogFormat::Syslog);
    QTest::newRow("apache_combined") << QStringLiteral("web/apache_combined_10k.log")
                                     << int(LogFormat::WebAccess);
    QTest::newRow("login_attack") << QStringLiteral("web/login_attack_access.log")
                                  << int(LogFormat::WebAccess);
}

void ParserCorporaTest::realFilesParse()
{
    QFETCH(QString, file);
    QFETCH(int, format);
    const QList<QByteArray> lines = readLines(dataPath(file));
    QVERIFY(!lines.isEmpty());
    QCOMPARE(int(detectFormat(lines.mid(0, 20))), format);

    const std::unique_ptr<LogParser> parser = createParser(LogFormat(format), ParserOptions());
    std::vector<Event> events;
    qint64 lineNumber = 0;
    QStringList unparsed;
    for (const QByteArray &line : lines) {
        ++lineNumber;
        if (!parser->parseLine(line, {lineNumber, 0, false}, events))
            unparsed.append(QStringLiteral("%1:%2: %3").arg(file).arg(lineNumber).arg(QString::fromUtf8(line)));
    }
    qInfo("%s: %lld lines, %zu events, %lld unparsed", qPrintable(file), lineNumber, events.size(),
          qint64(unparsed.size()));
    QVERIFY2(unparsed.isEmpty(), qPrintable(unparsed.mid(0, 10).join(QLatin1Char('\n'))));
    for (const Event &event : events)
        QVERIFY(event.timestampMs > 0);
}

void ParserCorporaTest::repeatedMessagesExpand()
{
    // 628 single "Failed password" lines and 85 "message repeated N times"
    // lines that stand for 410 more.
    const QList<QByteArray> lines = readLines(dataPath(QStringLiteral("auth/suspicious_login_auth.log")));
    const std::unique_ptr<LogParser> parser = createParser(LogFormat::Syslog, ParserOptions());
    std::vector<Event> events;
    qint64 lineNumber = 0;
    for (const QByteArray &line : lines)
        parser->parseLine(line, {++lineNumber, 0, false}, events);

    int failedPassword = 0;
    for (const Event &event : events) {
        const bool failedLine = event.original.contains(QLatin1String("Failed password"));
        if (failedLine && event.action == QLatin1String(actions::SshLogin)
            && event.outcome == EventOutcome::Failure)
            ++failedPassword;
    }
    QCOMPARE(failedPassword, 628 + 410);
}

QTEST_GUILESS_MAIN(ParserCorporaTest)
#include "tst_parsercorpora.moc"
