// SPDX-License-Identifier: GPL-3.0-or-later
#include "store/migrations.h"

namespace portcullis {

// Migration 1: events, alerts, their links, alert history, import runs and
// the lines no parser accepted. Every alert sort key has an index ending in
// id, which is the tie-breaker of every alert query, so a page of a sorted
// list reads only its rows.
static const char *const migration1 = R"sql(
CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    event_id BLOB NOT NULL UNIQUE,
    ts_ms INTEGER NOT NULL,
    category TEXT NOT NULL,
    action TEXT NOT NULL,
    outcome TEXT NOT NULL,
    source_ip TEXT,
    user_name TEXT,
    host_name TEXT,
    file_path TEXT,
    line_number INTEGER NOT NULL DEFAULT 0,
    file_offset INTEGER NOT NULL DEFAULT -1,
    original TEXT NOT NULL,
    original_truncated INTEGER NOT NULL DEFAULT 0,
    fields TEXT NOT NULL
);
CREATE INDEX events_ts ON events(ts_ms);

CREATE TABLE alerts (
    id INTEGER PRIMARY KEY,
    alert_key BLOB NOT NULL UNIQUE,
    rule_id TEXT NOT NULL,
    title TEXT NOT NULL,
    severity INTEGER NOT NULL,
    mitre TEXT NOT NULL DEFAULT '',
    first_seen_ms INTEGER NOT NULL,
    last_seen_ms INTEGER NOT NULL,
    event_count INTEGER NOT NULL,
    entities TEXT NOT NULL,
    reason TEXT NOT NULL,
    search_text TEXT NOT NULL,
    status INTEGER NOT NULL DEFAULT 0,
    assignee TEXT NOT NULL DEFAULT '',
    disposition INTEGER NOT NULL DEFAULT 0,
    created_ms INTEGER NOT NULL,
    updated_ms INTEGER NOT NULL
);
CREATE INDEX alerts_severity ON alerts(severity, id);
CREATE INDEX alerts_title ON alerts(title, id);
CREATE INDEX alerts_rule_id ON alerts(rule_id, id);
CREATE INDEX alerts_first_seen ON alerts(first_seen_ms, id);
CREATE INDEX alerts_last_seen ON alerts(last_seen_ms, id);
CREATE INDEX alerts_event_count ON alerts(event_count, id);
CREATE INDEX alerts_status ON alerts(status, id);
CREATE INDEX alerts_assignee ON alerts(assignee, id);
CREATE INDEX alerts_status_last_seen ON alerts(status, last_seen_ms, id);
CREATE INDEX alerts_severity_last_seen ON alerts(severity, last_seen_ms, id);

CREATE TABLE alert_events (
    alert_id INTEGER NOT NULL REFERENCES alerts(id) ON DELETE CASCADE,
    event_id BLOB NOT NULL,
    seq INTEGER NOT NULL,
    PRIMARY KEY (alert_id, event_id)
) WITHOUT ROWID;
CREATE INDEX alert_events_event ON alert_events(event_id);

CREATE TABLE alert_history (
    id INTEGER PRIMARY KEY,
    alert_id INTEGER NOT NULL REFERENCES alerts(id) ON DELETE CASCADE,
    at_ms INTEGER NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    status INTEGER NOT NULL,
    assignee TEXT NOT NULL,
    disposition INTEGER NOT NULL,
    note TEXT NOT NULL
);
CREATE INDEX alert_history_alert ON alert_history(alert_id, id);

CREATE TABLE import_runs (
    id INTEGER PRIMARY KEY,
    file_path TEXT NOT NULL,
    fingerprint BLOB NOT NULL,
    head_bytes INTEGER NOT NULL,
    format TEXT NOT NULL,
    reference_time_ms INTEGER NOT NULL,
    started_ms INTEGER NOT NULL,
    finished_ms INTEGER NOT NULL DEFAULT 0,
    file_size INTEGER NOT NULL DEFAULT 0,
    committed_offset INTEGER NOT NULL DEFAULT 0,
    lines_read INTEGER NOT NULL DEFAULT 0,
    events_stored INTEGER NOT NULL DEFAULT 0,
    unparsed_lines INTEGER NOT NULL DEFAULT 0,
    truncated_lines INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX import_runs_fingerprint ON import_runs(fingerprint, head_bytes, id);

CREATE TABLE unparsed_lines (
    id INTEGER PRIMARY KEY,
    import_run_id INTEGER NOT NULL REFERENCES import_runs(id) ON DELETE CASCADE,
    file_path TEXT NOT NULL,
    line_number INTEGER NOT NULL,
    text TEXT NOT NULL
);
CREATE INDEX unparsed_lines_run ON unparsed_lines(import_run_id, line_number);
)sql";

