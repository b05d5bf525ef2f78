// SPDX-License-Identifier: GPL-3.0-or-later
// OpenSSH messages about connections: opening, closing and disconnecting,
// protocol and key-exchange errors, and reverse-mapping warnings.
#include "event/sshmessages.h"

namespace portcullis {

using text::actionStrings;

namespace {

// Splits "[invalid user U |authenticating user U |user U ]ADDR[ port N]".
struct PeerText
{
    QByteArrayView user;
    bool hasUser = false;
    bool afterLogin = false;  // "user U": a session that had logged in
    QByteArrayView address;
    int port = 0;
};

bool splitPeer(QByteArrayView s, PeerText *peer)
{
    const qsizetype portAt = text::findLast(s, " port ");
    qint64 port = 0;
    if (portAt >= 0 && text::parseUInt(s.sliced(portAt + 6), &port) && port <= 65535) {
        peer->port = int(port);
        s = s.first(portAt);
    }
    qsizetype space = s.size() - 1;
    while (space >= 0 && s.at(space) != ' ')
        --space;
    peer->address = space < 0 ? s : s.sliced(space + 1);
    const QByteArrayView prefix = space < 0 ? QByteArrayView() : s.first(space + 1);
    for (const QByteArrayView kind : {QByteArrayView("invalid user "),
                                      QByteArrayView("authenticating user "),
                                      QByteArrayView("user ")}) {
        if (text::startsWith(prefix, kind)) {
            peer->user = prefix.sliced(kind.size());
            if (peer->user.endsWith(' '))
                peer->user.chop(1);
            peer->hasUser = true;
            peer->afterLogin = kind == "user ";
            return true;
        }
    }
    return prefix.isEmpty();
}

// Finds "CODE:" after "ADDR[ port N]:" in "ADDR[ port N]:[ ]CODE: TEXT".
bool splitDisconnect(QByteArrayView s, QByteArrayView *peer, int *code, QByteArrayView *reason)
{
    for (qsizetype colon = text::indexOf(s, ':'); colon >= 0;
         colon = text::indexOf(s, ':', colon + 1)) {
        qsizetype at = colon + 1;
        while (at < s.size() && s.at(at) == ' ')
            ++at;
        const qsizetype digits = at;
        while (at < s.size() && text::isDigit(s.at(at)) && at - digits < 4)
            ++at;
        if (at == digits || at >= s.size() || s.at(at) != ':')
            continue;
        qint64 value = 0;
        text::parseUInt(s.sliced(digits, at - digits), &value);
        *peer = s.first(colon);
        *code = int(value);
        *reason = text::trimmed(s.sliced(at + 1));
        return true;
    }
    return false;
}

} // namespace

bool SshMessageParser::parseConnectionEnd(Line &line)
{
    const QByteArrayView s = line.text;
    if (text::startsWith(s, "Received disconnect from "))
        return parseReceivedDisconnect(line, s.sliced(25));
    if (text::startsWith(s, "Connection closed by ") || text::startsWith(s, "Disconnected from "))
        return parseClosedBy(line, s.sliced(s.at(0) == 'C' ? 21 : 18));
    if (text::startsWith(s, "Connection reset by ")
        && !text::startsWith(s, "Connection reset by peer"))
        return parseClosedBy(line, s.sliced(20));
    if (text::startsWith(s, "Disconnecting"))
        return parseDisconnecting(line, s.sliced(13));
    return false;
}

bool SshMessageParser::parseReceivedDisconnect(Line &line, QByteArrayView rest)
{
    QByteArrayView peerText;
    QByteArrayView reason;
    int code = 0;
    PeerText peer;
    if (!splitDisconnect(rest, &peerText, &code, &reason) || !splitPeer(peerText, &peer))
        return false;
    const text::Address address = m_addresses.lookup(peer.address);
    if (!address.isValid())
        return false;
    if (line.connection.disconnectLogged) {
        // One sshd process logs one "Received disconnect": this is a new
        // process that reuses the pid.
        line.connection = Connection{};
        line.connection.lastSeenMs = line.events.fields().timestampMs;
    }

    // Code 14 is "no more authentication methods", code 3 with "Auth fail"
    // a client library giving up after a rejected login.
    const bool gaveUp = code == 14 || (code == 3 && text::contains(reason, "Auth fail"));
    if (gaveUp || line.preauth || line.connection.pendingNoAddress) {
        Event &event = add(line, actionStrings().sshPreauthDisconnect,
                           EventCategory::Authentication);
        event.reason = reasonText(reason);
        setAddress(line, event, address, peer.port);
        const bool fresh = !line.connection.counted && !line.connection.announced
                           && !line.connection.accepted;
        countFailure(line, event, line.connection.pendingNoAddress || (gaveUp && fresh));
        line.connection.disconnectLogged = true;
        return true;
    }
    Event &event = add(line, actionStrings().sshLogout, EventCategory::Session);
    event.reason = reasonText(reason);
    setAddress(line, event, address, peer.port);
    line.connection.disconnectLogged = true;
    return true;
}

bool SshMessageParser::parseClosedBy(Line &line, QByteArrayView rest)
{
    PeerText peer;
    if (!splitPeer(rest, &peer))
        return false;
    const text::Address address = m_addresses.lookup(peer.address);
    if (!address.isValid())
        return false;

    const bool endsAttempt = line.preauth || line.connection.pendingNoAddress;
    const bool loggedIn = peer.afterLogin || line.connection.accepted;
    const QString &action = endsAttempt ? actionStrings().sshPreauthDisconnect
                            : loggedIn  ? actionStrings().sshLogout
                                        : actionStrings().other;
    Event &event = add(line, action,
                       endsAttempt ? EventCategory::Authentication
                       : loggedIn  ? EventCategory::Session
                                   : EventCategory::Network);
    if (peer.hasUser)
        setUser(event, peer.user);
    setAddress(line, event, address, peer.port);
    if (endsAttempt)
        countConnectionEnd(line, event, line.preauth && !line.connection.disconnectLogged);
    else
        forgetConnection(line.events.fields().processPid);
    return true;
}

bool SshMessageParser::parseDisconnecting(Line &line, QByteArrayView rest)
{
    // "Too many authentication failures" follows the failures it sums up, so
    // it counts only when none of them was counted (public key probes). A
    // second "Disconnecting" line of one connection never counts.
    Connection &connection = line.connection;
    const bool alreadyCounted = connection.announced;
    const bool failuresCounted = connection.counted;
    connection.announced = true;

    if (text::startsWith(rest, ": ")) {
        // "Disconnecting: Too many authentication failures[ for U]" and
        // "Disconnecting: REASON" (corrupted packets and the like).
        const QByteArrayView reason = rest.sliced(2);
        const bool tooMany = text::startsWith(reason, "Too many authentication failures");
        Event &event = add(line, tooMany ? actionStrings().sshMaxAuthTries
                                         : actionStrings().sshProtocolError,
                           EventCategory::Authentication);
        event.reason = text::fromUtf8(reason);
        const qsizetype forAt = text::indexOf(reason, " for ");
        if (tooMany && forAt >= 0)
            setUser(event, reason.sliced(forAt + 5));
        countFailure(line, event, !alreadyCounted && (tooMany ? !failuresCounted : line.preauth));
        return true;
    }
    if (!rest.startsWith(' '))
        return false;

    // "Disconnecting [invalid |authenticating ]user U ADDR port N: REASON".
    rest = rest.sliced(1);
    for (qsizetype colon = text::indexOf(rest, ": "); colon >= 0;
         colon = text::indexOf(rest, ": ", colon + 1)) {
        PeerText peer;
        if (!splitPeer(rest.first(colon), &peer) || peer.port == 0)
            continue;
        const text::Address address = m_addresses.lookup(peer.address);
        if (!address.isValid())
            continue;
        const QByteArrayView reason = rest.sliced(colon + 2);
        const bool tooMany = text::startsWith(reason, "Too many authentication failures");
        Event &event = add(line, tooMany ? actionStrings().sshMaxAuthTries
                                         : actionStrings().sshLogin,
                           EventCategory::Authentication);
        event.reason = text::fromUtf8(reason);
        if (peer.hasUser)
            setUser(event, peer.user);
        setAddress(line, event, address, peer.port);
        countFailure(line, event, !alreadyCounted && !(tooMany && failuresCounted));
        return true;
    }
    connection.announced = alreadyCounted;
    return false;
}

bool SshMessageParser::parseAddressAfter(Line &line, QByteArrayView rest, const QString &action)
{
    Clause clause;
    if (!parseClause(rest, &clause))
        return false;
    Event &event = add(line, action, EventCategory::Authentication);
    setAddress(line, event, clause.address, clause.port);
    countFailure(line, event, true);
    return true;
}

bool SshMessageParser::parseProtocolError(Line &line)
{
    const QByteArrayView s = line.text;
    // Each message below starts with one of these bytes, so a line that
    // starts with another byte skips the prefix comparisons.
    switch (s.isEmpty() ? '\0' : s.at(0)) {
    case 'B': case 'C': case 'D': case 'P': case 'R': case 'T': case 'U': case 'W':
    case 'b': case 'k': case 'n': case 's':
        break;
    default:
        return false;
    }
    const auto &names = actionStrings();
    if (text::startsWith(s, "Did not receive identification string from "))
        return parseAddressAfter(line, s.sliced(43), names.sshNoIdentification);
    if (text::startsWith(s, "banner exchange: Connection from "))
        return parseAddressAfter(line, s.sliced(33), names.sshProtocolError);
    if (text::startsWith(s, "ssh_dispatch_run_fatal: Connection from "))
        return parseAddressAfter(line, s.sliced(40), names.sshProtocolError);
    if (text::startsWith(s, "Unable to negotiate with "))
        return parseAddressAfter(line, s.sliced(25), names.sshProtocolError);
    if (text::startsWith(s, "Timeout before authentication for connection from ")) {
        const QByteArrayView rest = s.sliced(50);
        const qsizetype space = text::indexOf(rest, ' ');
        return parseAddressAfter(line, space < 0 ? rest : rest.first(space),
                                 names.sshPreauthTimeout);
    }
    if (text::startsWith(s, "Timeout before authentication for "))
        return parseAddressAfter(line, s.sliced(34), names.sshPreauthTimeout);
    if (text::startsWith(s, "Bad protocol version identification ")) {
        // The client's identification string comes first and may contain
        // " from ADDR", so the address is the last clause.
        const qsizetype from = text::findLast(s, " from ");
        return from >= 0 && parseAddressAfter(line, s.sliced(from + 6), names.sshProtocolError);
    }

    // Errors that name no address: the connection's address, once known.
    const bool protocolError = text::startsWith(s, "kex_exchange_identification: ")
                               || text::startsWith(s, "Unable to negotiate a ")
                               || text::startsWith(s, "no matching ")
                               || text::startsWith(s, "Corrupted MAC")
                               || text::startsWith(s, "Bad packet length")
                               || text::startsWith(s, "Protocol major versions differ");
    const bool lostBeforeAuth = line.preauth
                                && (text::startsWith(s, "Read from socket failed: ")
                                    || text::startsWith(s, "Write failed: ")
                                    || text::startsWith(s, "Connection reset by peer"));
    if (!protocolError && !lostBeforeAuth)
        return false;
    Event &event = add(line, names.sshProtocolError, EventCategory::Authentication);
    event.reason = text::fromUtf8(s);
    if (lostBeforeAuth)
        countConnectionEnd(line, event, true);  // a connection lost like any other close
    else
        countFailure(line, event, true);
    return true;
}

bool SshMessageParser::parseBreakInAttempt(Line &line)
{
    // "reverse mapping checking getaddrinfo for NAME [ADDR] failed - POSSIBLE BREAK-IN ATTEMPT!"
    // "Address ADDR maps to NAME, but this does not map back to the address - POSSIBLE ..."
    const QByteArrayView s = line.text;
    QByteArrayView name;
    QByteArrayView addressText;
    if (text::startsWith(s, "reverse mapping checking getaddrinfo for ")) {
        const QByteArrayView rest = s.sliced(41);
        const qsizetype open = text::indexOf(rest, " [");
        const qsizetype close = text::indexOf(rest, ']', open);
        if (open < 0 || close < 0)
            return false;
        name = rest.first(open);
        addressText = rest.sliced(open + 2, close - open - 2);
    } else if (text::startsWith(s, "Address ") && text::contains(s, "POSSIBLE BREAK-IN ATTEMPT")) {
        const QByteArrayView rest = s.sliced(8);
        const qsizetype maps = text::indexOf(rest, " maps to ");
        const qsizetype comma = text::indexOf(rest, ", ", maps);
        if (maps < 0 || comma < 0)
            return false;
        addressText = rest.first(maps);
        name = rest.sliced(maps + 9, comma - maps - 9);
    } else {
        return false;
    }
    Event &event = add(line, actionStrings().sshBreakInAttempt, EventCategory::Authentication);
    const text::Address address = m_addresses.lookup(addressText);
    setAddress(line, event, address, 0);
    if (address.ip.isEmpty())
        return true;
    QVariantMap extra;
    extra.insert(QStringLiteral("source.reverse_domain"), text::fromUtf8(name));
    event.extra = extra;
    return true;
}

bool SshMessageParser::parseConnectionInfo(Line &line)
{
    const QByteArrayView s = line.text;
    if (parseBreakInAttempt(line))
        return true;
    if (text::startsWith(s, "Connection from ")) {
        // "Connection from ADDR port N on ADDR port N": a new connection.
        QByteArrayView rest = s.sliced(16);
        const qsizetype on = text::indexOf(rest, " on ");
        Clause clause;
        if (!parseClause(on < 0 ? rest : rest.first(on), &clause))
            return false;
        line.connection = Connection{};
        line.connection.lastSeenMs = line.events.fields().timestampMs;
        Event &event = add(line, actionStrings().other, EventCategory::Network);
        setAddress(line, event, clause.address, clause.port);
        return true;
    }
    if (text::startsWith(s, "SSH: Server;Ltype: ")) {
        // "SSH: Server;Ltype: Kex;Remote: ADDR-PORT;..." (a patched sshd's audit line).
        Event &event = add(line, actionStrings().other, EventCategory::Network);
        const qsizetype remote = text::indexOf(s, ";Remote: ");
        if (remote < 0)
            return true;
        QByteArrayView peer = s.sliced(remote + 9);
        const qsizetype end = text::indexOf(peer, ';');
        peer = end < 0 ? peer : peer.first(end);
        const qsizetype dash = peer.lastIndexOf('-');
        qint64 port = 0;
        if (dash > 0 && text::parseUInt(peer.sliced(dash + 1), &port))
            peer = peer.first(dash);
        const text::Address address = m_addresses.lookup(peer);
        if (address.isValid())
            setAddress(line, event, address, int(port));
        return true;
    }
    if (text::startsWith(s, "refused connect from ")) {
        // TCP wrappers: "refused connect from NAME (ADDR)".
        const qsizetype open = s.lastIndexOf('(');
        if (open < 0 || !s.endsWith(')'))
            return false;
        const text::Address address = m_addresses.lookup(s.sliced(open + 1).chopped(1));
        if (!address.isValid())
            return false;
        Event &event = add(line, actionStrings().other, EventCategory::Authentication);
        event.reason = QStringLiteral("connection refused by TCP wrappers");
        setAddress(line, event, address, 0);
        countFailure(line, event, true);
        return true;
    }
    if (text::startsWith(s, "input_userauth_request: invalid user ")) {
        Event &event = add(line, actionStrings().other, EventCategory::Authentication);
        setUser(event, s.sliced(37));
        return true;
    }
    if (text::startsWith(s, "Server listening on ")) {
        add(line, actionStrings().other, EventCategory::Network);
        return true;
    }
    return false;
}

} // namespace portcullis
