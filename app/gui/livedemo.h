// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ingest/backendclient.h"

#include <QObject>
#include <QThread>

#include <memory>

namespace portcullis {

namespace sim {
class SimServer;
}
class Store;
class TelemetryPipeline;

// The live part of `portcullis --demo`. The backend stand-in (portcullis-sim)
// runs on its own thread on 127.0.0.1, with an ephemeral port, a random token,
// ten times real speed and every attack scenario. A BackendClient with a
// TelemetryPipeline writes its events into the demo database on a second
// thread. The GUI thread only receives signals. The destructor stops both.
class LiveDemo : public QObject {
    Q_OBJECT

public:
    static constexpr double DemoSpeed = 10.0;

    explicit LiveDemo(QObject *parent = nullptr);
    ~LiveDemo() override;

    // Starts the stand-in and the client. Returns false with a message when
    // either does not start, and then nothing is left running.
    bool start(const QString &databasePath, QString *errorMessage);
    void stop();

    QString connectionName() const { return m_connectionName; }
    QUrl baseUrl() const { return m_baseUrl; }
    BackendState state() const { return m_state; }

Q_SIGNALS:
    void stateChanged(const QString &connection, const portcullis::BackendState &state);
    // Alerts created or changed by one committed batch.
    void alertsStored(int count);
    void batchCommitted(qint64 storedEvents);

private:
    bool startServer(QString *errorMessage);
    bool startClient(const QString &databasePath, const QByteArray &token, QString *errorMessage);

    // Objects that live on the two threads, created and deleted there.
    struct ServerSide;
    struct ClientSide;

    QThread m_serverThread;
    QThread m_clientThread;
    QObject *m_serverContext = nullptr;
    QObject *m_clientContext = nullptr;
    ServerSide *m_server = nullptr;
    ClientSide *m_client = nullptr;
    QString m_connectionName = QStringLiteral("demo");
    QUrl m_baseUrl;
    BackendState m_state;
};

} // namespace portcullis
