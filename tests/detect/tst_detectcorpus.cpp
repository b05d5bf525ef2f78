// SPDX-License-Identifier: GPL-3.0-or-later
// The detections on real logs through the real parsers. Each expected result
// is computed from the raw file with plain regular expressions, not from the
// parser or the engine.
#include "detect/detectionengine.h"
#include "event/logparser.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QTimeZone>
#include <QtTest>

#include <algorithm>

using namespace portcullis;

namespace {

const QString dataDir = QStringLiteral(PORTCULLIS_DATA_DIR);
constexpr qint64 TenMinutes = 10 * 60 * 1000;

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

// Parses a file with the parser its first lines select and runs the engine
// over the events, as the import pipeline does.
QVector<Alert> detectFile(const QString &path, const DetectionConfig &config = {})
{
    const QList<QByteArray> lines = readLines(path);
    const LogFormat format = detectFormat(lines.mid(0, 50));
    ParserOptions options;
    options.filePath = path;
    options.referenceTimeMs = QFileInfo(path).lastModified().toMSecsSinceEpoch();
    std::unique_ptr<LogParser> parser = createParser(format, options);
    if (!parser)
        return {};

    DetectionEngine engine(config);
    std::vector<Event> events;
    qint64 offset = 0;
    for (qsizetype i = 0; i < lines.size(); ++i) {
        LineInfo info;
        info.lineNumber = i + 1;
        info.offset = offset;
        offset += lines[i].size() + 1;
        events.clear();
        parser->parseLine(lines[i], info, events);
        // The importer assigns event ids; this driver numbers the events of each line.
        for (size_t n = 0; n < events.size(); ++n) {
            if (events[n].id.isEmpty())
                events[n].id
                    = "line" + QByteArray::number(i + 1) + '.' + QByteArray::number(qint64(n));
            engine.processEvent(events[n]);
        }
    }
    engine.finish();
    engine.takeChangedAlerts();
    return engine.alerts();
}

QVector<Alert> byRule(const QVector<Alert> &alerts, const QString &ruleId)
{
    QVector<Alert> result;
    for (const Alert &alert : alerts) {
        if (alert.ruleId == ruleId)
            result.append(alert);
    }
    return result;
}

QString firstEntity(const Alert &alert, const char *field)
{
    return alert.entities.value(QLatin1String(field)).value(0);
}

// Syslog time without a year; the files compared here do not cross a New Year.
qint64 syslogTime(const QString &text)
{
    QString normalized = text.simplified();
    const QDateTime time = QDateTime::fromString(
        QStringLiteral("2000 ") + normalized, QStringLiteral("yyyy MMM d HH:mm:ss"));
    return time.toMSecsSinceEpoch();
}

// Failed-password times per source address, a "message repeated N times"
// line counting N. With `withLoneInvalidUsers`, an "Invalid user" line whose
// sshd process logs no "Failed password" counts as an attempt too.
QHash<QString, QVector<qint64>> failedPasswordTimes(
    const QString &path, bool withLoneInvalidUsers = false)
{
    static const QRegularExpression invalidUser(QStringLiteral(
        R"(^(\w{3} +\d+ \d\d:\d\d:\d\d) \S+ sshd\[(\d+)\]: Invalid user .*? from ([0-9a-fA-F.:]+)$)"));
    static const QRegularExpression failedPid(
        QStringLiteral(R"(sshd\[(\d+)\]: (?:message repeated \d+ times: \[ )?Failed password )"));
    static const QRegularExpression failed(QStringLiteral(
        R"(^(\w{3} +\d+ \d\d:\d\d:\d\d) \S+ sshd\[\d+\]: (?:message repeated (\d+) times: \[ )?)"
        R"(Failed password for (?:invalid user )?.*? from ([0-9a-fA-F.:]+) port \d+)"));
    QHash<QString, QVector<qint64>> times;
    QSet<QString> pidsWithFailedPassword;
    QVector<std::pair<QString, QRegularExpressionMatch>> invalidUsers; // pid, match
    for (const QByteArray &line : readLines(path)) {
        const QString text = QString::fromUtf8(line);
        const QRegularExpressionMatch pid = failedPid.match(text);
        if (pid.hasMatch())
            pidsWithFailedPassword.insert(pid.captured(1));
        const QRegularExpressionMatch invalid = invalidUser.match(text);
        if (invalid.hasMatch())
            invalidUsers.append({ invalid.captured(2), invalid });
        const QRegularExpressionMatch match = failed.match(text);
        if (!match.hasMatch())
            continue;
        const int repeats = match.captured(2).isEmpty() ? 1 : match.captured(2).toInt();
        for (int i = 0; i < repeats; ++i)
            times[match.captured(3)].append(syslogTime(match.captured(1)));
    }
    if (!withLoneInvalidUsers)
        return times;
    for (const auto &[pid, match] : invalidUsers) {
        if (!pidsWithFailedPassword.contains(pid))
            times[match.captured(3)].append(syslogTime(match.captured(1)));
    }
    return times;
}

struct ExpectedBurst {
    qint64 count = 0;
    bool alerts = false;
};

// Splits one source's failure times into bursts (a gap of more than ten
// minutes ends one) and marks those with five failures within ten minutes.
QString joined(const QVector<qint64> &values)
{
    QStringList texts;
    for (qint64 value : values)
        texts << QString::number(value);
    return texts.join(u',');
}

QVector<ExpectedBurst> expectedBursts(QVector<qint64> times)
{
    std::sort(times.begin(), times.end());
    QVector<ExpectedBurst> bursts;
    qsizetype start = 0;
    for (qsizetype i = 1; i <= times.size(); ++i) {
        if (i < times.size() && times[i] - times[i - 1] <= TenMinutes)
            continue;
        ExpectedBurst burst;
        burst.count = i - start;
        for (qsizetype j = start; j + 4 < i; ++j)
            burst.alerts = burst.alerts || times[j + 4] - times[j] <= TenMinutes;
        bursts.append(burst);
        start = i;
    }
    return bursts;
}

} // namespace

