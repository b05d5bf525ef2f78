// SPDX-License-Identifier: GPL-3.0-or-later
#include "fraud/reviewqueue.h"

#include "event/event.h"
#include "fraud/review.h"
#include "store/database.h"
#include "store/eventcodec.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

namespace portcullis::fraud {

namespace {

constexpr qint64 HourMs = 3600LL * 1000;

bool failed(const Statement &statement, QString *errorMessage)
{
    if (statement.error().isEmpty())
        return false;
    if (errorMessage)
        *errorMessage = statement.error();
    return true;
}

FraudAction actionFromName(const QString &name)
{
    return name == QLatin1String("block")    ? FraudAction::Block
        : name == QLatin1String("review") ? FraudAction::Review
                                            : FraudAction::Allow;
}

void readReasons(const QString &reasons, const QString &hits, Decision *decision)
{
    for (const QJsonValue &value : QJsonDocument::fromJson(reasons.toUtf8()).array()) {
        const QJsonObject object = value.toObject();
        DecisionReason reason;
        reason.storedFeature = object.value(QLatin1String("feature")).toString();
        reason.value = object.value(QLatin1String("value")).isNull()
            ? missingValue()
            : float(object.value(QLatin1String("value")).toDouble());
        reason.contribution = float(object.value(QLatin1String("contribution")).toDouble());
        reason.storedText = object.value(QLatin1String("text")).toString();
        decision->reasons.append(reason);
    }
    for (const QJsonValue &value : QJsonDocument::fromJson(hits.toUtf8()).array()) {
        const QJsonObject object = value.toObject();
        RuleHit hit;
        const QString action = object.value(QLatin1String("action")).toString();
        for (RuleAction candidate : {RuleAction::RequestThreeDSecure, RuleAction::Allow,
                                     RuleAction::Block, RuleAction::Review})
            hit.action = ruleActionName(candidate) == action ? candidate : hit.action;
        hit.rule = object.value(QLatin1String("rule")).toString();
        hit.line = object.value(QLatin1String("line")).toInt();
        decision->ruleHits.append(hit);
    }
}

} // namespace

bool ReviewQueries::loadPayment(ReviewItem *item)
{
    Statement query = m_db.prepare(
        "SELECT ts_ms, category, action, outcome, source_ip, fields FROM events "
        "WHERE event_id = ?");
    if (!query.isValid() || item->decision.eventId.isEmpty())
        return false;
    query.bind(1, item->decision.eventId);
    if (!query.step())
        return false;
    Event event;
    event.id = item->decision.eventId;
    event.timestampMs = query.columnInt64(0);
    event.category = categoryFromName(query.columnText(1));
    event.action = query.columnText(2);
    event.outcome = outcomeFromName(query.columnText(3));
    event.sourceIp = query.columnText(4);
    applyEventFieldsJson(query.columnBlob(5), &event);
    if (!paymentFromEvent(event, &item->payment))
        return false;
    item->userId = event.extra.value(QStringLiteral("user.id")).toString();
    return true;
}

QList<ReviewItem> ReviewQueries::queue(int offset, int limit, bool includeReviewed,
                                         QString *errorMessage)
{
    QList<ReviewItem> items;
    Statement query = m_db.prepare(
        "SELECT d.payment_id, d.event_id, d.ts_ms, d.score, d.action, d.three_d_secure, "
        "d.decided_by, d.reasons, d.rule_hits, l.note, l.added_by FROM fraud_decisions d "
        "LEFT JOIN fraud_list_items l ON l.list_name = 'reviewed_payments' "
        "AND l.value = d.payment_id "
        "WHERE d.action IN ('review', 'block') AND (? OR l.value IS NULL) "
        "ORDER BY d.ts_ms DESC, d.id DESC LIMIT ? OFFSET ?",
        errorMessage);
    if (!query.isValid())
        return items;
    query.bind(1, includeReviewed ? 1 : 0);
    query.bind(2, limit);
    query.bind(3, offset);
    while (query.step()) {
        ReviewItem item;
        Decision &d = item.decision;
        d.paymentId = query.columnText(0).toUtf8();
        d.eventId = query.columnText(1).toUtf8();
        d.timeMs = query.columnInt64(2);
        d.score = query.columnInt(3);
        d.action = actionFromName(query.columnText(4));
        d.requestThreeDSecure = query.columnInt(5) != 0;
        d.decidedBy = query.columnText(6);
        readReasons(query.columnText(7), query.columnText(8), &d);
        item.reviewOutcome = query.columnIsNull(9) ? QString() : query.columnText(9);
        item.reviewedBy = query.columnIsNull(10) ? QString() : query.columnText(10);
        items.append(item);
    }
    failed(query, errorMessage);
    for (ReviewItem &item : items)
        item.hasPayment = loadPayment(&item);
    return items;
}

CustomerHistory ReviewQueries::history(const QString &user, const QString &customer,
                                       const QString &card, qint64 beforeMs, int limit,
                                       QString *errorMessage)
{
    CustomerHistory result;
    if (user.isEmpty() && customer.isEmpty() && card.isEmpty())
        return result;
    // A NULL parameter matches nothing, so an empty value leaves its test out.
    Statement query = m_db.prepare(
        "SELECT ts_ms, action, outcome, fields FROM events WHERE category = 'payment' "
        "AND ts_ms < ? AND (json_extract(fields, '$.\"user.id\"') = ? "
        "OR json_extract(fields, '$.\"stripe.data.object.customer\"') = ? "
        "OR json_extract(fields, "
        "'$.\"stripe.data.object.payment_method_details.card.fingerprint\"') = ?) "
        "ORDER BY ts_ms DESC LIMIT 2000",
        errorMessage);
    if (!query.isValid())
        return result;
    query.bind(1, beforeMs);
    const QString values[] = {user, customer, card};
    for (int i = 0; i < 3; ++i) {
        if (values[i].isEmpty())
            query.bindNull(i + 2);
        else
            query.bind(i + 2, values[i]);
    }
    while (query.step()) {
        Event event;
        event.category = EventCategory::Payment;
        event.timestampMs = query.columnInt64(0);
        event.action = query.columnText(1);
        event.outcome = outcomeFromName(query.columnText(2));
        applyEventFieldsJson(query.columnBlob(3), &event);
        PaymentRecord record;
        if (!paymentFromEvent(event, &record))
            continue;
        switch (record.kind) {
        case PaymentKind::Charge:
        case PaymentKind::PaymentFailure:
            ++result.charges;
            result.declined += record.succeeded ? 0 : 1;
            result.paidAmount += record.succeeded ? record.amount : 0;
            break;
        case PaymentKind::Refund: ++result.refunds; break;
        case PaymentKind::Dispute: ++result.disputes; break;
        case PaymentKind::EarlyFraudWarning: ++result.warnings; break;
        default: break;
        }
        if (result.entries.size() < limit)
            result.entries.append({record.timeMs, event.action, record.amount, record.reason});
    }
    failed(query, errorMessage);
    return result;
}

DecisionOverview ReviewQueries::overview(QString *errorMessage)
{
    DecisionOverview result;
    Statement actions = m_db.prepare(
        "SELECT action, COUNT(*), MIN(ts_ms), MAX(ts_ms), SUM(score < 0) FROM fraud_decisions "
        "GROUP BY action", errorMessage);
    if (!actions.isValid())
        return result;
    while (actions.step()) {
        const qint64 count = actions.columnInt64(1);
        result.total += count;
        result.byAction[size_t(actionFromName(actions.columnText(0)))] += count;
        const qint64 first = actions.columnInt64(2);
        result.firstMs = result.firstMs == 0 ? first : std::min(result.firstMs, first);
        result.lastMs = std::max(result.lastMs, actions.columnInt64(3));
        result.unscored += actions.columnInt64(4);
    }
    if (failed(actions, errorMessage))
        return result;

    Statement buckets = m_db.prepare(
        "SELECT MIN(score / 10, 9), COUNT(*) FROM fraud_decisions WHERE score >= 0 GROUP BY 1",
        errorMessage);
    while (buckets.isValid() && buckets.step())
        result.scoreBuckets[size_t(std::clamp(buckets.columnInt(0), 0, 9))] = buckets.columnInt64(1);

    Statement hours = m_db.prepare(
        "SELECT ts_ms / 3600000, action, COUNT(*) FROM fraud_decisions WHERE ts_ms >= ? "
        "GROUP BY 1, 2 ORDER BY 1", errorMessage);
    if (hours.isValid()) {
        hours.bind(1, result.lastMs - 47 * HourMs - result.lastMs % HourMs);
        while (hours.step()) {
            const qint64 hour = hours.columnInt64(0) * HourMs;
            if (result.perHour.isEmpty() || result.perHour.last().first != hour)
                result.perHour.append(qMakePair(hour, std::array<qint64, 3>{}));
            result.perHour.last().second[size_t(actionFromName(hours.columnText(1)))]
                += hours.columnInt64(2);
        }
    }
    Statement reviewed = m_db.prepare(
        "SELECT COUNT(*) FROM fraud_list_items WHERE list_name = 'reviewed_payments'",
        errorMessage);
    if (reviewed.isValid() && reviewed.step())
        result.reviewed = reviewed.columnInt64(0);
    return result;
}

LaterLabelFigures ReviewQueries::laterLabels(QString *errorMessage)
{
    LaterLabelFigures result;
    Statement labels = m_db.prepare(
        "SELECT json_extract(fields, '$.\"stripe.data.object.charge\"'), ts_ms FROM events "
        "WHERE category = 'payment' AND (action = 'radar.early_fraud_warning.created' OR "
        "(action = 'charge.dispute.created' AND "
        "json_extract(fields, '$.\"stripe.data.object.reason\"') = 'fraudulent'))",
        errorMessage);
    if (!labels.isValid())
        return result;
    QSet<QString> frauds;
    while (labels.step()) {
        frauds.insert(labels.columnText(0));
        result.newestLabelMs = std::max(result.newestLabelMs, labels.columnInt64(1));
    }
    Statement decisions = m_db.prepare(
        "SELECT payment_id, action FROM fraud_decisions WHERE score >= 0", errorMessage);
    while (decisions.isValid() && decisions.step()) {
        ++result.decisions;
        const bool flagged = decisions.columnText(1) != QLatin1String("allow");
        result.flagged += flagged ? 1 : 0;
        if (frauds.contains(decisions.columnText(0))) {
            ++result.labelledFrauds;
            result.flaggedFrauds += flagged ? 1 : 0;
        }
    }
    failed(decisions, errorMessage);
    return result;
}

} // namespace portcullis::fraud
