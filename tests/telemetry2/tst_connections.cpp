// SPDX-License-Identifier: GPL-3.0-or-later
// Several backend connections at once: two stand-ins on two ports, one stopped
// mid-run. The other keeps flowing, and the stopped one's state says error
// with the reason, live and in backend_connections. Also: the stand-in runs
// on a worker thread.
#include "telemetrytestutil.h"

#include "ingest/connectionset.h"
#include "store/connections.h"
#include "store/store.h"

#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <memory>

using namespace portcullis;
using namespace portcullis::sim;
using namespace portcullis::telemetrytest;

namespace {

std::unique_ptr<SimServer> startServer(quint64 seed, qint64 events)
{
    auto server = std::make_unique<SimServer>(simOptions(seed));
    QString error;
    if (!server->start(&error))
        qFatal("%s", qPrintable(error));
    server->fastForward(events);
    return server;
}

StoredConnection storedRow(Database &db, const QString &name)
{
    QVector<StoredConnection> rows;
    QString error;
    if (!listConnections(db, &rows, &error))
        qWarning() << error;
    for (const StoredConnection &row : rows) {
        if (row.name == name)
            return row;
    }
    return StoredConnection();
}

} // namespace

class TestConnections : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void oneStoppedOtherFlows();
    void duplicateNameRefused();
    void standInOnWorkerThread();

private:
    QTemporaryDir m_dir;
};

void TestConnections::oneStoppedOtherFlows()
{
    auto east = startServer(31, 200);
    auto west = startServer(32, 200);
    QVERIFY(east->port() != west->port());

    Store store;
    QString error;
    QVERIFY2(store.open(m_dir.filePath(QStringLiteral("two.db")), &error), qPrintable(error));
    BackendConnections connections(store);
    QVERIFY2(connections.add(settingsFor("east", east->baseUrl(), east->token()), &error),
        qPrintable(error));
    BackendSettings westSettings = settingsFor("west", west->baseUrl(), west->token());
    westSettings.maxRetries = 3;
    QVERIFY2(connections.add(westSettings, &error), qPrintable(error));
    QCOMPARE(connections.names(), QStringList({ "east", "west" }));

    QSignalSpy states(&connections, &BackendConnections::stateChanged);
    connections.startAll();
    TelemetryPipeline *eastPipe = connections.pipeline("east");
    TelemetryPipeline *westPipe = connections.pipeline("west");
    QVERIFY(waitFor([&] {
        return eastPipe->counters().stored == 200 && westPipe->counters().stored == 200
            && connections.state("west").kind == BackendState::Connected;
    }));

    west->stop();
    east->fastForward(300);
    QVERIFY2(waitFor([&] {
        return eastPipe->counters().stored == 500
            && connections.state("west").kind == BackendState::Error;
    }),
        qPrintable(stateText(connections.state("west"))));

    const BackendState westState = connections.state("west");
    QVERIFY2(westState.reason.contains(QLatin1String("attempts failed")),
        qPrintable(westState.reason));
    QVERIFY(connections.state("east").kind == BackendState::Connected
        || connections.state("east").kind == BackendState::Lagging);
    QCOMPARE(westPipe->counters().stored, 200);

    // Each state change is recorded for `portcullis-cli connections`.
    bool sawWestError = false;
    for (const QList<QVariant> &signal : states) {
        const BackendState state = signal.at(1).value<BackendState>();
        sawWestError |= signal.at(0).toString() == "west" && state.kind == BackendState::Error;
    }
    QVERIFY(sawWestError);
    const StoredConnection westRow = storedRow(store.database(), "west");
    QCOMPARE(westRow.state, QStringLiteral("error"));
    QCOMPARE(westRow.stateReason, westState.reason);
    QCOMPARE(westRow.lastError, westState.reason);
    QVERIFY(westRow.reached);
    QCOMPARE(westRow.baseUrl, west->baseUrl().toString());
    const StoredConnection eastRow = storedRow(store.database(), "east");
    QVERIFY2(eastRow.state == "connected" || eastRow.state == "lagging", qPrintable(eastRow.state));
    QCOMPARE(eastRow.eventsStored, 500);
    QVERIFY(eastRow.lastError.isEmpty());

    connections.stopAll();
    QCOMPARE(storedRow(store.database(), "east").state, QStringLiteral("stopped"));
    QCOMPARE(storedRow(store.database(), "west").state, QStringLiteral("error"));
}

void TestConnections::duplicateNameRefused()
{
    Store store;
    QString error;
    QVERIFY2(store.open(m_dir.filePath(QStringLiteral("dup.db")), &error), qPrintable(error));
    BackendConnections connections(store);
    const QUrl url(QStringLiteral("http://127.0.0.1:9"));
    QVERIFY2(connections.add(settingsFor("a", url, "token"), &error), qPrintable(error));
    QVERIFY(!connections.add(settingsFor("a", url, "token"), &error));
    QVERIFY2(error.contains(QLatin1String("\"a\"")), qPrintable(error));
    QVERIFY(!connections.add(settingsFor("b", QUrl("http://192.0.2.1"), "token"), &error));
    QVERIFY2(error.contains(QLatin1String("plain http")), qPrintable(error));
}

// Before the timers had the server as parent, moveToThread() left them on the
// main thread: start() warned and the simulated clock never ticked.
void TestConnections::standInOnWorkerThread()
{
    QTest::failOnWarning(QRegularExpression(QStringLiteral("[Tt]imer")));
    QThread thread;
    SimOptions options = simOptions(33);
    options.speed = 600;  // events come from the tick timer only
    auto *server = new SimServer(options);
    server->moveToThread(&thread);
    thread.start();
    bool started = false;
    QString error;
    QMetaObject::invokeMethod(
        server, [&] { started = server->start(&error); }, Qt::BlockingQueuedConnection);
    QVERIFY2(started, qPrintable(error));
    QUrl url;
    QByteArray token;
    QMetaObject::invokeMethod(
        server,
        [&] {
            url = server->baseUrl();
            token = server->token();
        },
        Qt::BlockingQueuedConnection);

    Store store;
    QVERIFY2(store.open(m_dir.filePath(QStringLiteral("thread.db")), &error), qPrintable(error));
    BackendConnections connections(store);
    QVERIFY2(connections.add(settingsFor("threaded", url, token), &error), qPrintable(error));
    connections.startAll();
    QVERIFY2(waitFor([&] { return connections.pipeline("threaded")->counters().stored >= 50; }),
        qPrintable(stateText(connections.state("threaded"))));
    connections.stopAll();

    QMetaObject::invokeMethod(
        server, [server] { server->stop(); }, Qt::BlockingQueuedConnection);
    QObject::connect(&thread, &QThread::finished, server, &QObject::deleteLater);
    thread.quit();
    QVERIFY(thread.wait(30000));
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
}

QTEST_GUILESS_MAIN(TestConnections)
#include "tst_connections.moc"