class TestDetectCorpus : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void bruteForceOpenSsh();
    void messageRepeatedCountsEachAttempt();
    void successAfterFailures();
    void distributedLoginAttack();
    void webScanningApache();
    void crowdsecFixtures_data();
    void crowdsecFixtures();
};

void TestDetectCorpus::initTestCase()
{
    if (!QDir(dataDir).exists())
        QSKIP(qPrintable(QStringLiteral("shared data folder %1 is missing; set PORTCULLIS_DATA_DIR")
                             .arg(dataDir)));
}

void TestDetectCorpus::bruteForceOpenSsh()
{
    // Attempts: "Failed password" lines, and "Invalid user" lines of
    // connections that sent no password (one client tried "none" only).
    const QString path = dataDir + QStringLiteral("/auth/openssh_2k.log");
    const QHash<QString, QVector<qint64>> failures = failedPasswordTimes(path, true);
    const QHash<QString, QVector<qint64>> passwordOnly = failedPasswordTimes(path);
    QVERIFY(!failures.isEmpty());
    const QVector<Alert> alerts = byRule(detectFile(path), QStringLiteral("ssh-brute-force"));

    QHash<QString, QVector<qint64>> alertedCounts;
    for (const Alert &alert : alerts)
        alertedCounts[firstEntity(alert, "source.ip")].append(alert.eventCount);

    int expectedAlerts = 0;
    for (auto it = failures.constBegin(); it != failures.constEnd(); ++it) {
        QVector<qint64> expectedCounts;
        for (const ExpectedBurst &burst : expectedBursts(it.value())) {
            if (burst.alerts)
                expectedCounts.append(burst.count);
        }
        expectedAlerts += expectedCounts.size();
        QVector<qint64> actual = alertedCounts.value(it.key());
        std::sort(actual.begin(), actual.end());
        std::sort(expectedCounts.begin(), expectedCounts.end());
        QVERIFY2(actual == expectedCounts,
            qPrintable(QStringLiteral("%1: %2 failures in the file; brute-force alert counts %3, "
                                      "expected %4")
                           .arg(it.key())
                           .arg(it.value().size())
                           .arg(joined(actual), joined(expectedCounts))));
        if (it.value().size() < 5)
            QVERIFY2(!alertedCounts.contains(it.key()), qPrintable(it.key()));
    }
    // The acceptance figure: five "Failed password" lines within ten minutes always alert.
    for (auto it = passwordOnly.constBegin(); it != passwordOnly.constEnd(); ++it) {
        for (const ExpectedBurst &burst : expectedBursts(it.value())) {
            if (burst.alerts)
                QVERIFY2(alertedCounts.contains(it.key()), qPrintable(it.key()));
        }
    }
    QVERIFY(expectedAlerts > 0);
    QCOMPARE(alerts.size(), expectedAlerts);
}

