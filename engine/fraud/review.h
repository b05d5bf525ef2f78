// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "security/identity.h"

#include <QByteArray>
#include <QString>

namespace portcullis {
class Database;
}

namespace portcullis::fraud {

// What an analyst decides about a payment in the review queue.
enum class ReviewOutcome : quint8 { Approve, Refund, BlockCard, BlockCustomer };
QString reviewOutcomeName(ReviewOutcome outcome);  // "approve", "refund", "block_card", ...

// Value lists the decisions feed (FraudStore lists, read by the rules as
// @blocked_cards and so on).
inline constexpr char ReviewedPaymentsList[] = "reviewed_payments";
inline constexpr char RefundRequestsList[] = "refund_requests";
inline constexpr char BlockedCardsList[] = "blocked_cards";
inline constexpr char BlockedCustomersList[] = "blocked_customers";

struct ReviewRequest
{
    ReviewOutcome outcome = ReviewOutcome::Approve;
    QByteArray paymentId;    // the charge reviewed
    QString cardFingerprint; // needed for BlockCard
    QString customerId;      // needed for BlockCustomer
    QString note;
};

// Records review decisions: checks the permission (approve and refund are
// triage, Permission::TriageAlerts; blocking a card or customer is a
// response, Permission::RunPlaybooks), adds to the lists through FraudStore
// and writes the audit record ("fraud.review.approve", ...) in one
// transaction.
class ReviewService
{
public:
    explicit ReviewService(Database &db) : m_db(db) {}

    static Permission permissionFor(ReviewOutcome outcome);

    bool decide(const Identity &who, const ReviewRequest &request, QString *errorMessage);

private:
    bool writeLists(const Identity &who, const ReviewRequest &request, QString *errorMessage);

    Database &m_db;
};

} // namespace portcullis::fraud
