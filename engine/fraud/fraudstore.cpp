// SPDX-License-Identifier: GPL-3.0-or-later
#include "fraud/fraudstore.h"

#include "store/database.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>

#include <cmath>

namespace portcullis::fraud {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("portcullis::fraud::FraudStore", text);
}

QString toText(const QJsonArray &array)
{
    return QString::fromUtf8(QJsonDocument(array).toJson(QJsonDocument::Compact));
}

QString toText(const QJsonObject &object)
{
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

bool fail(const Statement &statement, QString *error)
{
    if (error)
        *error = tr("fraud store: %1").arg(statement.error());
    return false;
}

double finiteOrZero(double value)
{
    return std::isfinite(value) ? value : 0;
}

EvaluationRecord evaluationFromRow(const Statement &row)
{
    EvaluationRecord record;
    record.id = row.columnInt64(0);
    record.evaluatedAtMs = row.columnInt64(1);
    record.dataset = row.columnText(2);
    record.modelVersion = row.columnText(3);
    record.testTransactions = row.columnInt64(4);
    record.testFrauds = row.columnInt64(5);
    record.rocAuc = row.columnDouble(6);
    record.averagePrecision = row.columnDouble(7);
    record.cardPrecisionAt100 = row.columnDouble(8);
    record.figures = QJsonDocument::fromJson(row.columnText(9).toUtf8()).object();
    return record;
}

} // namespace

bool FraudStore::recordDecision(const Decision &decision, QString *error)
{
    Statement insert = m_db.prepare(
        "INSERT INTO fraud_decisions (payment_id, event_id, ts_ms, score, action, three_d_secure,"
        " decided_by, reasons, rule_hits, created_ms) VALUES (?,?,?,?,?,?,?,?,?,?)",
        error);
    if (!insert.isValid())
        return false;
    QJsonArray reasons, hits;
    for (const DecisionReason &reason : decision.reasons)
        reasons.append(QJsonObject{{QStringLiteral("feature"), reason.featureName()},
            {QStringLiteral("value"), isMissing(reason.value) ? QJsonValue() : double(reason.value)},
            {QStringLiteral("contribution"), double(reason.contribution)},
            {QStringLiteral("text"), reason.text()}});
    for (const RuleHit &hit : decision.ruleHits)
        hits.append(QJsonObject{{QStringLiteral("action"), ruleActionName(hit.action)},
            {QStringLiteral("rule"), hit.rule}, {QStringLiteral("line"), hit.line}});
    insert.bindText(1, decision.paymentId);
    insert.bindText(2, decision.eventId);
    insert.bind(3, decision.timeMs);
    insert.bind(4, decision.score);
    insert.bind(5, fraudActionName(decision.action));
    insert.bind(6, decision.requestThreeDSecure ? 1 : 0);
    insert.bind(7, decision.decidedBy);
    insert.bind(8, toText(reasons));
    insert.bind(9, toText(hits));
    insert.bind(10, QDateTime::currentMSecsSinceEpoch());
    insert.step();
    return insert.error().isEmpty() || fail(insert, error);
}

QList<Decision> FraudStore::recentDecisions(int limit, QString *error)
{
    QList<Decision> decisions;
    Statement query = m_db.prepare(
        "SELECT payment_id, event_id, ts_ms, score, action, three_d_secure, decided_by, reasons,"
        " rule_hits FROM fraud_decisions ORDER BY ts_ms DESC, id DESC LIMIT ?",
        error);
    if (!query.isValid())
        return decisions;
    query.bind(1, limit);
    while (query.step()) {
        Decision d;
        d.paymentId = query.columnText(0).toUtf8();
        d.eventId = query.columnText(1).toUtf8();
        d.timeMs = query.columnInt64(2);
        d.score = query.columnInt(3);
        const QString action = query.columnText(4);
        d.action = action == QLatin1String("block") ? FraudAction::Block
            : action == QLatin1String("review")     ? FraudAction::Review
                                                    : FraudAction::Allow;
        d.requestThreeDSecure = query.columnInt(5) != 0;
        d.decidedBy = query.columnText(6);
        for (const QJsonValue &v : QJsonDocument::fromJson(query.columnText(7).toUtf8()).array()) {
            const QJsonObject o = v.toObject();
            d.reasons.append({o.value(QLatin1String("feature")).toString(),
                o.value(QLatin1String("value")).isNull()
                    ? missingValue()
                    : float(o.value(QLatin1String("value")).toDouble()),
                float(o.value(QLatin1String("contribution")).toDouble()),
                o.value(QLatin1String("text")).toString()});
        }
        for (const QJsonValue &v : QJsonDocument::fromJson(query.columnText(8).toUtf8()).array()) {
            const QJsonObject o = v.toObject();
            const QString name = o.value(QLatin1String("action")).toString();
            RuleAction hitAction = RuleAction::Review;
            for (RuleAction a : {RuleAction::RequestThreeDSecure, RuleAction::Allow,
                     RuleAction::Block, RuleAction::Review})
                hitAction = ruleActionName(a) == name ? a : hitAction;
            d.ruleHits.append({hitAction, o.value(QLatin1String("rule")).toString(),
                o.value(QLatin1String("line")).toInt()});
        }
        decisions.append(d);
    }
    if (!query.error().isEmpty())
        fail(query, error);
    return decisions;
}

