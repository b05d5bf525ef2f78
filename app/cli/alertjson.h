// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "detect/alert.h"

#include <QJsonObject>

namespace portcullis::cli {

// Formats milliseconds since the Unix epoch as ISO 8601 UTC with milliseconds.
QString isoTime(qint64 ms);

// Converts the alert to the object that `detect --json` and `watch --json`
// print: rule_id, title, severity, first_seen, last_seen, event_count,
// entities keyed by ECS field name, evidence event ids and reason.
QJsonObject alertToJson(const Alert &alert);

// The same object with the triage fields that `alerts --json` adds: status,
// assignee and disposition. Without evidence, the key is left out, since
// an alert list does not load evidence ids.
QJsonObject alertWithTriageToJson(const Alert &alert, bool withEvidence);

} // namespace portcullis::cli
