// SPDX-License-Identifier: GPL-3.0-or-later
// Syslog framing, year inference, "message repeated" and OpenSSH/PAM messages.
#include "event/logparser.h"
#include "event/parsertext.h"
#include "event/syslogheader.h"

#include <QDateTime>
#include <QSet>
#include <QTest>
#include <QTimeZone>

using namespace portcullis;

namespace {

qint64 utcMs(const char *isoTime)
{
    return QDateTime::fromString(QString::fromLatin1(isoTime), Qt::ISODateWithMs)
        .toMSecsSinceEpoch();
}

ParserOptions utcOptions(const char *reference = "2024-06-01T00:00:00Z")
{
    ParserOptions options;
    options.referenceTimeMs = utcMs(reference);
    options.timeZone = "UTC";
    options.filePath = QStringLiteral("/var/log/auth.log");
    return options;
}

std::vector<Event> parseLines(const QList<QByteArray> &lines,
                              const ParserOptions &options = utcOptions())
{
    const std::unique_ptr<LogParser> parser = createParser(LogFormat::Syslog, options);
    std::vector<Event> events;
    qint64 lineNumber = 0;
    for (const QByteArray &line : lines) {
        ++lineNumber;
        if (!parser->parseLine(line, {lineNumber, lineNumber * 100, false}, events))
            qWarning("not parsed: %s", line.constData());
    }
    return events;
}

} // namespace

class SyslogParserTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void framing_data();
    void framing();
    void rejectsNonSyslog_data();
    void rejectsNonSyslog();
    void yearCrossesNewYear();
    void yearWithReferenceInsideFile();
    void zoneAppliesToYearlessStamps();
    void leapDayTakesLeapYear();
    void cachedOffsetsFollowTransitions_data();
    void cachedOffsetsFollowTransitions();
    void repeatedMessageExpands();
    void repeatedMessageCapped();
    void sshMessages_data();
    void sshMessages();
    void invalidUserThenFailedCountsOnce();
    void pamFailureThenFailedCountsOnce();
    void pamErrorThenAcceptedCountsOnce();
    void invalidUserThenCloseCountsOnce();
    void failureBeforeAddressTakesLaterAddress();
    void otherProgramsParse_data();
    void otherProgramsParse();
    void eventKeepsLineAndPosition();
    void decoderSlicesStayIntact();
    void headerMemoMatchesPlainParse();
    void decoderReusesReleasedBlock();
    void formatNamesRoundTrip();
};

void SyslogParserTest::framing_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<qint64>("timestamp");
    QTest::addColumn<QString>("host");
    QTest::addColumn<QString>("program");
    QTest::addColumn<qint64>("pid");

    QTest::newRow("rfc3164") << QByteArray("Dec 10 06:55:46 LabSZ sshd[24200]: Invalid user a from 1.2.3.4")
                             << utcMs("2023-12-10T06:55:46Z") << "LabSZ" << "sshd" << qint64(24200);
    QTest::newRow("rfc3164 padded day") << QByteArray("Jun  6 04:17:04 host sshd[7]: x")
                                        << utcMs("2023-06-06T04:17:04Z") << "host" << "sshd" << qint64(7);
    QTest::newRow("rfc3164 bare day") << QByteArray("Feb 7 16:01:07 linux-m899 sshd[5106]: x")
                                      << utcMs("2024-02-07T16:01:07Z") << "linux-m899" << "sshd"
                                      << qint64(5106);
    QTest::newRow("rfc3164 with pri") << QByteArray("<38>Mar  1 10:00:00 gw sshd[1]: x")
                                      << utcMs("2024-03-01T10:00:00Z") << "gw" << "sshd" << qint64(1);
    QTest::newRow("rfc3164 no host") << QByteArray("Feb 17 17:40:17 sshd[19725]: Connection from 1.2.3.4 port 1 on 5.6.7.8 port 22")
                                     << utcMs("2024-02-17T17:40:17Z") << "" << "sshd" << qint64(19725);
    QTest::newRow("rfc3164 bracket tag") << QByteArray("Mar  3 00:17:22 [sshd]: User root from 1.2.3.4 not allowed because x")
                                         << utcMs("2024-03-03T00:17:22Z") << "" << "sshd" << qint64(0);
    QTest::newRow("rfc3164 no pid") << QByteArray("Mar  3 00:17:22 box sudo: pam_unix(sudo:session): x")
                                    << utcMs("2024-03-03T00:17:22Z") << "box" << "sudo" << qint64(0);
    QTest::newRow("rsyslog iso") << QByteArray("2024-03-01T10:00:00.123456+01:00 host sshd[1]: x")
                                 << utcMs("2024-03-01T09:00:00.123Z") << "host" << "sshd" << qint64(1);
    QTest::newRow("iso utc") << QByteArray("2015-04-16T18:02:50.321974+00:00 host sshd[2716]: x")
                             << utcMs("2015-04-16T18:02:50.321Z") << "host" << "sshd" << qint64(2716);
    QTest::newRow("rfc5424") << QByteArray("<34>1 2003-10-11T22:14:15.003Z mymachine su 77 ID47 - 'su root' failed")
                             << utcMs("2003-10-11T22:14:15.003Z") << "mymachine" << "su" << qint64(77);
    QTest::newRow("rfc5424 offset and sd") << QByteArray("<38>1 2019-07-08T17:40:17.954167-04:00 h.example.com sshd 55555 - [a x=\"[b]\\\"\"][c@1 y=\"1\"] Failed unknown for invalid user r from 192.0.2.2 port 5 ssh2")
                                           << utcMs("2019-07-08T21:40:17.954Z") << "h.example.com" << "sshd" << qint64(55555);
}

