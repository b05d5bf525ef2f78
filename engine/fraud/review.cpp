// SPDX-License-Identifier: GPL-3.0-or-later
#include "fraud/review.h"

#include "core/logging.h"
#include "fraud/fraudstore.h"
#include "security/auditlog.h"
#include "store/database.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QJsonObject>

namespace portcullis::fraud {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("portcullis::fraud::ReviewService", text);
}

} // namespace

QString reviewOutcomeName(ReviewOutcome outcome)
{
    switch (outcome) {
    case ReviewOutcome::Approve: return QStringLiteral("approve");
    case ReviewOutcome::Refund: return QStringLiteral("refund");
    case ReviewOutcome::BlockCard: return QStringLiteral("block_card");
    case ReviewOutcome::BlockCustomer: return QStringLiteral("block_customer");
    }
    return QString();
}

Permission ReviewService::permissionFor(ReviewOutcome outcome)
{
    return outcome == ReviewOutcome::Approve || outcome == ReviewOutcome::Refund
        ? Permission::TriageAlerts
        : Permission::RunPlaybooks;
}

bool ReviewService::writeLists(const Identity &who, const ReviewRequest &request,
                               QString *errorMessage)
{
    FraudStore store(m_db);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const QString outcome = reviewOutcomeName(request.outcome);
    const QString payment = QString::fromUtf8(request.paymentId);
    auto add = [&](const char *list, const QString &value) {
        return store.addListItem(ListItem{QLatin1String(list), value, now, who.userName,
                                          request.note.isEmpty() ? outcome : request.note},
                                 errorMessage);
    };
    if (!payment.isEmpty() && !add(ReviewedPaymentsList, payment))
        return false;
    switch (request.outcome) {
    case ReviewOutcome::Approve:
        return true;
    case ReviewOutcome::Refund:
        return add(RefundRequestsList, payment);
    case ReviewOutcome::BlockCard:
        return add(BlockedCardsList, request.cardFingerprint);
    case ReviewOutcome::BlockCustomer:
        return add(BlockedCustomersList, request.customerId);
    }
    return true;
}

bool ReviewService::decide(const Identity &who, const ReviewRequest &request,
                           QString *errorMessage)
{
    if (!checkPermission(who, permissionFor(request.outcome), errorMessage))
        return false;
    if (request.outcome == ReviewOutcome::BlockCard && request.cardFingerprint.isEmpty()) {
        *errorMessage = tr("The payment %1 names no card fingerprint, so there is no card to "
                           "block; block the customer instead.")
                            .arg(QString::fromUtf8(request.paymentId));
        return false;
    }
    if (request.outcome == ReviewOutcome::BlockCustomer && request.customerId.isEmpty()) {
        *errorMessage = tr("The payment %1 was a guest checkout with no customer id; block its "
                           "card instead.")
                            .arg(QString::fromUtf8(request.paymentId));
        return false;
    }
    if (request.outcome != ReviewOutcome::BlockCard && request.outcome != ReviewOutcome::BlockCustomer
        && request.paymentId.isEmpty()) {
        *errorMessage = tr("No payment was chosen: select a payment in the review queue first.");
        return false;
    }

    if (!m_db.begin(errorMessage))
        return false;
    const QJsonObject details{
        {QStringLiteral("outcome"), reviewOutcomeName(request.outcome)},
        {QStringLiteral("payment"), QString::fromUtf8(request.paymentId)},
        {QStringLiteral("card"), request.cardFingerprint},
        {QStringLiteral("customer"), request.customerId},
        {QStringLiteral("note"), request.note},
    };
    AuditLog audit(m_db);
    if (!writeLists(who, request, errorMessage)
        || !audit.append(who, QStringLiteral("fraud.review.") + reviewOutcomeName(request.outcome),
                         QStringLiteral("payment:") + QString::fromUtf8(request.paymentId),
                         details, errorMessage)) {
        m_db.rollback();
        return false;
    }
    if (!m_db.commit(errorMessage)) {
        m_db.rollback();
        return false;
    }
    qCInfo(lcSecurity) << "fraud review" << reviewOutcomeName(request.outcome) << "by"
                       << who.userName;
    return true;
}

} // namespace portcullis::fraud
