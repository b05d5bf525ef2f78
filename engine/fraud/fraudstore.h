// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "fraud/fraudengine.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace portcullis {
class Database;
}

namespace portcullis::fraud {

// One recorded `fraud evaluate` run.
struct EvaluationRecord
{
    qint64 id = 0;
    qint64 evaluatedAtMs = 0;
    QString dataset;          // input files, comma-separated
    QString modelVersion;     // model file's training date and tree count
    qint64 testTransactions = 0;
    qint64 testFrauds = 0;
    double rocAuc = 0;
    double averagePrecision = 0;
    double cardPrecisionAt100 = 0;
    QJsonObject figures;      // the full `fraud evaluate --json` object
};

struct ListItem
{
    QString list;
    QString value;
    qint64 addedAtMs = 0;
    QString addedBy;
    QString note;
};

// Fraud tables of the console database (schema migration 6): decisions,
// value lists for rules (blocked_cards, blocked_customers, blocked_ips, ...)
// and evaluation runs. Uses the caller's open Database; not thread-safe.
class FraudStore
{
public:
    explicit FraudStore(Database &db) : m_db(db) {}

    bool recordDecision(const Decision &decision, QString *error);
    // Newest first.
    QList<Decision> recentDecisions(int limit, QString *error);

    bool addListItem(const ListItem &item, QString *error);
    bool removeListItem(const QString &list, const QString &value, QString *error);
    QList<ListItem> listItems(const QString &list, QString *error);
    QStringList listNames(QString *error);
    // Copies every list into `rules`.
    bool loadLists(RuleSet *rules, QString *error);

    bool recordEvaluation(EvaluationRecord *record, QString *error);
    std::optional<EvaluationRecord> latestEvaluation(QString *error);

private:
    Database &m_db;
};

} // namespace portcullis::fraud