void SyslogParserTest::framing()
{
    QFETCH(QByteArray, line);
    QFETCH(qint64, timestamp);
    QFETCH(QString, host);
    QFETCH(QString, program);
    QFETCH(qint64, pid);

    const std::vector<Event> events = parseLines({line});
    QCOMPARE(events.size(), size_t(1));
    QCOMPARE(events[0].timestampMs, timestamp);
    QCOMPARE(events[0].hostName, host);
    QCOMPARE(events[0].processName, program);
    QCOMPARE(events[0].processPid, pid);
}

void SyslogParserTest::rejectsNonSyslog_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("text") << QByteArray("hello world");
    QTest::newRow("bad day") << QByteArray("Dec 99 06:55:46 host sshd[1]: x");
    QTest::newRow("bad hour") << QByteArray("Dec 10 26:55:46 host sshd[1]: x");
    QTest::newRow("stamp only") << QByteArray("Dec 10 06:55:46");
    QTest::newRow("bad pri") << QByteArray("<999>Dec 10 06:55:46 host x: y");
    QTest::newRow("access log") << QByteArray("1.2.3.4 - - [10/Oct/2023:08:32:31 +0000] \"GET / HTTP/1.1\" 200 1");
    QTest::newRow("json") << QByteArray("{\"@timestamp\":\"2024-01-01T00:00:00Z\"}");
}

void SyslogParserTest::rejectsNonSyslog()
{
    QFETCH(QByteArray, line);
    const std::unique_ptr<LogParser> parser = createParser(LogFormat::Syslog, utcOptions());
    std::vector<Event> events;
    QVERIFY(!parser->parseLine(line, {1, 0, false}, events));
    QVERIFY(events.empty());
}

void SyslogParserTest::yearCrossesNewYear()
{
    const std::vector<Event> events = parseLines(
        {"Dec 30 23:00:00 h cron[1]: a", "Dec 31 23:59:59 h cron[1]: b",
         "Jan  1 00:00:01 h cron[1]: c", "Jan  4 08:00:00 h cron[1]: d"},
        utcOptions("2025-01-05T00:00:00Z"));
    QCOMPARE(events.size(), size_t(4));
    QCOMPARE(events[0].timestampMs, utcMs("2024-12-30T23:00:00Z"));
    QCOMPARE(events[1].timestampMs, utcMs("2024-12-31T23:59:59Z"));
    QCOMPARE(events[2].timestampMs, utcMs("2025-01-01T00:00:01Z"));
    QCOMPARE(events[3].timestampMs, utcMs("2025-01-04T08:00:00Z"));
}

void SyslogParserTest::yearWithReferenceInsideFile()
{
    // A reference time inside the file's range (a copied file with an old
    // modification time): later lines still keep the order.
    const std::vector<Event> events = parseLines(
        {"Jan 10 00:00:00 h cron[1]: a", "Jan 20 00:00:00 h cron[1]: b"},
        utcOptions("2025-01-15T00:00:00Z"));
    QCOMPARE(events.size(), size_t(2));
    QCOMPARE(events[0].timestampMs, utcMs("2025-01-10T00:00:00Z"));
    QCOMPARE(events[1].timestampMs, utcMs("2025-01-20T00:00:00Z"));
}

void SyslogParserTest::leapDayTakesLeapYear()
{
    // 2025 is no leap year: Feb 29 must not turn into March 1.
    std::vector<Event> events = parseLines({"Feb 29 10:00:00 h cron[1]: a"},
                                           utcOptions("2025-03-10T00:00:00Z"));
    QCOMPARE(events.size(), size_t(1));
    QCOMPARE(events[0].timestampMs, utcMs("2024-02-29T10:00:00Z"));

    // After Feb 28 inferred in 2029, the nearest leap year is 2028, not 2032.
    events = parseLines({"Feb 28 12:00:00 h cron[1]: a", "Feb 29 12:00:00 h cron[1]: b",
                         "Mar  1 12:00:00 h cron[1]: c"},
                        utcOptions("2029-03-10T00:00:00Z"));
    QCOMPARE(events.size(), size_t(3));
    QCOMPARE(events[1].timestampMs, utcMs("2028-02-29T12:00:00Z"));

    // A file crossing New Year into a leap year keeps its order.
    events = parseLines({"Dec 31 23:00:00 h cron[1]: a", "Feb 29 00:30:00 h cron[1]: b"},
                        utcOptions("2024-03-01T00:00:00Z"));
    QCOMPARE(events.size(), size_t(2));
    QCOMPARE(events[0].timestampMs, utcMs("2023-12-31T23:00:00Z"));
    QCOMPARE(events[1].timestampMs, utcMs("2024-02-29T00:30:00Z"));
}

