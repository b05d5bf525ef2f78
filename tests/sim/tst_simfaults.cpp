// SPDX-License-Identifier: GPL-3.0-or-later
#include "testclient.h"

#include <QJsonParseError>
#include <QTest>

using namespace portcullis::sim;
using namespace portcullis::sim::test;

class TestSimFaults : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void parseFaultSpec_data();
    void parseFaultSpec();
    void serverErrorReplacesResponse();
    void slowResponseOutlastsTimeout();
    void truncatedBodyIsInvalidJson();
    void droppedConnectionGivesNoResponse();
    void expiryFaultDropsEventsAfterCursor();
    void duplicateFaultRepeatsDeliveredEvents();
    void actionRecordedDespiteLostResponse();
    void faultsSpareSimEndpoints();
};

void TestSimFaults::parseFaultSpec_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<double>("drop");
    QTest::addColumn<int>("slowMs");
    QTest::newRow("empty") << QString() << true << 0.0 << 2000;
    QTest::newRow("several") << QStringLiteral("5xx=0.1,drop=0.2,slow=0.5:300") << true << 0.2
                             << 300;
    QTest::newRow("all") << QStringLiteral("all=0.05") << true << 0.05 << 2000;
    QTest::newRow("unknown") << QStringLiteral("meteor=0.1") << false << 0.0 << 2000;
    QTest::newRow("above one") << QStringLiteral("drop=2") << false << 0.0 << 2000;
    QTest::newRow("bad delay") << QStringLiteral("slow=0.1:soon") << false << 0.0 << 2000;
}

void TestSimFaults::parseFaultSpec()
{
    QFETCH(QString, spec);
    QFETCH(bool, valid);
    QFETCH(double, drop);
    QFETCH(int, slowMs);
    FaultOptions faults;
    QString error;
    QCOMPARE(FaultOptions::parse(spec, &faults, &error), valid);
    QCOMPARE(error.isEmpty(), valid);
    if (valid) {
        QCOMPARE(faults.drop, drop);
        QCOMPARE(faults.slowMs, slowMs);
    }
}

void TestSimFaults::serverErrorReplacesResponse()
{
    SimServer server(quietOptions());
    QString error;
    QVERIFY2(server.start(&error), qPrintable(error));
    TestClient client(server);
    server.fastForward(100);
    FaultOptions faults;
    faults.serverError = 1;
    server.setFaults(faults);

    for (int i = 0; i < 6; ++i) {
        const Response response = client.get(QStringLiteral("/api/v2/security/events"));
        QVERIFY2(response.status == 500 || response.status == 503, response.body.constData());
        QVERIFY(response.json()["error"]["code"].isString());
        if (response.status == 503)
            QCOMPARE(response.header("Retry-After"), QByteArray("1"));
    }
    QCOMPARE(client.get(QStringLiteral("/api/v2/security/events/stream")).status, 503);
}

void TestSimFaults::slowResponseOutlastsTimeout()
{
    SimServer server(quietOptions());
    QString error;
    QVERIFY2(server.start(&error), qPrintable(error));
    TestClient client(server);
    server.fastForward(100);
    FaultOptions faults;
    faults.slow = 1;
    faults.slowMs = 5000;
    server.setFaults(faults);

    client.setTimeout(300);
    const Response timedOut = client.get(QStringLiteral("/api/v2/security/events"));
    QCOMPARE(timedOut.error, QNetworkReply::OperationCanceledError);
    QCOMPARE(timedOut.status, 0);

    client.setTimeout(30000);
    const Response late = client.get(QStringLiteral("/api/v2/security/events"));
    QCOMPARE(late.status, 200);
    QCOMPARE(late.json()["events"].toArray().size(), 100);
}

void TestSimFaults::truncatedBodyIsInvalidJson()
{
    SimServer server(quietOptions());
    QString error;
    QVERIFY2(server.start(&error), qPrintable(error));
    TestClient client(server);
    server.fastForward(100);
    FaultOptions faults;
    faults.truncate = 1;
    server.setFaults(faults);

    const Response response = client.get(QStringLiteral("/api/v2/security/events"));
    QCOMPARE(response.status, 200);
    QVERIFY(response.body.startsWith("{\"events\":["));
    QJsonParseError parseError;
    QJsonDocument::fromJson(response.body, &parseError);
    QVERIFY(parseError.error != QJsonParseError::NoError);
}

