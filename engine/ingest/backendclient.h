// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QRandomGenerator>
#include <QSslConfiguration>
#include <QTimer>
#include <QUrl>

#include <functional>

class QNetworkAccessManager;
class QNetworkReply;
class QSslError;
class QJsonObject;

namespace portcullis {

class BackendAlertFetcher;

// Settings of one backend connection (docs/telemetry-api.md).
struct BackendSettings {
    QString name;                    // unique per console, keys the stored cursor
    QUrl baseUrl;                    // https://host[:port]; http only for 127.0.0.1 and ::1
    QByteArray token;                // bearer token; never logged
    QList<QByteArray> pinnedKeys;    // SHA-256 of the SubjectPublicKeyInfo; empty: no pinning
    QString caFile;                  // PEM file of CA certificates trusted besides the system's
    bool useStream = true;           // follow /events/stream, falling back to polling
    int pageSize = 1000;             // `limit` of a poll
    int pollIntervalMs = 1000;       // wait after a page with has_more false
    int requestTimeoutMs = 15000;    // a request (or a stream without bytes) taking longer fails
    qint64 maxResponseBytes = 64LL * 1024 * 1024;  // a longer body is a failed request
    int maxRetries = 8;              // failed attempts of one request before the state is Error
    int backoffBaseMs = 250;         // first retry delay, doubled each time, with full jitter
    int backoffMaxMs = 30000;
    qint64 silenceMs = 5 * 60 * 1000;  // no event for this long raises telemetry-silence
    qint64 lagThresholdMs = 60 * 1000; // lag above this makes the state Lagging
    int streamRetryMs = 2000;        // wait before reopening an ended stream (its `retry:`)
    int streamBatchMs = 50;          // stream frames are committed together at most this late
    int streamBatchEvents = 1000;
    bool importBackendAlerts = true; // pull GET /alerts on each connection and periodically
    int alertsIntervalMs = 60000;    // between pulls while connected; 0: only on connecting
};

// A connection's health as the status bar and `watch` show it.
struct BackendState {
    enum Kind : quint8 { Connecting, Connected, Lagging, Error, Stopped };
    Kind kind = Connecting;
    qint64 lagSeconds = 0;
    QString reason;                  // why it is Error, or the last retried failure
    bool streaming = false;
    bool operator==(const BackendState &other) const;
};
QString stateText(const BackendState &state);

// One delivered page (poll) or batch of stream frames. `events` are compact
// JSON objects as received; `nextCursor` is the cursor after the last one.
struct EventPage {
    QList<QByteArray> events;
    QString nextCursor;
    qint64 serverTimeMs = 0;         // 0 when the backend sent no time (stream)
};

// A 410 response: the events between `cursor` and `oldestCursor` are gone.
struct TelemetryGap {
    QString cursor;
    QString oldestCursor;
    qint64 oldestTimestampMs = 0;    // 0 when the backend keeps no event
    qint64 missingEvents = -1;       // -1 when the backend cannot tell
};

// Pulls events from one backend, by server-sent events when it can and by
// polling otherwise, and hands each page to the handler before it moves its
// cursor: the handler commits the page and the cursor in one transaction.
// Retries failed requests with exponential backoff and full jitter; stops
// with state Error on 401, on a certificate error or a pin mismatch, when a
// handler fails, and after maxRetries failed attempts of one request.
// On each connection (and every alertsIntervalMs while connected) it also
// pulls the alerts the backend raised itself and hands them to the alerts
// handler. Silence is reported only for a backend that was reached once.
class BackendClient : public QObject {
    Q_OBJECT

public:
    // Returns false with a message when the page could not be committed.
    using PageHandler = std::function<bool(const EventPage &, QString *)>;
    using GapHandler = std::function<bool(const TelemetryGap &, QString *)>;
    using AlertsHandler = std::function<bool(const QList<QJsonObject> &, QString *)>;

    explicit BackendClient(const BackendSettings &settings, QObject *parent = nullptr);
    ~BackendClient() override;

    // Returns an empty string when the settings are usable, else why not.
    static QString validateSettings(const BackendSettings &settings);

    void setPageHandler(PageHandler handler) { m_pageHandler = std::move(handler); }
    void setGapHandler(GapHandler handler) { m_gapHandler = std::move(handler); }
    void setAlertsHandler(AlertsHandler handler);
    // RFC 3339 creation time of the newest backend alert already stored.
    void setBackendAlertsSince(const QString &since);
    // The backend responded in an earlier run, so silence counts from the start.
    void setReachedBefore(bool reached) { m_reachedBefore = reached; }
    // The backend responded to a request in this run.
    bool hasReached() const { return m_reached; }

    // Starts after `cursor` (empty: the oldest retained event).
    void start(const QString &cursor);
    void stop();

    BackendState state() const { return m_state; }
    QString cursor() const { return m_cursor; }
    const BackendSettings &settings() const { return m_settings; }

Q_SIGNALS:
    void stateChanged(const portcullis::BackendState &state);
    // No event arrived for settings().silenceMs; repeats each period of silence.
    void silenceDetected(qint64 silentForMs);
    // The first successful response of this run.
    void firstResponse();
    // A pull of the backend's own alerts ended with `count` alerts handed over.
    void backendAlertsPulled(int count);

private:
    void poll();
    void openStream();
    void onPollFinished(QNetworkReply *reply);
    void onStreamData();
    void onStreamFinished();
    void handleFrame(const QByteArray &frame);
    void flushStreamBatch();
    bool deliver(const EventPage &page);
    bool handleErrorReply(int status, const QByteArray &body);
    void retryLater(const QString &reason, int retryAfterMs = 0);
    void fail(const QString &reason);
    void onConnected();
    void setState(BackendState::Kind kind, const QString &reason = QString());
    void updateLag(qint64 serverTimeMs);
    QNetworkReply *get(const QUrl &url, bool stream);
    void armTimeout(QNetworkReply *reply);

    BackendSettings m_settings;
    PageHandler m_pageHandler;
    GapHandler m_gapHandler;
    QNetworkAccessManager *m_network = nullptr;
    QPointer<QNetworkReply> m_reply;
    QSslConfiguration m_tls;
    BackendAlertFetcher *m_alerts = nullptr;
    QTimer m_alertsTimer;
    bool m_reached = false;
    bool m_reachedBefore = false;
    QTimer m_retryTimer;
    QTimer m_timeoutTimer;
    QTimer m_silenceTimer;
    QTimer m_batchTimer;
    QRandomGenerator m_random;
    QString m_cursor;
    BackendState m_state;
    int m_attempts = 0;              // failed attempts of the current request
    bool m_running = false;
    bool m_streaming = false;        // the current reply is an open event stream
    bool m_streamFailed = false;     // the backend has no stream: poll from now on
    bool m_pollNext = false;         // poll until caught up before opening the stream
    qint64 m_newestEventMs = 0;
    QElapsedTimer m_sinceEvent;
    QByteArray m_streamBuffer;
    EventPage m_streamBatch;
    QByteArray m_frameId;
    QByteArray m_frameData;
};

} // namespace portcullis

Q_DECLARE_METATYPE(portcullis::BackendState)
