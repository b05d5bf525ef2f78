// SPDX-License-Identifier: GPL-3.0-or-later
// Loopback tests of the telemetry client: a real SimServer in this process, a
// real SQLite file in a temporary folder.
#include "ingest/backendclient.h"
#include "ingest/telemetrypipeline.h"
#include "sim/simserver.h"
#include "store/store.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <functional>
#include <memory>

using namespace portcullis;
using namespace portcullis::sim;

namespace {

constexpr qint64 StartMs = 1796396400000;  // 2026-12-04T15:00:00Z
constexpr int WaitMs = 60000;

SimOptions simOptions(quint16 port = 0)
{
    SimOptions options;
    options.seed = 11;
    options.speed = 0;
    options.startTimeMs = StartMs;
    options.port = port;
    options.token = "client-test-token-0123456789";
    options.customers = 300;
    options.shops = 5;
    return options;
}

FaultOptions everyFault()
{
    FaultOptions faults;
    faults.serverError = 0.03;
    faults.slow = 0.03;
    faults.slowMs = 150;
    faults.truncate = 0.03;
    faults.drop = 0.03;
    faults.duplicate = 0.05;
    return faults;
}

BackendSettings settingsFor(const SimServer &server, bool stream)
{
    BackendSettings settings;
    settings.name = QStringLiteral("sim");
    settings.baseUrl = server.baseUrl();
    settings.token = server.token();
    settings.useStream = stream;
    settings.pollIntervalMs = 20;
    settings.requestTimeoutMs = 5000;
    settings.backoffBaseMs = 10;
    settings.backoffMaxMs = 200;
    settings.maxRetries = 30;
    settings.streamRetryMs = 20;
    return settings;
}

bool waitFor(const std::function<bool()> &done, int timeoutMs = WaitMs)
{
    QElapsedTimer timer;
    timer.start();
    while (!done()) {
        if (timer.elapsed() > timeoutMs)
            return false;
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 20);
    }
    return true;
}

qint64 scalar(Store &store, const char *sql)
{
    Statement statement = store.database().prepare(sql);
    return statement.step() ? statement.columnInt64(0) : -1;
}

QSet<QByteArray> storedIds(Store &store)
{
    QSet<QByteArray> ids;
    Statement statement = store.database().prepare("SELECT event_id FROM events");
    while (statement.step())
        ids.insert(statement.columnBlob(0));
    return ids;
}

// The ids a server emitted, without the sequences an expiry fault dropped.
QSet<QByteArray> deliverableIds(const SimServer &server)
{
    QSet<quint64> expired;
    for (const auto &range : server.expiredRanges()) {
        for (quint64 sequence = range.first; sequence <= range.second; ++sequence)
            expired.insert(sequence);
    }
    QSet<QByteArray> ids;
    const QList<QByteArray> &emitted = server.emittedIds();
    for (qsizetype i = 0; i < emitted.size(); ++i) {
        if (!expired.contains(quint64(i) + 1))
            ids.insert(emitted[i]);
    }
    return ids;
}

// One client run: a store, a pipeline and a client, destroyed together.
struct Session {
    Store store;
    std::unique_ptr<TelemetryPipeline> pipeline;
    std::unique_ptr<BackendClient> client;

    bool open(const QString &path, const BackendSettings &settings, int crashAfterPages = -1)
    {
        QString error;
        if (!store.open(path, &error)) {
            qWarning() << error;
            return false;
        }
        pipeline = std::make_unique<TelemetryPipeline>(store, settings.name, settings.baseUrl);
        pipeline->setCrashAfterPages(crashAfterPages);
        if (!pipeline->open(&error)) {
            qWarning() << error;
            return false;
        }
        client = std::make_unique<BackendClient>(settings);
        pipeline->attach(client.get());
        client->start(pipeline->cursor());
        return true;
    }
};

} // namespace

class TestBackendClient : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void validateSettings_data();
    void validateSettings();
    void malformedEventQuarantined();
    void redeliveredPageIgnored();
    void expiredCursorRaisesGap();
    void faultsRestartsAndKills_data();
    void faultsRestartsAndKills();
    void wrongTokenStops();
    void silenceRaisesAlert();
};

void TestBackendClient::validateSettings_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QByteArray>("token");
    QTest::addColumn<bool>("valid");
    QTest::newRow("loopback http") << "http://127.0.0.1:8080" << QByteArray("t") << true;
    QTest::newRow("ipv6 loopback http") << "http://[::1]:8080" << QByteArray("t") << true;
    QTest::newRow("remote http") << "http://backend.example" << QByteArray("t") << false;
    QTest::newRow("localhost name http") << "http://localhost:80" << QByteArray("t") << false;
    QTest::newRow("https") << "https://backend.example" << QByteArray("t") << true;
    QTest::newRow("ftp") << "ftp://backend.example" << QByteArray("t") << false;
    QTest::newRow("no token") << "https://backend.example" << QByteArray() << false;
}

