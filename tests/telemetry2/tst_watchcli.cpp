// SPDX-License-Identifier: GPL-3.0-or-later
// The built `portcullis-cli watch` and `connections` against real stand-ins in
// this process: an unreachable first connection exits 6 without a silence
// alert, each alert is printed once unless its severity rises or its count
// grows tenfold, and with two URLs a stopped backend turns to error while the
// other keeps flowing.
#include "telemetrytestutil.h"

#include "security/accounts.h"
#include "security/apitokens.h"
#include "store/store.h"

#include <QFile>
#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace portcullis;
using namespace portcullis::sim;
using namespace portcullis::telemetrytest;

namespace {

// A running `watch`, read while the test's event loop serves the stand-ins.
struct Watch {
    QProcess process;
    QByteArray output;
    QByteArray errors;

    void read()
    {
        output += process.readAllStandardOutput();
        errors += process.readAllStandardError();
    }
    bool waitForError(const QByteArray &text, int timeoutMs = WaitMs)
    {
        return waitFor(
            [&] {
                read();
                return errors.contains(text) || process.state() == QProcess::NotRunning;
            },
            timeoutMs)
            && errors.contains(text);
    }
    int finish()
    {
        if (process.state() != QProcess::NotRunning)
            process.terminate();
        waitFor([&] {
            read();
            return process.state() == QProcess::NotRunning;
        });
        read();
        return process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    }
};

std::unique_ptr<SimServer> startServer(quint64 seed, qint64 events, const QString &scenarios)
{
    SimOptions options = simOptions(seed);
    QString error;
    SimOptions::parseScenarios(scenarios, &options.scenarios, &error);
    auto server = std::make_unique<SimServer>(options);
    if (!server->start(&error))
        qFatal("%s", qPrintable(error));
    server->fastForward(events);
    return server;
}

} // namespace

class TestWatchCli : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void unreachableExits();
    void alertsPrintedOnce();
    void twoUrlsOneStopped();

private:
    void start(Watch &watch, const QStringList &arguments);
    QTemporaryDir m_dir;
    QString m_database;
    QString m_tokenFile;
    QString m_backendTokenFile;
};

void TestWatchCli::initTestCase()
{
    m_database = m_dir.filePath(QStringLiteral("console.db"));
    m_tokenFile = m_dir.filePath(QStringLiteral("token"));
    m_backendTokenFile = m_dir.filePath(QStringLiteral("backend-token"));
    Database db;
    QString error;
    QVERIFY2(db.open(m_database, &error), qPrintable(error));
    AccountService accounts(db);
    const std::optional<Identity> admin = accounts.createFirstAdministrator(
        QStringLiteral("admin"), QStringLiteral("a long passphrase 42!"), &error);
    QVERIFY2(admin, qPrintable(error));
    ApiTokenService tokens(db);
    qint64 tokenId = 0;
    const QString token = tokens.create(*admin, QStringLiteral("watch test"),
        { portcullis::Role::Administrator }, 1, &tokenId, &error);
    QVERIFY2(!token.isEmpty(), qPrintable(error));
    QFile file(m_tokenFile);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(token.toUtf8());
    file.close();
    QFile backendToken(m_backendTokenFile);
    QVERIFY(backendToken.open(QIODevice::WriteOnly));
    backendToken.write(simOptions().token + '\n');
}

void TestWatchCli::start(Watch &watch, const QStringList &arguments)
{
    QStringList all { QStringLiteral("watch") };
    all << arguments << QStringLiteral("--database") << m_database
        << QStringLiteral("--token-file") << m_tokenFile << QStringLiteral("--backend-token-file")
        << m_backendTokenFile;
    watch.process.start(QStringLiteral(PORTCULLIS_CLI), all);
    QVERIFY(watch.process.waitForStarted(10000));
}

void TestWatchCli::unreachableExits()
{
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost));
    const quint16 port = probe.serverPort();
    probe.close();  // nothing listens there now

    Watch watch;
    start(watch,
        { QStringLiteral("--url"), QStringLiteral("http://127.0.0.1:%1").arg(port),
            QStringLiteral("--name"), QStringLiteral("nowhere"), QStringLiteral("--silence"),
            QStringLiteral("1") });
    QVERIFY(waitFor([&] { return watch.process.state() == QProcess::NotRunning; }));
    QCOMPARE(watch.finish(), 6);
    QVERIFY2(watch.errors.contains("cannot reach the backend nowhere at http://127.0.0.1:"),
        watch.errors.constData());

    Database db;
    QString error;
    QVERIFY2(db.open(m_database, &error), qPrintable(error));
    QCOMPARE(scalar(db, "SELECT count(*) FROM alerts WHERE rule_id = 'telemetry-silence'"), 0);
}

