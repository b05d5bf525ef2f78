// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>
#include <QVariantMap>

namespace portcullis {

// ECS `event.category` values that Portcullis produces.
enum class EventCategory : quint8 {
    Unknown,
    Authentication,
    Session,
    Web,
    Network,
    Process,
    Payment,
    Iam,
    Configuration,
};

// ECS `event.outcome`.
enum class EventOutcome : quint8 { Unknown, Success, Failure };

// The ECS name of a category ("authentication", "web", ...).
QString categoryName(EventCategory category);
EventCategory categoryFromName(QStringView name);
QString outcomeName(EventOutcome outcome);
EventOutcome outcomeFromName(QStringView name);

// Values of `event.action` set by the built-in parsers. Detectors compare
// against these, so a parser must use them rather than its own spellings.
namespace actions {
inline constexpr char SshLogin[] = "ssh_login";               // outcome says success or failure
inline constexpr char SshInvalidUser[] = "ssh_invalid_user";  // "Invalid user NAME from IP"
inline constexpr char SshPreauthDisconnect[] = "ssh_preauth_disconnect";
inline constexpr char SshMaxAuthTries[] = "ssh_max_auth_tries";
inline constexpr char SshNoIdentification[] = "ssh_no_identification";
inline constexpr char SshPreauthTimeout[] = "ssh_preauth_timeout";
inline constexpr char SshProtocolError[] = "ssh_protocol_error";  // ssh_dispatch_run_fatal and kin
inline constexpr char SshBreakInAttempt[] = "ssh_reverse_mapping_mismatch";
inline constexpr char SshLogout[] = "ssh_logout";
inline constexpr char PamAuthFailure[] = "pam_auth_failure";
inline constexpr char HttpRequest[] = "http_request";
inline constexpr char Other[] = "other";
} // namespace actions

// A normalized event. Field names in comments are the Elastic Common Schema
// names that the store, JSON output and rules use for each member.
struct Event
{
    qint64 timestampMs = 0;  // @timestamp, UTC milliseconds since the Unix epoch
    QByteArray id;           // event.id, unique and stable across re-imports
    EventCategory category = EventCategory::Unknown;  // event.category
    QString action;                                   // event.action, see actions::
    EventOutcome outcome = EventOutcome::Unknown;     // event.outcome
    QString reason;                                   // event.reason, short free text

    QString sourceIp;     // source.ip, canonical text form (IPv4-mapped IPv6 unmapped)
    int sourcePort = 0;   // source.port, 0 when absent
    QString sourceDomain; // source.domain, when the log names a host instead of an address
    QString userName;     // user.name, kept byte-exact (may be empty or end in spaces)
    bool hasUserName = false;

    QString hostName;     // host.name
    QString processName;  // process.name ("sshd", "sshd-session", ...)
    qint64 processPid = 0;  // process.pid
    QString serviceName;  // service.name

    QString httpMethod;     // http.request.method, as written (not upper-cased)
    QString urlOriginal;    // url.original
    int httpStatus = 0;     // http.response.status_code, 0 when absent
    qint64 httpBytes = -1;  // http.response.body.bytes, -1 when absent ("-")
    QString httpReferrer;   // http.request.referrer
    QString userAgent;      // user_agent.original

    QString original;          // event.original, the raw line (cut at the line limit)
    bool originalTruncated = false;  // the raw line was longer than the limit and was cut
    QString filePath;          // log.file.path
    qint64 fileOffset = -1;    // log.offset, byte offset of the line in the file
    qint64 lineNumber = 0;     // 1-based line number in the file

    // False for the second log line of one authentication attempt, such as
    // "Failed password for invalid user X" after "Invalid user X" from the
    // same sshd process, so counters count each attempt once.
    bool countsAsAttempt = true;

    // Other ECS fields, keyed by dotted name ("ssh.method", "url.path", ...).
    QVariantMap extra;
};

} // namespace portcullis
