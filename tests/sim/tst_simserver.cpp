// SPDX-License-Identifier: GPL-3.0-or-later
#include "testclient.h"

#include <QFile>
#include <QTest>

using namespace portcullis::sim;
using namespace portcullis::sim::test;

class TestSimServer : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void listensOnLoopbackOnly();
    void authRequired_data();
    void authRequired();
    void pagingCoversEveryEventOnce();
    void pageLimitIsCapped();
    void expiredCursorGets410();
    void foreignCursorGets410();
    void restartKeepsCursorsValid();
    void streamResumesFromLastEventId();
    void sameSeedSameEvents();
    void clockEmitsAtSpeed();
    void labelsListScenarioEvents();
    void readEndpointsAnswer_data();
    void readEndpointsAnswer();
    void replayKeepsOriginalLines();
};

void TestSimServer::listensOnLoopbackOnly()
{
    SimServer server(quietOptions());
    QString error;
    QVERIFY2(server.start(&error), qPrintable(error));
    QVERIFY(server.port() != 0);
    QCOMPARE(server.baseUrl().host(), QStringLiteral("127.0.0.1"));
}

void TestSimServer::authRequired_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("path");
    const QList<QPair<QByteArray, QString>> endpoints {
        { "GET", QStringLiteral("/api/v2/security/events") },
        { "GET", QStringLiteral("/api/v2/security/events/stream") },
        { "POST", QStringLiteral("/api/v2/security/actions") },
        { "GET", QStringLiteral("/api/v2/security/actions") },
        { "GET", QStringLiteral("/api/v2/security/actions/act_000001") },
        { "GET", QStringLiteral("/api/v2/security/dashboard") },
        { "GET", QStringLiteral("/api/v2/security/alerts") },
        { "GET", QStringLiteral("/api/v2/security/compliance/status") },
        { "GET", QStringLiteral("/api/v2/sim/labels") },
        { "GET", QStringLiteral("/no/such/endpoint") },
    };
    for (const auto &endpoint : endpoints)
        QTest::newRow(qPrintable(endpoint.first + ' ' + endpoint.second))
            << endpoint.first << endpoint.second;
}

void TestSimServer::authRequired()
{
    QFETCH(QByteArray, method);
    QFETCH(QString, path);
    SimServer server(quietOptions());
    QString error;
    QVERIFY2(server.start(&error), qPrintable(error));
    TestClient client(server);

    const QByteArray none;
    const QByteArray wrong = server.token() + "x";
    const QByteArray prefix = server.token().left(server.token().size() - 1);
    for (const QByteArray *token : { &none, &wrong, &prefix }) {
        const Response response = client.send(method, path, "{}", {}, token);
        QCOMPARE(response.status, 401);
        QCOMPARE(response.json()["error"]["code"].toString(), QStringLiteral("unauthorized"));
        QVERIFY(response.header("WWW-Authenticate").startsWith("Bearer"));
    }
}

void TestSimServer::pagingCoversEveryEventOnce()
{
    SimServer server(quietOptions());
    QString error;
    QVERIFY2(server.start(&error), qPrintable(error));
    TestClient client(server);
    QCOMPARE(server.fastForward(2500), qint64(2500));

    QString cursor;
    int pages = 0;
    QList<QByteArray> ids = client.pageAll(&cursor, 333, &pages);
    QCOMPARE(pages, 8);
    QCOMPARE(ids.size(), 2500);
    QCOMPARE(ids, server.emittedIds());

    // Nothing new: the same cursor comes back with an empty page.
    Response empty = client.get(QStringLiteral("/api/v2/security/events?after=") + cursor);
    QCOMPARE(empty.status, 200);
    QCOMPARE(empty.json()["events"].toArray().size(), 0);
    QCOMPARE(empty.json()["next_cursor"].toString(), cursor);
    QCOMPARE(empty.json()["has_more"].toBool(), false);

    // New events continue exactly after the cursor.
    QCOMPARE(server.fastForward(100), qint64(100));
    ids += client.pageAll(&cursor, 1000);
    QCOMPARE(ids.size(), 2600);
    QCOMPARE(ids, server.emittedIds());
}

