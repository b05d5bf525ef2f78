// SPDX-License-Identifier: GPL-3.0-or-later
#include "store/migrations.h"

namespace portcullis {

// Migration 7: backend alerts and connections.
// - backend_alerts: each alert a backend raised itself (GET /alerts), keyed by
//   the connection and the backend's alert id, so a restart or a second pull
//   does not import it twice; it names the console alert it became and what
//   the backend last said about it.
// - backend_connections gains the last state of each connection, so that
//   `portcullis-cli connections` can list them, and whether the backend was
//   ever reached (only a backend reached once can fall silent).
extern const char *const migration7;
const char *const migration7 = R"sql(
CREATE TABLE backend_alerts (
    connection TEXT NOT NULL,
    backend_id TEXT NOT NULL,
    alert_id INTEGER NOT NULL,
    created_ms INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    severity TEXT NOT NULL,
    status TEXT NOT NULL,
    title TEXT NOT NULL,
    imported_ms INTEGER NOT NULL,
    PRIMARY KEY (connection, backend_id)
);
CREATE INDEX backend_alerts_created ON backend_alerts(connection, created_ms);
ALTER TABLE backend_connections ADD COLUMN state TEXT NOT NULL DEFAULT '';
ALTER TABLE backend_connections ADD COLUMN state_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE backend_connections ADD COLUMN lag_seconds INTEGER NOT NULL DEFAULT 0;
ALTER TABLE backend_connections ADD COLUMN state_ms INTEGER NOT NULL DEFAULT 0;
ALTER TABLE backend_connections ADD COLUMN last_error TEXT NOT NULL DEFAULT '';
ALTER TABLE backend_connections ADD COLUMN reached INTEGER NOT NULL DEFAULT 0;
)sql";

} // namespace portcullis
