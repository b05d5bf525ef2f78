// SPDX-License-Identifier: GPL-3.0-or-later
// The backend's own alerts (GET /alerts) imported as alerts "backend:TYPE":
// pulled on connection from a real stand-in, stored once per backend alert id
// across client and backend restarts, severity and entities mapped.
#include "telemetrytestutil.h"

#include "ingest/connectionalertimport.h"
#include "ingest/telemetrypipeline.h"
#include "store/store.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSet>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace portcullis;
using namespace portcullis::sim;
using namespace portcullis::telemetrytest;

namespace {

// One client run against a server: its pipeline and client on a database file.
struct Session {
    Store store;
    std::unique_ptr<TelemetryPipeline> pipeline;
    std::unique_ptr<BackendClient> client;

    void open(const QString &path, const SimServer &server)
    {
        QString error;
        QVERIFY2(store.open(path, &error), qPrintable(error));
        const BackendSettings settings
            = settingsFor(QStringLiteral("bb"), server.baseUrl(), server.token());
        pipeline = std::make_unique<TelemetryPipeline>(store, settings.name, settings.baseUrl);
        QVERIFY2(pipeline->open(&error), qPrintable(error));
        client = std::make_unique<BackendClient>(settings);
        pipeline->attach(client.get());
    }

    // Starts the client and waits for its first pull of the backend's alerts.
    void pullOnce()
    {
        QSignalSpy pulled(client.get(), &BackendClient::backendAlertsPulled);
        client->start(pipeline->cursor());
        QVERIFY2(waitFor([&] {
            return !pulled.isEmpty() || client->state().kind == BackendState::Error;
        }),
            "no pull of the backend's alerts");
        QVERIFY2(client->state().kind != BackendState::Error, qPrintable(client->state().reason));
        client->stop();
    }
};

QJsonArray serverAlerts(const SimServer &server)
{
    QNetworkAccessManager network;
    QUrl url = server.baseUrl();
    url.setPath(QStringLiteral("/api/v2/security/alerts"));
    QNetworkRequest request(url);
    request.setRawHeader("Authorization", "Bearer " + server.token());
    QNetworkReply *reply = network.get(request);
    waitFor([reply] { return reply->isFinished(); });
    const QJsonArray alerts
        = QJsonDocument::fromJson(reply->readAll()).object().value("alerts").toArray();
    delete reply;
    return alerts;
}

std::unique_ptr<SimServer> startServer(qint64 events)
{
    SimOptions options = simOptions(23);
    QString error;
    SimOptions::parseScenarios(
        QStringLiteral("brute_force@20,card_testing@60"), &options.scenarios, &error);
    auto server = std::make_unique<SimServer>(options);
    if (!server->start(&error))
        qFatal("%s", qPrintable(error));
    server->fastForward(events);
    return server;
}

} // namespace

class TestBackendAlertImport : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void mapping_data();
    void mapping();
    void importedOnceAcrossRestarts();

private:
    QTemporaryDir m_dir;
};

void TestBackendAlertImport::mapping_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<bool>("accepted");
    QTest::addColumn<QString>("ruleId");
    QTest::addColumn<int>("severity");
    QTest::addColumn<QString>("entityField");

    const QByteArray good = R"({"id":"bal_000001","type":"brute_force","severity":"high",
        "status":"active","title":"20 failed logins","created_at":"2026-12-04T15:00:41.522Z",
        "entities":{"source_ip":"203.0.113.153"},"event_ids":["e1","e2"]})";
    QTest::newRow("brute force") << good << true << "backend:brute_force"
                                 << int(Severity::High) << "source.ip";
    QTest::newRow("critical, charge") << QByteArray(R"({"id":"x","type":"early_fraud_warning",
        "severity":"critical","created_at":"2026-12-04T15:00:41Z","entities":{"charge":"ch_1"}})")
                                      << true << "backend:early_fraud_warning"
                                      << int(Severity::Critical) << "stripe.data.object.id";
    QTest::newRow("unknown severity is medium")
        << QByteArray(R"({"id":"y","type":"odd","severity":"apocalyptic",
        "created_at":"2026-12-04T15:00:41Z","entities":{"tenant":"t1"}})")
        << true << "backend:odd" << int(Severity::Medium) << "bookedbarber.alert.tenant";
    QTest::newRow("type with markup") << QByteArray(R"({"id":"z","type":"<b>x</b>",
        "severity":"low","created_at":"2026-12-04T15:00:41Z"})")
                                      << true << "backend:unknown" << int(Severity::Low)
                                      << "observer.name";
    QTest::newRow("no id") << QByteArray(R"({"type":"brute_force",
        "created_at":"2026-12-04T15:00:41Z"})") << false << "" << 0 << "";
    QTest::newRow("id too long") << QByteArray(R"({"id":")" + QByteArray(129, 'a')
                                        + R"(","created_at":"2026-12-04T15:00:41Z"})")
                                 << false << "" << 0 << "";
    QTest::newRow("no time") << QByteArray(R"({"id":"t","type":"brute_force"})") << false << ""
                             << 0 << "";
}

