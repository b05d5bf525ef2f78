// SPDX-License-Identifier: GPL-3.0-or-later
#include "testclient.h"

#include <QTest>

using namespace portcullis::sim;
using namespace portcullis::sim::test;

namespace {

QByteArray actionBody(const QString &type, const QString &target, const QString &reason = {})
{
    const QJsonObject body { { QStringLiteral("type"), type }, { QStringLiteral("target"), target },
        { QStringLiteral("reason"), reason.isEmpty() ? QStringLiteral("test") : reason } };
    return QJsonDocument(body).toJson(QJsonDocument::Compact);
}

Response postAction(TestClient &client, const QByteArray &key, const QByteArray &body)
{
    QList<QPair<QByteArray, QByteArray>> headers;
    if (!key.isEmpty())
        headers.append({ "Idempotency-Key", key });
    return client.send("POST", QStringLiteral("/api/v2/security/actions"), body, headers);
}

// Emits events until the scenario's label has emitted at least `count` events.
bool runUntilLabelled(SimServer &server, int count)
{
    for (int i = 0;
         i < 200 && (server.labels().isEmpty() || server.labels().first().eventIds.size() < count);
         ++i)
        server.fastForward(50);
    return !server.labels().isEmpty() && server.labels().first().eventIds.size() >= count;
}

} // namespace

class TestSimActions : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void sameKeyGivesSameAction();
    void invalidActionRejected_data();
    void invalidActionRejected();
    void blockedIpGets403();
    void accountActionsApply_data();
    void accountActionsApply();
    void rateLimitGives429();
    void slowActionCompletesLater();
};

void TestSimActions::sameKeyGivesSameAction()
{
    SimServer server(quietOptions());
    QString error;
    QVERIFY2(server.start(&error), qPrintable(error));
    TestClient client(server);
    const QByteArray body = actionBody(QStringLiteral("block_ip"), QStringLiteral("203.0.113.200"));

    const Response first = postAction(client, "key-1", body);
    QCOMPARE(first.status, 201);
    const QString id = first.json()["id"].toString();
    QVERIFY(!id.isEmpty());
    QCOMPARE(first.json()["status"].toString(), QStringLiteral("completed"));
    QCOMPARE(first.header("Location"), "/api/v2/security/actions/" + id.toLatin1());

    const Response again = postAction(client, "key-1", body);
    QCOMPARE(again.status, 200);
    QCOMPARE(again.json()["id"].toString(), id);
    QCOMPARE(again.header("Idempotent-Replayed"), QByteArray("true"));
    QCOMPARE(server.actions().actions().size(), 1);

    const Response conflict = postAction(
        client, "key-1", actionBody(QStringLiteral("block_ip"), QStringLiteral("203.0.113.201")));
    QCOMPARE(conflict.status, 422);
    QCOMPARE(conflict.json()["error"]["code"].toString(), QStringLiteral("idempotency_key_reused"));
    QCOMPARE(server.actions().actions().size(), 1);

    const Response fetched = client.get(QStringLiteral("/api/v2/security/actions/") + id);
    QCOMPARE(fetched.status, 200);
    QCOMPARE(fetched.json()["target"].toString(), QStringLiteral("203.0.113.200"));
    QCOMPARE(client.get(QStringLiteral("/api/v2/security/actions/act_999999")).status, 404);
    const Response list = client.get(QStringLiteral("/api/v2/security/actions"));
    QCOMPARE(list.json()["actions"].toArray().size(), 1);
}

void TestSimActions::invalidActionRejected_data()
{
    QTest::addColumn<QByteArray>("key");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("code");
    const QByteArray good = actionBody(QStringLiteral("block_ip"), QStringLiteral("203.0.113.9"));
    QTest::newRow("no key") << QByteArray() << good << 400
                            << QStringLiteral("missing_idempotency_key");
    QTest::newRow("not json") << QByteArray("k") << QByteArray("{type") << 400
                              << QStringLiteral("invalid_json");
    QTest::newRow("unknown type") << QByteArray("k")
                                  << actionBody(QStringLiteral("format_disk"), QStringLiteral("x"))
                                  << 422 << QStringLiteral("invalid_action");
    QTest::newRow("bad address") << QByteArray(
        "k") << actionBody(QStringLiteral("block_ip"), QStringLiteral("999.1.1.1"))
                                 << 422 << QStringLiteral("invalid_action");
    QTest::newRow("unknown account")
        << QByteArray("k")
        << actionBody(QStringLiteral("suspend_account"), QStringLiteral("nobody@example.com"))
        << 422 << QStringLiteral("invalid_action");
    QTest::newRow("no reason") << QByteArray("k")
                               << QByteArray(R"({"type":"escalate","target":"incident-1"})") << 422
                               << QStringLiteral("invalid_action");
}

void TestSimActions::invalidActionRejected()
{
    QFETCH(QByteArray, key);
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    QFETCH(QString, code);
    SimServer server(quietOptions());
    QString error;
    QVERIFY2(server.start(&error), qPrintable(error));
    TestClient client(server);

    const Response response = postAction(client, key, body);
    QCOMPARE(response.status, status);
    QCOMPARE(response.json()["error"]["code"].toString(), code);
    QVERIFY(!response.json()["error"]["message"].toString().isEmpty());
    QCOMPARE(server.actions().actions().size(), 0);
}

