// SPDX-License-Identifier: GPL-3.0-or-later
#include "scenarioscore.h"

#include <QDateTime>
#include <QJsonObject>

#include <algorithm>

namespace portcullis::bench {

namespace {

constexpr int MaxFalseReasons = 3; // per rule

QString seconds(qint64 ms)
{
    return QString::number(double(ms) / 1000.0, 'f', 1) + QLatin1String(" s");
}

double perHundredThousand(qint64 count, qint64 total)
{
    return total > 0 ? double(count) * 100000.0 / double(total) : 0.0;
}

} // namespace

QVector<Label> parseLabels(const QJsonArray &labels)
{
    QVector<Label> parsed;
    for (const QJsonValue &value : labels) {
        const QJsonObject object = value.toObject();
        Label label;
        label.scenario = object.value(QStringLiteral("scenario")).toString();
        label.startMs = QDateTime::fromString(object.value(QStringLiteral("start")).toString(),
            Qt::ISODateWithMs)
                            .toMSecsSinceEpoch();
        for (const QJsonValue &id : object.value(QStringLiteral("event_ids")).toArray())
            label.eventIds.insert(id.toString().toUtf8());
        if (!label.eventIds.isEmpty())
            parsed.append(label);
    }
    return parsed;
}

void QualityScore::addRun(
    const QVector<Label> &labels, const QVector<ScoredAlert> &alerts, qint64 totalEvents)
{
    QHash<QByteArray, int> labelOf;
    qint64 labelled = 0;
    for (int i = 0; i < labels.size(); ++i) {
        for (const QByteArray &id : labels[i].eventIds)
            labelOf.insert(id, i);
        labelled += labels[i].eventIds.size();
    }
    benignEvents += totalEvents - labelled;

    QVector<qint64> detectedAt(labels.size(), -1);
    QVector<QSet<QString>> detectingRules(labels.size());
    for (const ScoredAlert &scored : alerts) {
        QSet<int> matched;
        for (const QByteArray &id : scored.alert.evidence) {
            const auto it = labelOf.constFind(id);
            if (it != labelOf.constEnd())
                matched.insert(*it);
        }
        if (matched.isEmpty()) {
            ++falseAlerts;
            ++falseAlertsByRule[scored.alert.ruleId];
            QStringList &reasons = falseAlertReasons[scored.alert.ruleId];
            if (reasons.size() < MaxFalseReasons)
                reasons << scored.alert.reason;
            continue;
        }
        for (int index : matched) {
            detectingRules[index].insert(scored.alert.ruleId);
            if (detectedAt[index] < 0 || scored.detectedAtMs < detectedAt[index])
                detectedAt[index] = scored.detectedAtMs;
        }
    }

    for (int i = 0; i < labels.size(); ++i) {
        Scenario &scenario = scenarios[labels[i].scenario];
        ++scenario.attacks;
        for (const QString &rule : std::as_const(detectingRules[i]))
            ++scenario.rules[rule];
        if (detectedAt[i] < 0)
            continue;
        ++scenario.detected;
        scenario.timeToDetectMs.append(qMax<qint64>(0, detectedAt[i] - labels[i].startMs));
    }
}

QString QualityScore::report() const
{
    QString text = QStringLiteral(
        "| Scenario | Attacks | Detected | Recall | Median time to detect | Max time to detect "
        "| Rules that fired |\n|---|---|---|---|---|---|---|\n");
    for (auto it = scenarios.begin(); it != scenarios.end(); ++it) {
        QVector<qint64> times = it->timeToDetectMs;
        std::sort(times.begin(), times.end());
        const QString median = times.isEmpty() ? QStringLiteral("-") : seconds(times[times.size() / 2]);
        const QString maximum = times.isEmpty() ? QStringLiteral("-") : seconds(times.last());
        QStringList rules;
        for (auto rule = it->rules.begin(); rule != it->rules.end(); ++rule)
            rules << QStringLiteral("%1 (%2)").arg(rule.key()).arg(rule.value());
        text += QStringLiteral("| %1 | %2 | %3 | %4 | %5 | %6 | %7 |\n")
                    .arg(it.key())
                    .arg(it->attacks)
                    .arg(it->detected)
                    .arg(it->attacks ? double(it->detected) / it->attacks : 0.0, 0, 'f', 2)
                    .arg(median, maximum, rules.join(QLatin1String(", ")));
    }
    const double rate = perHundredThousand(falseAlerts, benignEvents);
    text += QStringLiteral("\nBenign events: %1. False alerts: %2 (%3 per 100,000 benign events).\n")
                .arg(benignEvents)
                .arg(falseAlerts)
                .arg(rate, 0, 'f', 2);
    qint64 fraudFalseAlerts = 0;
    for (auto it = falseAlertsByRule.begin(); it != falseAlertsByRule.end(); ++it) {
        text += QStringLiteral("- %1: %2 false alerts\n").arg(it.key()).arg(it.value());
        if (it.key().startsWith(QLatin1String("fraud-")))
            fraudFalseAlerts += it.value();
    }
    const qint64 securityFalseAlerts = falseAlerts - fraudFalseAlerts;
    text += QStringLiteral("Security detectors: %1 false alerts (%2 per 100,000 benign events). "
                           "Payment fraud rules (fraud-*): %3 false alerts (%4 per 100,000).\n")
                .arg(securityFalseAlerts)
                .arg(perHundredThousand(securityFalseAlerts, benignEvents), 0, 'f', 2)
                .arg(fraudFalseAlerts)
                .arg(perHundredThousand(fraudFalseAlerts, benignEvents), 0, 'f', 2);
    return text;
}

} // namespace portcullis::bench