// Migration 2: console accounts, roles, MFA, API tokens, lockout state,
// security policy and the hash-chained audit trail.
static const char *const migration2 = R"sql(
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    password_hash BLOB NOT NULL,
    password_salt BLOB NOT NULL,
    scrypt_n INTEGER NOT NULL,
    scrypt_r INTEGER NOT NULL,
    scrypt_p INTEGER NOT NULL,
    totp_secret BLOB,
    totp_enrolled INTEGER NOT NULL DEFAULT 0,
    totp_last_step INTEGER NOT NULL DEFAULT 0,
    disabled INTEGER NOT NULL DEFAULT 0,
    created_ms INTEGER NOT NULL,
    password_changed_ms INTEGER NOT NULL
);
CREATE TABLE user_roles (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    PRIMARY KEY (user_id, role)
);
CREATE TABLE recovery_codes (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    code_hash BLOB NOT NULL,
    used_ms INTEGER
);
CREATE INDEX recovery_codes_user ON recovery_codes(user_id);
CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    token_hash BLOB NOT NULL UNIQUE,
    roles TEXT NOT NULL,
    created_ms INTEGER NOT NULL,
    expires_ms INTEGER,
    revoked_ms INTEGER,
    last_used_ms INTEGER
);
CREATE TABLE login_state (
    user_name TEXT PRIMARY KEY COLLATE NOCASE,
    failures INTEGER NOT NULL DEFAULT 0,
    locked_until_ms INTEGER NOT NULL DEFAULT 0,
    last_failure_ms INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE login_attempts (
    id INTEGER PRIMARY KEY,
    user_name TEXT NOT NULL,
    ts_ms INTEGER NOT NULL,
    success INTEGER NOT NULL,
    method TEXT NOT NULL,
    reason TEXT NOT NULL
);
CREATE INDEX login_attempts_ts ON login_attempts(ts_ms);
CREATE TABLE security_settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE audit_log (
    seq INTEGER PRIMARY KEY,
    ts_ms INTEGER NOT NULL,
    actor_id INTEGER NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    details TEXT NOT NULL,
    prev_hash BLOB NOT NULL,
    hash BLOB NOT NULL
);
CREATE INDEX audit_log_ts ON audit_log(ts_ms);
CREATE INDEX audit_log_action ON audit_log(action);
CREATE TABLE audit_anchor (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    record_count INTEGER NOT NULL,
    head_hash BLOB NOT NULL
);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
)sql";

// Migration 3: backend telemetry connections with the cursor committed with
// each batch, and events rejected by validation. The quarantine keeps the
// newest 100,000 rows so a backend sending garbage cannot fill the disk.
static const char *const migration3 = R"sql(
CREATE TABLE backend_connections (
    name TEXT PRIMARY KEY,
    base_url TEXT NOT NULL,
    cursor TEXT NOT NULL DEFAULT '',
    last_event_ms INTEGER NOT NULL DEFAULT 0,
    events_stored INTEGER NOT NULL DEFAULT 0,
    updated_ms INTEGER NOT NULL
);
CREATE TABLE quarantine (
    id INTEGER PRIMARY KEY,
    connection TEXT NOT NULL,
    received_ms INTEGER NOT NULL,
    reason TEXT NOT NULL,
    raw TEXT NOT NULL,
    raw_truncated INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX quarantine_connection ON quarantine(connection, id);
CREATE TRIGGER quarantine_cap AFTER INSERT ON quarantine
BEGIN DELETE FROM quarantine WHERE id <= NEW.id - 100000; END;
)sql";

// Later migrations live in one file each (migrationN.cpp).
extern const char *const migration4;
extern const char *const migration5;
extern const char *const migration6;
extern const char *const migration7;

const std::vector<const char *> &migrations()
{
    static const std::vector<const char *> all = {
        migration1,
        migration2,
        migration3,
        migration4,
        migration5,
        migration6,
        migration7,
    };
    return all;
}

} // namespace portcullis