void TestBackendClient::validateSettings()
{
    QFETCH(QString, url);
    QFETCH(QByteArray, token);
    QFETCH(bool, valid);
    BackendSettings settings;
    settings.name = QStringLiteral("b");
    settings.baseUrl = QUrl(url);
    settings.token = token;
    QCOMPARE(BackendClient::validateSettings(settings).isEmpty(), valid);
}

void TestBackendClient::malformedEventQuarantined()
{
    QTemporaryDir dir;
    Store store;
    QString error;
    QVERIFY2(store.open(dir.filePath("t.db"), &error), qPrintable(error));
    TelemetryPipeline pipeline(store, QStringLiteral("b"), QUrl("http://127.0.0.1:1"));
    QVERIFY2(pipeline.open(&error), qPrintable(error));

    EventPage page;
    page.events << R"({"@timestamp":"2026-12-04T15:00:00.000Z","event":{"id":"e-1"}})"
                << R"({"@timestamp":"2026-12-04T15:00:01.000Z","event":{"kind":"event"}})"
                << R"({"@timestamp":"yesterday","event":{"id":"e-3"}})"
                << R"("just a string")"
                << R"({"@timestamp":"2026-12-04T15:00:02.000Z","event":{"id":42}})"
                << R"({"@timestamp":"2026-12-04T15:00:03.000Z","event":{"id":"e-6"}})";
    page.events << "{\"@timestamp\":\"2026-12-04T15:00:04.000Z\",\"event\":{\"id\":\""
            + QByteArray(MaxTelemetryEventIdBytes + 1, 'x') + "\"}}";
    page.nextCursor = QStringLiteral("c-7");
    QVERIFY2(pipeline.commitPage(page, &error), qPrintable(error));

    QCOMPARE(scalar(store, "SELECT COUNT(*) FROM events"), 2);
    QCOMPARE(scalar(store, "SELECT COUNT(*) FROM quarantine"), 5);
    QCOMPARE(scalar(store, "SELECT COUNT(*) FROM quarantine WHERE reason = ''"), 0);
    QCOMPARE(scalar(store, "SELECT COUNT(*) FROM quarantine WHERE raw LIKE '%e-3%'"), 1);
    QCOMPARE(pipeline.counters().quarantined, 5);
    QCOMPARE(pipeline.cursor(), QStringLiteral("c-7"));
}

void TestBackendClient::redeliveredPageIgnored()
{
    QTemporaryDir dir;
    QString error;
    EventPage page;
    page.events << R"({"@timestamp":"2026-12-04T15:00:00.000Z","event":{"id":"e-1"}})"
                << R"({"@timestamp":"2026-12-04T15:00:00.000Z","event":{"id":"e-1"}})"
                << R"({"@timestamp":"2026-12-04T15:00:01.000Z","event":{"id":"e-2"}})";
    page.nextCursor = QStringLiteral("c-2");
    {
        Store store;
        QVERIFY2(store.open(dir.filePath("t.db"), &error), qPrintable(error));
        TelemetryPipeline pipeline(store, QStringLiteral("b"), QUrl("http://127.0.0.1:1"));
        QVERIFY2(pipeline.open(&error), qPrintable(error));
        QVERIFY2(pipeline.commitPage(page, &error), qPrintable(error));
        QCOMPARE(pipeline.counters().duplicates, 1);
    }
    Store store;
    QVERIFY2(store.open(dir.filePath("t.db"), &error), qPrintable(error));
    TelemetryPipeline pipeline(store, QStringLiteral("b"), QUrl("http://127.0.0.1:1"));
    QVERIFY2(pipeline.open(&error), qPrintable(error));
    QCOMPARE(pipeline.cursor(), QStringLiteral("c-2"));
    QVERIFY2(pipeline.commitPage(page, &error), qPrintable(error));
    QCOMPARE(pipeline.counters().stored, 0);
    QCOMPARE(pipeline.counters().duplicates, 3);
    QCOMPARE(scalar(store, "SELECT COUNT(*) FROM events"), 2);
}

void TestBackendClient::expiredCursorRaisesGap()
{
    QTemporaryDir dir;
    SimServer server(simOptions());
    QString error;
    QVERIFY2(server.start(&error), qPrintable(error));
    FaultOptions faults;
    faults.expire = 0.2;
    server.setFaults(faults);
    server.fastForward(3000);

    BackendSettings settings = settingsFor(server, false);
    settings.pageSize = 100;
    Session session;
    QVERIFY(session.open(dir.filePath("t.db"), settings));
    QVERIFY2(waitFor([&] {
        return session.client->cursor().endsWith(QLatin1String("-3000"))
            || session.client->state().kind == BackendState::Error;
    }),
        qPrintable(stateText(session.client->state())));
    QCOMPARE(session.client->state().kind, BackendState::Connected);

    QVERIFY(!server.expiredRanges().isEmpty());
    QCOMPARE(scalar(session.store, "SELECT COUNT(*) FROM alerts WHERE rule_id = 'telemetry-gap' "
                                   "AND severity = 3"),
        qint64(server.expiredRanges().size()));
    QCOMPARE(storedIds(session.store), deliverableIds(server));
}