void TestSimFaults::droppedConnectionGivesNoResponse()
{
    SimServer server(quietOptions());
    QString error;
    QVERIFY2(server.start(&error), qPrintable(error));
    TestClient client(server);
    server.fastForward(100);
    FaultOptions faults;
    faults.drop = 1;
    server.setFaults(faults);

    const Response response = client.get(QStringLiteral("/api/v2/security/events"));
    QCOMPARE(response.status, 0);
    QVERIFY(response.error != QNetworkReply::NoError);
    QVERIFY(response.body.isEmpty());
}

void TestSimFaults::expiryFaultDropsEventsAfterCursor()
{
    SimServer server(quietOptions());
    QString error;
    QVERIFY2(server.start(&error), qPrintable(error));
    TestClient client(server);
    server.fastForward(50);
    QString cursor;
    QCOMPARE(client.pageAll(&cursor, 100).size(), 50);
    server.fastForward(100);
    FaultOptions faults;
    faults.expire = 1;
    server.setFaults(faults);

    const Response gone = client.get(QStringLiteral("/api/v2/security/events?after=") + cursor);
    QCOMPARE(gone.status, 410);
    const qint64 missing = gone.json()["error"]["missing_events"].toInteger();
    QVERIFY(missing >= 1);
    QCOMPARE(server.expiredRanges().size(), 1);
    QCOMPARE(qint64(server.expiredRanges().first().second) - 50, missing);

    const Response stats = client.get(QStringLiteral("/api/v2/sim/stats"));
    QCOMPARE(stats.json()["expired_by_fault"].toArray().size(), 1);
    QCOMPARE(stats.json()["expired_by_fault"][0]["from_cursor"].toString(), cursor);
}

void TestSimFaults::duplicateFaultRepeatsDeliveredEvents()
{
    SimServer server(quietOptions());
    QString error;
    QVERIFY2(server.start(&error), qPrintable(error));
    TestClient client(server);
    server.fastForward(300);
    FaultOptions faults;
    faults.duplicate = 1;
    server.setFaults(faults);

    QString cursor;
    const QList<QByteArray> ids = client.pageAll(&cursor, 50);
    const QSet<QByteArray> unique(ids.begin(), ids.end());
    QVERIFY(ids.size() > unique.size());
    QCOMPARE(unique.size(), 300);
    QCOMPARE(cursor, server.log().cursor(300));
}

void TestSimFaults::actionRecordedDespiteLostResponse()
{
    SimServer server(quietOptions());
    QString error;
    QVERIFY2(server.start(&error), qPrintable(error));
    TestClient client(server);
    FaultOptions faults;
    faults.drop = 1;
    server.setFaults(faults);
    const QByteArray body = R"({"type":"notify_admins","target":"on-call","reason":"test"})";

    const Response lost = client.send("POST", QStringLiteral("/api/v2/security/actions"), body,
        { { "Idempotency-Key", "retry-1" } });
    QCOMPARE(lost.status, 0);
    QCOMPARE(server.actions().actions().size(), 1);

    server.setFaults(FaultOptions());
    const Response retried = client.send("POST", QStringLiteral("/api/v2/security/actions"), body,
        { { "Idempotency-Key", "retry-1" } });
    QCOMPARE(retried.status, 200);
    QCOMPARE(retried.json()["id"].toString(), server.actions().actions().first().id);
    QCOMPARE(server.actions().actions().size(), 1);
}

void TestSimFaults::faultsSpareSimEndpoints()
{
    SimServer server(quietOptions());
    QString error;
    QVERIFY2(server.start(&error), qPrintable(error));
    TestClient client(server);
    FaultOptions faults;
    FaultOptions::parse(QStringLiteral("all=1"), &faults, &error);
    server.setFaults(faults);
    QCOMPARE(client.get(QStringLiteral("/api/v2/sim/labels")).status, 200);
    QCOMPARE(client.get(QStringLiteral("/api/v2/sim/stats")).status, 200);
}

QTEST_GUILESS_MAIN(TestSimFaults)
#include "tst_simfaults.moc"