void TestDetectCorpus::messageRepeatedCountsEachAttempt()
{
    // 218.60.136.106: one "Failed password" line, then "message repeated 5 times".
    const QString path = dataDir + QStringLiteral("/auth/suspicious_login_auth.log");
    const QString ip = QStringLiteral("218.60.136.106");
    const QVector<qint64> times = failedPasswordTimes(path).value(ip);
    QVERIFY(times.size() >= 5);

    const QVector<Alert> alerts = byRule(detectFile(path), QStringLiteral("ssh-brute-force"));
    qint64 counted = 0;
    for (const Alert &alert : alerts) {
        if (firstEntity(alert, "source.ip") == ip)
            counted += alert.eventCount;
    }
    QCOMPARE(counted, qint64(times.size()));
}

void TestDetectCorpus::successAfterFailures()
{
    // Independently: an "Accepted" line whose source had at least three
    // failed logins in the 30 minutes before it.
    const QString path = dataDir + QStringLiteral("/auth/suspicious_login_auth.log");
    const QHash<QString, QVector<qint64>> failures = failedPasswordTimes(path);
    static const QRegularExpression accepted(QStringLiteral(
        R"(^(\w{3} +\d+ \d\d:\d\d:\d\d) \S+ sshd\[\d+\]: Accepted \S+ for \S+ from ([0-9a-fA-F.:]+))"));
    QSet<QString> expected;
    QSet<QString> succeededAfterAnyFailure;
    for (const QByteArray &line : readLines(path)) {
        const QRegularExpressionMatch match = accepted.match(QString::fromUtf8(line));
        if (!match.hasMatch())
            continue;
        const qint64 at = syslogTime(match.captured(1));
        int before = 0;
        int recent = 0;
        for (qint64 failure : failures.value(match.captured(2))) {
            before += failure <= at ? 1 : 0;
            recent += failure <= at && failure >= at - 30 * 60 * 1000 ? 1 : 0;
        }
        if (before > 0)
            succeededAfterAnyFailure.insert(match.captured(2));
        if (recent >= 3)
            expected.insert(match.captured(2));
    }
    // Three sources failed and later logged in: 127.0.0.1 after one
    // failure, 85.245.107.41 after at most two within 30 minutes, and
    // 24.151.103.17 after four, and later 147, within 30 minutes.
    QCOMPARE(succeededAfterAnyFailure,
        (QSet<QString> { "127.0.0.1", "85.245.107.41", "24.151.103.17" }));
    QCOMPARE(expected, QSet<QString> { "24.151.103.17" });

    QSet<QString> actual;
    for (const Alert &alert : byRule(detectFile(path), QStringLiteral("success-after-failures"))) {
        actual.insert(firstEntity(alert, "source.ip"));
        QCOMPARE(alert.severity, Severity::High);
        QVERIFY(!alert.entities.value(QStringLiteral("user.name")).isEmpty());
        QVERIFY(alert.evidence.size() >= 4);
    }
    QCOMPARE(actual, expected);
}

