// SPDX-License-Identifier: GPL-3.0-or-later
#include "livedemo.h"

#include "core/logging.h"
#include "ingest/telemetrypipeline.h"
#include "sim/simserver.h"
#include "store/store.h"

#include <QCoreApplication>
#include <QRandomGenerator>

namespace portcullis {

struct LiveDemo::ServerSide
{
    std::unique_ptr<sim::SimServer> server;
};

struct LiveDemo::ClientSide
{
    Store store;
    std::unique_ptr<TelemetryPipeline> pipeline;
    std::unique_ptr<BackendClient> client;
};

namespace {

QString translate(const char *text)
{
    return QCoreApplication::translate("LiveDemo", text);
}

// Runs `work` on the thread of `context` and waits for it.
template<typename Work>
void runOn(QObject *context, Work work)
{
    QMetaObject::invokeMethod(context, work, Qt::BlockingQueuedConnection);
}

} // namespace

LiveDemo::LiveDemo(QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<BackendState>();
    m_serverThread.setObjectName(QStringLiteral("demo-backend"));
    m_clientThread.setObjectName(QStringLiteral("demo-ingest"));
}

LiveDemo::~LiveDemo()
{
    stop();
}

bool LiveDemo::start(const QString &databasePath, QString *errorMessage)
{
    if (!startServer(errorMessage)) {
        stop();
        return false;
    }
    QByteArray token;
    runOn(m_serverContext, [this, &token] {
        m_baseUrl = m_server->server->baseUrl();
        token = m_server->server->token();
    });
    if (!startClient(databasePath, token, errorMessage)) {
        stop();
        return false;
    }
    qCInfo(lcIngest) << "demo backend listening on" << m_baseUrl.toString();
    return true;
}

bool LiveDemo::startServer(QString *errorMessage)
{
    m_serverContext = new QObject;
    m_serverContext->moveToThread(&m_serverThread);
    m_serverThread.start();

    bool started = false;
    runOn(m_serverContext, [this, &started, errorMessage] {
        sim::SimOptions options;
        options.speed = DemoSpeed;
        options.seed = QRandomGenerator::global()->generate64();
        // An empty options.token makes start() pick a random one.
        if (!sim::SimOptions::parseScenarios(
                QStringLiteral("all"), &options.scenarios, errorMessage))
            return;
        m_server = new ServerSide;
        // Created on its thread, like every object it makes (its timers are its children).
        m_server->server = std::make_unique<sim::SimServer>(options);
        started = m_server->server->start(errorMessage);
    });
    if (!started && errorMessage)
        *errorMessage = translate("The demo backend did not start: %1").arg(*errorMessage);
    return started;
}

bool LiveDemo::startClient(
    const QString &databasePath, const QByteArray &token, QString *errorMessage)
{
    m_clientContext = new QObject;
    m_clientContext->moveToThread(&m_clientThread);
    m_clientThread.start();

    BackendSettings settings;
    settings.name = m_connectionName;
    settings.baseUrl = m_baseUrl;
    settings.token = token;
    bool started = false;
    runOn(m_clientContext, [this, &settings, &started, databasePath, errorMessage] {
        m_client = new ClientSide;
        if (!m_client->store.open(databasePath, errorMessage))
            return;
        m_client->pipeline = std::make_unique<TelemetryPipeline>(
            m_client->store, settings.name, settings.baseUrl);
        if (!m_client->pipeline->open(errorMessage))
            return;
        m_client->client = std::make_unique<BackendClient>(settings);
        m_client->pipeline->attach(m_client->client.get());
        connect(m_client->client.get(), &BackendClient::stateChanged, this,
            [this](const BackendState &state) {
                m_state = state;
                Q_EMIT stateChanged(m_connectionName, state);
            });
        connect(m_client->pipeline.get(), &TelemetryPipeline::alertsStored, this,
            [this](const QVector<Alert> &alerts) { Q_EMIT alertsStored(int(alerts.size())); });
        connect(m_client->pipeline.get(), &TelemetryPipeline::pageCommitted, this,
            [this](qint64 stored, const QString &) { Q_EMIT batchCommitted(stored); });
        m_client->client->start(m_client->pipeline->cursor());
        started = true;
    });
    if (!started && errorMessage)
        *errorMessage = translate("The demo could not follow its backend: %1").arg(*errorMessage);
    return started;
}

void LiveDemo::stop()
{
    if (m_clientThread.isRunning()) {
        runOn(m_clientContext, [this] {
            if (m_client && m_client->client)
                m_client->client->stop();
            delete m_client;
            m_client = nullptr;
            m_clientContext->deleteLater(); // deleted when the thread finishes
        });
        m_clientContext = nullptr;
        m_clientThread.quit();
        m_clientThread.wait();
    }
    if (m_serverThread.isRunning()) {
        runOn(m_serverContext, [this] {
            if (m_server && m_server->server)
                m_server->server->stop();
            delete m_server;
            m_server = nullptr;
            m_serverContext->deleteLater();
        });
        m_serverContext = nullptr;
        m_serverThread.quit();
        m_serverThread.wait();
    }
}

} // namespace portcullis
