// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "detect/alert.h"
#include "detect/detectionengine.h"
#include "ingest/backendclient.h"
#include "ingest/telemetrypipeline.h"

#include <QObject>
#include <QStringList>

#include <map>
#include <memory>

namespace portcullis {

class Store;

// The console's named backend connections, sharing one store: each has its
// own client, pipeline (cursor, detectors) and state. A connection that
// fails does not touch the others. Each state change is recorded in
// backend_connections, which `portcullis-cli connections` lists.
class BackendConnections : public QObject {
    Q_OBJECT

public:
    explicit BackendConnections(
        Store &store, const DetectionConfig &config = {}, QObject *parent = nullptr);
    ~BackendConnections() override;

    // Opens the connection's pipeline: creates its row and reads its cursor.
    // Returns false with a message for a duplicate name, invalid settings or
    // a database error.
    bool add(const BackendSettings &settings, QString *errorMessage);
    void startAll();
    void stopAll();

    QStringList names() const;
    BackendState state(const QString &name) const;
    BackendClient *client(const QString &name) const;
    TelemetryPipeline *pipeline(const QString &name) const;
    // The counters of every connection added up.
    TelemetryCounters totals() const;

    // The state's keyword as stored: "connecting", "connected", "lagging",
    // "error" or "stopped".
    static QString stateKeyword(BackendState::Kind kind);

Q_SIGNALS:
    void stateChanged(const QString &name, const portcullis::BackendState &state);
    void alertsStored(const QString &name, const QVector<portcullis::Alert> &alerts);

private:
    struct Connection {
        std::unique_ptr<TelemetryPipeline> pipeline;
        std::unique_ptr<BackendClient> client;
    };
    void recordState(const QString &name, const BackendState &state);

    Store &m_store;
    DetectionConfig m_config;
    std::map<QString, Connection> m_connections;  // by name
};

} // namespace portcullis
