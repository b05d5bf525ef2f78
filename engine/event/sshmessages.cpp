// SPDX-License-Identifier: GPL-3.0-or-later
// OpenSSH authentication messages: Failed, Accepted, Invalid user and kin.
// Disconnects and protocol errors are in sshdisconnects.cpp, PAM lines in
// pammessages.cpp.
#include "event/sshmessages.h"

#include <QVarLengthArray>

namespace portcullis {

using text::actionStrings;

namespace {

// With this many connections tracked, those idle for StaleConnectionMs are
// dropped, and all of them when that is not enough.
constexpr int MaxConnections = 20000;
constexpr qint64 StaleConnectionMs = 3600 * 1000;

// journald can put a kernel time stamp ("kernel:[  970.699396]: " or
// "kernel: [  970.699396] ") in front of a message.
QByteArrayView stripKernelStamp(QByteArrayView message)
{
    if (!text::startsWith(message, "kernel:"))
        return message;
    QByteArrayView rest = text::trimmed(message.sliced(7));
    const qsizetype close = text::indexOf(rest, ']');
    if (!rest.startsWith('[') || close < 0)
        return message;
    rest = rest.sliced(close + 1);
    if (rest.startsWith(':'))
        rest = rest.sliced(1);
    return text::trimmed(rest);
}

} // namespace

LineEvents::LineEvents(std::vector<Event> &out)
    : m_out(out)
    , m_first(out.size())
{
}

Event &LineEvents::add()
{
    Event &event = m_out.emplace_back();
    if (!m_fieldsMoved) {
        m_fieldsMoved = true;
        event.timestampMs = m_fields.timestampMs;
        event.hostName = std::move(m_fields.hostName);
        event.processName = std::move(m_fields.processName);
        event.processPid = m_fields.processPid;
        event.original = std::move(m_fields.original);
        event.originalTruncated = m_fields.originalTruncated;
        event.filePath = std::move(m_fields.filePath);
        event.fileOffset = m_fields.fileOffset;
        event.lineNumber = m_fields.lineNumber;
        return event;
    }
    const Event &first = m_out[m_first];
    event.timestampMs = first.timestampMs;
    event.hostName = first.hostName;
    event.processName = first.processName;
    event.processPid = first.processPid;
    event.original = first.original;
    event.originalTruncated = first.originalTruncated;
    event.filePath = first.filePath;
    event.fileOffset = first.fileOffset;
    event.lineNumber = first.lineNumber;
    return event;
}

SshMessageParser::SshMessageParser(text::Interner &strings, text::AddressCache &addresses)
    : m_strings(strings)
    , m_addresses(addresses)
{
}

SshMessageParser::Connection &SshMessageParser::connectionFor(const LineFields &line)
{
    if (m_connections.size() >= MaxConnections) {
        m_lastConnection = nullptr;
        for (auto it = m_connections.begin(); it != m_connections.end();) {
            if (it->lastSeenMs < line.timestampMs - StaleConnectionMs)
                it = m_connections.erase(it);
            else
                ++it;
        }
        if (m_connections.size() >= MaxConnections)
            m_connections.clear();
    }
    // NOTE: keyed by process id alone, not by host. In a log merged from
    // several hosts, two connections whose sshd processes share a pid can mix.
    if (!m_lastConnection || m_lastPid != line.processPid) {
        m_lastConnection = &m_connections[line.processPid];
        m_lastPid = line.processPid;
    }
    m_lastConnection->lastSeenMs = line.timestampMs;
    return *m_lastConnection;
}

void SshMessageParser::forgetConnection(qint64 pid)
{
    m_connections.remove(pid);
    m_lastConnection = nullptr;
}

void SshMessageParser::parse(QByteArrayView message, LineEvents &events)
{
    QByteArrayView body = stripKernelStamp(text::trimmedRight(message));
    if (text::startsWith(body, "error: ") || text::startsWith(body, "fatal: "))
        body = body.sliced(7);
    const bool preauth = text::endsWith(body, " [preauth]");
    if (preauth)
        body.chop(10);

    Line line{body, preauth, events, connectionFor(events.fields())};
    if (parseAuthentication(line) || parseConnectionEnd(line) || parseProtocolError(line)
        || parseConnectionInfo(line))
        return;

    Event &event = add(line, actionStrings().other, EventCategory::Authentication);
    addressFromConnection(line, event);
}

Event &SshMessageParser::add(Line &line, const QString &action, EventCategory category)
{
    Event &event = line.events.add();
    event.category = category;
    text::assign(event.action, action);
    return event;
}

void SshMessageParser::setUser(Event &event, QByteArrayView user)
{
    event.userName = m_strings.intern(user);
    event.hasUserName = true;
}

void SshMessageParser::setAddress(Line &line, Event &event, const text::Address &address,
                                  int port)
{
    text::assign(event.sourceIp, address.ip);
    text::assign(event.sourceDomain, address.domain);
    event.sourcePort = port;
    // Most lines repeat the connection's address, which the address cache
    // returns as the same shared strings, so the assignments are skipped.
    if (!line.connection.ip.isSharedWith(address.ip))
        text::assign(line.connection.ip, address.ip);
    if (!line.connection.domain.isSharedWith(address.domain))
        text::assign(line.connection.domain, address.domain);
    if (port > 0)
        line.connection.port = port;
}

bool SshMessageParser::addressFromConnection(Line &line, Event &event)
{
    const Connection &connection = line.connection;
    if (connection.ip.isEmpty() && connection.domain.isEmpty())
        return false;
    text::assign(event.sourceIp, connection.ip);
    text::assign(event.sourceDomain, connection.domain);
    event.sourcePort = connection.port;
    return true;
}

void SshMessageParser::countFailure(Line &line, Event &event, bool countsAsAttempt)
{
    event.outcome = EventOutcome::Failure;
    event.countsAsAttempt = false;
    const bool hasAddress = !event.sourceIp.isEmpty() || !event.sourceDomain.isEmpty();
    const bool addressKnown = hasAddress || addressFromConnection(line, event);
    if (!countsAsAttempt)
        return;
    if (!addressKnown) {
        line.connection.pendingNoAddress = true;
        return;
    }
    event.countsAsAttempt = true;
    line.connection.counted = true;
    line.connection.pendingNoAddress = false;
}

// Ends the connection, counting its end as one attempt in two cases. Either a
// failure logged without an address waits for one. Or `countsWhenFresh` is set
// and the connection logged no attempt and no login of its own, like a scanner
// or a client that gave up before sshd logged a failure.
void SshMessageParser::countConnectionEnd(Line &line, Event &event, bool countsWhenFresh)
{
    Connection &connection = line.connection;
    const bool fresh = !connection.counted && !connection.announced && !connection.accepted;
    const bool counts = connection.pendingNoAddress || (countsWhenFresh && fresh);
    event.outcome = EventOutcome::Failure;
    countFailure(line, event, counts);
    forgetConnection(line.events.fields().processPid);
}

const QVariantMap &SshMessageParser::methodExtra(QByteArrayView method)
{
    if (text::startsWith(method, "keyboard-interactive"))
        method = "keyboard-interactive";
    if (!m_lastMethod.isNull() && text::equals(method, m_lastMethod))
        return m_lastMethodExtra;
    const QByteArray key = QByteArray::fromRawData(method.data(), method.size());
    auto it = m_methodExtras.find(key);
    if (it == m_methodExtras.end()) {
        QVariantMap extra;
        extra.insert(QStringLiteral("ssh.method"), text::fromUtf8(method));
        it = m_methodExtras.insert(QByteArray(method.data(), method.size()), extra);
    }
    m_lastMethod = it.key();
    m_lastMethodExtra = it.value();
    return m_lastMethodExtra;
}

// Event::reason for a client's disconnect reason, interned because the same
// few reasons repeat on most lines. Empty text goes through fromUtf8(), which
// keeps a null and an empty reason apart.
QString SshMessageParser::reasonText(QByteArrayView reason)
{
    return reason.isEmpty() ? text::fromUtf8(reason) : m_reasons.intern(reason);
}

bool SshMessageParser::parseClause(QByteArrayView s, Clause *clause)
{
    qsizetype end = text::indexOf(s, ' ');
    if (end < 0)
        end = s.size();
    QByteArrayView token = s.first(end);
    if (token.endsWith(':'))
        token.chop(1);
    clause->address = m_addresses.lookup(token);
    if (!clause->address.isValid())
        return false;

    qsizetype at = token.size();
    if (text::startsWith(s.sliced(at), " port ")) {
        at += 6;
        qsizetype digitsEnd = at;
        while (digitsEnd < s.size() && text::isDigit(s.at(digitsEnd)) && digitsEnd - at < 6)
            ++digitsEnd;
        qint64 port = 0;
        if (!text::parseUInt(s.sliced(at, digitsEnd - at), &port) || port > 65535)
            return false;
        clause->port = int(port);
        at = digitsEnd;
    }
    if (text::startsWith(s.sliced(at), " ssh")) {
        at += 4;
        while (at < s.size() && text::isDigit(s.at(at)))
            ++at;
    }
    const QByteArrayView tail = s.sliced(at);
    clause->followedByInfo = tail.startsWith(':');
    return tail.isEmpty() || clause->followedByInfo || text::startsWith(tail, " via ");
}

// Finds the client address in "... from ADDR[ port N][ sshN][: INFO]" where
// the user name before it and the INFO after it may both contain text that
// looks like an address clause. A clause counts only when it ends the line
// or INFO follows it. Among several, the one naming the address this
// connection already logged wins, then the first one followed by INFO
// (sshd writes INFO after its own clause), then the last one.
bool SshMessageParser::pickClause(QByteArrayView s, qsizetype searchFrom,
                                  const Connection &connection, Clause *clause)
{
    // Candidates are parsed in place and the chosen one is moved out, so the
    // usual single clause costs no string copies.
    QVarLengthArray<Clause, 4> candidates;
    static constexpr text::Needle From = text::makeNeedle(" from ");
    for (qsizetype at = text::indexOf(s, From, searchFrom); at >= 0;
         at = text::indexOf(s, From, at + 1)) {
        Clause &candidate = candidates.emplace_back();
        candidate.begin = at;
        if (!parseClause(s.sliced(at + 6), &candidate))
            candidates.removeLast();
    }
    if (candidates.isEmpty())
        return false;

    qsizetype chosen = 0;
    if (candidates.size() > 1) {
        qsizetype known = -1;
        qsizetype firstWithInfo = -1;
        for (qsizetype i = 0; i < candidates.size(); ++i) {
            const Clause &candidate = candidates.at(i);
            if (candidate.followedByInfo && firstWithInfo < 0)
                firstWithInfo = i;
            const bool sameAddress
                = !connection.ip.isEmpty() && candidate.address.ip == connection.ip;
            if (sameAddress && known < 0)
                known = i;
        }
        if (known >= 0)
            chosen = known;
        else if (firstWithInfo >= 0)
            chosen = firstWithInfo;
        else
            chosen = candidates.size() - 1;
    }
    *clause = std::move(candidates[chosen]);
    return true;
}

bool SshMessageParser::parseAuthentication(Line &line)
{
    const QByteArrayView s = line.text;
    if (s.isEmpty())
        return false;
    switch (s.at(0)) {
    case 'F':
        return text::startsWith(s, "Failed ") && parseFailed(line, s.sliced(7));
    case 'A':
        return text::startsWith(s, "Accepted ") && parseAccepted(line, s.sliced(9));
    case 'I':
        if (text::startsWith(s, "Invalid user ") || text::startsWith(s, "Illegal user "))
            return parseInvalidUser(line, s.sliced(13));
        return false;
    case 'U':
        return text::startsWith(s, "User ") && parseNotAllowed(line, s.sliced(5));
    case 'm':
        if (text::startsWith(s, "maximum authentication attempts exceeded for "))
            return parseMaxAttempts(line, s.sliced(45));
        return false;
    case 'p':
    case 'P':
        if (text::startsWith(s, "PAM: "))
            return parsePamError(line, s.sliced(5));
        return parsePam(line);
    case 'R':
        if (text::startsWith(s, "ROOT LOGIN REFUSED FROM ")) {
            Event &event = add(line, actionStrings().sshLogin, EventCategory::Authentication);
            setUser(event, "root");
            Clause clause;
            if (parseClause(s.sliced(24), &clause))
                setAddress(line, event, clause.address, clause.port);
            countFailure(line, event, true);
            return true;
        }
        return false;
    default:
        return false;
    }
}

bool SshMessageParser::parseFailed(Line &line, QByteArrayView rest)
{
    static constexpr text::Needle For = text::makeNeedle(" for ");
    const qsizetype forAt = text::indexOf(rest, For);
    if (forAt <= 0)
        return false;
    const QByteArrayView method = rest.first(forAt);
    const QByteArrayView target = rest.sliced(forAt + 5);
    Clause clause;
    if (!pickClause(target, 0, line.connection, &clause))
        return false;

    bool invalid = text::startsWith(target, "invalid user ")
                   || text::startsWith(target, "illegal user ");
    const qsizetype userBegin = invalid ? 13 : 0;
    QByteArrayView user = target.sliced(qMin(userBegin, clause.begin),
                                        qMax<qsizetype>(0, clause.begin - userBegin));
    Event &event = add(line, actionStrings().sshLogin, EventCategory::Authentication);
    event.extra = methodExtra(method);
    if (text::equals(user, "<invalid username>"))
        invalid = true;
    else
        setUser(event, user);
    setAddress(line, event, clause.address, clause.port);

    Connection &connection = line.connection;
    bool counts = true;
    if (text::equals(method, "none")) {
        counts = false;  // the client asking which methods the server offers
    } else if (text::equals(method, "publickey") && !invalid) {
        // Agents offer keys one by one, so a valid user's rejected key is no
        // guess. The "Too many authentication failures" disconnect counts.
        counts = false;
    } else if (invalid && connection.invalidUserPending && event.userName == connection.invalidUser) {
        counts = false;  // the attempt that "Invalid user" already counted
        connection.invalidUserPending = false;
    } else if (text::startsWith(method, "keyboard-interactive") && connection.pamErrorPending) {
        counts = false;  // "error: PAM: Authentication failure" already counted it
        connection.pamErrorPending = false;
    }
    connection.pamPending = false;
    countFailure(line, event, counts);
    return true;
}

bool SshMessageParser::parseAccepted(Line &line, QByteArrayView rest)
{
    const qsizetype forAt = text::indexOf(rest, " for ");
    Clause clause;
    if (forAt <= 0 || !pickClause(rest, forAt + 4, line.connection, &clause))
        return false;
    const QByteArrayView method = rest.first(forAt);
    const QByteArrayView user = rest.sliced(forAt + 5, qMax<qsizetype>(0, clause.begin - forAt - 5));
    const QString userName = m_strings.intern(user);

    Connection &connection = line.connection;
    if (connection.pamPending && !connection.pamUser.isEmpty() && connection.pamUser != userName) {
        // PAM rejected another user in this connection and no sshd line
        // logged that attempt: count it now.
        Event &failure = add(line, actionStrings().pamAuthFailure, EventCategory::Authentication);
        failure.userName = connection.pamUser;
        failure.hasUserName = true;
        failure.reason = QStringLiteral("PAM failure for another user before this login");
        setAddress(line, failure, clause.address, clause.port);
        countFailure(line, failure, true);
    }
    Event &event = add(line, actionStrings().sshLogin, EventCategory::Authentication);
    event.extra = methodExtra(method);
    event.outcome = EventOutcome::Success;
    event.userName = userName;
    event.hasUserName = true;
    setAddress(line, event, clause.address, clause.port);
    connection.accepted = true;
    connection.pamPending = false;
    connection.invalidUserPending = false;
    return true;
}

bool SshMessageParser::parseInvalidUser(Line &line, QByteArrayView rest)
{
    // "Invalid user NAME from ADDR[ port N]": the name may be empty or
    // contain " from ", so the address is the last clause that ends the line.
    Clause clause;
    qsizetype at = -1;
    for (qsizetype from = text::findLast(rest, " from "); from >= 0;
         from = text::findLast(rest, " from ", from)) {
        Clause candidate;
        if (parseClause(rest.sliced(from + 6), &candidate) && !candidate.followedByInfo) {
            clause = candidate;
            at = from;
            break;
        }
    }
    if (at < 0)
        return false;

    const QByteArrayView user = rest.first(at);
    Event &event = add(line, actionStrings().sshInvalidUser, EventCategory::Authentication);
    setUser(event, user);
    setAddress(line, event, clause.address, clause.port);
    countFailure(line, event, true);
    text::assign(line.connection.invalidUser, event.userName);
    line.connection.invalidUserPending = true;
    return true;
}

bool SshMessageParser::parseNotAllowed(Line &line, QByteArrayView rest)
{
    // "User U from ADDR not allowed because REASON" or "User U not allowed because REASON".
    const qsizetype because = text::findLast(rest, " not allowed because ");
    if (because < 0)
        return false;
    QByteArrayView subject = rest.first(because);
    Event &event = add(line, actionStrings().sshLogin, EventCategory::Authentication);
    event.reason = text::fromUtf8(rest.sliced(because + 1));

    const qsizetype from = text::findLast(subject, " from ");
    Clause clause;
    if (from >= 0 && parseClause(subject.sliced(from + 6), &clause) && !clause.followedByInfo) {
        setAddress(line, event, clause.address, clause.port);
        subject = subject.first(from);
    }
    setUser(event, subject);
    text::assign(line.connection.invalidUser, event.userName);
    line.connection.invalidUserPending = true;
    countFailure(line, event, true);
    return true;
}

bool SshMessageParser::parseMaxAttempts(Line &line, QByteArrayView rest)
{
    // "maximum authentication attempts exceeded for [invalid user ]U from ADDR port N ssh2".
    // sshd logs it right after the failure that reached MaxAuthTries, so it
    // counts only when no failure of this connection was counted (public keys
    // rejected one by one, which count as no attempt).
    Clause clause;
    if (!pickClause(rest, 0, line.connection, &clause))
        return false;
    const bool invalid = text::startsWith(rest, "invalid user ");
    const qsizetype userBegin = qMin<qsizetype>(invalid ? 13 : 0, clause.begin);
    Event &event = add(line, actionStrings().sshMaxAuthTries, EventCategory::Authentication);
    setUser(event, rest.sliced(userBegin, clause.begin - userBegin));
    setAddress(line, event, clause.address, clause.port);
    countFailure(line, event, !line.connection.counted && !line.connection.announced);
    line.connection.announced = true;
    return true;
}

} // namespace portcullis