void TestSimActions::blockedIpGets403()
{
    SimOptions options = quietOptions();
    options.scenarios = { { QStringLiteral("scraping"), 5000 } };
    SimServer server(options);
    QString error;
    QVERIFY2(server.start(&error), qPrintable(error));
    TestClient client(server);
    QVERIFY(runUntilLabelled(server, 20));
    const QString ip = server.labels().first().entities[QStringLiteral("ips")][0].toString();
    const quint64 blockedAfter = server.log().lastSequence();

    QCOMPARE(postAction(client, "block-1", actionBody(QStringLiteral("block_ip"), ip)).status, 201);
    server.fastForward(3000);

    int before200 = 0;
    int after403 = 0;
    int afterOther = 0;
    for (const QJsonObject &event : retainedEvents(server)) {
        if (field(event, QStringLiteral("source.ip")) != ip)
            continue;
        const QString id = field(event, QStringLiteral("event.id"));
        const quint64 sequence = id.section(QLatin1Char('-'), 1).toULongLong();
        const QString status = field(event, QStringLiteral("http.response.status_code"));
        if (sequence <= blockedAfter)
            before200 += status == QLatin1String("200") ? 1 : 0;
        else if (status == QLatin1String("403"))
            ++after403;
        else
            ++afterOther;
    }
    QVERIFY(before200 > 0);
    QVERIFY(after403 > 100);
    QCOMPARE(afterOther, 0);
}

void TestSimActions::accountActionsApply_data()
{
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("expectedAction");
    QTest::addColumn<QString>("expectedReason");
    QTest::newRow("suspend") << QStringLiteral("suspend_account") << QStringLiteral("user_login")
                             << QStringLiteral("account_suspended");
    QTest::newRow("mfa") << QStringLiteral("enforce_mfa") << QStringLiteral("mfa_verify")
                         << QStringLiteral("invalid_code");
}

// Impossible travel: the victim logs in at home, then an attacker logs in
// from abroad 10 to 25 simulated minutes later. The action lands in between.
void TestSimActions::accountActionsApply()
{
    QFETCH(QString, type);
    QFETCH(QString, expectedAction);
    QFETCH(QString, expectedReason);
    SimOptions options = quietOptions();
    options.scenarios = { { QStringLiteral("impossible_travel"), 5000 } };
    SimServer server(options);
    QString error;
    QVERIFY2(server.start(&error), qPrintable(error));
    TestClient client(server);
    QVERIFY(runUntilLabelled(server, 1));
    const QString user = server.labels().first().entities[QStringLiteral("users")][0].toString();
    const QString foreignIp
        = server.labels().first().entities[QStringLiteral("ips")].toArray().last().toString();
    QCOMPARE(postAction(client, "account-1", actionBody(type, user)).status, 201);
    server.fastForward(3000);

    bool found = false;
    for (const QJsonObject &event : retainedEvents(server)) {
        if (field(event, QStringLiteral("user.name")) != user
            || field(event, QStringLiteral("source.ip")) != foreignIp)
            continue;
        if (field(event, QStringLiteral("event.action")) == expectedAction
            && field(event, QStringLiteral("event.reason")) == expectedReason) {
            QCOMPARE(field(event, QStringLiteral("event.outcome")), QStringLiteral("failure"));
            found = true;
        }
    }
    QVERIFY2(found,
        qPrintable(QStringLiteral("no %1 event with reason %2 for %3")
                       .arg(expectedAction, expectedReason, user)));
    // The attacker's session never starts.
    for (const QJsonObject &event : retainedEvents(server)) {
        if (field(event, QStringLiteral("source.ip")) == foreignIp)
            QVERIFY(
                field(event, QStringLiteral("event.action")) != QLatin1String("session_created"));
    }
}

void TestSimActions::rateLimitGives429()
{
    SimOptions options = quietOptions();
    options.scenarios = { { QStringLiteral("request_flood"), 5000 } };
    SimServer server(options);
    QString error;
    QVERIFY2(server.start(&error), qPrintable(error));
    TestClient client(server);
    QVERIFY(runUntilLabelled(server, 5));
    const QJsonArray ips = server.labels().first().entities[QStringLiteral("ips")].toArray();
    QJsonObject body
        = QJsonDocument::fromJson(actionBody(QStringLiteral("rate_limit"), ips[0].toString()))
              .object();
    body.insert(
        QStringLiteral("parameters"), QJsonObject { { QStringLiteral("limit_per_minute"), 10 } });
    QCOMPARE(postAction(client, "limit-1", QJsonDocument(body).toJson()).status, 201);
    server.fastForward(4000);

    int limited = 0;
    for (const QJsonObject &event : retainedEvents(server)) {
        if (field(event, QStringLiteral("source.ip")) == ips[0].toString()
            && field(event, QStringLiteral("http.response.status_code")) == QLatin1String("429")
            && field(event, QStringLiteral("event.reason")) == QLatin1String("rate_limited"))
            ++limited;
    }
    QVERIFY(limited > 50);
}

void TestSimActions::slowActionCompletesLater()
{
    SimServer server(quietOptions());
    QString error;
    QVERIFY2(server.start(&error), qPrintable(error));
    TestClient client(server);

    const Response created = postAction(client, "backup-1",
        actionBody(QStringLiteral("start_backup"), QStringLiteral("db-primary")));
    QCOMPARE(created.status, 201);
    QCOMPARE(created.json()["status"].toString(), QStringLiteral("in_progress"));
    const QString path
        = QStringLiteral("/api/v2/security/actions/") + created.json()["id"].toString();
    QTRY_COMPARE_WITH_TIMEOUT(
        client.get(path).json()["status"].toString(), QStringLiteral("completed"), 10000);
}

QTEST_GUILESS_MAIN(TestSimActions)
#include "tst_simactions.moc"
