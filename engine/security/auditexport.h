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

enum class AuditExportFormat : quint8 { Csv, JsonLines };

// Exports the records matching `filter` to `path` (mode 0600) for `who`, the
// one gate shared by the GUI and the CLI: needs Permission::ViewAudit and,
// when the policy's step_up_export is on, a fresh password or code
// (SensitiveAction::ExportEvidence). Audits "audit.export". Returns the
// number of records written, or -1 with errorMessage set.
qint64 exportAuditTrail(Database &db, const Identity &who, const AuditFilter &filter,
                        AuditExportFormat format, const QString &path, QString *errorMessage);

} // namespace portcullis