void TestSimServer::pageLimitIsCapped()
{
    SimServer server(quietOptions());
    QString error;
    QVERIFY2(server.start(&error), qPrintable(error));
    TestClient client(server);
    server.fastForward(1500);

    const Response big = client.get(QStringLiteral("/api/v2/security/events?limit=100000"));
    QCOMPARE(big.status, 200);
    QCOMPARE(big.json()["events"].toArray().size(), server.options().maxPageSize);
    QCOMPARE(big.json()["has_more"].toBool(), true);
    QCOMPARE(client.get(QStringLiteral("/api/v2/security/events?limit=0")).status, 400);
    QCOMPARE(client.get(QStringLiteral("/api/v2/security/events?limit=ten")).status, 400);
    QCOMPARE(client.get(QStringLiteral("/api/v2/security/events?after=garbage")).status, 400);
}

void TestSimServer::expiredCursorGets410()
{
    SimOptions options = quietOptions();
    options.retentionEvents = 100;
    SimServer server(options);
    QString error;
    QVERIFY2(server.start(&error), qPrintable(error));
    TestClient client(server);

    server.fastForward(50);
    QString cursor;
    QCOMPARE(client.pageAll(&cursor, 100).size(), 50);
    server.fastForward(500);

    const Response gone = client.get(QStringLiteral("/api/v2/security/events?after=") + cursor);
    QCOMPARE(gone.status, 410);
    const QJsonObject body = gone.json()["error"].toObject();
    QCOMPARE(body["code"].toString(), QStringLiteral("cursor_expired"));
    QCOMPARE(body["cursor"].toString(), cursor);
    QCOMPARE(body["missing_events"].toInteger(), qint64(400)); // sequences 51 to 450
    const QString oldest = body["oldest_cursor"].toString();
    QVERIFY(!oldest.isEmpty());

    QString resume = oldest;
    const QList<QByteArray> rest = client.pageAll(&resume, 1000);
    QCOMPARE(rest.size(), 100);
    QCOMPARE(rest.first(), server.emittedIds().at(450));
    QCOMPARE(rest.last(), server.emittedIds().last());
}

void TestSimServer::foreignCursorGets410()
{
    SimServer server(quietOptions());
    QString error;
    QVERIFY2(server.start(&error), qPrintable(error));
    TestClient client(server);
    server.fastForward(10);

    const Response gone = client.get(QStringLiteral("/api/v2/security/events?after=0badc0de-5"));
    QCOMPARE(gone.status, 410);
    QVERIFY(gone.json()["error"]["missing_events"].isNull());
    QCOMPARE(
        gone.json()["error"]["oldest_cursor"].toString(), server.epoch() + QStringLiteral("-0"));
}

void TestSimServer::restartKeepsCursorsValid()
{
    QString cursor;
    QList<QByteArray> firstRun;
    {
        SimServer server(quietOptions());
        QString error;
        QVERIFY2(server.start(&error), qPrintable(error));
        TestClient client(server);
        server.fastForward(100);
        QCOMPARE(client.pageAll(&cursor, 1000).size(), 100);
        firstRun = server.emittedIds();
    }

    SimServer restarted(quietOptions());
    QString error;
    QVERIFY2(restarted.start(&error), qPrintable(error));
    TestClient client(restarted);
    restarted.fastForward(60);
    QString ahead = cursor;
    QCOMPARE(client.pageAll(&ahead, 1000).size(), 0);
    QCOMPARE(ahead, cursor);

    restarted.fastForward(90);
    const QList<QByteArray> rest = client.pageAll(&cursor, 1000);
    QCOMPARE(rest.size(), 50);
    QCOMPARE(restarted.emittedIds().mid(0, 100), firstRun);
    QCOMPARE(rest, restarted.emittedIds().mid(100));
}

namespace {

// Reads a server-sent event stream and collects the events' ids and cursors.
struct StreamReader {
    QNetworkReply *reply = nullptr;
    QByteArray buffer;
    QStringList cursors;
    QList<QByteArray> ids;

