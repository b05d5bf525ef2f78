// SPDX-License-Identifier: GPL-3.0-or-later
#include "store/migrations.h"

namespace portcullis {

// Migration 5: detection suppressions and allow-lists (store/suppressions.h).
// `kind` is 'source' (an address or CIDR range in `value`), 'rule' (a rule id)
// or 'user' (a user.name). `rule_id` limits a source or user entry to one
// rule, and '' means every rule. An `expires_ms` of 0 never expires. `hits`
// counts the alerts and events the entry suppressed, as
// SuppressionService::recordHits() adds them.
extern const char *const migration5;
const char *const migration5 = R"sql(
CREATE TABLE suppressions (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('source', 'rule', 'user')),
    value TEXT NOT NULL CHECK (length(value) BETWEEN 1 AND 256),
    rule_id TEXT NOT NULL DEFAULT '' CHECK (length(rule_id) <= 128),
    reason TEXT NOT NULL CHECK (length(reason) BETWEEN 1 AND 1000),
    created_by TEXT NOT NULL,
    created_ms INTEGER NOT NULL,
    expires_ms INTEGER NOT NULL DEFAULT 0,
    hits INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX suppressions_expiry ON suppressions (expires_ms);
)sql";

} // namespace portcullis