void TestDetectCorpus::distributedLoginAttack()
{
    const QString path = dataDir + QStringLiteral("/web/login_attack_access.log");
    static const QRegularExpression post(QStringLiteral(R"(^(\S+) .*"POST /login_form[ ?"])"),
        QRegularExpression::CaseInsensitiveOption);
    QHash<QString, int> postsBySource;
    for (const QByteArray &line : readLines(path)) {
        const QRegularExpressionMatch match = post.match(QString::fromUtf8(line));
        if (match.hasMatch())
            ++postsBySource[match.captured(1)];
    }
    const auto singleAttempt = std::count(postsBySource.cbegin(), postsBySource.cend(), 1);
    QVERIFY2(singleAttempt >= 100, qPrintable(QString::number(singleAttempt)));

    const QVector<Alert> alerts = byRule(detectFile(path), QStringLiteral("web-distributed-login"));
    QCOMPARE(alerts.size(), 1);
    const QStringList sources = alerts[0].entities.value(QStringLiteral("source.ip"));
    QCOMPARE(sources.size(), postsBySource.size());
    for (auto it = postsBySource.cbegin(); it != postsBySource.cend(); ++it) {
        if (it.value() == 1)
            QVERIFY2(sources.contains(it.key()), qPrintable(it.key()));
    }
    QCOMPARE(alerts[0].entities.value(QStringLiteral("url.path")), QStringList { "/login_form" });
}

// Sources that asked for at least `minPaths` distinct probe URLs within ten
// minutes, from the raw lines of a combined-format access log.
QSet<QString> expectedProbingSources(const QString &path, int minPaths)
{
    static const QRegularExpression request(
        QStringLiteral(R"(^(\S+) \S+ \S+ \[([^\]]+)\] "\w+ (\S+))"));
    static const QRegularExpression probe(
        QStringLiteral(
            R"(wp-admin|wp-login\.php|phpmyadmin|/\.env|/\.git/|/etc/passwd|\.\./|/cgi-bin/|xmlrpc\.php)"),
        QRegularExpression::CaseInsensitiveOption);
    QHash<QString, QVector<std::pair<qint64, QString>>> probes;
    for (const QByteArray &line : readLines(path)) {
        const QRegularExpressionMatch match = request.match(QString::fromUtf8(line));
        if (!match.hasMatch() || !probe.match(match.captured(3)).hasMatch())
            continue;
        const QDateTime time
            = QDateTime::fromString(match.captured(2), QStringLiteral("dd/MMM/yyyy:HH:mm:ss t"));
        probes[match.captured(1)].append({ time.toMSecsSinceEpoch(), match.captured(3).toLower() });
    }
    QSet<QString> sources;
    for (auto it = probes.begin(); it != probes.end(); ++it) {
        for (const auto &[start, url] : it.value()) {
            QSet<QString> within;
            for (const auto &[at, other] : it.value()) {
                if (at >= start && at - start <= TenMinutes)
                    within.insert(other);
            }
            if (within.size() >= minPaths)
                sources.insert(it.key());
        }
    }
    return sources;
}

void TestDetectCorpus::webScanningApache()
{
    // At the default of three probe paths no source in this file qualifies
    // (each probes one or two), so the test also runs with two.
    const QString path = dataDir + QStringLiteral("/web/apache_combined_10k.log");
    for (int minPaths : { 3, 2 }) {
        DetectionConfig config;
        config.scanMinProbePaths = minPaths;
        const QSet<QString> expected = expectedProbingSources(path, minPaths);
        QSet<QString> alerted;
        for (const Alert &alert : byRule(detectFile(path, config), QStringLiteral("web-scanning")))
            alerted.insert(firstEntity(alert, "source.ip"));
        for (const QString &source : expected)
            QVERIFY2(alerted.contains(source), qPrintable(source));
        QCOMPARE(alerted, expected);
        if (minPaths == 2)
            QVERIFY(!expected.isEmpty());
    }
}

void TestDetectCorpus::crowdsecFixtures_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("ruleId");
    QTest::addColumn<bool>("expectAlert");

    QTest::newRow("ssh-bf") << "ssh-bf__ssh-bf.log"
                            << "ssh-brute-force" << true;
    QTest::newRow("sshd-invalid-bf") << "sshd-invalid-bf__sshd-invalid-bf.log"
                                     << "ssh-brute-force" << true;
    QTest::newRow("sshd-logs-fp") << "sshd-logs-fp__sshd-logs.log" << QString() << false;
    QTest::newRow("sshd-success-logs")
        << "sshd-success-logs__sshd-success-logs.log" << QString() << false;
    QTest::newRow("pam-logs") << "pam-logs__pam-logs.log" << QString() << false;
    QTest::newRow("apache-http-probing") << "apache-http-probing__apache-http-probing.log"
                                         << "web-scanning" << true;
    QTest::newRow("nginx-http-path-traversal")
        << "nginx-http-path-traversal__nginx-http-path-traversal.log"
        << "web-scanning" << true;
    QTest::newRow("ssh-slow-bf") << "ssh-slow-bf__ssh-slow-bf.log"
                                 << "ssh-brute-force" << true;
    QTest::newRow("http-wordpress-scan") << "http-wordpress-scan__http-wordpress-scan.log"
                                         << "web-scanning" << true;
}

// Fixtures whose crowdsec scenario matches one of the rules here. With no
// rule id, the file must raise no alert at all.
void TestDetectCorpus::crowdsecFixtures()
{
    QFETCH(QString, file);
    QFETCH(QString, ruleId);
    QFETCH(bool, expectAlert);

    const QString path = dataDir + QStringLiteral("/corpora/crowdsec/") + file;
    QVERIFY2(QFile::exists(path), qPrintable(path));
    const QVector<Alert> all = detectFile(path);
    const QVector<Alert> alerts = ruleId.isEmpty() ? all : byRule(all, ruleId);
    QStringList described;
    for (const Alert &alert : all)
        described << alert.ruleId + QStringLiteral(": ") + alert.reason;
    QVERIFY2(alerts.isEmpty() != expectAlert, qPrintable(described.join(u'\n')));
}

QTEST_GUILESS_MAIN(TestDetectCorpus)
#include "tst_detectcorpus.moc"
