// SPDX-License-Identifier: GPL-3.0-or-later
#include "sim/backendalerts.h"

#include "sim/ecsjson.h"

#include <QDateTime>

namespace portcullis::sim {

namespace {

// The backend raises its brute-force alert at this many failed logins from
// one address within five minutes.
constexpr int FailedLoginThreshold = 20;
constexpr qint64 FailedLoginWindowMs = 5 * 60 * 1000;

// Its card-testing alert fires at this many failed charges from one address
// within ten minutes.
constexpr int DeclineThreshold = 10;
constexpr qint64 DeclineWindowMs = 10 * 60 * 1000;

} // namespace

void BackendAlerts::countInWindow(QHash<QString, Window> &windows, const QString &ip,
    qint64 windowMs, int threshold, const QByteArray &eventId, qint64 timeMs, const QString &type,
    const QString &title)
{
    Window &window = windows[ip];
    if (timeMs - window.startMs > windowMs)
        window = Window { timeMs, 0, QJsonArray(), false };
    ++window.count;
    if (window.eventIds.size() < 50)
        window.eventIds.append(QString::fromLatin1(eventId));
    if (window.count >= threshold && !window.raised) {
        window.raised = true;
        raise(type, QStringLiteral("high"), title.arg(window.count).arg(ip),
            QJsonObject { { QStringLiteral("source_ip"), ip } }, window.eventIds, timeMs);
    }
}

void BackendAlerts::observe(const QJsonObject &doc, const QByteArray &eventId, qint64 timeMs)
{
    ++m_events;
    const QString action = valueAt(doc, u"event.action").toString();
    const bool failed = valueAt(doc, u"event.outcome").toString() == QLatin1String("failure");
    const QString reason = valueAt(doc, u"event.reason").toString();
    if (reason == QLatin1String("ip_blocked") || reason == QLatin1String("rate_limited"))
        ++m_refused;

    const QString ip = valueAt(doc, u"source.ip").toString();
    if (action == QLatin1String("user_login") && failed) {
        ++m_failedLoginCount;
        countInWindow(m_failedLogins, ip, FailedLoginWindowMs, FailedLoginThreshold, eventId,
            timeMs, QStringLiteral("brute_force"),
            QStringLiteral("%1 failed logins from %2 within 5 minutes"));
    } else if (action.startsWith(QLatin1String("charge."))) {
        ++m_charges;
        const QString outcome = valueAt(doc, u"stripe.data.object.outcome.type").toString();
        if (outcome == QLatin1String("blocked"))
            ++m_blockedCharges;
        else if (outcome == QLatin1String("issuer_declined"))
            ++m_declinedCharges;
        if (failed && !ip.isEmpty())
            countInWindow(m_declines, ip, DeclineWindowMs, DeclineThreshold, eventId, timeMs,
                QStringLiteral("card_testing"),
                QStringLiteral("%1 failed charges from %2 within 10 minutes"));
    } else if (action == QLatin1String("radar.early_fraud_warning.created")) {
        raise(QStringLiteral("early_fraud_warning"), QStringLiteral("medium"),
            QStringLiteral("Stripe early fraud warning on charge %1")
                .arg(valueAt(doc, u"stripe.data.object.charge").toString()),
            QJsonObject {
                { QStringLiteral("charge"), valueAt(doc, u"stripe.data.object.charge") } },
            QJsonArray { QString::fromLatin1(eventId) }, timeMs);
    }
}

void BackendAlerts::raise(const QString &type, const QString &severity, const QString &title,
    const QJsonObject &entities, const QJsonArray &eventIds, qint64 timeMs)
{
    m_alerts.append(QJsonObject {
        { QStringLiteral("id"),
            QStringLiteral("bal_%1").arg(m_alerts.size() + 1, 6, 10, QLatin1Char('0')) },
        { QStringLiteral("type"), type },
        { QStringLiteral("severity"), severity },
        { QStringLiteral("status"), QStringLiteral("active") },
        { QStringLiteral("title"), title },
        { QStringLiteral("created_at"), isoTime(timeMs) },
        { QStringLiteral("entities"), entities },
        { QStringLiteral("event_ids"), eventIds },
    });
}

QJsonObject BackendAlerts::dashboard(qint64 nowMs) const
{
    const double fraudRate = m_charges == 0 ? 0.0 : double(m_blockedCharges) / double(m_charges);
    return QJsonObject {
        { QStringLiteral("generated_at"), isoTime(nowMs) },
        { QStringLiteral("threatDetection"),
            QJsonObject { { QStringLiteral("threatsDetected"), qint64(m_alerts.size()) },
                { QStringLiteral("responseTimeAvg"), 15 },
                { QStringLiteral("accuracyRate"), 99.99 } } },
        { QStringLiteral("fraudPrevention"),
            QJsonObject { { QStringLiteral("fraudBlocked"), m_blockedCharges },
                { QStringLiteral("accuracyRate"), 99.99 },
                { QStringLiteral("falsePositiveRate"), 0.05 },
                { QStringLiteral("blockedShare"), fraudRate } } },
        { QStringLiteral("compliance"),
            QJsonObject { { QStringLiteral("soc2ReadinessScore"), 95 },
                { QStringLiteral("pciComplianceScore"), 98 },
                { QStringLiteral("gdprComplianceScore"), 92 } } },
        { QStringLiteral("excellenceScore"), 96.2 },
        { QStringLiteral("counters"),
            QJsonObject { { QStringLiteral("events"), m_events },
                { QStringLiteral("failedLogins"), m_failedLoginCount },
                { QStringLiteral("charges"), m_charges },
                { QStringLiteral("declinedCharges"), m_declinedCharges },
                { QStringLiteral("refusedRequests"), m_refused } } },
        { QStringLiteral("claimed_fields"),
            QJsonArray { QStringLiteral("threatDetection.responseTimeAvg"),
                QStringLiteral("threatDetection.accuracyRate"),
                QStringLiteral("fraudPrevention.accuracyRate"),
                QStringLiteral("fraudPrevention.falsePositiveRate"), QStringLiteral("compliance"),
                QStringLiteral("excellenceScore") } },
    };
}

QJsonObject BackendAlerts::alerts(const QUrlQuery &query) const
{
    const QString severity = query.queryItemValue(QStringLiteral("severity"));
    const QString status = query.queryItemValue(QStringLiteral("status"));
    const QDateTime since
        = QDateTime::fromString(query.queryItemValue(QStringLiteral("since")), Qt::ISODateWithMs);
    int limit = query.queryItemValue(QStringLiteral("limit")).toInt();
    if (limit <= 0 || limit > 1000)
        limit = 1000;

    QJsonArray selected;
    for (const QJsonValue &value : m_alerts) {
        const QJsonObject alert = value.toObject();
        if (!severity.isEmpty() && alert.value(QStringLiteral("severity")).toString() != severity)
            continue;
        if (!status.isEmpty() && alert.value(QStringLiteral("status")).toString() != status)
            continue;
        const QDateTime created = QDateTime::fromString(
            alert.value(QStringLiteral("created_at")).toString(), Qt::ISODateWithMs);
        if (since.isValid() && created < since)
            continue;
        if (selected.size() >= limit)
            break;
        selected.append(alert);
    }
    return QJsonObject { { QStringLiteral("alerts"), selected },
        { QStringLiteral("total"), qint64(m_alerts.size()) } };
}

QJsonObject BackendAlerts::complianceStatus(qint64 nowMs)
{
    auto framework = [](const char *name, double score, const QJsonObject &breakdown) {
        return QJsonObject { { QStringLiteral("framework"), QLatin1String(name) },
            { QStringLiteral("score"), score }, { QStringLiteral("breakdown"), breakdown },
            { QStringLiteral("claimed"), true } };
    };
    return QJsonObject {
        { QStringLiteral("generated_at"), isoTime(nowMs) },
        { QStringLiteral("frameworks"),
            QJsonArray { framework("SOC 2 Type II", 95,
                             QJsonObject { { QStringLiteral("security"), 95 },
                                 { QStringLiteral("availability"), 98 },
                                 { QStringLiteral("processing_integrity"), 94 },
                                 { QStringLiteral("confidentiality"), 97 },
                                 { QStringLiteral("privacy"), 92 } }),
                framework("PCI DSS Level 4", 98, QJsonObject()),
                framework("GDPR", 92, QJsonObject()),
                framework("OWASP Top 10", 100, QJsonObject()) } },
        { QStringLiteral("note"),
            QStringLiteral("Scores are the backend's own claims; the console measures its own.") },
    };
}

} // namespace portcullis::sim