bool FraudStore::addListItem(const ListItem &item, QString *error)
{
    Statement insert = m_db.prepare(
        "INSERT INTO fraud_list_items (list_name, value, added_ms, added_by, note)"
        " VALUES (?,?,?,?,?) ON CONFLICT (list_name, value) DO UPDATE SET note = excluded.note",
        error);
    if (!insert.isValid())
        return false;
    insert.bind(1, item.list.toLower());
    insert.bind(2, item.value);
    insert.bind(3, item.addedAtMs > 0 ? item.addedAtMs : QDateTime::currentMSecsSinceEpoch());
    insert.bind(4, item.addedBy);
    insert.bind(5, item.note);
    insert.step();
    return insert.error().isEmpty() || fail(insert, error);
}

bool FraudStore::removeListItem(const QString &list, const QString &value, QString *error)
{
    Statement remove
        = m_db.prepare("DELETE FROM fraud_list_items WHERE list_name = ? AND value = ?", error);
    if (!remove.isValid())
        return false;
    remove.bind(1, list.toLower());
    remove.bind(2, value);
    remove.step();
    return remove.error().isEmpty() || fail(remove, error);
}

QList<ListItem> FraudStore::listItems(const QString &list, QString *error)
{
    QList<ListItem> items;
    Statement query = m_db.prepare(
        "SELECT list_name, value, added_ms, added_by, note FROM fraud_list_items"
        " WHERE list_name = ? ORDER BY value",
        error);
    if (!query.isValid())
        return items;
    query.bind(1, list.toLower());
    while (query.step())
        items.append({query.columnText(0), query.columnText(1), query.columnInt64(2),
            query.columnText(3), query.columnText(4)});
    if (!query.error().isEmpty())
        fail(query, error);
    return items;
}

QStringList FraudStore::listNames(QString *error)
{
    QStringList names;
    Statement query
        = m_db.prepare("SELECT DISTINCT list_name FROM fraud_list_items ORDER BY list_name", error);
    if (!query.isValid())
        return names;
    while (query.step())
        names.append(query.columnText(0));
    if (!query.error().isEmpty())
        fail(query, error);
    return names;
}

bool FraudStore::loadLists(RuleSet *rules, QString *error)
{
    QString localError;
    const QStringList names = listNames(&localError);
    for (const QString &name : names) {
        QStringList values;
        for (const ListItem &item : listItems(name, &localError))
            values.append(item.value);
        rules->setList(name, values);
    }
    if (!localError.isEmpty() && error)
        *error = localError;
    return localError.isEmpty();
}

bool FraudStore::recordEvaluation(EvaluationRecord *record, QString *error)
{
    Statement insert = m_db.prepare(
        "INSERT INTO fraud_evaluations (evaluated_ms, dataset, model_version, test_transactions,"
        " test_frauds, roc_auc, average_precision, card_precision_at_100, figures)"
        " VALUES (?,?,?,?,?,?,?,?,?)",
        error);
    if (!insert.isValid())
        return false;
    if (record->evaluatedAtMs <= 0)
        record->evaluatedAtMs = QDateTime::currentMSecsSinceEpoch();
    insert.bind(1, record->evaluatedAtMs);
    insert.bind(2, record->dataset);
    insert.bind(3, record->modelVersion);
    insert.bind(4, record->testTransactions);
    insert.bind(5, record->testFrauds);
    insert.bind(6, finiteOrZero(record->rocAuc));
    insert.bind(7, finiteOrZero(record->averagePrecision));
    insert.bind(8, finiteOrZero(record->cardPrecisionAt100));
    insert.bind(9, toText(record->figures));
    insert.step();
    if (!insert.error().isEmpty())
        return fail(insert, error);
    record->id = m_db.lastInsertRowId();
    return true;
}

std::optional<EvaluationRecord> FraudStore::latestEvaluation(QString *error)
{
    Statement query = m_db.prepare(
        "SELECT id, evaluated_ms, dataset, model_version, test_transactions, test_frauds, roc_auc,"
        " average_precision, card_precision_at_100, figures FROM fraud_evaluations"
        " ORDER BY evaluated_ms DESC, id DESC LIMIT 1",
        error);
    if (!query.isValid() || !query.step()) {
        if (query.isValid() && !query.error().isEmpty())
            fail(query, error);
        return std::nullopt;
    }
    return evaluationFromRow(query);
}

} // namespace portcullis::fraud
