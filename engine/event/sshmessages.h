// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "event/event.h"
#include "event/parsertext.h"

#include <QHash>

#include <vector>

namespace portcullis {

// The fields that every event of one log line shares: time, host, process,
// raw line and file position.
struct LineFields
{
    qint64 timestampMs = 0;
    QString hostName;
    QString processName;
    qint64 processPid = 0;
    QString original;
    bool originalTruncated = false;
    QString filePath;
    qint64 fileOffset = -1;
    qint64 lineNumber = 0;
};

// Appends the events of one log line to the parser's output. The first event
// takes the line's fields over by a move, and later ones (a repeated message,
// or a message that yields two events) copy them from the first, so no base
// event is copied and released per line. After the first add(), only the
// number fields of fields() keep their values.
class LineEvents
{
public:
    // The caller fills fields() before the first add().
    explicit LineEvents(std::vector<Event> &out);

    Event &add();
    LineFields &fields() { return m_fields; }
    const LineFields &fields() const { return m_fields; }

private:
    LineFields m_fields;
    std::vector<Event> &m_out;
    size_t m_first;
    bool m_fieldsMoved = false;
};

// Fields of "pam_unix(SERVICE:auth): authentication failure; ... rhost=H
// user=U" and of PAM's "PAM N more authentication failures; ..." summary.
struct PamFailure
{
    bool summary = false;  // "PAM N more authentication failures"
    QByteArrayView service;
    QByteArrayView rhost;
    QByteArrayView user;
    QByteArrayView ruser;
    bool hasUser = false;
};
bool splitPamAuthFailure(QByteArrayView message, PamFailure *failure);

// Appends a PamAuthFailure event for a PAM authentication failure logged by
// a program other than sshd (su, sudo, login, ...). False for other messages.
bool parsePamAuthFailure(QByteArrayView message, LineEvents &events, text::Interner &strings,
                         text::AddressCache &addresses);

// Turns OpenSSH server messages (sshd, sshd-session, sshd-auth) into events.
// It follows each sshd process (one per connection) across lines. So one
// attempt logged on two lines counts once (Event::countsAsAttempt), and a
// failure logged before the client address is known takes the address from a
// later line of the same process.
class SshMessageParser
{
public:
    SshMessageParser(text::Interner &strings, text::AddressCache &addresses);

    void parse(QByteArrayView message, LineEvents &events);

private:
    // State of one sshd process, built from the lines it logged so far.
    struct Connection
    {
        QString ip;
        QString domain;
        int port = 0;
        qint64 lastSeenMs = 0;
        QString invalidUser;        // from "Invalid user U" or "User U ... not allowed"
        bool invalidUserPending = false;  // its "Failed ... for invalid user U" is still to come
        QString pamUser;            // user of a PAM failure that no sshd line accounted for yet
        bool pamPending = false;
        bool pamErrorPending = false;  // "error: PAM: Authentication failure" awaiting its sshd line
        bool counted = false;       // an attempt of this connection was counted
        bool announced = false;     // sshd announced a disconnect for too many failures
        bool accepted = false;      // a login succeeded
        bool pendingNoAddress = false;  // a failure was logged before the address was known
        bool disconnectLogged = false;  // "Received disconnect": the close line that follows ends it
    };

    struct Line
    {
        QByteArrayView text;     // message without "error: "/"fatal: " and " [preauth]"
        bool preauth = false;    // ended in " [preauth]"
        LineEvents &events;
        Connection &connection;
    };

    // A client address clause: "ADDR[ port N][ sshN]" after " from ".
    struct Clause
    {
        text::Address address;
        int port = 0;
        qsizetype begin = -1;  // index of " from " in the searched text
        bool followedByInfo = false;  // ": ..." follows (key type, ruser, ...)
    };

    Connection &connectionFor(const LineFields &fields);
    void forgetConnection(qint64 pid);
    Event &add(Line &line, const QString &action, EventCategory category);
    void setUser(Event &event, QByteArrayView user);
    void setAddress(Line &line, Event &event, const text::Address &address, int port);
    void countFailure(Line &line, Event &event, bool countsAsAttempt);
    void countConnectionEnd(Line &line, Event &event, bool countsWhenFresh);
    bool addressFromConnection(Line &line, Event &event);

    bool parseClause(QByteArrayView s, Clause *clause);
    bool pickClause(QByteArrayView s, qsizetype searchFrom, const Connection &connection,
                    Clause *clause);

    bool parseAuthentication(Line &line);
    bool parseFailed(Line &line, QByteArrayView rest);
    bool parseAccepted(Line &line, QByteArrayView rest);
    bool parseInvalidUser(Line &line, QByteArrayView rest);
    bool parseNotAllowed(Line &line, QByteArrayView rest);
    bool parseMaxAttempts(Line &line, QByteArrayView rest);
    bool parsePam(Line &line);
    bool parsePamError(Line &line, QByteArrayView rest);

    bool parseConnectionEnd(Line &line);
    bool parseReceivedDisconnect(Line &line, QByteArrayView rest);
    bool parseClosedBy(Line &line, QByteArrayView rest);
    bool parseDisconnecting(Line &line, QByteArrayView rest);
    bool parseProtocolError(Line &line);
    bool parseConnectionInfo(Line &line);
    bool parseAddressAfter(Line &line, QByteArrayView rest, const QString &action);
    bool parseBreakInAttempt(Line &line);

    const QVariantMap &methodExtra(QByteArrayView method);
    QString reasonText(QByteArrayView reason);

    text::Interner &m_strings;
    text::AddressCache &m_addresses;
    QHash<qint64, Connection> m_connections;
    // The entry of the previous line's pid, which the next line often shares.
    // Only connectionFor() inserts into m_connections, and every removal
    // resets this, so it never points at a moved or erased entry.
    Connection *m_lastConnection = nullptr;
    qint64 m_lastPid = 0;
    QHash<QByteArray, QVariantMap> m_methodExtras;
    QByteArray m_lastMethod;  // the previous method, which consecutive failures repeat
    QVariantMap m_lastMethodExtra;
    // Disconnect reasons ("Bye Bye", "disconnected by user"), which repeat.
    text::Interner m_reasons;
};

} // namespace portcullis