void SyslogParserTest::zoneAppliesToYearlessStamps()
{
    ParserOptions options = utcOptions();
    options.timeZone = "Europe/Berlin";
    const std::vector<Event> events = parseLines(
        {"Jul  1 12:00:00 h cron[1]: summer", "Jan 15 12:00:00 h cron[1]: winter",
         "2024-07-01T12:00:00Z h cron[1]: explicit zone wins"},
        options);
    QCOMPARE(events.size(), size_t(3));
    QCOMPARE(events[0].timestampMs, utcMs("2023-07-01T10:00:00Z"));
    QCOMPARE(events[1].timestampMs, utcMs("2024-01-15T11:00:00Z"));
    QCOMPARE(events[2].timestampMs, utcMs("2024-07-01T12:00:00Z"));
}

void SyslogParserTest::cachedOffsetsFollowTransitions_data()
{
    QTest::addColumn<QByteArray>("zone");
    QTest::newRow("Europe/Berlin") << QByteArray("Europe/Berlin");
    QTest::newRow("America/New_York") << QByteArray("America/New_York");
    QTest::newRow("Australia/Sydney") << QByteArray("Australia/Sydney");
    QTest::newRow("Etc/UTC") << QByteArray("Etc/UTC");
}

void SyslogParserTest::cachedOffsetsFollowTransitions()
{
    // The clock caches offsets per span between transitions; every local time
    // must still get the offset QDateTime gives for the start of its hour,
    // forwards, backwards and across the transitions of two years.
    QFETCH(QByteArray, zone);
    const QTimeZone timeZone(zone);
    QVERIFY(timeZone.isValid());
    SyslogClock clock(utcMs("2025-06-01T00:00:00Z"), zone);
    const QDate first(2023, 12, 1);
    for (int pass = 0; pass < 2; ++pass) {
        for (int step = 0; step < 2 * 400 * 24; ++step) {
            const int index = pass == 0 ? step : 2 * 400 * 24 - 1 - step;
            const QDate date = first.addDays(index / 48);
            const int hour = (index % 48) / 2;
            const int minute = (index % 2) * 37;
            const int offset = QDateTime(date, QTime(hour, 0), timeZone).offsetFromUtc();
            const qint64 expected
                = (QDateTime(date, QTime(hour, minute), QTimeZone::utc()).toSecsSinceEpoch()
                   - offset) * 1000;
            const qint64 got = clock.fromLocal(date.year(), date.month(), date.day(), hour,
                                               minute, 0, 0);
            if (got != expected)
                QFAIL(qPrintable(QStringLiteral("%1 %2:%3: %4, expected %5")
                                     .arg(date.toString(Qt::ISODate)).arg(hour).arg(minute)
                                     .arg(got).arg(expected)));
        }
    }
}

void SyslogParserTest::repeatedMessageExpands()
{
    const std::vector<Event> events = parseLines(
        {"Mar 29 23:18:33 ip-10 sshd[6402]: message repeated 5 times: [ Failed password for root from 218.60.136.106 port 56338 ssh2]"});
    QCOMPARE(events.size(), size_t(5));
    for (const Event &event : events) {
        QCOMPARE(event.action, QLatin1String(actions::SshLogin));
        QCOMPARE(event.outcome, EventOutcome::Failure);
        QVERIFY(event.countsAsAttempt);
        QCOMPARE(event.sourceIp, QStringLiteral("218.60.136.106"));
        QCOMPARE(event.sourcePort, 56338);
        QCOMPARE(event.userName, QStringLiteral("root"));
        QCOMPARE(event.extra.value(QStringLiteral("log.syslog.repeat_count")).toInt(), 5);
        QVERIFY(!event.extra.contains(QStringLiteral("log.syslog.repeat_capped")));
    }
}

void SyslogParserTest::repeatedMessageCapped()
{
    const std::vector<Event> events = parseLines(
        {"Mar 29 23:18:33 h sshd[1]: message repeated 999999 times: [ Failed password for root from 1.2.3.4 port 1 ssh2]"});
    QCOMPARE(events.size(), size_t(10000));
    QVERIFY(events.back().extra.value(QStringLiteral("log.syslog.repeat_capped")).toBool());
    QCOMPARE(events.back().extra.value(QStringLiteral("log.syslog.repeat_count")).toLongLong(),
             qint64(999999));
}

