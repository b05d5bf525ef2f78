// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Field ids, the mapping from Sigma field names to Event members, and the
// log source classes that decide which rules see an event.

#include "event/event.h"
#include "sigma/sigmarule.h"

#include <QByteArrayView>
#include <QHash>
#include <QString>
#include <QVector>

#include <array>

namespace portcullis::sigma {

// An Event member that a rule field maps to. Fields that are not members are
// looked up in Event::extra by their dotted name.
enum class Member : quint8 {
    Extra,
    Keywords,  // the message body that keyword lists search
    Timestamp,
    EventId,
    Category,
    Action,
    Outcome,
    Reason,
    SourceIp,
    SourcePort,
    SourceDomain,
    UserName,
    HostName,
    ProcessName,
    ProcessPid,
    ServiceName,
    HttpMethod,
    UrlOriginal,
    HttpStatus,
    HttpBytes,
    HttpReferrer,
    UserAgent,
    Original,
    FilePath,
    FileOffset,
    CountsAsAttempt,  // "true" or "false", see Event::countsAsAttempt
};

QString foldCase(const QString &text);

// One element of a field's value in one event. A JSON array gives several.
struct FieldItem
{
    QString text;
    bool hasNumber = false;  // set for numeric members; text is parsed on demand otherwise
    double number = 0;

    // The lower-cased text for case-insensitive matching, folded on first
    // use. The prefilter folds into its own buffer (foldUtf8), so most fields
    // of most events are never folded here.
    const QString &folded() const
    {
        if (!m_foldedSet) {
            m_folded = foldCase(text);
            m_foldedSet = true;
        }
        return m_folded;
    }

    // The 4 (IPv4) or 16 (IPv6) network-order bytes of the text read as an
    // IP address, parsed on first use, or an empty view when the text is no
    // address. Many `cidr` tests on one field of one event parse it once.
    QByteArrayView addressBytes() const;

private:
    mutable QString m_folded;
    mutable bool m_foldedSet = false;
    enum class AddressState : quint8 { Unparsed, Invalid, V4, V6 };
    mutable AddressState m_addressState = AddressState::Unparsed;
    mutable std::array<quint8, 16> m_address {};
};

struct FieldValue
{
    enum class State : quint8 { Absent, Null, Present };
    State state = State::Absent;
    QVector<FieldItem> items;
    qint64 timestampMs = 0;  // set for Member::Timestamp only
};

struct FieldSpec
{
    Member member = Member::Extra;
    QString extraKey;  // Event::extra key when member is Extra
};

// Interns field names: each distinct target gets one id at load time, so
// matching reads a field once per event instead of looking up names per rule.
class FieldCatalog
{
public:
    // The id of the rule field `name`, after mapping Sigma and W3C names to ECS.
    int idOf(const QString &name);
    // The id of the keyword search text (the message body of event.original).
    int keywordsId();
    int size() const { return m_specs.size(); }
    const FieldSpec &spec(int id) const { return m_specs.at(id); }
    // Reads field `id` of `event` into `value` (cleared first).
    void read(const Event &event, int id, FieldValue *value) const;
    // Sets `text` to the text of field `id` when it is one QString member of
    // `event` or the keyword text, so the prefilter can scan it without
    // building a FieldValue. Returns false for numbers and Event::extra keys;
    // call read() for those. An empty text means the field is absent or
    // empty, which no literal matches.
    bool directText(const Event &event, int id, QStringView *text) const;
    // Sets `number` to the value of field `id` when it is a numeric member of
    // `event` (a port, pid, status, byte count or offset), or to -1 when the
    // member is absent. Returns false for other fields.
    bool directNumber(const Event &event, int id, qint64 *number) const;

private:
    int intern(const FieldSpec &spec);

    QVector<FieldSpec> m_specs;
    QHash<QString, int> m_byName;  // rule field name -> id
    QHash<QString, int> m_byTarget;  // "member:key" -> id
};

// Lower-cases `text` like QString::toLower, faster for ASCII text.
QString foldCase(const QString &text);
// Writes the UTF-8 form of foldCase(`text`) into `buffer` in one pass for
// ASCII text, reusing the buffer's allocation.
void foldUtf8(QStringView text, QByteArray *buffer);

// The ECS target of a rule field name ("c-ip" -> "source.ip"); names without
// a mapping are returned unchanged.
QString mappedFieldName(const QString &name);

// The kinds of event that logsource routing distinguishes.
enum class SourceClass : quint8 {
    Webserver,     // access log lines: category webserver
    LinuxSshd,     // sshd lines: product linux, service sshd and auth
    LinuxAuth,     // other auth log lines (pam, sudo, su): product linux, service auth
    BookedBarber,  // backend JSON telemetry: product bookedbarber, category from event.category
    Other,         // anything else: only rules without logsource fields see it
};

// An index into the per-class tables: classes times ECS categories for the
// backend telemetry.
int sourceClassIndex(const Event &event);
int sourceClassCount();
// Whether a rule's logsource accepts events of class index `index`.
bool logSourceAccepts(const LogSource &logsource, int index);

} // namespace portcullis::sigma