void TestBackendAlertImport::mapping()
{
    QFETCH(QByteArray, json);
    QFETCH(bool, accepted);
    const QJsonObject object = QJsonDocument::fromJson(json).object();
    QVERIFY(!object.isEmpty());
    Alert alert;
    QString reason;
    QCOMPARE(mapBackendAlert(QStringLiteral("bb"), object, &alert, &reason), accepted);
    if (!accepted) {
        QVERIFY(!reason.isEmpty());
        return;
    }
    QFETCH(QString, ruleId);
    QFETCH(int, severity);
    QFETCH(QString, entityField);
    QCOMPARE(alert.ruleId, ruleId);
    QCOMPARE(int(alert.severity), severity);
    QVERIFY2(alert.entities.contains(entityField), qPrintable(alert.entities.keys().join(',')));
    QCOMPARE(alert.entities.value(QStringLiteral("observer.name")), QStringList { "bb" });
    QVERIFY(alert.key.startsWith("backend-alert|bb|"));
    QVERIFY(alert.reason.contains(object.value("id").toString()));
}

void TestBackendAlertImport::importedOnceAcrossRestarts()
{
    const QString path = m_dir.filePath(QStringLiteral("console.db"));
    auto server = startServer(4000);
    const QJsonArray expected = serverAlerts(*server);
    QVERIFY2(expected.size() >= 2, "the scenarios raised too few backend alerts");

    QSet<QString> types;
    {
        Session session;
        session.open(path, *server);
        session.pullOnce();
        QCOMPARE(session.pipeline->counters().backendAlerts, qint64(expected.size()));
        Database &db = session.store.database();
        QCOMPARE(scalar(db, "SELECT count(*) FROM alerts WHERE rule_id LIKE 'backend:%'"),
            qint64(expected.size()));
        QCOMPARE(scalar(db, "SELECT count(*) FROM backend_alerts"), qint64(expected.size()));
        for (const QJsonValue value : expected) {
            const QJsonObject alert = value.toObject();
            types.insert(alert.value("type").toString());
            const QString key = QStringLiteral("backend-alert|bb|") + alert.value("id").toString();
            Statement row = db.prepare(
                "SELECT rule_id, severity, entities FROM alerts WHERE alert_key = ?");
            row.bind(1, key.toUtf8());
            QVERIFY2(row.step(), qPrintable(key));
            QCOMPARE(row.columnText(0), "backend:" + alert.value("type").toString());
            Severity severity = Severity::Informational;
            QVERIFY(severityFromName(alert.value("severity").toString(), &severity));
            QCOMPARE(row.columnInt(1), int(severity));
            const QString ip = alert.value("entities").toObject().value("source_ip").toString();
            if (!ip.isEmpty())
                QVERIFY2(row.columnText(2).contains(ip), qPrintable(row.columnText(2)));
        }
    }
    QVERIFY(types.contains(QStringLiteral("brute_force")));

    // The client again: nothing new.
    {
        Session session;
        session.open(path, *server);
        session.pullOnce();
        QCOMPARE(session.pipeline->counters().backendAlerts, 0);
    }

    // The backend restarted with the same seed and start: the same alert ids.
    server.reset();
    server = startServer(4000);
    QCOMPARE(serverAlerts(*server).size(), expected.size());
    {
        Session session;
        session.open(path, *server);
        session.pullOnce();
        QCOMPARE(session.pipeline->counters().backendAlerts, 0);
        QCOMPARE(scalar(session.store.database(),
                     "SELECT count(*) FROM alerts WHERE rule_id LIKE 'backend:%'"),
            qint64(expected.size()));
    }
}

QTEST_GUILESS_MAIN(TestBackendAlertImport)
#include "tst_backendalertimport.moc"