void SyslogParserTest::sshMessages_data()
{
    QTest::addColumn<QByteArray>("message");
    QTest::addColumn<QString>("action");
    QTest::addColumn<int>("outcome");
    QTest::addColumn<bool>("attempt");
    QTest::addColumn<QString>("ip");
    QTest::addColumn<int>("port");
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("method");

    const int failure = int(EventOutcome::Failure);
    const int success = int(EventOutcome::Success);
    const int unknown = int(EventOutcome::Unknown);
    const QString login = QLatin1String(actions::SshLogin);

    QTest::newRow("failed password") << QByteArray("sshd[1]: Failed password for root from 1.2.3.4 port 22 ssh2")
        << login << failure << true << "1.2.3.4" << 22 << "root" << "password";
    QTest::newRow("failed password invalid user") << QByteArray("sshd[1]: Failed password for invalid user admin from 1.2.3.4 port 22 ssh2")
        << login << failure << true << "1.2.3.4" << 22 << "admin" << "password";
    QTest::newRow("failed publickey invalid user") << QByteArray("sshd[1]: Failed publickey for invalid user git from 1.2.3.4 port 22 ssh2: RSA SHA256:abc")
        << login << failure << true << "1.2.3.4" << 22 << "git" << "publickey";
    QTest::newRow("failed publickey valid user is a key probe") << QByteArray("sshd[1]: Failed publickey for git from 1.2.3.4 port 22 ssh2: ECDSA SHA256:abc")
        << login << failure << false << "1.2.3.4" << 22 << "git" << "publickey";
    QTest::newRow("failed keyboard-interactive") << QByteArray("sshd[1]: Failed keyboard-interactive/pam for bob from 1.2.3.4 port 22 ssh2")
        << login << failure << true << "1.2.3.4" << 22 << "bob" << "keyboard-interactive";
    QTest::newRow("failed none") << QByteArray("sshd[1]: Failed none for invalid user x from 1.2.3.4 port 22 ssh2")
        << login << failure << false << "1.2.3.4" << 22 << "x" << "none";
    QTest::newRow("accepted password") << QByteArray("sshd[1]: Accepted password for bob from 1.2.3.4 port 22 ssh2")
        << login << success << true << "1.2.3.4" << 22 << "bob" << "password";
    QTest::newRow("accepted publickey") << QByteArray("sshd[1]: Accepted publickey for ubuntu from 10.0.0.1 port 5 ssh2: RSA SHA256:x")
        << login << success << true << "10.0.0.1" << 5 << "ubuntu" << "publickey";
    QTest::newRow("sshd-session") << QByteArray("sshd-session[1571]: Failed password for root from 192.0.2.1 port 56502 ssh2")
        << login << failure << true << "192.0.2.1" << 56502 << "root" << "password";
    QTest::newRow("ipv6") << QByteArray("sshd[1]: Failed password for root from 2001:DB8:0::1 port 22 ssh2")
        << login << failure << true << "2001:db8::1" << 22 << "root" << "password";
    QTest::newRow("ipv4-mapped") << QByteArray("sshd[1]: Failed password for root from ::ffff:10.1.2.3 port 22 ssh2")
        << login << failure << true << "10.1.2.3" << 22 << "root" << "password";
    QTest::newRow("ipv6 scoped") << QByteArray("sshd[1]: Failed password for root from fe80::1%eth0 port 22 ssh2")
        << login << failure << true << "fe80::1%eth0" << 22 << "root" << "password";
    QTest::newRow("user contains from") << QByteArray("sshd[1]: Failed password for invalid user x from 9.9.9.9 from 1.2.3.4 port 7 ssh2")
        << login << failure << true << "1.2.3.4" << 7 << "x from 9.9.9.9" << "password";
    QTest::newRow("user contains clause") << QByteArray("sshd[1]: Failed password for invalid user t from 9.9.9.9 port 5 ssh2 from 1.2.3.4 port 7 ssh2")
        << login << failure << true << "1.2.3.4" << 7 << "t from 9.9.9.9 port 5 ssh2" << "password";
    QTest::newRow("info contains clause") << QByteArray("sshd[1]: Failed password for bob from 1.2.3.4 port 7 ssh2: ruser x from 9.9.9.9")
        << login << failure << true << "1.2.3.4" << 7 << "bob" << "password";
    QTest::newRow("invalid user") << QByteArray("sshd[1]: Invalid user webmaster from 173.234.31.186")
        << QString(QLatin1String(actions::SshInvalidUser)) << failure << true << "173.234.31.186" << 0 << "webmaster" << "";
    QTest::newRow("invalid user empty") << QByteArray("sshd[1]: Invalid user  from 192.0.2.68 port 34916")
        << QString(QLatin1String(actions::SshInvalidUser)) << failure << true << "192.0.2.68" << 34916 << "" << "";
    QTest::newRow("invalid user trailing spaces") << QByteArray("sshd[1]: Invalid user admin  from 1.2.3.4 port 1")
        << QString(QLatin1String(actions::SshInvalidUser)) << failure << true << "1.2.3.4" << 1 << "admin " << "";
    QTest::newRow("invalid user with from") << QByteArray("sshd[1]: Invalid user a from 9.9.9.9 from 1.2.3.4 port 1")
        << QString(QLatin1String(actions::SshInvalidUser)) << failure << true << "1.2.3.4" << 1 << "a from 9.9.9.9" << "";
    QTest::newRow("closed preauth") << QByteArray("sshd[1]: Connection closed by authenticating user root 1.2.3.4 port 9 [preauth]")
        << QString(QLatin1String(actions::SshPreauthDisconnect)) << failure << true << "1.2.3.4" << 9 << "root" << "";
    QTest::newRow("disconnected invalid preauth") << QByteArray("sshd[1]: Disconnected from invalid user bob 1.2.3.4 port 9 [preauth]")
        << QString(QLatin1String(actions::SshPreauthDisconnect)) << failure << true << "1.2.3.4" << 9 << "bob" << "";
    QTest::newRow("max attempts") << QByteArray("sshd[1]: error: maximum authentication attempts exceeded for root from 1.2.3.4 port 22 ssh2 [preauth]")
        << QString(QLatin1String(actions::SshMaxAuthTries)) << failure << true << "1.2.3.4" << 22 << "root" << "";
    QTest::newRow("too many failures without address") << QByteArray("sshd[1]: Disconnecting: Too many authentication failures [preauth]")
        << QString(QLatin1String(actions::SshMaxAuthTries)) << failure << false << "" << 0 << "" << "";
    QTest::newRow("no identification") << QByteArray("sshd[1]: Did not receive identification string from 1.2.3.4 port 5")
        << QString(QLatin1String(actions::SshNoIdentification)) << failure << true << "1.2.3.4" << 5 << "" << "";
    QTest::newRow("preauth timeout") << QByteArray("sshd[1]: fatal: Timeout before authentication for 1.2.3.4 port 5")
        << QString(QLatin1String(actions::SshPreauthTimeout)) << failure << true << "1.2.3.4" << 5 << "" << "";
    QTest::newRow("dispatch fatal") << QByteArray("sshd[1]: ssh_dispatch_run_fatal: Connection from 1.2.3.4 port 5: message authentication code incorrect [preauth]")
        << QString(QLatin1String(actions::SshProtocolError)) << failure << true << "1.2.3.4" << 5 << "" << "";
    QTest::newRow("break-in attempt") << QByteArray("sshd[1]: reverse mapping checking getaddrinfo for ns.example.com [173.234.31.186] failed - POSSIBLE BREAK-IN ATTEMPT!")
        << QString(QLatin1String(actions::SshBreakInAttempt)) << unknown << true << "173.234.31.186" << 0 << "" << "";
    QTest::newRow("pam unix from sshd") << QByteArray("sshd[1]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=1.2.3.4  user=root")
        << QString(QLatin1String(actions::PamAuthFailure)) << failure << false << "1.2.3.4" << 0 << "root" << "";
    QTest::newRow("pam error with host name") << QByteArray("sshd[1]: error: PAM: Authentication failure for bob from host.example.com")
        << QString(QLatin1String(actions::PamAuthFailure)) << failure << true << "" << 0 << "bob" << "";
    QTest::newRow("session opened") << QByteArray("sshd[1]: pam_unix(sshd:session): session opened for user bob by (uid=0)")
        << QString(QLatin1String(actions::Other)) << unknown << true << "" << 0 << "bob" << "";
}

