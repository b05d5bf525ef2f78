// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "fraud/fraudengine.h"

#include <QHash>
#include <QList>
#include <QString>
#include <QVector>

#include <array>

namespace portcullis {
class Database;
}

namespace portcullis::fraud {

// One payment in the review queue: the engine's decision and the payment's
// facts read back from its stored event.
struct ReviewItem
{
    Decision decision;
    bool hasPayment = false;  // false when the event is not stored (any more)
    PaymentRecord payment;
    QString userId;           // the backend's user.id of the payer, when it sent one
    QString reviewOutcome;    // "approve", "refund", ... empty while open
    QString reviewedBy;
};

struct HistoryEntry
{
    qint64 timeMs = 0;
    QString action;  // Stripe event type ("charge.refunded")
    double amount = 0;
    QString detail;  // decline code, refund or dispute reason
};

// A customer's (or card's) earlier payments, from the stored events.
struct CustomerHistory
{
    int charges = 0;
    int declined = 0;
    int refunds = 0;
    int disputes = 0;
    int warnings = 0;
    double paidAmount = 0;
    QList<HistoryEntry> entries;  // newest first, at most the query's limit
};

// Counts of the engine's decisions for the charts.
struct DecisionOverview
{
    qint64 total = 0;
    std::array<qint64, 3> byAction{};   // allow, review, block
    qint64 unscored = 0;                // score -1 (no model loaded)
    std::array<qint64, 10> scoreBuckets{};  // 0-9, 10-19, ... 90-99
    qint64 firstMs = 0;
    qint64 lastMs = 0;
    // Decisions per hour of payment time over the last 48 hours of data:
    // hour start (UTC ms) -> allow, review, block.
    QList<QPair<qint64, std::array<qint64, 3>>> perHour;
    qint64 reviewed = 0;  // payments an analyst decided
};

// How the decisions fared against fraud labels that arrived later (early
// fraud warnings and disputes with reason "fraudulent").
struct LaterLabelFigures
{
    qint64 decisions = 0;       // scored decisions looked at
    qint64 labelledFrauds = 0;  // of them, charges that got a fraud label later
    qint64 flaggedFrauds = 0;   // labelled frauds the engine sent to review or block
    qint64 flagged = 0;         // decisions sent to review or block
    qint64 newestLabelMs = 0;
};

// Read-only queries of the Fraud view over the console database (the
// fraud_decisions, fraud_list_items and events tables). Not thread-safe.
class ReviewQueries
{
public:
    explicit ReviewQueries(Database &db) : m_db(db) {}

    // Decisions with action review or block, newest first, from `offset`.
    QList<ReviewItem> queue(int offset, int limit, bool includeReviewed, QString *errorMessage);
    // Payment events before `beforeMs` of the backend user, the Stripe
    // customer or the card fingerprint (empty values match nothing).
    CustomerHistory history(const QString &user, const QString &customer, const QString &card,
                            qint64 beforeMs, int limit, QString *errorMessage);
    DecisionOverview overview(QString *errorMessage);
    LaterLabelFigures laterLabels(QString *errorMessage);

private:
    bool loadPayment(ReviewItem *item);

    Database &m_db;
};

} // namespace portcullis::fraud
