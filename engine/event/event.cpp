// SPDX-License-Identifier: GPL-3.0-or-later
#include "event/event.h"

#include <array>

namespace portcullis {

namespace {
struct CategoryEntry
{
    EventCategory category;
    const char *name;
};
constexpr std::array<CategoryEntry, 9> categoryNames{{
    {EventCategory::Unknown, "unknown"},
    {EventCategory::Authentication, "authentication"},
    {EventCategory::Session, "session"},
    {EventCategory::Web, "web"},
    {EventCategory::Network, "network"},
    {EventCategory::Process, "process"},
    {EventCategory::Payment, "payment"},
    {EventCategory::Iam, "iam"},
    {EventCategory::Configuration, "configuration"},
}};
} // namespace

QString categoryName(EventCategory category)
{
    for (const auto &entry : categoryNames) {
        if (entry.category == category)
            return QString::fromLatin1(entry.name);
    }
    return QStringLiteral("unknown");
}

EventCategory categoryFromName(QStringView name)
{
    for (const auto &entry : categoryNames) {
        if (name == QLatin1String(entry.name))
            return entry.category;
    }
    return EventCategory::Unknown;
}

QString outcomeName(EventOutcome outcome)
{
    switch (outcome) {
    case EventOutcome::Success:
        return QStringLiteral("success");
    case EventOutcome::Failure:
        return QStringLiteral("failure");
    case EventOutcome::Unknown:
        break;
    }
    return QStringLiteral("unknown");
}

EventOutcome outcomeFromName(QStringView name)
{
    if (name == QLatin1String("success"))
        return EventOutcome::Success;
    if (name == QLatin1String("failure"))
        return EventOutcome::Failure;
    return EventOutcome::Unknown;
}

} // namespace portcullis