void SyslogParserTest::sshMessages()
{
    QFETCH(QByteArray, message);
    QFETCH(QString, action);
    QFETCH(int, outcome);
    QFETCH(bool, attempt);
    QFETCH(QString, ip);
    QFETCH(int, port);
    QFETCH(QString, user);
    QFETCH(QString, method);

    const std::vector<Event> events = parseLines({"Mar  1 10:00:00 host " + message});
    QCOMPARE(events.size(), size_t(1));
    const Event &event = events[0];
    QCOMPARE(event.action, action);
    QCOMPARE(int(event.outcome), outcome);
    QCOMPARE(event.countsAsAttempt, attempt);
    QCOMPARE(event.sourceIp, ip);
    QCOMPARE(event.sourcePort, port);
    QCOMPARE(event.userName, user);
    QCOMPARE(event.hasUserName, !user.isEmpty() || message.contains("user  from"));
    QCOMPARE(event.extra.value(QStringLiteral("ssh.method")).toString(), method);
    if (event.category != EventCategory::Session)
        QCOMPARE(event.category, EventCategory::Authentication);
}

void SyslogParserTest::invalidUserThenFailedCountsOnce()
{
    const std::vector<Event> events = parseLines(
        {"Dec 10 06:55:46 h sshd[24200]: Invalid user webmaster from 173.234.31.186",
         "Dec 10 06:55:48 h sshd[24200]: Failed password for invalid user webmaster from 173.234.31.186 port 38926 ssh2",
         "Dec 10 06:55:50 h sshd[24200]: Failed password for invalid user webmaster from 173.234.31.186 port 38926 ssh2",
         "Dec 10 06:55:51 h sshd[24201]: Failed password for invalid user webmaster from 173.234.31.186 port 38927 ssh2"});
    QCOMPARE(events.size(), size_t(4));
    QVERIFY(events[0].countsAsAttempt);
    QVERIFY(!events[1].countsAsAttempt);  // the same attempt as "Invalid user"
    QVERIFY(events[2].countsAsAttempt);   // a new password in the same connection
    QVERIFY(events[3].countsAsAttempt);   // another connection
}

