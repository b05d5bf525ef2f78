// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "sim/actions.h"
#include "sim/eventlog.h"
#include "sim/generator.h"
#include "sim/httpadapter.h"
#include "sim/simoptions.h"

#include <QElapsedTimer>
#include <QHash>
#include <QJsonArray>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QUrl>

#include <memory>

class QTcpSocket;

namespace portcullis::sim {

class BackendAlerts;

// portcullis-sim, the BookedBarber backend stand-in: an HTTP server on
// 127.0.0.1 that implements the telemetry contract (docs/telemetry-api.md)
// over generated traffic, in plain HTTP or, with a certificate and key in the
// options, in HTTPS. It needs a running event loop in its thread. To run it
// off the GUI thread, moveToThread() it (its timers and sockets are its
// children and move along) before start(), and make every call from that
// thread.
//
//     SimServer server(options);
//     QString error;
//     if (!server.start(&error)) { ... }
//     connect to server.baseUrl() with "Authorization: Bearer " + server.token()
class SimServer : public QObject {
    Q_OBJECT

public:
    explicit SimServer(const SimOptions &options, QObject *parent = nullptr);
    ~SimServer() override;

    // Builds the population, schedules scenarios and the replay, and listens.
    // Returns false with a message naming the value and the fix. Call it once:
    // to simulate a backend restart, construct a new server with the same
    // seed and startTimeMs, which keeps the clients' cursors valid.
    bool start(QString *error);
    void stop();
    bool isRunning() const { return m_adapter != nullptr; }

    quint16 port() const { return m_port; }
    QByteArray token() const { return m_token; }
    QUrl baseUrl() const;

    // Emits the next `count` events at once, moving simulated time to the last
    // one. Returns how many were emitted (fewer when nothing else is scheduled).
    qint64 fastForward(qint64 count);
    // Emits every event due up to simulated time `untilMs`.
    void advanceTo(qint64 untilMs);
    qint64 simulatedNowMs() const { return m_simNowMs; }

    void setFaults(const FaultOptions &faults) { m_options.faults = faults; }
    const SimOptions &options() const { return m_options; }

    // Every event id emitted since start, in emission order, including the
    // ones the retention or an expiry fault has dropped since.
    const QList<QByteArray> &emittedIds() const { return m_emittedIds; }
    // Sequences the expiry fault took from the requesting cursor, as (first, last) pairs.
    const QList<QPair<quint64, quint64>> &expiredRanges() const { return m_expiredRanges; }
    const EventLog &log() const { return *m_log; }
    const ActionRegistry &actions() const { return m_actions; }
    const QList<AttackLabel> &labels() const { return m_generator->labels(); }
    QString epoch() const { return m_epoch; }

Q_SIGNALS:
    void eventsEmitted(quint64 lastSequence);

private:
    struct Reply {
        int status = 200;
        QByteArray body;
        HeaderList headers;
        bool json = true;
        bool faultable = true; // the reply may be replaced by an injected fault
    };
    struct Subscriber {
        QPointer<QTcpSocket> socket;
        quint64 lastSequence = 0;
    };

    bool setUpTls(QString *error);
    void tick();
    void emitEvent(SimEvent &event);
    void publish(QJsonObject doc, qint64 timeMs, int label);
    void pushToSubscribers(const StoredEvent &event);
    void writeToSubscriber(Subscriber &subscriber, const StoredEvent &event);

    void handle(const HttpRequest &request, QTcpSocket *socket);
    bool authorized(const HttpRequest &request) const;
    Reply route(const HttpRequest &request, QTcpSocket *socket, bool *streaming);
    void send(QTcpSocket *socket, Reply reply);
    void sendNow(QPointer<QTcpSocket> socket, const Reply &reply, bool truncate);

    Reply eventsPage(const HttpRequest &request);
    Reply expiredCursor(const QString &cursor, quint64 sequence) const;
    bool openStream(const HttpRequest &request, QTcpSocket *socket, Reply *refusal);
    Reply postAction(const HttpRequest &request);
    Reply getAction(const QString &id) const;
    Reply listActions() const;
    Reply labelsReply() const;
    Reply statsReply() const;
    void maybeExpire(quint64 afterSequence);

    static Reply error(int status, const QString &code, const QString &message,
        const QJsonObject &details = QJsonObject());
    static Reply jsonReply(int status, const QJsonObject &object);

    SimOptions m_options;
    QByteArray m_token;
    QString m_epoch;
    quint16 m_port = 0;
    std::unique_ptr<Generator> m_generator;
    std::unique_ptr<EventLog> m_log;
    std::unique_ptr<BackendAlerts> m_backendAlerts;
    ActionRegistry m_actions;
    HttpAdapter *m_adapter = nullptr;
    // Children of the server, so that moveToThread() moves them along.
    QTimer *m_tickTimer = nullptr;
    QTimer *m_keepAliveTimer = nullptr;
    bool m_tls = false;
    QElapsedTimer m_clock;
    qint64 m_lastTickRealMs = 0;
    qint64 m_simNowMs = 0;
    SimRandom m_faultRandom;
    QList<Subscriber> m_subscribers;
    QList<QByteArray> m_emittedIds;
    QList<QPair<quint64, quint64>> m_expiredRanges;
};

} // namespace portcullis::sim
