// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QString>
#include <QVector>

#include <optional>

namespace portcullis {

class Database;

// The kind of a suppression: a source address or CIDR range (an office
// range, a known scanner), a rule id, or a user name (a test account).
enum class SuppressionKind : quint8 { Source, Rule, User };

inline QString suppressionKindName(SuppressionKind kind)
{
    switch (kind) {
    case SuppressionKind::Source:
        return QStringLiteral("source");
    case SuppressionKind::Rule:
        return QStringLiteral("rule");
    case SuppressionKind::User:
        return QStringLiteral("user");
    }
    return QString();
}

inline bool suppressionKindFromName(QStringView name, SuppressionKind *kind)
{
    for (SuppressionKind candidate :
        { SuppressionKind::Source, SuppressionKind::Rule, SuppressionKind::User }) {
        if (name.compare(suppressionKindName(candidate), Qt::CaseInsensitive) == 0) {
            *kind = candidate;
            return true;
        }
    }
    return false;
}

// One allow-list or suppression entry (table `suppressions`, migration 5).
struct Suppression {
    qint64 id = 0;
    SuppressionKind kind = SuppressionKind::Source;
    QString value;    // "203.0.113.0/24", "198.51.100.7", "web-scanning", "qa@example.com"
    QString ruleId;   // limits a source or user entry to one rule; empty for every rule
    QString reason;
    QString createdBy;
    qint64 createdMs = 0;
    qint64 expiresMs = 0; // UTC ms; 0 never expires
    qint64 hits = 0;      // alerts and events suppressed so far

    bool isActive(qint64 nowMs) const { return expiresMs == 0 || nowMs < expiresMs; }
};

// Rows of `suppressions`. No permission check or audit here: callers go
// through SuppressionService (detect/suppressionservice.h), which does both.
class SuppressionStore {
public:
    explicit SuppressionStore(Database &db);

    // Inserts the entry and sets its id.
    bool insert(Suppression *suppression, QString *errorMessage);
    // Every entry, expired ones included, by id. `ok` is false on a database error.
    QVector<Suppression> list(bool *ok, QString *errorMessage);
    std::optional<Suppression> find(qint64 id, QString *errorMessage);
    // Returns false with a message when no entry has the id.
    bool remove(qint64 id, QString *errorMessage);
    // Adds suppressed counts by entry id; ids no longer stored are skipped.
    bool addHits(const QHash<qint64, qint64> &hits, QString *errorMessage);

private:
    Database &m_db;
};

} // namespace portcullis
