// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Helpers shared by the Sigma correlation tests: rules from YAML text,
// synthetic events and an alert sink that keeps the latest alert per key.

#include "sigma/ruleloader.h"
#include "sigma/sigmadetector.h"

#include <QDebug>
#include <QMap>
#include <QPair>
#include <QStringList>
#include <QString>
#include <QVector>

namespace sigmatest {

using namespace portcullis;

constexpr qint64 Minute = 60 * 1000;
constexpr qint64 StartMs = 1'700'000'000'000;

// Keeps the latest version of each alert and counts the updates.
class CollectingSink : public AlertSink {
public:
    void upsertAlert(const Alert &alert) override
    {
        if (!alerts.contains(alert.key))
            order.append(alert.key);
        alerts.insert(alert.key, alert);
        ++updates;
    }
    QVector<Alert> byRule(const QString &ruleId) const
    {
        QVector<Alert> found;
        for (const QByteArray &key : order) {
            if (alerts.value(key).ruleId == ruleId)
                found.append(alerts.value(key));
        }
        return found;
    }

    QMap<QByteArray, Alert> alerts;
    QVector<QByteArray> order;
    int updates = 0;
};

inline std::shared_ptr<const sigma::SigmaRules> rulesFromText(
    const QByteArray &yaml, QVector<sigma::LoadIssue> *issues)
{
    auto loaded = std::make_shared<sigma::SigmaRules>();
    loaded->rules.loadText(yaml, QStringLiteral("test.yml"), issues);
    loaded->rules.compile(issues);
    loaded->correlations.build(loaded->rules, issues);
    return loaded;
}

inline Event makeEvent(qint64 offsetMs, const QString &action, const QString &sourceIp,
    const QString &userName = QString())
{
    static int counter = 0;
    Event event;
    event.timestampMs = StartMs + offsetMs;
    event.id = "ev" + QByteArray::number(++counter);
    event.category = EventCategory::Authentication;
    event.action = action;
    event.outcome = EventOutcome::Failure;
    event.sourceIp = sourceIp;
    event.userName = userName;
    event.hasUserName = !userName.isEmpty();
    return event;
}

inline QString issuesText(const QVector<sigma::LoadIssue> &issues)
{
    QStringList lines;
    for (const sigma::LoadIssue &issue : issues) {
        lines << QStringLiteral("%1:%2:%3: %4")
                     .arg(issue.file)
                     .arg(issue.line)
                     .arg(issue.column)
                     .arg(issue.message);
    }
    return lines.join(QLatin1Char('\n'));
}

// The matches and alerts of reading one log file, with or without the line
// screen (sigma/sigmascreen.h).
struct Reading
{
    QList<QPair<qint64, int>> matches;  // line number, rule
    QStringList alerts;
    sigma::LogReadSummary summary;
};

inline Reading readWith(const std::shared_ptr<const sigma::SigmaRules> &rules,
    const QString &path, bool screen, LogFormat format = LogFormat::Auto)
{
    Reading reading;
    sigma::SigmaDetector detector(rules);
    CollectingSink sink;
    QVector<int> matched;
    QString error;
    const bool ok = sigma::readLogFile(
        path, format,
        [&](const Event &event) {
            matched.clear();
            rules->rules.match(event, &matched);
            for (const int rule : std::as_const(matched))
                reading.matches.append({ event.lineNumber, rule });
            detector.processEvent(event, sink);
        },
        &reading.summary, &error, screen ? &rules->rules : nullptr);
    if (!ok)
        qWarning() << error;
    detector.finish(sink);
    for (const Alert &alert : std::as_const(sink.alerts)) {
        reading.alerts << QStringLiteral("%1 %2 %3 %4 %5")
                              .arg(alert.ruleId, QString::fromLatin1(alert.key))
                              .arg(alert.eventCount)
                              .arg(alert.firstSeenMs)
                              .arg(alert.lastSeenMs);
    }
    reading.alerts.sort();
    return reading;
}

} // namespace sigmatest
