// SPDX-License-Identifier: GPL-3.0-or-later
#include "detect/sessiondetectors.h"

#include "detect/detectorsupport.h"

#include <QCoreApplication>

namespace portcullis::detect {

namespace {

constexpr char Context[] = "portcullis::detect";
// Further impossible trips of one account within a day update the same alert.
constexpr qint64 TravelAlertGapMs = 24 * 60 * 60 * 1000;
// Logins closer in time than this are taken as this far apart, so that the
// speed of two logins in the same second stays finite.
constexpr qint64 MinTravelMs = 60 * 1000;

QString tr(const char *text)
{
    return QCoreApplication::translate(Context, text);
}

bool isLoginSuccess(const Event &event)
{
    return event.category == EventCategory::Authentication
        && event.outcome == EventOutcome::Success
        && (equalsAscii(event.action, backend::Login)
            || equalsAscii(event.action, actions::SshLogin));
}

QString placeName(const GeoInfo &place)
{
    if (place.city.isEmpty())
        return place.countryIso;
    if (place.countryIso.isEmpty())
        return place.city;
    return place.city + QLatin1String(", ") + place.countryIso;
}

} // namespace

ImpossibleTravelDetector::ImpossibleTravelDetector(
    const DetectionConfig &config, const GeoLocator *locator)
    : m_config(config)
    , m_locator(locator)
    , m_accounts(config.baselineMaxEntities, config.baselineIdleMs)
    , m_alerts(QLatin1String(RuleId), TravelAlertGapMs)
{
}

void ImpossibleTravelDetector::processEvent(const Event &event, AlertSink &sink)
{
    m_clock.advance(event.timestampMs, [this, &sink](qint64 nowMs) {
        m_accounts.expire(nowMs);
        m_alerts.expire(nowMs, sink);
    });
    if (!isLoginSuccess(event))
        return;
    const QString account = eventAccount(event);
    GeoInfo place;
    if (account.isEmpty() || !resolveGeo(event, m_locator, &place) || !place.hasLocation)
        return;

    LastLogin &last = m_accounts.touch(account, event.timestampMs);
    const qint64 elapsedMs = event.timestampMs - last.timestampMs;
    if (last.timestampMs > 0 && elapsedMs >= 0 && last.source != event.sourceIp) {
        const double km = distanceKm(last.place.latitude, last.place.longitude, place.latitude,
            place.longitude);
        const double hours = double(qMax(elapsedMs, MinTravelMs)) / 3600000.0;
        const double speed = km / hours;
        if (km >= m_config.travelMinDistanceKm && speed > m_config.travelMaxSpeedKmh) {
            Alert &alert = m_alerts.update(account, last.timestampMs);
            alert.lastSeenMs = qMax(alert.lastSeenMs, event.timestampMs);
            appendEvidence(alert.evidence, last.eventId);
            appendEvidence(alert.evidence, event.id);
            alert.eventCount = alert.evidence.size();
            alert.title = tr("Impossible travel between two logins");
            alert.severity = Severity::High;
            alert.mitreTechnique = QStringLiteral("T1078");
            addEntity(alert, QStringLiteral("user.id"), account);
            addEntity(alert, QStringLiteral("user.name"), event.userName);
            addEntity(alert, QStringLiteral("source.ip"), last.source);
            addEntity(alert, QStringLiteral("source.ip"), event.sourceIp);
            alert.reason = tr("Account %1 logged in from %2 (%3) at %4 and from %5 (%6) %7 "
                              "later: %8 km at %9 km/h, above the limit of %10 km/h.")
                               .arg(event.userName.isEmpty() ? account : event.userName,
                                   placeName(last.place), last.source,
                                   isoTime(last.timestampMs), placeName(place), event.sourceIp,
                                   describeSpan(last.timestampMs, event.timestampMs))
                               .arg(qRound64(km))
                               .arg(qRound64(speed))
                               .arg(m_config.travelMaxSpeedKmh);
        }
    }
    if (elapsedMs >= 0 || last.timestampMs == 0) {
        last.timestampMs = event.timestampMs;
        last.place = place;
        last.source = event.sourceIp;
        last.eventId = event.id;
    }
}

SessionHijackDetector::SessionHijackDetector(
    const DetectionConfig &config, const GeoLocator *locator)
    : m_config(config)
    , m_locator(locator)
    , m_sessions(config.baselineMaxEntities, config.sessionIdleMs)
    , m_alerts(QLatin1String(RuleId), config.sessionIdleMs)
{
}

QString SessionHijackDetector::describeChanges(
    const Session &session, const Event &event, const GeoInfo &place) const
{
    QStringList changes;
    if (!session.userAgent.isEmpty() && !event.userAgent.isEmpty()
        && session.userAgent != event.userAgent)
        changes << tr("user agent \"%1\" became \"%2\"")
                       .arg(session.userAgent.left(120), event.userAgent.left(120));
    if (!session.country.isEmpty() && !place.countryIso.isEmpty()
        && session.country != place.countryIso)
        changes << tr("country %1 became %2").arg(session.country, place.countryIso);
    if (session.asn != 0 && place.asn != 0 && session.asn != place.asn)
        changes << tr("AS%1 became AS%2").arg(session.asn).arg(place.asn);
    return changes.join(QLatin1String(", "));
}

void SessionHijackDetector::processEvent(const Event &event, AlertSink &sink)
{
    m_clock.advance(event.timestampMs, [this, &sink](qint64 nowMs) {
        m_sessions.expire(nowMs);
        m_alerts.expire(nowMs, sink);
    });
    if (event.extra.isEmpty() || event.sourceIp.isEmpty())
        return; // no session id, or no address to compare
    const QString sessionId = extraText(event, QStringLiteral("bookedbarber.session.id"));
    if (sessionId.isEmpty() || event.sourceIp.isEmpty())
        return;

    Session &session = m_sessions.touch(sessionId, event.timestampMs);
    if (session.source.isEmpty()) {
        GeoInfo place;
        resolveGeo(event, m_locator, &place);
        session.source = event.sourceIp;
        session.userAgent = event.userAgent;
        session.country = place.countryIso;
        session.asn = place.asn;
        session.firstEventId = event.id;
        return;
    }
    if (event.sourceIp == session.source)
        return;
    GeoInfo place;
    resolveGeo(event, m_locator, &place);
    const QString changes = describeChanges(session, event, place);
    if (changes.isEmpty())
        return;
    if (session.hijackSource.isEmpty()) {
        session.hijackSource = event.sourceIp;
        session.changes = changes;
    }

    Alert &alert = m_alerts.update(sessionId, event.timestampMs);
    if (alert.evidence.isEmpty())
        appendEvidence(alert.evidence, session.firstEventId);
    appendEvidence(alert.evidence, event.id);
    ++alert.eventCount;
    alert.title = tr("Session used from a second client");
    alert.severity = Severity::High;
    alert.mitreTechnique = QStringLiteral("T1550.004");
    addEntity(alert, QStringLiteral("bookedbarber.session.id"), sessionId);
    addEntity(alert, QStringLiteral("user.name"), event.userName);
    addEntity(alert, QStringLiteral("source.ip"), session.source);
    addEntity(alert, QStringLiteral("source.ip"), event.sourceIp);
    alert.reason = tr("Session %1 began at %2 and was then used from %3 for %4: %5.")
                       .arg(sessionId.left(64), session.source, session.hijackSource)
                       .arg(countText(alert.eventCount,
                                QT_TRANSLATE_NOOP("portcullis::detect", "1 event"),
                                QT_TRANSLATE_NOOP("portcullis::detect", "%1 events")),
                           session.changes);
}

} // namespace portcullis::detect
