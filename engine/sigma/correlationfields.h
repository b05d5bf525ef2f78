// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "event/event.h"

#include <QString>

namespace portcullis::sigma {

// The value of a field named as in a Sigma rule, for grouping and counting:
// the ECS name of an Event member ("source.ip", "user.name", "url.path"), a
// W3C web server name of the Sigma taxonomy ("c-ip", "cs-username",
// "cs-uri-stem"), else an entry of Event::extra. Empty when the event lacks it.
// Names are mapped with the matcher's table (mappedFieldName); the values
// are read here, as text, from the same Event members.
QString correlationFieldValue(const Event &event, const QString &field);

// The ECS name that a Sigma field name stands for ("c-ip" -> "source.ip"),
// or the name itself. Alerts key their entities by it.
QString ecsFieldName(const QString &field);

} // namespace portcullis::sigma