    void read()
    {
        buffer += reply->readAll();
        qsizetype end;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
            const QByteArray frame = buffer.left(end);
            buffer.remove(0, end + 2);
            for (const QByteArray &line : frame.split('\n')) {
                if (line.startsWith("id: "))
                    cursors.append(QString::fromLatin1(line.mid(4)));
                else if (line.startsWith("data: "))
                    ids.append(
                        QJsonDocument::fromJson(line.mid(6))["event"]["id"].toString().toLatin1());
            }
        }
    }
};

} // namespace

void TestSimServer::streamResumesFromLastEventId()
{
    SimServer server(quietOptions());
    QString error;
    QVERIFY2(server.start(&error), qPrintable(error));
    TestClient client(server);
    server.fastForward(30);
    const QList<QByteArray> &all = server.emittedIds();

    QNetworkRequest request
        = client.request(QStringLiteral("/api/v2/security/events/stream"), server.token());
    request.setRawHeader("Last-Event-ID", server.log().cursor(10).toLatin1());
    request.setTransferTimeout(0);
    StreamReader first;
    first.reply = client.manager().get(request);
    QObject::connect(first.reply, &QNetworkReply::readyRead, [&first] { first.read(); });
    QTRY_COMPARE_WITH_TIMEOUT(first.ids.size(), 20, 10000);
    QCOMPARE(first.ids, all.mid(10, 20));
    QCOMPARE(first.reply->header(QNetworkRequest::ContentTypeHeader).toString().left(17),
        QStringLiteral("text/event-stream"));

    server.fastForward(15);
    QTRY_COMPARE_WITH_TIMEOUT(first.ids.size(), 35, 10000);
    QCOMPARE(first.ids, all.mid(10, 35));
    const QString lastSeen = first.cursors.last();
    first.reply->abort();
    first.reply->deleteLater();

    server.fastForward(5);
    request.setRawHeader("Last-Event-ID", lastSeen.toLatin1());
    StreamReader second;
    second.reply = client.manager().get(request);
    QObject::connect(second.reply, &QNetworkReply::readyRead, [&second] { second.read(); });
    QTRY_COMPARE_WITH_TIMEOUT(second.ids.size(), 5, 10000);
    QCOMPARE(second.ids, all.mid(45, 5));
    second.reply->abort();
    second.reply->deleteLater();
}

void TestSimServer::sameSeedSameEvents()
{
    auto run = [](quint64 seed) {
        SimOptions options = quietOptions(seed);
        options.scenarios = { { QStringLiteral("card_testing"), 60000 },
            { QStringLiteral("account_takeover"), 90000 } };
        SimServer server(options);
        QString error;
        if (!server.start(&error))
            return QList<QJsonObject>();
        server.fastForward(1500);
        return retainedEvents(server);
    };
    const QList<QJsonObject> first = run(11);
    const QList<QJsonObject> second = run(11);
    const QList<QJsonObject> other = run(12);
    QCOMPARE(first.size(), 1500);
    QCOMPARE(second.size(), 1500);
    for (int i = 0; i < first.size(); ++i)
        QCOMPARE(second[i], first[i]);
    QVERIFY(other != first);
}

void TestSimServer::clockEmitsAtSpeed()
{
    SimOptions options = quietOptions();
    options.speed = 600;
    SimServer server(options);
    QString error;
    QVERIFY2(server.start(&error), qPrintable(error));
    TestClient client(server);

    QTRY_VERIFY_WITH_TIMEOUT(server.emittedIds().size() > 20, 20000);
    QVERIFY(server.simulatedNowMs() > StartMs);
    QString cursor;
    QVERIFY(client.pageAll(&cursor, 1000).size() > 20);
}

