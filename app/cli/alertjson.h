// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "detect/alert.h"

#include <QJsonObject>

namespace portcullis::cli {

// ISO 8601 UTC with milliseconds, as every command prints times.
QString isoTime(qint64 ms);

// The alert as `detect --json` and `watch --json` print it: rule_id, title,
// severity, first_seen, last_seen, event_count, entities keyed by ECS field
// name, evidence event ids and reason.
QJsonObject alertToJson(const Alert &alert);

} // namespace portcullis::cli