void TestWatchCli::alertsPrintedOnce()
{
    auto server = startServer(41, 0, QStringLiteral("brute_force@20,credential_stuffing@60"));
    Watch watch;
    start(watch,
        { QStringLiteral("--url"), server->baseUrl().toString(), QStringLiteral("--name"),
            QStringLiteral("printed"), QStringLiteral("--json") });
    QVERIFY2(watch.waitForError("printed: connected (stream)"), watch.errors.constData());
    // The bursts arrive in many small stream batches, so their alerts change often.
    qint64 emitted = 0;
    for (int step = 0; step < 60; ++step) {
        emitted += server->fastForward(50);
        waitFor([] { return false; }, 50);
    }
    Database db;
    QString error;
    QVERIFY2(db.open(m_database, &error), qPrintable(error));
    QVERIFY2(waitFor([&] {
        watch.read();
        return scalar(db, "SELECT events_stored FROM backend_connections WHERE name = ?",
                   QStringLiteral("printed"))
            == emitted;
    }),
        watch.errors.right(2000).constData());
    QCOMPARE(watch.finish(), 0);

    struct Printed {
        int severity = -1;
        qint64 count = 0;
    };
    QHash<qint64, Printed> last;
    int lines = 0;
    for (const QByteArray &line : watch.output.split('\n')) {
        if (line.isEmpty())
            continue;
        const QJsonObject alert = QJsonDocument::fromJson(line).object();
        QVERIFY2(!alert.isEmpty(), line.constData());
        ++lines;
        Severity severity = Severity::Informational;
        QVERIFY(severityFromName(alert.value("severity").toString(), &severity));
        const qint64 id = alert.value("id").toInteger();
        const qint64 count = alert.value("event_count").toInteger();
        const auto it = last.constFind(id);
        if (it != last.constEnd())
            QVERIFY2(int(severity) > it->severity || count >= it->count * 10, line.constData());
        last.insert(id, Printed { int(severity), std::max<qint64>(1, count) });
    }
    // Without the rule every count update of a growing burst was printed.
    const QRegularExpression changes(QStringLiteral("(\\d+) alert changes"));
    const QRegularExpressionMatch match = changes.match(QString::fromUtf8(watch.errors));
    QVERIFY2(match.hasMatch(), watch.errors.constData());
    qInfo() << lines << "lines printed for" << match.captured(1) << "alert changes";
    QVERIFY2(lines < match.captured(1).toInt(),
        qPrintable(QStringLiteral("%1 lines for %2 changes").arg(lines).arg(match.captured(1))));
}

void TestWatchCli::twoUrlsOneStopped()
{
    auto east = startServer(42, 300, QStringLiteral("none"));
    auto west = startServer(43, 300, QStringLiteral("none"));
    Watch watch;
    start(watch,
        { QStringLiteral("--url"), east->baseUrl().toString(), QStringLiteral("--url"),
            west->baseUrl().toString(), QStringLiteral("--name"), QStringLiteral("east"),
            QStringLiteral("--name"), QStringLiteral("west") });
    QVERIFY2(watch.waitForError("east: connected (stream)"), watch.errors.constData());
    QVERIFY2(watch.waitForError("west: connected (stream)"), watch.errors.constData());

    west->stop();
    east->fastForward(200);
    // Eight attempts with backoff up to 30 s before the state is error.
    QVERIFY2(watch.waitForError("west: error: ", 240000), watch.errors.constData());
    QVERIFY(watch.process.state() == QProcess::Running);
    QCOMPARE(watch.finish(), 0);

    Database db;
    QString error;
    QVERIFY2(db.open(m_database, &error), qPrintable(error));
    QCOMPARE(scalar(db, "SELECT events_stored FROM backend_connections WHERE name = ?",
                 QStringLiteral("east")),
        500);
    QCOMPARE(scalar(db, "SELECT state = 'error' AND last_error <> '' FROM backend_connections "
                        "WHERE name = ?",
                 QStringLiteral("west")),
        1);

    QProcess list;
    list.start(QStringLiteral(PORTCULLIS_CLI),
        { QStringLiteral("connections"), QStringLiteral("--database"), m_database,
            QStringLiteral("--token-file"), m_tokenFile });
    QVERIFY(list.waitForFinished(60000));
    QCOMPARE(list.exitCode(), 0);
    const QByteArray listed = list.readAllStandardOutput();
    const QByteArray eastLine = "east  stopped  " + east->baseUrl().toString().toUtf8();
    QVERIFY2(listed.contains(eastLine),
        listed.constData());
    QVERIFY2(listed.contains("west  error  "), listed.constData());
    QVERIFY2(listed.contains("reason: 9 attempts failed"), listed.constData());
}

QTEST_GUILESS_MAIN(TestWatchCli)
#include "tst_watchcli.moc"
