// SPDX-License-Identifier: GPL-3.0-or-later
// PAM messages: pam_unix authentication failures from any program, and the
// PAM lines that sshd logs itself.
#include "event/sshmessages.h"

namespace portcullis {

using text::actionStrings;

namespace {

// The value after `key` at `at`, up to the next space.
QByteArrayView valueAt(QByteArrayView s, qsizetype at, QByteArrayView key)
{
    const qsizetype begin = at + key.size();
    qsizetype end = text::indexOf(s, ' ', begin);
    if (end < 0)
        end = s.size();
    return s.sliced(begin, end - begin);
}

// Whether `key` ends just before the '=' at `equals` and starts the text or
// follows a space or ';'.
bool keyBefore(QByteArrayView s, qsizetype equals, QByteArrayView key)
{
    const qsizetype begin = equals - key.size();
    return begin >= 0 && (begin == 0 || s.at(begin - 1) == ' ' || s.at(begin - 1) == ';')
           && text::equals(s.sliced(begin, key.size()), key);
}

// Reads rhost=, ruser= and user= from PAM's "key=value key=value" list. A key
// counts where it starts the text or follows a space or ';', and the first
// such place wins (the "user=" inside "ruser=" does not count). Only the '=' signs
// are visited, found with memchr.
void readPamFields(QByteArrayView s, PamFailure *failure)
{
    bool hasRhost = false;
    bool hasRuser = false;
    failure->rhost = {};
    failure->ruser = {};
    failure->user = {};
    failure->hasUser = false;
    for (qsizetype at = text::indexOf(s, '='); at >= 0; at = text::indexOf(s, '=', at + 1)) {
        // The byte before '=' rules out most keys (logname, uid, euid, tty).
        const char last = at > 0 ? s.at(at - 1) : '\0';
        if (last != 't' && last != 'r')
            continue;
        if (!hasRhost && keyBefore(s, at, "rhost")) {
            failure->rhost = valueAt(s, at - 5, "rhost=");
            hasRhost = true;
        } else if (!hasRuser && keyBefore(s, at, "ruser")) {
            failure->ruser = valueAt(s, at - 5, "ruser=");
            hasRuser = true;
        } else if (!failure->hasUser && keyBefore(s, at, "user")) {
            failure->user = valueAt(s, at - 4, "user=");
            failure->hasUser = true;
        }
        if (hasRhost && hasRuser && failure->hasUser)
            return;
    }
}

} // namespace

bool splitPamAuthFailure(QByteArrayView message, PamFailure *failure)
{
    QByteArrayView details;
    if (text::startsWith(message, "pam_")) {
        const qsizetype open = text::indexOf(message, '(');
        const qsizetype close = text::indexOf(message, "): authentication failure;");
        if (open < 0 || close < open)
            return false;
        failure->service = message.sliced(open + 1, close - open - 1);
        const qsizetype colon = text::indexOf(failure->service, ':');
        if (colon >= 0)
            failure->service = failure->service.first(colon);
        details = message.sliced(close + 26);
    } else if (text::startsWith(message, "PAM ")
               && text::contains(message, " more authentication failure")) {
        failure->summary = true;
        details = message.sliced(text::indexOf(message, ';') + 1);
    } else {
        return false;
    }
    readPamFields(details, failure);
    return true;
}

bool parsePamAuthFailure(QByteArrayView message, LineEvents &events, text::Interner &strings,
                         text::AddressCache &addresses)
{
    PamFailure failure;
    if (!splitPamAuthFailure(message, &failure))
        return false;
    Event &event = events.add();
    event.category = EventCategory::Authentication;
    event.action = actionStrings().pamAuthFailure;
    event.outcome = EventOutcome::Failure;
    event.countsAsAttempt = !failure.summary;
    if (failure.hasUser) {
        event.userName = strings.intern(failure.user);
        event.hasUserName = true;
    }
    if (!failure.rhost.isEmpty()) {
        const text::Address address = addresses.lookup(failure.rhost);
        event.sourceIp = address.ip;
        event.sourceDomain = address.domain;
    }
    return true;
}

bool SshMessageParser::parsePam(Line &line)
{
    const QByteArrayView s = line.text;
    PamFailure failure;
    if (splitPamAuthFailure(s, &failure)) {
        Event &event = add(line, actionStrings().pamAuthFailure, EventCategory::Authentication);
        if (failure.hasUser)
            setUser(event, failure.user);
        if (!failure.rhost.isEmpty())
            setAddress(line, event, m_addresses.lookup(failure.rhost), 0);

        // sshd logs its own "Failed ..." line for the same attempt, so a PAM
        // failure counts only when the connection moves on to another user
        // without one, which reveals the earlier attempt as a separate one.
        Connection &connection = line.connection;
        const QString user
            = failure.hasUser ? event.userName : m_strings.intern(failure.ruser);
        bool counts = false;
        if (!failure.summary) {
            counts = connection.pamPending && !user.isEmpty() && !connection.pamUser.isEmpty()
                     && user != connection.pamUser;
            if (connection.pamUser.isEmpty() || counts)
                text::assign(connection.pamUser, user);
            connection.pamPending = true;
        }
        countFailure(line, event, counts);
        return true;
    }
    if (text::startsWith(s, "pam_unix(") && text::contains(s, ":session): session closed")) {
        Event &event = add(line, actionStrings().sshLogout, EventCategory::Session);
        const qsizetype at = text::indexOf(s, " for user ");
        if (at >= 0)
            setUser(event, s.sliced(at + 10));
        return true;
    }
    if (text::startsWith(s, "pam_unix(")
        && text::contains(s, ":session): session opened for user ")) {
        Event &event = add(line, actionStrings().other, EventCategory::Session);
        const qsizetype at = text::indexOf(s, " for user ") + 10;
        const qsizetype by = text::indexOf(s, " by ", at);
        setUser(event, by > at ? s.sliced(at, by - at) : s.sliced(at));
        return true;
    }
    return false;
}

bool SshMessageParser::parsePamError(Line &line, QByteArrayView rest)
{
    // "PAM: Authentication failure for U from H", "PAM: authentication error
    // for U from H via ADDR", "PAM: User not known to the underlying
    // authentication module for illegal user U from H".
    const bool knownForm = text::startsWith(rest, "Authentication failure for ")
                           || text::startsWith(rest, "authentication failure for ")
                           || text::startsWith(rest, "Authentication error for ")
                           || text::startsWith(rest, "authentication error for ")
                           || text::startsWith(rest,
                                               "User not known to the underlying authentication");
    if (!knownForm)
        return false;
    const qsizetype forAt = text::indexOf(rest, " for ");
    Clause clause;
    if (!pickClause(rest, forAt, line.connection, &clause))
        return false;
    QByteArrayView user = rest.sliced(forAt + 5, qMax<qsizetype>(0, clause.begin - forAt - 5));
    if (text::startsWith(user, "illegal user ") || text::startsWith(user, "invalid user "))
        user = user.sliced(13);
    Event &event = add(line, actionStrings().pamAuthFailure, EventCategory::Authentication);
    setUser(event, user);
    setAddress(line, event, clause.address, clause.port);
    countFailure(line, event, true);
    Connection &connection = line.connection;
    connection.pamErrorPending = true;
    // This is sshd's own line for the pam_unix failure of the same user, so a
    // later "Accepted" for another user must not count that failure again.
    if (connection.pamPending && connection.pamUser == event.userName)
        connection.pamPending = false;
    return true;
}

} // namespace portcullis
