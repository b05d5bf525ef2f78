// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>

#include <cstdint>

namespace portcullis {
struct Event;
}

namespace portcullis::fraud {

// What a payment record describes. Charges and payment failures are scored;
// the other kinds update the state that later scores read.
enum class PaymentKind : quint8 {
    Charge,            // charge.succeeded, charge.failed, or one handbook transaction
    PaymentFailure,    // payment_intent.payment_failed
    SetupIntent,       // setup_intent.*: a card saved without a charge
    Refund,            // charge.refunded, refund.created
    Dispute,           // charge.dispute.created
    EarlyFraudWarning, // radar.early_fraud_warning.created
    Payout,            // payout.created, payout.paid
    DestinationChange, // account.external_account.created, payout_destination_changed
    Other,
};

// Result of a card check (Stripe's checks.cvc_check and checks.address_postal_code_check).
enum class CardCheck : quint8 { Missing, Pass, Fail, Unavailable, Unchecked };

// Entity kinds that velocity counters are kept for.
enum class EntityKind : quint8 { Card, Customer, Ip, Device, Email, Merchant, Count };
inline constexpr int EntityKindCount = int(EntityKind::Count);

// One payment fact in the form the feature code reads, built from a telemetry
// event (paymentFromEvent) or from one row of the handbook CSV files. Entity
// keys are 64-bit hashes of the entity's text (entityKey), or the numeric id
// plus one for CSV rows; 0 means the source has no such entity, so its
// features are missing.
struct PaymentRecord
{
    qint64 timeMs = 0;
    PaymentKind kind = PaymentKind::Other;
    bool succeeded = true;   // false for a declined or blocked charge
    QByteArray id;           // charge id ("ch_...") or handbook TRANSACTION_ID
    QByteArray chargeId;     // for refunds, disputes and warnings: the charge they name
    QByteArray eventId;      // event.id, empty for CSV rows
    double amount = 0;       // major units (dollars), payout amount for payouts
    bool amountIsUsd = true; // false: amount_in_usd is missing (no exchange rates)
    quint64 entity[EntityKindCount] = {}; // entity keys, 0 = missing
    QString cardCountry;     // ISO-2 issuing country, empty when unknown
    QString ipCountry;       // GeoIP country of the client, empty when unknown
    CardCheck cvcCheck = CardCheck::Missing;
    CardCheck postalCheck = CardCheck::Missing;
    QString reason;          // refund or dispute reason, warning fraud_type, decline code
    int label = -1;          // handbook TX_FRAUD: -1 unknown, 0 genuine, 1 fraud
    int scenario = 0;        // handbook TX_FRAUD_SCENARIO

    // Strings that rules compare against (`:card_fingerprint:`, `:email:` ...).
    QString cardFingerprint, customerId, ipAddress, deviceId, email, merchantId;

    quint64 key(EntityKind kind) const { return entity[int(kind)]; }
};

// The key of an entity's text: a 64-bit hash, never 0, and 0 for empty text.
quint64 entityKey(QStringView text);

// True for the record kinds that get a score.
inline bool isScored(PaymentKind kind)
{
    return kind == PaymentKind::Charge || kind == PaymentKind::PaymentFailure
        || kind == PaymentKind::Payout;
}

// Builds a payment record from a telemetry event of category `payment` (and
// the iam event `payout_destination_changed`). Returns false for any other
// event. Field names follow docs/telemetry-api.md.
bool paymentFromEvent(const Event &event, PaymentRecord *record);

CardCheck cardCheckFromName(QStringView name);
QString cardCheckName(CardCheck check);

} // namespace portcullis::fraud
