// SPDX-License-Identifier: GPL-3.0-or-later
#include "store/migrations.h"

namespace portcullis {

// Migration 4: a stronger file identity for imports. Each run records the
// prefix of its file's event ids (until now always the first 12 hex digits
// of the head fingerprint, which is what older runs get) and the SHA-256 of
// the bytes just before its committed offset, so that a file with the same
// first 4 KiB but other content is told apart from a file that only grew.
extern const char *const migration4;
const char *const migration4 = R"sql(
ALTER TABLE import_runs ADD COLUMN id_prefix BLOB NOT NULL DEFAULT x'';
ALTER TABLE import_runs ADD COLUMN resume_hash BLOB NOT NULL DEFAULT x'';
UPDATE import_runs SET id_prefix = CAST(lower(hex(substr(fingerprint, 1, 6))) AS BLOB);
CREATE INDEX import_runs_id_prefix ON import_runs(id_prefix);
)sql";

} // namespace portcullis
