// SPDX-License-Identifier: GPL-3.0-or-later
#include "detect/authattempttracker.h"

#include "detect/detectorsupport.h"
#include "event/parsertext.h"

namespace portcullis::detect {

static bool isSshAction(const QString &action)
{
    // The parsers set actions from shared strings, so most events match by
    // identity; the comparisons below cover events built elsewhere.
    const text::ActionStrings &shared = text::actionStrings();
    if (action.isSharedWith(shared.sshLogin) || action.isSharedWith(shared.sshInvalidUser)
        || action.isSharedWith(shared.pamAuthFailure))
        return true;
    return equalsAscii(action, actions::SshLogin)
        || equalsAscii(action, actions::SshInvalidUser)
        || equalsAscii(action, actions::PamAuthFailure);
}

// Whether the event comes from sshd. Counted sshd lines other than the attempt
// actions and named connection ends, such as a scanner's connection that ends
// before authentication, are no login attempt, though the parser may count
// them.
static bool isSshEvent(const Event &event)
{
    return startsWithAscii(event.action, "ssh_")
        || startsWithAscii(event.processName, "sshd");
}

// A connection end that names the user being authenticated, such as
// "Disconnected from authenticating user root 1.2.3.4 port 22 [preauth]",
// is a login attempt when the parser counted it, which it does only for a
// connection that logged no other attempt.
static bool isUserConnectionEnd(const Event &event)
{
    return event.hasUserName && event.countsAsAttempt && event.outcome == EventOutcome::Failure
        && (equalsAscii(event.action, actions::SshPreauthDisconnect)
            || equalsAscii(event.action, actions::SshMaxAuthTries))
        && isSshProcess(event);
}

// A line after which sshd logs no further attempt of its connection.
static bool endsConnection(const Event &event)
{
    return equalsAscii(event.action, actions::SshPreauthDisconnect)
        || equalsAscii(event.action, actions::SshPreauthTimeout)
        || equalsAscii(event.action, actions::SshMaxAuthTries)
        || equalsAscii(event.action, actions::SshLogout)
        || (equalsAscii(event.action, actions::SshLogin)
            && event.outcome == EventOutcome::Success);
}

// A line that may precede the failed login of the same attempt.
static bool isLeadingLine(const Event &event)
{
    return equalsAscii(event.action, actions::SshInvalidUser)
        || equalsAscii(event.action, actions::PamAuthFailure);
}

AuthAttempt AuthAttemptTracker::attemptFrom(const Event &event)
{
    AuthAttempt attempt;
    attempt.timestampMs = event.timestampMs;
    attempt.source = eventSource(event, &attempt.sourceField);
    text::assign(attempt.userName, event.userName);
    attempt.hasUserName = event.hasUserName;
    attempt.ssh = isSshAction(event.action) && isSshProcess(event);
    if (!event.id.isEmpty())
        attempt.eventIds.append(event.id);
    return attempt;
}

// Adds a later line of the same attempt; its address and user name win over
// a PAM rhost host name or a missing user.
void AuthAttemptTracker::mergeLine(AuthAttempt &attempt, const Event &event)
{
    if (!event.id.isEmpty() && attempt.eventIds.size() < 8)
        attempt.eventIds.append(event.id);
    if (!event.sourceIp.isEmpty() && attempt.sourceField != QLatin1String("source.ip"))
        attempt.source = eventSource(event, &attempt.sourceField);
    if (event.hasUserName && !attempt.hasUserName) {
        attempt.userName = event.userName;
        attempt.hasUserName = true;
    }
}

void AuthAttemptTracker::processEvent(const Event &event, const Emit &emitAttempt)
{
    const bool failure = isFailure(event);
    const bool tracked = event.processPid != 0 && isSshAction(event.action) && isSshProcess(event);
    if (!tracked) {
        if (!m_waiting.isEmpty() && event.processPid != 0 && endsConnection(event))
            endConnection(event, emitAttempt);
        if (isUserConnectionEnd(event)) {
            AuthAttempt attempt = attemptFrom(event);
            attempt.ssh = true;
            emitAttempt(attempt);
        } else if (failure && event.countsAsAttempt && !isSshEvent(event)) {
            emitAttempt(attemptFrom(event));
        }
        return;
    }
    if (!failure) {
        if (!m_waiting.isEmpty() && endsConnection(event))
            endConnection(event, emitAttempt);
        return;
    }

    const ConnectionKey key { event.hostName, event.processPid };
    auto it = m_waiting.find(key);
    if (event.countsAsAttempt) {
        // A new attempt: the parser counted this line, so a waiting one is complete.
        if (it != m_waiting.end()) {
            emitAttempt(*it);
            m_waiting.erase(it);
        }
        if (isLeadingLine(event)) {
            m_waiting.insert(key, attemptFrom(event));
            m_oldest.add(event.timestampMs);
        } else {
            emitAttempt(attemptFrom(event));
        }
        return;
    }

    // A later line of the waiting attempt; a failed login is its last line.
    if (it == m_waiting.end())
        return;
    mergeLine(*it, event);
    if (!isLeadingLine(event)) {
        emitAttempt(*it);
        m_waiting.erase(it);
    }
}

void AuthAttemptTracker::endConnection(const Event &event, const Emit &emitAttempt)
{
    const auto it = m_waiting.find(ConnectionKey { event.hostName, event.processPid });
    if (it == m_waiting.end())
        return;
    emitAttempt(*it);
    m_waiting.erase(it);
}

// NOTE: attempts that expire in one sweep are emitted in QHash order, which
// Qt seeds at random per process, so the order of users in an alert can
// differ between runs unless QT_HASH_SEED is set.
void AuthAttemptTracker::expire(qint64 nowMs, const Emit &emitAttempt)
{
    const qint64 horizon = nowMs - ConnectionGraceMs;
    if (m_oldest.noneBefore(horizon))
        return;

    m_oldest.reset();
    for (auto it = m_waiting.begin(); it != m_waiting.end();) {
        if (it->timestampMs < horizon) {
            emitAttempt(*it);
            it = m_waiting.erase(it);
        } else {
            m_oldest.add(it->timestampMs);
            ++it;
        }
    }
}

void AuthAttemptTracker::flushAll(const Emit &emitAttempt)
{
    for (const AuthAttempt &attempt : std::as_const(m_waiting))
        emitAttempt(attempt);
    m_waiting.clear();
    m_oldest.reset();
}

} // namespace portcullis::detect
