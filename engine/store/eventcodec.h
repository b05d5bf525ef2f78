// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "event/event.h"

#include <QByteArray>

namespace portcullis {

// Writes the members of `event` that have no column of their own in the
// `events` table as one compact JSON object keyed by ECS field name, with
// Event::extra merged in. Written by hand because it runs once per stored
// event and QJsonObject costs several allocations per field.
QByteArray eventFieldsJson(const Event &event);
// The same written into `out` (cleared first), which keeps its capacity, so a
// loop over many events allocates nothing here.
void writeEventFieldsJson(QByteArray &out, const Event &event);

// Reads what eventFieldsJson() wrote back into `event`; unknown keys go to
// Event::extra. Returns false when `json` is not a JSON object.
bool applyEventFieldsJson(const QByteArray &json, Event *event);

// Appends `text` to `out` as a JSON string literal, quotes included.
void appendJsonString(QByteArray &out, QStringView text);

// Encodes `text` as UTF-8 into `buffer`, reusing its capacity, and returns
// the encoded bytes (valid while `buffer` is unchanged).
QByteArrayView utf8Into(QByteArray &buffer, QStringView text);

} // namespace portcullis
