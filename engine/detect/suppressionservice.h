// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "detect/suppression.h"
#include "security/identity.h"
#include "store/suppressions.h"

#include <functional>
#include <optional>

namespace portcullis {

class Database;

// The one gate that the GUI and the CLI use to read and change suppressions
// and allow-lists. Listing needs Permission::ViewAlerts; adding and removing
// need Permission::ManageRules (administrators), and each change is written
// with its audit record ("suppression.add", "suppression.remove") in one
// transaction.
class SuppressionService {
public:
    explicit SuppressionService(Database &db);

    // Validates, stores and audits the entry; returns it with its id.
    std::optional<Suppression> add(const Identity &who, Suppression suppression,
        QString *errorMessage);
    bool remove(const Identity &who, qint64 id, QString *errorMessage);
    // Every entry, expired ones included. `ok` is false on a denied or failed read.
    QVector<Suppression> list(const Identity &who, bool *ok, QString *errorMessage);

    // The active entries for a DetectionEngine, read without an identity
    // because the importers run them for every user.
    static SuppressionList loadActive(Database &db, QString *errorMessage);
    // Adds DetectionEngine::takeSuppressionHits() to the stored counts.
    static bool recordHits(Database &db, const QHash<qint64, qint64> &hits,
        QString *errorMessage);

    // Wall clock for created and expiry times; tests replace it.
    void setClock(std::function<qint64()> clock) { m_clock = std::move(clock); }

private:
    Database &m_db;
    std::function<qint64()> m_clock;
};

} // namespace portcullis
