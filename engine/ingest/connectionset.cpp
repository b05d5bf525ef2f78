// SPDX-License-Identifier: GPL-3.0-or-later
#include "ingest/connectionset.h"

#include "core/logging.h"
#include "store/connections.h"
#include "store/store.h"

#include <QCoreApplication>

namespace portcullis {

BackendConnections::BackendConnections(
    Store &store, const DetectionConfig &config, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_config(config)
{
    qRegisterMetaType<BackendState>();
}

BackendConnections::~BackendConnections()
{
    stopAll();
}

QString BackendConnections::stateKeyword(BackendState::Kind kind)
{
    switch (kind) {
    case BackendState::Connecting:
        return QStringLiteral("connecting");
    case BackendState::Connected:
        return QStringLiteral("connected");
    case BackendState::Lagging:
        return QStringLiteral("lagging");
    case BackendState::Error:
        return QStringLiteral("error");
    case BackendState::Stopped:
        return QStringLiteral("stopped");
    }
    return QString();
}

bool BackendConnections::add(const BackendSettings &settings, QString *errorMessage)
{
    if (m_connections.count(settings.name) > 0) {
        *errorMessage = QCoreApplication::translate("BackendClient",
            "Two backend connections are named \"%1\"; give each its own name.")
                            .arg(settings.name);
        return false;
    }
    const QString invalid = BackendClient::validateSettings(settings);
    if (!invalid.isEmpty()) {
        *errorMessage = invalid;
        return false;
    }
    Connection connection;
    connection.pipeline = std::make_unique<TelemetryPipeline>(
        m_store, settings.name, settings.baseUrl, m_config);
    if (!connection.pipeline->open(errorMessage))
        return false;
    connection.client = std::make_unique<BackendClient>(settings);
    connection.pipeline->attach(connection.client.get());
    const QString name = settings.name;
    connect(connection.client.get(), &BackendClient::stateChanged, this,
        [this, name](const BackendState &state) {
            recordState(name, state);
            Q_EMIT stateChanged(name, state);
        });
    connect(connection.pipeline.get(), &TelemetryPipeline::alertsStored, this,
        [this, name](const QVector<Alert> &alerts) { Q_EMIT alertsStored(name, alerts); });
    m_connections.emplace(name, std::move(connection));
    return true;
}

void BackendConnections::startAll()
{
    for (auto &[name, connection] : m_connections)
        connection.client->start(connection.pipeline->cursor());
}

void BackendConnections::stopAll()
{
    for (auto &[name, connection] : m_connections)
        connection.client->stop();
}

QStringList BackendConnections::names() const
{
    QStringList names;
    for (const auto &entry : m_connections)
        names << entry.first;
    return names;
}

BackendState BackendConnections::state(const QString &name) const
{
    const auto it = m_connections.find(name);
    return it == m_connections.end() ? BackendState() : it->second.client->state();
}

BackendClient *BackendConnections::client(const QString &name) const
{
    const auto it = m_connections.find(name);
    return it == m_connections.end() ? nullptr : it->second.client.get();
}

TelemetryPipeline *BackendConnections::pipeline(const QString &name) const
{
    const auto it = m_connections.find(name);
    return it == m_connections.end() ? nullptr : it->second.pipeline.get();
}

TelemetryCounters BackendConnections::totals() const
{
    TelemetryCounters sum;
    for (const auto &entry : m_connections) {
        const TelemetryCounters &c = entry.second.pipeline->counters();
        sum.received += c.received;
        sum.stored += c.stored;
        sum.duplicates += c.duplicates;
        sum.quarantined += c.quarantined;
        sum.alertsChanged += c.alertsChanged;
        sum.gaps += c.gaps;
        sum.backendAlerts += c.backendAlerts;
    }
    return sum;
}

void BackendConnections::recordState(const QString &name, const BackendState &state)
{
    QString error;
    if (!saveConnectionState(m_store.database(), name, stateKeyword(state.kind), state.reason,
            state.lagSeconds, &error))
        qCWarning(lcIngest) << name << "recording the connection state failed:" << error;
}

} // namespace portcullis
