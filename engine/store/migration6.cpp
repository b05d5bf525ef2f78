// SPDX-License-Identifier: GPL-3.0-or-later
#include "store/migrations.h"

namespace portcullis {

// Migration 6: payment fraud. Decisions of the fraud engine, the value lists
// rules refer to (@blocked_cards ...), and each `fraud evaluate` run with its
// figures. Reasons, rule hits and figures are JSON text.
extern const char *const migration6;
const char *const migration6 = R"sql(
CREATE TABLE fraud_decisions (
    id INTEGER PRIMARY KEY,
    payment_id TEXT NOT NULL,
    event_id TEXT NOT NULL DEFAULT '',
    ts_ms INTEGER NOT NULL,
    score INTEGER NOT NULL,
    action TEXT NOT NULL,
    three_d_secure INTEGER NOT NULL DEFAULT 0,
    decided_by TEXT NOT NULL,
    reasons TEXT NOT NULL,
    rule_hits TEXT NOT NULL,
    created_ms INTEGER NOT NULL
);
CREATE INDEX fraud_decisions_ts ON fraud_decisions(ts_ms, id);
CREATE INDEX fraud_decisions_payment ON fraud_decisions(payment_id);

CREATE TABLE fraud_list_items (
    list_name TEXT NOT NULL,
    value TEXT NOT NULL,
    added_ms INTEGER NOT NULL,
    added_by TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (list_name, value)
) WITHOUT ROWID;

CREATE TABLE fraud_evaluations (
    id INTEGER PRIMARY KEY,
    evaluated_ms INTEGER NOT NULL,
    dataset TEXT NOT NULL,
    model_version TEXT NOT NULL,
    test_transactions INTEGER NOT NULL,
    test_frauds INTEGER NOT NULL,
    roc_auc REAL NOT NULL,
    average_precision REAL NOT NULL,
    card_precision_at_100 REAL NOT NULL,
    figures TEXT NOT NULL
);
CREATE INDEX fraud_evaluations_time ON fraud_evaluations(evaluated_ms, id);
)sql";

} // namespace portcullis