void SyslogParserTest::pamFailureThenFailedCountsOnce()
{
    const std::vector<Event> events = parseLines(
        {"Dec 10 06:55:46 h sshd[7]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=1.2.3.4  user=root",
         "Dec 10 06:55:48 h sshd[7]: Failed password for root from 1.2.3.4 port 1 ssh2",
         "Dec 10 06:55:49 h sshd[7]: PAM 2 more authentication failures; logname= uid=0 euid=0 tty=ssh ruser= rhost=1.2.3.4  user=root"});
    QCOMPARE(events.size(), size_t(3));
    QVERIFY(!events[0].countsAsAttempt);
    QVERIFY(events[1].countsAsAttempt);
    QVERIFY(!events[2].countsAsAttempt);
    QCOMPARE(events[2].outcome, EventOutcome::Failure);
}

void SyslogParserTest::pamErrorThenAcceptedCountsOnce()
{
    // sshd's "error: PAM:" line already counts the pam_unix failure, so the
    // login of another user that follows is a success and nothing more.
    const std::vector<Event> events = parseLines(
        {"Dec 10 06:55:46 h sshd[7]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=1.2.3.4  user=alice",
         "Dec 10 06:55:47 h sshd[7]: error: PAM: Authentication failure for alice from 1.2.3.4",
         "Dec 10 06:55:48 h sshd[7]: Accepted keyboard-interactive/pam for bob from 1.2.3.4 port 1 ssh2"});
    QCOMPARE(events.size(), size_t(3));
    QVERIFY(!events[0].countsAsAttempt);
    QVERIFY(events[1].countsAsAttempt);
    QCOMPARE(events[2].outcome, EventOutcome::Success);
    QCOMPARE(events[2].userName, QStringLiteral("bob"));
    const auto counted = std::count_if(events.begin(), events.end(), [](const Event &event) {
        return event.outcome == EventOutcome::Failure && event.countsAsAttempt;
    });
    QCOMPARE(counted, 1);
}

void SyslogParserTest::invalidUserThenCloseCountsOnce()
{
    // The close is a failure line of the attempt "Invalid user" counted.
    const std::vector<Event> events = parseLines(
        {"Jun  6 04:17:04 host sshd[1189074]: Invalid user  from 192.0.2.68 port 34916",
         "Jun  6 04:17:09 host sshd[1189074]: Connection closed by invalid user  192.0.2.68 port 34916 [preauth]"});
    QCOMPARE(events.size(), size_t(2));
    QVERIFY(events[0].countsAsAttempt);
    QCOMPARE(events[1].category, EventCategory::Authentication);
    QCOMPARE(events[1].outcome, EventOutcome::Failure);
    QCOMPARE(events[1].sourceIp, QStringLiteral("192.0.2.68"));
    QVERIFY(!events[1].countsAsAttempt);
}

void SyslogParserTest::failureBeforeAddressTakesLaterAddress()
{
    const std::vector<Event> events = parseLines(
        {"Nov 23 21:50:19 sshd[8148]: Disconnecting: Too many authentication failures for root [preauth]",
         "Nov 23 21:50:37 sshd[8148]: Connection closed by 61.0.0.1 [preauth]"});
    QCOMPARE(events.size(), size_t(2));
    QVERIFY(!events[0].countsAsAttempt);
    QVERIFY(events[1].countsAsAttempt);
    QCOMPARE(events[1].sourceIp, QStringLiteral("61.0.0.1"));
}

