// SPDX-License-Identifier: GPL-3.0-or-later
#include "scorecard.h"

#include "fraud/fraudalerts.h"

#include <QDateTime>
#include <QSet>

#include <memory>

namespace portcullis::bench {

namespace {

QString expectedRule(const QString &scenario)
{
    for (const ScenarioRule &rule : scenarioRules()) {
        if (rule.scenario == scenario)
            return rule.rule;
    }
    return QString();
}

// Keeps the last version of every alert, and the stream time at which an
// alert of a run's expected rule first named one of the run's events.
struct ScoringSink : AlertSink
{
    const QHash<QByteArray, int> *labelOf = nullptr;
    const QList<sim::AttackLabel> *labels = nullptr;
    const SimFeed *feed = nullptr;
    qint64 nowMs = 0;
    QHash<QByteArray, Alert> alerts;
    QHash<int, qint64> detectedMs;  // per label index

    void upsertAlert(const Alert &alert) override
    {
        alerts.insert(alert.key, alert);
        for (const QByteArray &id : alert.evidence) {
            const auto it = labelOf->constFind(id);
            if (it == labelOf->constEnd() || detectedMs.contains(*it))
                continue;
            if (expectedRule(labels->at(*it).scenario) == alert.ruleId)
                detectedMs.insert(*it, nowMs);
        }
    }
};

QString timeText(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(QStringLiteral("MM-dd hh:mm"));
}

QString describeAlert(quint64 seed, const Alert &alert)
{
    return QStringLiteral("seed %1 false %2 %3..%4 %5 events: %6")
        .arg(seed)
        .arg(alert.ruleId, timeText(alert.firstSeenMs), timeText(alert.lastSeenMs))
        .arg(alert.eventCount)
        .arg(alert.reason);
}

// Adds the recall, time to detect and false alert figures of one seed.
void countAlerts(quint64 seed, const ScoringSink &sink, bool trace, Totals *totals)
{
    QHash<int, QSet<QString>> rulesPerLabel;
    for (const Alert &alert : std::as_const(sink.alerts)) {
        QSet<int> touched;
        for (const QByteArray &id : alert.evidence) {
            const auto it = sink.labelOf->constFind(id);
            if (it != sink.labelOf->constEnd())
                touched.insert(*it);
        }
        if (touched.isEmpty()) {
            totals->falseAlerts[alert.ruleId] += 1;
            if (trace)
                totals->trace.append(describeAlert(seed, alert));
        }
        for (int label : std::as_const(touched))
            rulesPerLabel[label].insert(alert.ruleId);
    }

    const QList<sim::AttackLabel> &labels = *sink.labels;
    for (int i = 0; i < labels.size(); ++i) {
        const QString &scenario = labels[i].scenario;
        const QString expected = expectedRule(scenario);
        if (expected.isEmpty())
            continue;
        const QSet<QString> rules = rulesPerLabel.value(i);
        const bool caught = rules.contains(expected);
        totals->runs[scenario] += 1;
        totals->caught[scenario] += caught ? 1 : 0;
        totals->anyAlert[scenario] += rules.isEmpty() ? 0 : 1;
        if (caught && sink.detectedMs.contains(i)) {
            const qint64 delayMs = sink.detectedMs.value(i) - sink.feed->firstEventMs(i);
            totals->detectMinutes[scenario].push_back(delayMs / 60000.0);
        }
        if (!caught && trace) {
            QStringList other(rules.begin(), rules.end());
            other.sort();
            totals->trace.append(QStringLiteral("seed %1 missed %2 run %3 at %4, other alerts: %5")
                                     .arg(seed)
                                     .arg(scenario)
                                     .arg(i)
                                     .arg(timeText(sink.feed->firstEventMs(i)),
                                          other.join(QLatin1Char(' '))));
        }
    }
}

} // namespace

void scoreSeed(quint64 seed, const FeedOptions &base, const QString &modelPath, bool trace,
               Totals *totals)
{
    FeedOptions options = base;
    options.seed = seed;
    SimFeed feed(options);
    auto engine = std::make_unique<fraud::FraudEngine>();
    QString error;
    if (!modelPath.isEmpty() && !engine->loadModel(modelPath, &error))
        qFatal("Cannot load the model %s: %s", qPrintable(modelPath), qPrintable(error));
    fraud::FraudAlertDetector detector(std::move(engine));

    QHash<QByteArray, int> labelOf;
    ScoringSink sink;
    sink.labelOf = &labelOf;
    sink.labels = &feed.labels();
    sink.feed = &feed;
    feed.run([&](const FeedEvent &item) {
        if (item.label >= 0)
            labelOf.insert(item.event.id, item.label);
        sink.nowMs = item.event.timestampMs;
        detector.processEvent(item.event, sink);
        for (const fraud::Decision &decision : detector.takeDecisions()) {
            const bool fraudulent = item.label >= 0;
            const bool flagged = decision.action != fraud::FraudAction::Allow;
            (fraudulent ? totals->fraudPayments : totals->benignPayments) += 1;
            if (flagged)
                (fraudulent ? totals->fraudFlagged : totals->benignFlagged) += 1;
        }
        // Flushing after every event dates each alert at the event that
        // raised or grew it, which the time to detect needs.
        detector.flush(sink);
    });
    detector.finish(sink);
    countAlerts(seed, sink, trace, totals);
}

} // namespace portcullis::bench
