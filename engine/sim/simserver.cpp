// SPDX-License-Identifier: GPL-3.0-or-later
#include "sim/simserver.h"

#include "sim/backendalerts.h"
#include "sim/ecsjson.h"
#include "sim/replay.h"
#include "sim/simlogging.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QFile>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QSslCertificate>
#include <QSslKey>
#include <QTcpSocket>

namespace portcullis::sim {

namespace {

constexpr int TickMs = 50;
constexpr int KeepAliveMs = 15000;

QByteArray randomToken()
{
    QByteArray bytes(24, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(
        reinterpret_cast<quint32 *>(bytes.data()), bytes.size() / int(sizeof(quint32)));
    return bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

QString epochFor(quint64 seed, qint64 startMs)
{
    const QByteArray key = QByteArray::number(seed) + ':' + QByteArray::number(startMs);
    return QString::fromLatin1(
        QCryptographicHash::hash(key, QCryptographicHash::Sha256).toHex().left(8));
}

} // namespace

SimServer::SimServer(const SimOptions &options, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_tickTimer(new QTimer(this))
    , m_keepAliveTimer(new QTimer(this))
    , m_faultRandom(options.seed ^ 0x5eedfa17ULL)
{
    m_tickTimer->setInterval(TickMs);
    connect(m_tickTimer, &QTimer::timeout, this, &SimServer::tick);
    m_keepAliveTimer->setInterval(KeepAliveMs);
    connect(m_keepAliveTimer, &QTimer::timeout, this, [this] {
        for (Subscriber &subscriber : m_subscribers) {
            if (subscriber.socket)
                subscriber.socket->write(http::chunk(": keep-alive\n\n"));
        }
    });
}

SimServer::~SimServer()
{
    stop();
}

bool SimServer::start(QString *error)
{
    if (m_adapter)
        return true;
    m_token = m_options.token.isEmpty() ? randomToken() : m_options.token;
    const qint64 startMs
        = m_options.startTimeMs > 0 ? m_options.startTimeMs : QDateTime::currentMSecsSinceEpoch();
    m_simNowMs = startMs;
    m_epoch = epochFor(m_options.seed, startMs);
    m_log = std::make_unique<EventLog>(m_epoch);
    m_log->setRetention(m_options.retentionEvents, m_options.retentionMs);
    m_backendAlerts = std::make_unique<BackendAlerts>();
    m_generator = std::make_unique<Generator>(
        m_options.seed, startMs, qMax(1, m_options.shops), qMax(1, m_options.customers));
    for (const Person &person : m_generator->population().people) {
        m_actions.addKnownUser(person.id);
        m_actions.addKnownUser(person.email);
    }
    for (const ScheduledScenario &scenario : m_options.scenarios)
        m_generator->scheduleScenario(scenario.name, startMs + scenario.offsetMs);
    if (!m_options.replayFile.isEmpty()) {
        std::vector<SimEvent> replayed;
        if (!readReplayFile(m_options.replayFile, startMs + 1000, &replayed, error))
            return false;
        m_generator->scheduleEvents(std::move(replayed));
    }

    m_adapter = new HttpAdapter(
        [this](const HttpRequest &request, QTcpSocket *socket) { handle(request, socket); }, this);
    if (!setUpTls(error)) {
        delete m_adapter;
        m_adapter = nullptr;
        return false;
    }
    m_port = m_adapter->listenOnLoopback(m_options.port);
    if (m_port == 0) {
        *error = tr("Cannot listen on 127.0.0.1 port %1: the port is in use or not permitted. "
                    "Pick another with --port, or 0 for a free one.")
                     .arg(m_options.port);
        delete m_adapter;
        m_adapter = nullptr;
        return false;
    }

    m_clock.start();
    m_lastTickRealMs = 0;
    m_tickTimer->start();
    m_keepAliveTimer->start();
    qCInfo(lcSim).noquote() << "started on" << baseUrl().toString() << "seed" << m_options.seed
                            << "speed" << m_options.speed << "epoch" << m_epoch;
    return true;
}

void SimServer::stop()
{
    if (!m_adapter)
        return;
    m_tickTimer->stop();
    m_keepAliveTimer->stop();
    for (Subscriber &subscriber : m_subscribers) {
        if (subscriber.socket)
            subscriber.socket->abort();
    }
    m_subscribers.clear();
    delete m_adapter;
    m_adapter = nullptr;
    qCInfo(lcSim) << "stopped after" << m_emittedIds.size() << "events on port" << m_port;
}

QUrl SimServer::baseUrl() const
{
    QUrl url;
    url.setScheme(m_tls ? QStringLiteral("https") : QStringLiteral("http"));
    url.setHost(QStringLiteral("127.0.0.1"));
    url.setPort(m_port);
    return url;
}

// Serves HTTPS when the options name a certificate and a key (PEM files).
bool SimServer::setUpTls(QString *error)
{
    const QString &certPath = m_options.tlsCertificateFile;
    const QString &keyPath = m_options.tlsKeyFile;
    if (certPath.isEmpty() && keyPath.isEmpty())
        return true;
    if (certPath.isEmpty() || keyPath.isEmpty()) {
        *error = tr("HTTPS needs both a certificate and a key file; give both (--tls-cert and "
                    "--tls-key) or neither.");
        return false;
    }
    const QList<QSslCertificate> certs = QSslCertificate::fromPath(certPath, QSsl::Pem);
    if (certs.isEmpty()) {
        *error = tr("The TLS certificate file %1 holds no PEM certificate; write it with "
                    "\"openssl req -x509 ... -out FILE\".")
                     .arg(certPath);
        return false;
    }
    QFile keyFile(keyPath);
    if (!keyFile.open(QIODevice::ReadOnly)) {
        *error = tr("Cannot read the TLS key file %1: %2").arg(keyPath, keyFile.errorString());
        return false;
    }
    const QByteArray pem = keyFile.readAll();
    QSslKey key(pem, QSsl::Rsa, QSsl::Pem);
    if (key.isNull())
        key = QSslKey(pem, QSsl::Ec, QSsl::Pem);
    if (key.isNull()) {
        *error = tr("The TLS key file %1 holds no unencrypted PEM RSA or EC private key.")
                     .arg(keyPath);
        return false;
    }
    m_adapter->sslSetup(certs.first(), key);
    m_tls = true;
    return true;
}

void SimServer::tick()
{
    const qint64 realMs = m_clock.elapsed();
    const qint64 deltaMs = realMs - m_lastTickRealMs;
    m_lastTickRealMs = realMs;
    if (m_options.speed > 0)
        advanceTo(m_simNowMs + qint64(double(deltaMs) * m_options.speed));
}

void SimServer::advanceTo(qint64 untilMs)
{
    if (!m_generator)
        return;
    const quint64 before = m_log->lastSequence();
    m_simNowMs = qMax(m_simNowMs, untilMs);
    SimEvent event;
    while (m_generator->next(m_simNowMs, &event))
        emitEvent(event);
    m_log->applyRetention(m_simNowMs);
    if (m_log->lastSequence() != before)
        Q_EMIT eventsEmitted(m_log->lastSequence());
}

qint64 SimServer::fastForward(qint64 count)
{
    if (!m_generator)
        return 0;
    const quint64 before = m_log->lastSequence();
    SimEvent event;
    while (m_log->lastSequence() - before < quint64(count)
        && m_generator->next(std::numeric_limits<qint64>::max(), &event)) {
        m_simNowMs = qMax(m_simNowMs, event.timeMs);
        emitEvent(event);
    }
    m_log->applyRetention(m_simNowMs);
    if (m_log->lastSequence() != before)
        Q_EMIT eventsEmitted(m_log->lastSequence());
    return qint64(m_log->lastSequence() - before);
}

void SimServer::emitEvent(SimEvent &event)
{
    const Enforcement enforcement = m_actions.enforce(event.doc, event.label >= 0, event.timeMs);
    publish(event.doc, event.timeMs, event.label);
    for (const QJsonObject &followUp : enforcement.followUps)
        publish(followUp, event.timeMs, event.label);
    if (enforcement.cancelActivity)
        m_generator->cancelActivity(event.activity);
}

void SimServer::publish(QJsonObject doc, qint64 timeMs, int label)
{
    const quint64 sequence = m_log->lastSequence() + 1;
    const QByteArray id
        = m_epoch.toLatin1() + '-' + QByteArray::number(sequence).rightJustified(10, '0');
    doc.insert(QStringLiteral("@timestamp"), isoTime(timeMs));
    setPath(doc, u"event.id", QString::fromLatin1(id));
    m_backendAlerts->observe(doc, id, timeMs);
    m_log->append(timeMs, QJsonDocument(doc).toJson(QJsonDocument::Compact));
    m_emittedIds.append(id);

    if (label >= 0) {
        AttackLabel &attack = m_generator->labels()[label];
        attack.eventIds.append(QString::fromLatin1(id));
        if (attack.firstEventMs == 0)
            attack.firstEventMs = timeMs;
        attack.lastEventMs = timeMs;
    }
    if (!m_subscribers.isEmpty())
        pushToSubscribers(*m_log->at(sequence));
}

void SimServer::pushToSubscribers(const StoredEvent &event)
{
    for (qsizetype i = m_subscribers.size() - 1; i >= 0; --i) {
        Subscriber &subscriber = m_subscribers[i];
        if (!subscriber.socket || subscriber.socket->state() != QAbstractSocket::ConnectedState) {
            m_subscribers.removeAt(i);
            continue;
        }
        if (m_faultRandom.chance(m_options.faults.drop)) {
            qCDebug(lcSim) << "fault: dropping the event stream at sequence" << event.sequence;
            subscriber.socket->abort();
            m_subscribers.removeAt(i);
            continue;
        }
        writeToSubscriber(subscriber, event);
        if (m_faultRandom.chance(m_options.faults.duplicate))
            writeToSubscriber(subscriber, event);
    }
}

void SimServer::writeToSubscriber(Subscriber &subscriber, const StoredEvent &event)
{
    QByteArray frame
        = "id: " + m_log->cursor(event.sequence).toLatin1() + "\nevent: security_event\n";
    frame += "data: " + event.json + "\n\n";
    subscriber.socket->write(http::chunk(frame));
    subscriber.lastSequence = event.sequence;
}

bool SimServer::openStream(const HttpRequest &request, QTcpSocket *socket, Reply *refusal)
{
    QString cursor = QString::fromUtf8(request.header("Last-Event-ID")).trimmed();
    if (cursor.isEmpty())
        cursor = request.query.queryItemValue(QStringLiteral("after"));
    quint64 sequence = m_log->lastSequence();
    if (!cursor.isEmpty()) {
        if (m_log->parseCursor(cursor, &sequence) == EventLog::CursorState::Valid)
            maybeExpire(sequence);
        const EventLog::CursorState state = m_log->parseCursor(cursor, &sequence);
        if (state == EventLog::CursorState::Invalid) {
            *refusal = error(400, QStringLiteral("invalid_cursor"),
                QStringLiteral("Last-Event-ID \"%1\" is not a cursor of this server")
                    .arg(cursor.left(64)));
            return false;
        }
        if (state == EventLog::CursorState::Expired) {
            *refusal = expiredCursor(cursor, sequence);
            return false;
        }
    }

    socket->write(http::eventStreamHead());
    socket->write(http::chunk("retry: 2000\n\n"));
    Subscriber subscriber { QPointer<QTcpSocket>(socket), sequence };
    for (quint64 next = sequence + 1; next <= m_log->lastSequence(); ++next)
        writeToSubscriber(subscriber, *m_log->at(next));
    m_subscribers.append(subscriber);
    qCDebug(lcSim) << "stream opened after sequence" << sequence << "subscribers"
                   << m_subscribers.size();
    return true;
}

} // namespace portcullis::sim
