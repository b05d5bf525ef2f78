// SPDX-License-Identifier: GPL-3.0-or-later
#include "detect/ratedetectors.h"

#include "detect/detectorsupport.h"

#include <QCoreApplication>

namespace portcullis::detect {

namespace {

constexpr char Context[] = "portcullis::detect";
constexpr qint64 MinuteMs = 60 * 1000;
constexpr qint64 HourMs = 60 * MinuteMs;
constexpr double Megabyte = 1e6;
// Time without an anomalous bucket after which the next one opens a new alert.
constexpr qint64 RateAlertGapMs = 10 * MinuteMs;

QString tr(const char *text)
{
    return QCoreApplication::translate(Context, text);
}

QString requests(double value)
{
    return QString::number(qRound64(value));
}

QString megabytes(double value)
{
    return QString::number(value / Megabyte, 'f', 1) + QLatin1String(" MB");
}

} // namespace

bool addToRate(RateState &state, qint64 timestampMs, qint64 bucketMs, double amount,
    double warmFloor, double coldThreshold, const DetectionConfig &config)
{
    state.rate.advance(timestampMs, bucketMs);
    state.rate.current += amount;
    const bool warm = state.rate.baseline.isWarm(config.baselineMinSamples);
    const double threshold = warm ? state.rate.baseline.threshold(warmFloor,
                                        config.baselineMadMultiplier, config.baselineRatio)
                                  : coldThreshold;
    state.lastThreshold = threshold;
    state.lastWarm = warm;
    if (state.rate.current < threshold)
        return false;
    state.rate.currentAnomalous = true;
    return true;
}

void notePeak(RateState &state, bool newAlert)
{
    if (!newAlert && state.rate.current < state.peak)
        return;
    state.peak = state.rate.current;
    state.peakBucketMs = state.rate.bucketStartMs;
    state.thresholdAtPeak = state.lastThreshold;
    state.warmAtPeak = state.lastWarm;
}

QString describeBaseline(const RateState &state, const DetectionConfig &config,
    const char *bucketName, QString (*unit)(double))
{
    const RobustBaseline &baseline = state.rate.baseline;
    const QString bucket = QCoreApplication::translate(Context, bucketName);
    if (!state.warmAtPeak) {
        return tr("its baseline has %1 of the %2 active %3 it needs, so the cold threshold of "
                  "%4 applies")
            .arg(QString::number(baseline.count()), QString::number(config.baselineMinSamples),
                bucket, unit(state.thresholdAtPeak));
    }
    return tr("its baseline is a median of %1 (scaled MAD %2) over the last %3 active %4, so "
              "the threshold is %5")
        .arg(unit(baseline.median()), unit(baseline.scaledMad()),
            QString::number(baseline.count()), bucket, unit(state.thresholdAtPeak));
}

ApiAbuseDetector::ApiAbuseDetector(const DetectionConfig &config)
    : m_config(config)
    , m_principals(config.baselineMaxEntities, config.baselineIdleMs)
    , m_alerts(QLatin1String(RuleId), RateAlertGapMs)
{
}

void ApiAbuseDetector::processEvent(const Event &event, AlertSink &sink)
{
    m_clock.advance(event.timestampMs, [this, &sink](qint64 nowMs) {
        m_principals.expire(nowMs);
        m_alerts.expire(nowMs, sink);
    });
    if (event.category != EventCategory::Web)
        return;
    QString field = QStringLiteral("bookedbarber.api_token.id");
    QString principal = extraText(event, QStringLiteral("bookedbarber.api_token.id"));
    if (principal.isEmpty()) {
        field = QStringLiteral("user.id");
        principal = extraText(event, QStringLiteral("user.id"));
    }
    if (principal.isEmpty())
        return;

    RateState &state = m_principals.touch(principal, event.timestampMs);
    if (!addToRate(state, event.timestampMs, MinuteMs, 1, m_config.apiMinRequestsPerMinute,
            m_config.apiColdRequestsPerMinute, m_config))
        return;

    Alert &alert = m_alerts.update(principal, event.timestampMs);
    notePeak(state, alert.eventCount == 0);
    appendEvidence(alert.evidence, event.id);
    alert.eventCount = qMax(alert.eventCount + 1, qint64(state.rate.current));
    alert.title = tr("API used far above its normal rate");
    alert.severity = Severity::High;
    alert.mitreTechnique = QStringLiteral("T1550.001");
    addEntity(alert, field, principal);
    addEntity(alert, QStringLiteral("user.name"), event.userName);
    addEntity(alert, QStringLiteral("source.ip"), event.sourceIp, m_config.maxEntityValues);
    alert.reason = tr("%1 %2 made %3 requests in the minute from %4; %5.")
                       .arg(field, principal, requests(state.peak), isoTime(state.peakBucketMs),
                           describeBaseline(state, m_config,
                               QT_TRANSLATE_NOOP("portcullis::detect", "minutes"), requests));
}

RequestFloodDetector::RequestFloodDetector(const DetectionConfig &config)
    : m_config(config)
    , m_paths(config.baselineMaxEntities, config.baselineIdleMs)
    , m_sources(config.baselineMaxEntities, config.baselineIdleMs)
    , m_alerts(QLatin1String(RuleId), RateAlertGapMs)
{
}

void RequestFloodDetector::processEvent(const Event &event, AlertSink &sink)
{
    m_clock.advance(event.timestampMs, [this, &sink](qint64 nowMs) {
        m_paths.expire(nowMs);
        m_sources.expire(nowMs);
        m_alerts.expire(nowMs, sink);
    });
    if (event.category != EventCategory::Web)
        return;
    qint64 id = -1;
    const QString pattern = pathTemplate(eventUrlPath(event), &id);
    if (!pattern.isEmpty())
        observe(m_paths, QStringLiteral("url.path"), pattern.left(256), event);
    if (!event.sourceIp.isEmpty())
        observe(m_sources, QStringLiteral("source.ip"), event.sourceIp, event);
}

void RequestFloodDetector::observe(EntityTable<RateState> &table, const QString &field,
    const QString &entity, const Event &event)
{
    RateState &state = table.touch(entity, event.timestampMs);
    const double floor = m_config.floodMinRequestsPerMinute;
    if (!addToRate(state, event.timestampMs, MinuteMs, 1, floor, floor, m_config))
        return;

    Alert &alert = m_alerts.update(field + QLatin1Char('|') + entity, event.timestampMs);
    notePeak(state, alert.eventCount == 0);
    appendEvidence(alert.evidence, event.id);
    alert.eventCount = qMax(alert.eventCount + 1, qint64(state.rate.current));
    alert.title = tr("Request flood");
    alert.severity = Severity::High;
    alert.mitreTechnique = QStringLiteral("T1499.002");
    addEntity(alert, field, entity);
    addEntity(alert, QStringLiteral("source.ip"), event.sourceIp, m_config.maxEntityValues);
    const qsizetype sources = alert.entities.value(QStringLiteral("source.ip")).size();
    alert.reason = tr("%1 %2 received %3 requests in the minute from %4, from %5; %6.")
                       .arg(field, entity, requests(state.peak), isoTime(state.peakBucketMs),
                           countText(sources, QT_TRANSLATE_NOOP("portcullis::detect", "1 source"),
                               QT_TRANSLATE_NOOP("portcullis::detect", "%1 sources")),
                           describeBaseline(state, m_config,
                               QT_TRANSLATE_NOOP("portcullis::detect", "minutes"), requests));
}

ExfiltrationDetector::ExfiltrationDetector(const DetectionConfig &config)
    : m_config(config)
    , m_principals(config.baselineMaxEntities, config.baselineIdleMs)
    , m_alerts(QLatin1String(RuleId), HourMs)
{
}

void ExfiltrationDetector::processEvent(const Event &event, AlertSink &sink)
{
    m_clock.advance(event.timestampMs, [this, &sink](qint64 nowMs) {
        m_principals.expire(nowMs);
        m_alerts.expire(nowMs, sink);
    });
    if (event.category != EventCategory::Web || event.httpBytes <= 0)
        return;
    QString field = QStringLiteral("user.id");
    QString principal = eventActor(event);
    if (principal.isEmpty()) {
        field = QStringLiteral("source.ip");
        principal = event.sourceIp;
    }
    if (principal.isEmpty())
        return;

    RateState &state = m_principals.touch(principal, event.timestampMs);
    if (!addToRate(state, event.timestampMs, HourMs, double(event.httpBytes),
            m_config.exfilMinMegabytes * Megabyte, m_config.exfilColdMegabytes * Megabyte,
            m_config))
        return;

    Alert &alert = m_alerts.update(principal, event.timestampMs);
    notePeak(state, alert.eventCount == 0);
    appendEvidence(alert.evidence, event.id);
    ++alert.eventCount;
    alert.title = field == QLatin1String("user.id")
        ? tr("Data volume far above the account's baseline")
        : tr("Data volume far above the address's baseline");
    alert.severity = Severity::High;
    alert.mitreTechnique = QStringLiteral("T1213");
    addEntity(alert, field, principal);
    addEntity(alert, QStringLiteral("user.name"), event.userName);
    addEntity(alert, QStringLiteral("source.ip"), event.sourceIp, m_config.maxEntityValues);
    addEntity(alert, QStringLiteral("url.path"), eventUrlPath(event).left(256));
    alert.reason = tr("%1 %2 downloaded %3 in the hour from %4; %5.")
                       .arg(field, principal, megabytes(state.peak), isoTime(state.peakBucketMs),
                           describeBaseline(state, m_config,
                               QT_TRANSLATE_NOOP("portcullis::detect", "hours"), megabytes));
}

} // namespace portcullis::detect
