// SPDX-License-Identifier: GPL-3.0-or-later
#include "detect/alert.h"

namespace portcullis {

QString severityName(Severity severity)
{
    switch (severity) {
    case Severity::Informational:
        return QStringLiteral("informational");
    case Severity::Low:
        return QStringLiteral("low");
    case Severity::Medium:
        return QStringLiteral("medium");
    case Severity::High:
        return QStringLiteral("high");
    case Severity::Critical:
        return QStringLiteral("critical");
    }
    return QStringLiteral("medium");
}

bool severityFromName(QStringView name, Severity *severity)
{
    for (int i = 0; i <= static_cast<int>(Severity::Critical); ++i) {
        const auto candidate = static_cast<Severity>(i);
        if (name.compare(severityName(candidate), Qt::CaseInsensitive) == 0) {
            *severity = candidate;
            return true;
        }
    }
    return false;
}

QString statusName(AlertStatus status)
{
    switch (status) {
    case AlertStatus::Open:
        return QStringLiteral("open");
    case AlertStatus::Acknowledged:
        return QStringLiteral("acknowledged");
    case AlertStatus::Closed:
        return QStringLiteral("closed");
    }
    return QStringLiteral("open");
}

bool statusFromName(QStringView name, AlertStatus *status)
{
    for (int i = 0; i <= static_cast<int>(AlertStatus::Closed); ++i) {
        const auto candidate = static_cast<AlertStatus>(i);
        if (name.compare(statusName(candidate), Qt::CaseInsensitive) == 0) {
            *status = candidate;
            return true;
        }
    }
    return false;
}

QString dispositionName(Disposition disposition)
{
    switch (disposition) {
    case Disposition::None:
        return QString();
    case Disposition::TruePositive:
        return QStringLiteral("true_positive");
    case Disposition::FalsePositive:
        return QStringLiteral("false_positive");
    case Disposition::Benign:
        return QStringLiteral("benign");
    }
    return QString();
}

bool dispositionFromName(QStringView name, Disposition *disposition)
{
    for (int i = 0; i <= static_cast<int>(Disposition::Benign); ++i) {
        const auto candidate = static_cast<Disposition>(i);
        if (name.compare(dispositionName(candidate), Qt::CaseInsensitive) == 0) {
            *disposition = candidate;
            return true;
        }
    }
    return false;
}

} // namespace portcullis