void TestSimServer::labelsListScenarioEvents()
{
    SimOptions options = quietOptions();
    options.scenarios = { { QStringLiteral("brute_force"), 10000 } };
    SimServer server(options);
    QString error;
    QVERIFY2(server.start(&error), qPrintable(error));
    TestClient client(server);
    server.fastForward(800);

    const Response response = client.get(QStringLiteral("/api/v2/sim/labels"));
    QCOMPARE(response.status, 200);
    const QJsonArray labels = response.json()["labels"].toArray();
    QCOMPARE(labels.size(), 1);
    const QJsonObject label = labels.first().toObject();
    QCOMPARE(label["scenario"].toString(), QStringLiteral("brute_force"));
    QVERIFY(label["event_ids"].toArray().size() >= 40);
    const QString ip = label["entities"]["ips"][0].toString();
    QVERIFY(
        ip.startsWith(QLatin1String("203.0.113.")) || ip.startsWith(QLatin1String("2001:db8:")));

    // Every labelled event comes from the attacker; no other event does.
    const QJsonArray ids = label["event_ids"].toArray();
    int fromAttacker = 0;
    for (const QJsonObject &event : retainedEvents(server)) {
        const bool labelled = ids.contains(event["event"]["id"]);
        const bool attacker = field(event, QStringLiteral("source.ip")) == ip;
        QCOMPARE(labelled, attacker);
        fromAttacker += attacker ? 1 : 0;
    }
    QCOMPARE(fromAttacker, ids.size());
}

void TestSimServer::readEndpointsAnswer_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("key");
    QTest::newRow("dashboard") << QStringLiteral("/api/v2/security/dashboard")
                               << QStringLiteral("threatDetection");
    QTest::newRow("alerts") << QStringLiteral("/api/v2/security/alerts?severity=high")
                            << QStringLiteral("alerts");
    QTest::newRow("compliance") << QStringLiteral("/api/v2/security/compliance/status")
                                << QStringLiteral("frameworks");
    QTest::newRow("actions") << QStringLiteral("/api/v2/security/actions")
                             << QStringLiteral("actions");
    QTest::newRow("stats") << QStringLiteral("/api/v2/sim/stats") << QStringLiteral("emitted");
}

void TestSimServer::readEndpointsAnswer()
{
    QFETCH(QString, path);
    QFETCH(QString, key);
    SimOptions options = quietOptions();
    options.scenarios
        = { { QStringLiteral("brute_force"), 1000 }, { QStringLiteral("card_testing"), 2000 } };
    SimServer server(options);
    QString error;
    QVERIFY2(server.start(&error), qPrintable(error));
    TestClient client(server);
    server.fastForward(1000);

    const Response response = client.get(path);
    QCOMPARE(response.status, 200);
    QVERIFY2(response.json().contains(key), response.body.constData());
    if (key == QLatin1String("alerts")) {
        QStringList types;
        for (const QJsonValue &alert : response.json()["alerts"].toArray())
            types.append(alert["type"].toString());
        QVERIFY(types.contains(QStringLiteral("brute_force")));
        QVERIFY(types.contains(QStringLiteral("card_testing")));
    }
}

void TestSimServer::replayKeepsOriginalLines()
{
    const QString path = QStringLiteral(PORTCULLIS_DATA_DIR "/auth/openssh_2k.log");
    if (!QFile::exists(path))
        QSKIP("The shared corpus is missing: set PORTCULLIS_DATA_DIR to the folder with "
              "auth/openssh_2k.log");
    SimOptions options = quietOptions();
    options.replayFile = path;
    SimServer server(options);
    QString error;
    QVERIFY2(server.start(&error), qPrintable(error));
    server.fastForward(4000);

    int replayed = 0;
    int parsed = 0;
    for (const QJsonObject &event : retainedEvents(server)) {
        if (field(event, QStringLiteral("event.module")) != QLatin1String("replay"))
            continue;
        ++replayed;
        QVERIFY(!field(event, QStringLiteral("event.original")).isEmpty());
        if (field(event, QStringLiteral("event.action")).startsWith(QLatin1String("ssh_")))
            ++parsed;
    }
    QVERIFY(replayed > 0);
    QVERIFY(parsed > 0);

    SimOptions missing = quietOptions();
    missing.replayFile = QStringLiteral("/nonexistent/replay.log");
    SimServer failing(missing);
    QVERIFY(!failing.start(&error));
    QVERIFY(error.contains(QLatin1String("/nonexistent/replay.log")));
}

QTEST_GUILESS_MAIN(TestSimServer)
#include "tst_simserver.moc"
