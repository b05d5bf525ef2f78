// SPDX-License-Identifier: GPL-3.0-or-later
#include "sim/simoptions.h"

#include "sim/generator.h"

namespace portcullis::sim {

bool FaultOptions::any() const
{
    return serverError > 0 || slow > 0 || truncate > 0 || drop > 0 || expire > 0 || duplicate > 0;
}

bool FaultOptions::parse(const QString &spec, FaultOptions *faults, QString *error)
{
    const QStringList entries = spec.split(QLatin1Char(','), Qt::SkipEmptyParts);
    for (const QString &rawEntry : entries) {
        const QString entry = rawEntry.trimmed();
        const QString name = entry.section(QLatin1Char('='), 0, 0);
        QString value = entry.section(QLatin1Char('='), 1);
        int slowMs = -1;
        if (name == QLatin1String("slow") && value.contains(QLatin1Char(':'))) {
            bool ok = false;
            slowMs = value.section(QLatin1Char(':'), 1).toInt(&ok);
            if (!ok || slowMs < 0) {
                *error = QStringLiteral("fault \"%1\": the delay after ':' must be milliseconds")
                             .arg(entry);
                return false;
            }
            value = value.section(QLatin1Char(':'), 0, 0);
        }
        bool ok = false;
        const double rate = value.toDouble(&ok);
        if (!ok || rate < 0 || rate > 1) {
            *error = QStringLiteral("fault \"%1\": expected NAME=PROBABILITY with a probability "
                                    "from 0 to 1")
                         .arg(entry);
            return false;
        }

        if (name == QLatin1String("all")) {
            faults->serverError = faults->slow = faults->truncate = rate;
            faults->drop = faults->expire = faults->duplicate = rate;
        } else if (name == QLatin1String("5xx")) {
            faults->serverError = rate;
        } else if (name == QLatin1String("slow")) {
            faults->slow = rate;
            if (slowMs >= 0)
                faults->slowMs = slowMs;
        } else if (name == QLatin1String("truncate")) {
            faults->truncate = rate;
        } else if (name == QLatin1String("drop")) {
            faults->drop = rate;
        } else if (name == QLatin1String("expire")) {
            faults->expire = rate;
        } else if (name == QLatin1String("duplicate")) {
            faults->duplicate = rate;
        } else {
            *error = QStringLiteral("unknown fault \"%1\": use 5xx, slow, truncate, drop, expire, "
                                    "duplicate or all")
                         .arg(name);
            return false;
        }
    }
    return true;
}

bool SimOptions::parseDuration(QStringView text, qint64 *milliseconds)
{
    qint64 unit = 1000;
    if (text.endsWith(u's')) {
        text.chop(1);
    } else if (text.endsWith(u'm')) {
        unit = 60000;
        text.chop(1);
    } else if (text.endsWith(u'h')) {
        unit = 3600000;
        text.chop(1);
    }
    bool ok = false;
    const double value = text.toDouble(&ok);
    if (!ok || value < 0)
        return false;
    *milliseconds = qint64(value * double(unit));
    return true;
}

bool SimOptions::parseScenarios(
    const QString &spec, QList<ScheduledScenario> *scenarios, QString *error)
{
    const QStringList names = scenarioNames();
    const QStringList entries = spec.split(QLatin1Char(','), Qt::SkipEmptyParts);
    for (const QString &rawEntry : entries) {
        const QString entry = rawEntry.trimmed();
        if (entry == QLatin1String("all")) {
            for (int i = 0; i < names.size(); ++i)
                scenarios->append({ names[i], 20000 + qint64(i) * 30000 });
            continue;
        }
        if (entry == QLatin1String("none"))
            continue;

        ScheduledScenario scenario;
        scenario.name = entry.section(QLatin1Char('@'), 0, 0);
        if (!names.contains(scenario.name)) {
            *error = QStringLiteral("unknown scenario \"%1\": use one of %2, or all")
                         .arg(scenario.name, names.join(QStringLiteral(", ")));
            return false;
        }
        const QString at = entry.section(QLatin1Char('@'), 1);
        if (!at.isEmpty() && !parseDuration(at, &scenario.offsetMs)) {
            *error = QStringLiteral("scenario \"%1\": \"%2\" is not a duration such as 90, 90s, "
                                    "15m or 2h")
                         .arg(scenario.name, at);
            return false;
        }
        scenarios->append(scenario);
    }
    return true;
}

} // namespace portcullis::sim
