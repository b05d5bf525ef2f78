// SPDX-License-Identifier: GPL-3.0-or-later
#include "sigma/sigmadetector.h"

#include "sigma/correlationfields.h"
#include "sigma/ruleloader.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

namespace portcullis::sigma {

namespace {

constexpr char Context[] = "portcullis::sigma";
constexpr qint64 SweepIntervalMs = 60 * 1000;

QString tr(const char *text)
{
    return QCoreApplication::translate(Context, text);
}

QString spanText(qint64 firstMs, qint64 lastMs)
{
    return detect::describeSpan(firstMs, lastMs);
}

} // namespace

std::shared_ptr<const SigmaRules> loadSigmaRules(
    const QStringList &paths, QVector<LoadIssue> *issues)
{
    auto loaded = std::make_shared<SigmaRules>();
    if (!loaded->rules.loadPaths(paths, issues))
        return nullptr;
    loaded->rules.compile(issues);
    loaded->correlations.build(loaded->rules, issues);
    return loaded;
}

QString shippedRulesPath()
{
    QStringList candidates;
    if (QCoreApplication::instance()) {
        candidates << QCoreApplication::applicationDirPath()
                + QStringLiteral("/../share/portcullis/rules");
    }
#ifdef PORTCULLIS_RULES_SOURCE_DIR
    candidates << QStringLiteral(PORTCULLIS_RULES_SOURCE_DIR);
#endif
    for (const QString &candidate : std::as_const(candidates)) {
        if (QFileInfo(candidate).isDir())
            return QDir::cleanPath(QFileInfo(candidate).absoluteFilePath());
    }
    return QString();
}

std::unique_ptr<Detector> loadSigmaDetector(const QStringList &ruleDirs, QVector<LoadIssue> *issues)
{
    std::shared_ptr<const SigmaRules> rules = loadSigmaRules(ruleDirs, issues);
    if (!rules)
        return nullptr;
    return std::make_unique<SigmaDetector>(std::move(rules));
}

QString SigmaDetector::alertRuleId(const QString &name, const QString &id, const QString &title)
{
    if (!name.isEmpty())
        return name;
    return id.isEmpty() ? title : id;
}

SigmaDetector::SigmaDetector(std::shared_ptr<const SigmaRules> rules)
    : m_rules(std::move(rules))
    , m_engine(m_rules->correlations)
{
}

void SigmaDetector::processEvent(const Event &event, AlertSink &sink)
{
    m_matched.clear();
    m_rules->rules.match(event, &m_matched);
    if (m_matched.isEmpty())
        return;

    // Only matching events move the clock that expires bursts and groups.
    // Otherwise the alerts of a log whose time goes back would depend on
    // events that match nothing, which `rules test` does not parse when
    // the line screen passes them over.
    m_newestMs = qMax(m_newestMs, event.timestampMs);
    if (m_newestMs - m_lastSweepMs >= SweepIntervalMs) {
        m_lastSweepMs = m_newestMs;
        expire(m_newestMs, sink);
    }
    for (int rule : std::as_const(m_matched)) {
        if (m_rules->correlations.ruleAlertsAlone(rule))
            addPlainMatch(rule, event, sink);
    }
    m_engine.process(event, m_matched);
}

void SigmaDetector::addPlainMatch(int rule, const Event &event, AlertSink &sink)
{
    QString sourceField;
    const QString source = detect::eventSource(event, &sourceField);
    const QString key = QString::number(rule) + QLatin1Char('|') + source;
    auto it = m_bursts.find(key);
    if (it != m_bursts.end() && event.timestampMs > it->lastSeenMs + PlainBurstGapMs) {
        if (it->dirty)
            sink.upsertAlert(plainAlert(*it));
        m_bursts.erase(it);
        it = m_bursts.end();
    }
    if (it == m_bursts.end()) {
        PlainBurst burst;
        burst.rule = rule;
        burst.source = source;
        burst.sourceField = sourceField;
        burst.firstSeenMs = event.timestampMs;
        burst.lastSeenMs = event.timestampMs;
        it = m_bursts.insert(key, burst);
    }
    PlainBurst &burst = *it;
    burst.firstSeenMs = qMin(burst.firstSeenMs, event.timestampMs);
    burst.lastSeenMs = qMax(burst.lastSeenMs, event.timestampMs);
    ++burst.events;
    if (event.hasUserName && !event.userName.isEmpty())
        burst.users.add(event.userName, MaxEntityValues);
    if (!event.urlOriginal.isEmpty())
        burst.urls.add(event.urlOriginal.left(256), MaxEntityValues);
    detect::appendEvidence(burst.evidence, event.id);
    if (!burst.dirty) {
        burst.dirty = true;
        m_dirty.append(key);
    }
}

Alert SigmaDetector::plainAlert(const PlainBurst &burst) const
{
    const RuleInfo &info = m_rules->rules.rule(burst.rule);
    Alert alert;
    alert.ruleId = alertRuleId(info.name, info.id, info.title);
    alert.key = detect::alertKey(alert.ruleId, burst.source, burst.firstSeenMs);
    alert.title = info.title;
    alert.severity = info.severity;
    alert.mitreTechnique = info.mitreTechnique;
    alert.firstSeenMs = burst.firstSeenMs;
    alert.lastSeenMs = burst.lastSeenMs;
    alert.eventCount = burst.events;
    if (!burst.source.isEmpty())
        alert.entities.insert(burst.sourceField, { burst.source });
    if (burst.users.count() > 0)
        alert.entities.insert(QStringLiteral("user.name"), burst.users.values());
    if (burst.urls.count() > 0)
        alert.entities.insert(QStringLiteral("url.original"), burst.urls.values());
    alert.evidence = burst.evidence;
    const QString source = burst.source.isEmpty() ? tr("an unknown source") : burst.source;
    const QString events
        = detect::countText(burst.events, QT_TRANSLATE_NOOP("portcullis::detect", "1 event"),
            QT_TRANSLATE_NOOP("portcullis::detect", "%1 events"));
    alert.reason
        = tr("%1 from %2 matched the Sigma rule '%3' within %4.")
              .arg(events, source, info.title, spanText(burst.firstSeenMs, burst.lastSeenMs));
    return alert;
}

QString SigmaDetector::ruleTitles(const CorrelationRule &rule) const
{
    QStringList titles;
    for (const CorrelationRef &ref : rule.rules) {
        titles << (ref.isCorrelation ? m_rules->correlations.rule(ref.index).title
                                     : m_rules->rules.rule(ref.index).title);
    }
    return QLatin1Char('\'') + titles.join(QStringLiteral("', '")) + QLatin1Char('\'');
}

QString SigmaDetector::groupText(const CorrelationRule &rule, const CorrelationGroup &group) const
{
    QStringList parts;
    for (int i = 0; i < rule.groupBy.size() && i < group.values.size(); ++i)
        parts << rule.groupBy.at(i) + QLatin1Char('=') + group.values.at(i);
    return parts.isEmpty() ? tr("all events") : parts.join(QStringLiteral(", "));
}

QString SigmaDetector::correlationReason(
    const CorrelationRule &rule, const CorrelationGroup &group) const
{
    const QString span = spanText(group.runStartMs, group.lastSeenMs);
    const QString needed
        = tr("the rule needs %1 within %2").arg(rule.condition.describe(), rule.timespanText);
    const QString groupWords = groupText(rule, group);
    switch (rule.type) {
    case CorrelationType::EventCount:
        return tr("%1 events of %2 for %3 within %4, up to %5 within %6; %7.")
            .arg(group.runEvents)
            .arg(ruleTitles(rule), groupWords, span)
            .arg(group.peakCount)
            .arg(rule.timespanText, needed);
    case CorrelationType::ValueCount:
        return tr("%1 distinct values of %2 in events of %3 for %4 within %5, up to %6 within "
                  "%7; %8.")
            .arg(group.runValues.count())
            .arg(rule.valueFields.join(QStringLiteral(", ")), ruleTitles(rule), groupWords, span)
            .arg(group.peakCount)
            .arg(rule.timespanText, needed);
    case CorrelationType::Temporal:
        return tr("%1 of the rules %2 matched for %3 within %4; %5.")
            .arg(group.peakCount)
            .arg(ruleTitles(rule), groupWords, rule.timespanText, needed);
    case CorrelationType::TemporalOrdered:
        return tr("%1 of the rules %2 matched in that order for %3 within %4; %5.")
            .arg(group.peakCount)
            .arg(ruleTitles(rule), groupWords, rule.timespanText, needed);
    case CorrelationType::ValueSum:
    case CorrelationType::ValueAvg:
    case CorrelationType::ValuePercentile:
        return tr("%1 of %2 within %3 was %4; %5 events of %6 for %7 within %8; %9.")
            .arg(metricName(rule), rule.valueFields.value(0), rule.timespanText,
                formatMetric(group.lastMetric))
            .arg(group.runEvents)
            .arg(ruleTitles(rule), groupWords, span, needed);
    }
    return QString();
}

QString SigmaDetector::metricName(const CorrelationRule &rule)
{
    switch (rule.type) {
    case CorrelationType::ValueSum:
        return tr("The sum");
    case CorrelationType::ValueAvg:
        return tr("The average");
    case CorrelationType::ValuePercentile:
        return rule.percentile == 50 ? tr("The median")
                                     : tr("Percentile %1").arg(rule.percentile);
    default:
        break;
    }
    return QString();
}

Alert SigmaDetector::correlationAlert(const CorrelationGroup &group) const
{
    const CorrelationRule &rule = m_rules->correlations.rule(group.correlation);
    Alert alert;
    alert.ruleId = alertRuleId(rule.name, rule.id, rule.title);
    alert.key
        = detect::alertKey(alert.ruleId, group.values.join(QLatin1Char('|')), group.runStartMs);
    alert.title = rule.title;
    alert.severity = rule.severity;
    alert.mitreTechnique = rule.mitreTechnique;
    for (int i = 0; alert.mitreTechnique.isEmpty() && i < rule.rules.size(); ++i) {
        if (!rule.rules.at(i).isCorrelation)
            alert.mitreTechnique = m_rules->rules.rule(rule.rules.at(i).index).mitreTechnique;
    }
    alert.firstSeenMs = group.runStartMs;
    alert.lastSeenMs = group.lastSeenMs;
    alert.eventCount = group.runEvents;
    for (int i = 0; i < rule.groupBy.size() && i < group.values.size(); ++i) {
        const QString field = rule.resolveField(rule.groupBy.at(i), rule.rules.constFirst());
        alert.entities[ecsFieldName(field)].append(group.values.at(i));
    }
    if (rule.type == CorrelationType::ValueCount && rule.valueFields.size() == 1)
        alert.entities.insert(
            ecsFieldName(rule.valueFields.constFirst()), group.runValues.values());
    alert.evidence = group.evidence;
    alert.reason = correlationReason(rule, group);
    return alert;
}

void SigmaDetector::flush(AlertSink &sink)
{
    for (const QString &key : std::as_const(m_dirty)) {
        const auto it = m_bursts.find(key);
        if (it == m_bursts.end() || !it->dirty)
            continue;
        sink.upsertAlert(plainAlert(*it));
        it->dirty = false;
    }
    m_dirty.clear();
    m_engine.takeChanged([&](const CorrelationGroup &group) {
        if (m_rules->correlations.correlationAlerts(group.correlation))
            sink.upsertAlert(correlationAlert(group));
    });
}

void SigmaDetector::expire(qint64 nowMs, AlertSink &sink)
{
    flush(sink);
    const qint64 horizon = nowMs - PlainBurstGapMs - CorrelationEngine::ReorderToleranceMs;
    // Non-const begin() on an empty QHash allocates, so an empty table is skipped.
    if (!m_bursts.isEmpty()) {
        for (auto it = m_bursts.begin(); it != m_bursts.end();) {
            if (it->lastSeenMs >= horizon)
                ++it;
            else
                it = m_bursts.erase(it);
        }
    }
    m_engine.expire(nowMs, [&](const CorrelationGroup &group) {
        if (m_rules->correlations.correlationAlerts(group.correlation))
            sink.upsertAlert(correlationAlert(group));
    });
}

void SigmaDetector::finish(AlertSink &sink)
{
    flush(sink);
    m_bursts.clear();
    m_engine.finish([&](const CorrelationGroup &group) {
        if (m_rules->correlations.correlationAlerts(group.correlation))
            sink.upsertAlert(correlationAlert(group));
    });
}

int SigmaDetector::stateCount() const
{
    return int(m_bursts.size()) + m_engine.groupCount();
}

} // namespace portcullis::sigma