void SyslogParserTest::otherProgramsParse_data()
{
    QTest::addColumn<QByteArray>("message");
    QTest::addColumn<int>("category");
    QTest::addColumn<QString>("action");
    QTest::addColumn<bool>("failure");
    QTest::newRow("cron") << QByteArray("CRON[1]: pam_unix(cron:session): session opened for user root by (uid=0)")
                          << int(EventCategory::Session) << QString(QLatin1String(actions::Other)) << false;
    QTest::newRow("sudo command") << QByteArray("sudo:   ubuntu : TTY=pts/0 ; PWD=/home/ubuntu ; USER=root ; COMMAND=/bin/ls")
                                  << int(EventCategory::Iam) << QString(QLatin1String(actions::Other)) << false;
    QTest::newRow("sudo pam failure") << QByteArray("sudo: pam_unix(sudo:auth): authentication failure; logname=eve uid=1001 euid=0 tty=/dev/pts/1 ruser=eve rhost=  user=eve")
                                      << int(EventCategory::Authentication) << QString(QLatin1String(actions::PamAuthFailure)) << true;
    QTest::newRow("systemd") << QByteArray("systemd[1]: Started Session 3 of user ubuntu.")
                             << int(EventCategory::Process) << QString(QLatin1String(actions::Other)) << false;
    QTest::newRow("kernel") << QByteArray("kernel: [ 1.0] eth0: link up")
                            << int(EventCategory::Unknown) << QString(QLatin1String(actions::Other)) << false;
    QTest::newRow("no tag") << QByteArray("some free text: with a colon")
                            << int(EventCategory::Unknown) << QString(QLatin1String(actions::Other)) << false;
}

void SyslogParserTest::otherProgramsParse()
{
    QFETCH(QByteArray, message);
    QFETCH(int, category);
    QFETCH(QString, action);
    QFETCH(bool, failure);
    const std::vector<Event> events = parseLines({"Mar  1 10:00:00 host " + message});
    QCOMPARE(events.size(), size_t(1));
    QCOMPARE(int(events[0].category), category);
    QCOMPARE(events[0].action, action);
    QCOMPARE(events[0].outcome == EventOutcome::Failure, failure);
}

void SyslogParserTest::eventKeepsLineAndPosition()
{
    const QByteArray line("Mar  1 10:00:00 host sshd[1]: Invalid user \xc3\xa9l\xff from 1.2.3.4");
    const std::unique_ptr<LogParser> parser = createParser(LogFormat::Syslog, utcOptions());
    std::vector<Event> events;
    QVERIFY(parser->parseLine(line, {42, 4096, true}, events));
    QCOMPARE(events.size(), size_t(1));
    QCOMPARE(events[0].original, QString::fromUtf8(line));
    QVERIFY(events[0].original.contains(QChar(0xFFFD)));
    QCOMPARE(events[0].userName, QString::fromUtf8("\xc3\xa9l\xff"));
    QVERIFY(events[0].originalTruncated);
    QCOMPARE(events[0].lineNumber, qint64(42));
    QCOMPARE(events[0].fileOffset, qint64(4096));
    QCOMPARE(events[0].filePath, QStringLiteral("/var/log/auth.log"));
}

void SyslogParserTest::headerMemoMatchesPlainParse()
{
    // Every stamp with every host-and-tag form and every message, in an
    // order where most lines repeat the stamp or the tag of an earlier one.
    const QList<QByteArray> stamps { "Dec 31 23:59:59 ", "Jan  1 00:00:01 ", "Feb 29 12:00:00 ",
                                     "Feb 29 12:00:00.250 ", "Mar  1 10:00:00 ",
                                     "2024-02-29T12:00:00Z ", "2024-03-01T10:00:00.5+02:00 ",
                                     "2024-03-01 10:00:00 ", "Mar  1 10:00 " };
    const QList<QByteArray> tags { "host sshd[12]: ", "host sshd[12]:  ", "sshd[12]: ",
                                   "host sshd: ", "host [sshd] ", "host [sshd]: ", "[sshd] ",
                                   "host sshd[12]:", "host  sshd[12]: ", "host sshd[1x]: ",
                                   "other-host.example sshd-session[4242]: ", "host sshd[12] ",
                                   "host [sshd]", "[sshd]", "host " };
    const QList<QByteArray> messages { "Failed password for root from 1.2.3.4 port 22 ssh2", "",
                                       ": x", " leading space", "[ID 800047 auth.info] msg",
                                       "[ID 800047 auth.info] [ID 2 b] twice",
                                       "sshd[13]: nested", "x" };
    QList<QByteArray> lines;
    for (const QByteArray &stamp : stamps) {
        for (const QByteArray &tag : tags) {
            for (const QByteArray &message : messages)
                lines.append(stamp + tag + message);
        }
    }
    for (const QByteArray &tag : tags) {
        for (const QByteArray &stamp : stamps)
            lines.append(stamp + tag + messages.first());
    }
    // Lines with <PRI> skip the memo but move the clock's previous time.
    lines.append("Feb 29 12:00:00 host sshd[12]: before priority");
    lines.append("<38>Mar  1 10:00:00 host sshd[12]: with priority");
    lines.append("<38>1 2024-03-01T10:00:00Z host sshd 12 - - RFC 5424");
    lines.append("Feb 29 12:00:00 host sshd[12]: after priority");

    SyslogClock plainClock(utcMs("2024-06-01T00:00:00Z"), "Europe/Berlin");
    SyslogClock memoClock(utcMs("2024-06-01T00:00:00Z"), "Europe/Berlin");
    SyslogHeaderMemo memo;
    for (const QByteArray &line : std::as_const(lines)) {
        SyslogHeader plain;
        SyslogHeader memoized;
        const bool plainOk = parseSyslogHeader(line, plainClock, &plain);
        QCOMPARE(parseSyslogHeader(line, memoClock, &memoized, &memo), plainOk);
        if (!plainOk)
            continue;
        QCOMPARE(memoized.timestampMs, plain.timestampMs);
        QCOMPARE(memoized.priority, plain.priority);
        QCOMPARE(memoized.host, plain.host);
        QCOMPARE(memoized.host.isNull(), plain.host.isNull());
        QCOMPARE(memoized.program, plain.program);
        QCOMPARE(memoized.pid, plain.pid);
        QCOMPARE(memoized.msgId, plain.msgId);
        QCOMPARE(memoized.structuredData, plain.structuredData);
        QCOMPARE(memoized.message, plain.message);
        QCOMPARE(memoized.message.isNull(), plain.message.isNull());
    }
    // The memo was used: the last lines repeat a stamp and a tag.
    QVERIFY(memo.stampSize > 0);
    QVERIFY(memo.hostAndTagSize > 0);
}

