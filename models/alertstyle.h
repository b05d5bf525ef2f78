// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "detect/alert.h"

#include <QColor>
#include <QIcon>
#include <QString>

namespace portcullis {

// Translated, capitalized names for the GUI ("High", "Acknowledged", "False positive").
QString severityLabel(Severity severity);
QString statusLabel(AlertStatus status);
QString dispositionLabel(Disposition disposition);

// The severity colour used in the table, the detail pane and the filter bar.
// Each colour is always shown beside the severity's name, never alone.
QColor severityColor(Severity severity);

// A filled rounded square in the severity colour, for table cells and buttons.
QIcon severityIcon(Severity severity);

// All severities from Critical down to Informational, and all statuses.
QList<Severity> allSeverities();
QList<AlertStatus> allStatuses();

// "2026-12-04 03:12:45" in UTC, or an empty string for 0.
QString formatTimestamp(qint64 msecsSinceEpoch);

} // namespace portcullis
