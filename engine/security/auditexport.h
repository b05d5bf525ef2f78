// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "security/auditlog.h"

#include <QByteArray>
#include <QVector>

namespace portcullis {

// Escapes one CSV cell (RFC 4180 quoting). A cell that a spreadsheet would
// read as a formula (starting with =, +, -, @, tab or carriage return) gets a
// leading apostrophe, since actor names and targets can be attacker-controlled.
QString csvCell(const QString &text);

// The records as CSV with a header line: seq, time (UTC ISO 8601), actor_id,
// actor, action, target, details, prev_hash, hash (hex).
QByteArray auditRecordsToCsv(const QVector<AuditRecord> &records);

// The records as JSON lines, one object per record.
QByteArray auditRecordsToJsonLines(const QVector<AuditRecord> &records);

} // namespace portcullis
