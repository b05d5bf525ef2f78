// SPDX-License-Identifier: GPL-3.0-or-later
#include "store/migrations.h"

namespace portcullis {

// Migration 1: events, alerts, their links, alert history and import runs.
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
    original TEXT NOT NULL,
    fields TEXT NOT NULL
);
CREATE INDEX events_ts ON events(ts_ms);
)sql";

const std::vector<const char *> &migrations()
{
    static const std::vector<const char *> all = {
        migration1,
    };
    return all;
}

} // namespace portcullis