void TestBackendClient::faultsRestartsAndKills_data()
{
    QTest::addColumn<bool>("stream");
    QTest::newRow("polling") << false;
    QTest::newRow("stream") << true;
}

// 100,000 events through every fault but expiry, a crash inside a
// transaction, a client destroyed between batches and a restarted stand-in.
void TestBackendClient::faultsRestartsAndKills()
{
    QFETCH(bool, stream);
    const qint64 total = stream ? 30000 : 100000;  // the stream run covers the same path, shorter
    QTemporaryDir dir;
    const QString path = dir.filePath("t.db");
    QString error;
    auto server = std::make_unique<SimServer>(simOptions());
    QVERIFY2(server->start(&error), qPrintable(error));
    server->setFaults(everyFault());
    server->fastForward(total / 2);
    const quint16 port = server->port();
    QSet<QByteArray> expected = deliverableIds(*server);

    // 1. A crash inside the transaction of the fourth page.
    {
        Session session;
        QVERIFY(session.open(path, settingsFor(*server, stream), 3));
        QVERIFY(waitFor([&] { return session.client->state().kind == BackendState::Error; }));
        QVERIFY(session.client->state().reason.contains(QLatin1String("test hook")));
    }

    // 2. A client destroyed between batches, a quarter of the way.
    {
        Session session;
        QVERIFY(session.open(path, settingsFor(*server, stream)));
        QVERIFY(waitFor([&] {
            return session.pipeline->counters().stored > total / 4
                || session.client->state().kind == BackendState::Error;
        }));
        QVERIFY2(session.client->state().kind != BackendState::Error,
            qPrintable(stateText(session.client->state())));
    }

    // 3. The stand-in restarts with the same seed and start time and goes on.
    server.reset();
    server = std::make_unique<SimServer>(simOptions(port));
    QVERIFY2(server->start(&error), qPrintable(error));
    server->setFaults(everyFault());
    QCOMPARE(server->fastForward(total), total);
    const QSet<QByteArray> afterRestart = deliverableIds(*server);
    QVERIFY(afterRestart.contains(expected));  // same stream: the earlier ids again
    expected = afterRestart;

    Session session;
    QVERIFY(session.open(path, settingsFor(*server, stream)));
    const QString last = QString::fromLatin1(server->emittedIds().last());
    const QString lastSequence = QLatin1Char('-') + QString::number(total);
    QVERIFY2(waitFor([&] {
        return session.client->cursor().endsWith(lastSequence)
            || session.client->state().kind == BackendState::Error;
    }),
        qPrintable(session.client->cursor()));
    QVERIFY2(session.client->state().kind != BackendState::Error,
        qPrintable(stateText(session.client->state())));

    QCOMPARE(scalar(session.store, "SELECT COUNT(*) FROM events"), qint64(expected.size()));
    QCOMPARE(storedIds(session.store), expected);
    QVERIFY(expected.contains(last.toLatin1()));
    QCOMPARE(scalar(session.store, "SELECT COUNT(*) FROM quarantine"), 0);
    QCOMPARE(scalar(session.store, "SELECT COUNT(*) FROM alerts WHERE rule_id = 'telemetry-gap'"),
        0);
}

void TestBackendClient::wrongTokenStops()
{
    SimServer server(simOptions());
    QString error;
    QVERIFY2(server.start(&error), qPrintable(error));
    BackendSettings settings = settingsFor(server, true);
    settings.token = "wrong-token";
    BackendClient client(settings);
    client.start(QString());
    QVERIFY(waitFor([&] { return client.state().kind == BackendState::Error; }));
    QVERIFY(client.state().reason.contains(QLatin1String("401")));
}

void TestBackendClient::silenceRaisesAlert()
{
    QTemporaryDir dir;
    SimServer server(simOptions());
    QString error;
    QVERIFY2(server.start(&error), qPrintable(error));
    server.fastForward(10);
    BackendSettings settings = settingsFor(server, true);
    settings.silenceMs = 300;
    Session session;
    QVERIFY(session.open(dir.filePath("t.db"), settings));
    const char *count = "SELECT COUNT(*) FROM alerts WHERE rule_id = 'telemetry-silence'";
    QVERIFY(waitFor([&] { return scalar(session.store, count) > 0; }, 10000));
    QCOMPARE(scalar(session.store, "SELECT COUNT(*) FROM events"), 10);
    QVERIFY(session.client->state().kind != BackendState::Error);
}

QTEST_GUILESS_MAIN(TestBackendClient)
#include "tst_backendclient.moc"
