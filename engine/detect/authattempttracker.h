// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "detect/detector.h"
#include "detect/expirybound.h"
#include "event/event.h"

#include <QHash>
#include <QString>
#include <QVarLengthArray>

#include <functional>

namespace portcullis::detect {

// One failed authentication attempt, possibly logged on several lines.
struct AuthAttempt {
    qint64 timestampMs = 0; // time of its first line
    QString source; // source.ip, else source.domain
    QString sourceField; // "source.ip" or "source.domain"
    QString userName;
    bool hasUserName = false;
    bool ssh = false; // from sshd or its PAM stack
    QVarLengthArray<QByteArray, 3> eventIds; // its lines, oldest first
};

// A detector fed with login attempts by the engine's one AuthAttemptTracker,
// besides the events themselves; the engine sends an event's attempts first.
class AttemptDetector : public Detector {
public:
    virtual void processAttempt(const AuthAttempt &attempt, AlertSink &sink) = 0;
};

// Turns authentication-failure events into attempts. The parser marks the
// one line that counts for each attempt (Event::countsAsAttempt). An sshd
// connection (host.name + process.pid) may log the same attempt on further
// lines, such as "Invalid user", a pam_unix "authentication failure" and
// then "Failed password". A counted "Invalid user" or PAM line waits for
// the connection's later lines, so the attempt gets their event ids and the
// user name; it is emitted at the connection's failed login, at its next
// counted line or its end (disconnect, timeout, maximum tries, a successful
// login), after ConnectionGraceMs, or at flushAll(). From sshd only the
// actions ssh_login, ssh_invalid_user and pam_auth_failure count, and a
// counted connection end that names a user; from other programs any
// authentication failure counts.
class AuthAttemptTracker {
public:
    using Emit = std::function<void(const AuthAttempt &)>;

    // sshd's default LoginGraceTime: a connection has no later attempt after it.
    static constexpr qint64 ConnectionGraceMs = 120 * 1000;

    static bool isFailure(const Event &event)
    {
        return event.category == EventCategory::Authentication
            && event.outcome == EventOutcome::Failure;
    }

    void processEvent(const Event &event, const Emit &emitAttempt);
    // Emits waiting attempts older than ConnectionGraceMs before `nowMs`.
    void expire(qint64 nowMs, const Emit &emitAttempt);
    void flushAll(const Emit &emitAttempt);
    int waitingCount() const { return static_cast<int>(m_waiting.size()); }

private:
    struct ConnectionKey {
        QString host;
        qint64 pid = 0;
        bool operator==(const ConnectionKey &other) const
        {
            return pid == other.pid && host == other.host;
        }
    };
    friend size_t qHash(const ConnectionKey &key, size_t seed)
    {
        return qHashMulti(seed, key.host, key.pid);
    }

    static AuthAttempt attemptFrom(const Event &event);
    static void mergeLine(AuthAttempt &attempt, const Event &event);
    void endConnection(const Event &event, const Emit &emitAttempt);

    QHash<ConnectionKey, AuthAttempt> m_waiting;
    OldestTimeBound m_oldest; // of the waiting attempts' timestampMs
};

} // namespace portcullis::detect