void SyslogParserTest::decoderSlicesStayIntact()
{
    // Enough lines to fill several blocks, with texts that do not go into a
    // block (empty, not ASCII, too long) in between.
    text::RecyclingDecoder decoder;
    QList<QByteArray> lines;
    for (int i = 0; i < 400; ++i) {
        QByteArray line = "Mar  1 10:00:00 host sshd[" + QByteArray::number(i) + "]: line";
        line += QByteArray(i % 37, 'x');
        if (i % 50 == 7)
            line = QByteArray();
        if (i % 50 == 9)
            line += "\xc3\xa9\xff";
        if (i % 50 == 11)
            line = QByteArray(text::RecyclingDecoder::MaxSliceUnits + 1 + i, 'y');
        lines.append(line);
    }
    QList<QString> decoded;
    for (const QByteArray &line : std::as_const(lines))
        decoded.append(decoder.decode(line));
    for (qsizetype i = 0; i < lines.size(); ++i) {
        QCOMPARE(decoded.at(i), QString::fromUtf8(lines.at(i)));
        QCOMPARE(decoded.at(i).isNull(), QString::fromUtf8(lines.at(i)).isNull());
        QCOMPARE(decoded.at(i).constData()[decoded.at(i).size()], QChar());
    }

    // Changing one result copies it, and its neighbours in the block keep
    // their text.
    decoded[100].append(QStringLiteral(" appended"));
    decoded[101].replace(0, 3, QStringLiteral("Apr"));
    QCOMPARE(decoded.at(99), QString::fromUtf8(lines.at(99)));
    QCOMPARE(decoded.at(100), QString::fromUtf8(lines.at(100)) + QStringLiteral(" appended"));
    QCOMPARE(decoded.at(101), QStringLiteral("Apr") + QString::fromUtf8(lines.at(101)).mid(3));
    QCOMPARE(decoded.at(102), QString::fromUtf8(lines.at(102)));
}

void SyslogParserTest::decoderReusesReleasedBlock()
{
    const auto lineText = [](int i) { return QByteArray::number(i).rightJustified(100, 'a'); };

    // A result that is still referenced keeps its block from being refilled.
    text::RecyclingDecoder decoder;
    const QString firstLine = decoder.decode(lineText(0));
    for (int i = 1; i < 200; ++i)
        QCOMPARE(decoder.decode(lineText(i)), QString::fromLatin1(lineText(i)));
    QCOMPARE(firstLine, QString::fromLatin1(lineText(0)));

    // Released one by one, as by a caller that drops each event before the
    // next line, the lines reuse one block.
    text::RecyclingDecoder streaming;
    QSet<const QChar *> starts;
    for (int i = 0; i < 200; ++i) {
        const QString next = streaming.decode(lineText(i));
        QCOMPARE(next, QString::fromLatin1(lineText(i)));
        starts.insert(next.constData());
    }
    QVERIFY(starts.size() <= text::RecyclingDecoder::BlockUnits / 101);
}

void SyslogParserTest::formatNamesRoundTrip()
{
    for (LogFormat format : {LogFormat::Auto, LogFormat::Syslog, LogFormat::WebAccess,
                             LogFormat::JsonLines}) {
        LogFormat parsed = LogFormat::Auto;
        QVERIFY(formatFromName(formatName(format), &parsed));
        QCOMPARE(parsed, format);
    }
    LogFormat unchanged = LogFormat::Syslog;
    QVERIFY(!formatFromName(u"csv", &unchanged));
    QCOMPARE(unchanged, LogFormat::Syslog);
    QVERIFY(createParser(LogFormat::Auto, ParserOptions()) == nullptr);
}

QTEST_GUILESS_MAIN(SyslogParserTest)
#include "tst_syslogparser.moc"
