// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonObject>
#include <QJsonValue>
#include <QStringView>

namespace portcullis::sim {

// Sets `value` at a dotted ECS path ("source.geo.city_name"), creating the
// nested objects on the way.
void setPath(QJsonObject &root, QStringView dottedPath, const QJsonValue &value);

// Returns the value at a dotted path, or an undefined value.
QJsonValue valueAt(const QJsonObject &root, QStringView dottedPath);

// Formats UTC milliseconds as RFC 3339 with milliseconds ("2026-12-04T16:14:38.123Z").
QString isoTime(qint64 timeMs);

} // namespace portcullis::sim
